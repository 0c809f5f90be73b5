package org.cloudkeep.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.cloudkeep.protocol.internal.Router.Found;
import org.cloudkeep.protocol.internal.Router.NoRoute;
import org.cloudkeep.protocol.internal.Router.WrongMethod;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router<String> router = new Router<String>()
            .add("POST", "/containers", "create")
            .add("GET", "/containers/{id}", "show")
            .add("DELETE", "/containers/{id}", "delete")
            .add("POST", "/containers/{id}/traversals", "traverse")
            .add("POST", "/device/groups/next", "next");

    @Test
    void findsTheHandlerForMethodAndPath() {
        assertEquals(new Found<>("create", "/containers", Map.of()), router.match("POST", "/containers"));
        assertEquals(new Found<>("next", "/device/groups/next", Map.of()), router.match("POST", "/device/groups/next"));
    }

    @Test
    void handsOverPathParameters() {
        assertEquals(
                new Found<>("show", "/containers/{id}", Map.of("id", "42")), router.match("GET", "/containers/42"));
        Found<String> traverse = (Found<String>) router.match("POST", "/containers/7/traversals");
        assertEquals("traverse", traverse.handler());
        assertEquals(Map.of("id", "7"), traverse.params());
    }

    @Test
    void aKnownPathWithAnotherMethodListsTheMethodsItHas() {
        assertEquals(new WrongMethod<>(Set.of("DELETE", "GET")), router.match("PUT", "/containers/42"));
        assertEquals(new WrongMethod<>(Set.of("POST")), router.match("GET", "/containers"));
        assertEquals(
                new WrongMethod<>(Set.of("POST")), router.match("post", "/containers"), "methods are case-sensitive");
    }

    @Test
    void anUnknownPathIsNoRoute() {
        assertInstanceOf(NoRoute.class, router.match("GET", "/nothing"));
        assertInstanceOf(NoRoute.class, router.match("GET", ""));
        assertInstanceOf(NoRoute.class, router.match("GET", "/"));
        assertInstanceOf(NoRoute.class, router.match("GET", "containers/1"));
        assertInstanceOf(NoRoute.class, router.match("POST", "/containers/"), "no trailing slash");
        assertInstanceOf(NoRoute.class, router.match("GET", "/containers//traversals"), "no empty segment");
        assertInstanceOf(NoRoute.class, router.match("POST", "/containers/7/traversals/9"), "no prefix match");
        assertInstanceOf(NoRoute.class, router.match("POST", "/device/groups"));
    }

    @Test
    void theMostLiteralPatternWins() {
        Router<String> r =
                new Router<String>().add("GET", "/containers/{id}", "one").add("GET", "/containers/latest", "latest");
        assertEquals("latest", ((Found<String>) r.match("GET", "/containers/latest")).handler());
        assertEquals("one", ((Found<String>) r.match("GET", "/containers/3")).handler());
    }

    @Test
    void refusesMalformedOrDuplicateRoutes() {
        assertThrows(IllegalArgumentException.class, () -> router.add("GET", "/containers/{other}", "again"));
        assertThrows(IllegalArgumentException.class, () -> router.add("GET", "containers", "x"));
        assertThrows(IllegalArgumentException.class, () -> router.add("GET", "/a//b", "x"));
        assertThrows(IllegalArgumentException.class, () -> router.add("GET", "/a/{x}/{x}", "x"));
        assertThrows(IllegalArgumentException.class, () -> router.add("", "/a", "x"));
    }
}
