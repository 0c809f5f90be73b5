package org.cloudkeep.protocol.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Method + path pattern → handler. A pattern is {@code /}-separated; a segment in braces ({@code
 * {id}}) matches any one non-empty segment and is handed to the handler by name. Paths match
 * exactly: no trailing slash, no empty segment. When several patterns match a path, the one with
 * the most literal segments wins. A path that some pattern matches, but not for this method, is a
 * {@link WrongMethod} (405) that lists the methods it has; a path no pattern matches is {@link
 * NoRoute} (404).
 *
 * @param <H> the handler type
 */
final class Router<H> {

    private final List<Route<H>> routes = new ArrayList<>();

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException when the pattern is malformed or the same method and
     *     pattern are already routed
     */
    Router<H> add(String method, String pattern, H handler) {
        if (method == null || method.isBlank() || handler == null) {
            throw new IllegalArgumentException("a route needs a method and a handler");
        }
        List<String> segments = segments(pattern);
        if (segments == null) {
            throw new IllegalArgumentException("a pattern starts with '/' and has no empty segment: " + pattern);
        }
        Set<String> names = new TreeSet<>();
        for (String segment : segments) {
            if (isParameter(segment) && !names.add(segment)) {
                throw new IllegalArgumentException("parameter " + segment + " twice in " + pattern);
            }
        }
        for (Route<H> route : routes) {
            if (route.method().equals(method) && route.shape().equals(shape(segments))) {
                throw new IllegalArgumentException(method + " " + pattern + " is routed already");
            }
        }
        routes.add(new Route<>(method, pattern, segments, handler));
        return this;
    }

    /** What a request's method and path lead to. */
    Match<H> match(String method, String path) {
        List<String> segments = segments(path);
        if (segments == null) {
            return new NoRoute<>();
        }
        Route<H> best = null;
        Map<String, String> bestParams = null;
        Set<String> allowed = new TreeSet<>();
        for (Route<H> route : routes) {
            Map<String, String> params = route.bind(segments);
            if (params == null) {
                continue;
            }
            allowed.add(route.method());
            if (route.method().equals(method) && (best == null || route.literals() > best.literals())) {
                best = route;
                bestParams = params;
            }
        }
        if (best != null) {
            return new Found<>(best.handler(), best.pattern(), bestParams);
        }
        return allowed.isEmpty() ? new NoRoute<>() : new WrongMethod<>(Collections.unmodifiableSet(allowed));
    }

    /** The segments of a path, or {@code null} when it does not start with '/' or has an empty one. */
    private static List<String> segments(String path) {
        if (path == null || !path.startsWith("/") || path.length() == 1) {
            return null;
        }
        List<String> segments = List.of(path.substring(1).split("/", -1));
        return segments.contains("") ? null : segments;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** The pattern with parameter names blanked, to spot two patterns that match the same paths. */
    private static String shape(List<String> segments) {
        return String.join(
                "/", segments.stream().map(s -> isParameter(s) ? "{}" : s).toList());
    }

    /** The outcome of {@link #match}. */
    sealed interface Match<H> permits Found, WrongMethod, NoRoute {}

    /**
     * @param handler the route's handler
     * @param pattern the pattern that matched
     * @param params the values of the pattern's parameters, by name without braces
     */
    record Found<H>(H handler, String pattern, Map<String, String> params) implements Match<H> {}

    /** @param allowed the methods the path has, sorted */
    record WrongMethod<H>(Set<String> allowed) implements Match<H> {}

    record NoRoute<H>() implements Match<H> {}

    private record Route<H>(String method, String pattern, List<String> segments, H handler) {

        String shape() {
            return Router.shape(segments);
        }

        long literals() {
            return segments.stream().filter(s -> !isParameter(s)).count();
        }

        /** The parameters when the path's segments fit this route, else {@code null}. */
        Map<String, String> bind(List<String> path) {
            if (path.size() != segments.size()) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                String segment = segments.get(i);
                if (isParameter(segment)) {
                    params.put(segment.substring(1, segment.length() - 1), path.get(i));
                } else if (!segment.equals(path.get(i))) {
                    return null;
                }
            }
            return Collections.unmodifiableMap(params);
        }
    }
}
