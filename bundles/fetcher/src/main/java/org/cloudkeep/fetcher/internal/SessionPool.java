package org.cloudkeep.fetcher.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;

/**
 * Sessions on one account, reused across a group's downloads: a session is not thread-safe, so
 * each download borrows one, and connecting (a TLS or SSH handshake) is paid once per thread, not
 * once per file.
 */
final class SessionPool implements AutoCloseable {

    private final CloudDriveProvider provider;
    private final Map<String, String> credentials;
    private final ConcurrentLinkedQueue<ProviderSession> idle = new ConcurrentLinkedQueue<>();

    SessionPool(CloudDriveProvider provider, Map<String, String> credentials) {
        this.provider = provider;
        this.credentials = credentials;
    }

    ProviderSession borrow() throws ProviderException {
        ProviderSession session = idle.poll();
        return session != null ? session : provider.connect(credentials);
    }

    void giveBack(ProviderSession session) {
        idle.add(session);
    }

    /** A session that failed is closed, not reused. */
    void discard(ProviderSession session) {
        closeQuietly(session);
    }

    @Override
    public void close() {
        for (ProviderSession session; (session = idle.poll()) != null; ) {
            closeQuietly(session);
        }
    }

    /** close() never throws by contract, but a provider being uninstalled may no longer load its classes. */
    private static void closeQuietly(ProviderSession session) {
        try {
            session.close();
        } catch (RuntimeException | LinkageError e) {
            // nothing to do: the session is dropped either way
        }
    }
}
