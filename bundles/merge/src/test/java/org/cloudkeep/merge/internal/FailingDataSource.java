package org.cloudkeep.merge.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source whose statements fail on the n-th {@code executeBatch} over all its connections,
 * as a full disk or a lost database would fail a merge midway. Everything else passes through.
 */
public final class FailingDataSource {

    private FailingDataSource() {}

    /** Wraps a data source so that its {@code failOn}-th executeBatch (from 1) throws. */
    public static DataSource failingBatch(DataSource delegate, int failOn) {
        AtomicInteger batches = new AtomicInteger();
        return proxy(DataSource.class, delegate, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection c ? connection(c, batches, failOn) : result;
        });
    }

    private static Connection connection(Connection delegate, AtomicInteger batches, int failOn) {
        return proxy(Connection.class, delegate, (target, method, args) -> {
            Object result = invoke(target, method, args);
            if (result instanceof Statement s && method.getName().startsWith("prepare")) {
                Class<?> type = method.getReturnType();
                return statement(type, s, batches, failOn);
            }
            return result;
        });
    }

    private static Object statement(Class<?> type, Statement delegate, AtomicInteger batches, int failOn) {
        return proxy(type, delegate, (target, method, args) -> {
            if (method.getName().equals("executeBatch") && batches.incrementAndGet() == failOn) {
                throw new SQLException("injected failure on batch " + failOn);
            }
            return invoke(target, method, args);
        });
    }

    private interface Handler {
        Object handle(Object target, Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, Handler handler) {
        InvocationHandler h = (self, method, args) -> handler.handle(target, method, args);
        return (T) Proxy.newProxyInstance(FailingDataSource.class.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
