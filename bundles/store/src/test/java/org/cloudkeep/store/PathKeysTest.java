package org.cloudkeep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class PathKeysTest {

    @Test
    void keyIsTheLowerCaseHexSha256OfTheUtf8Path() {
        assertEquals("8a5edab282632443219e051e4ade2d1d5bbc671c781051bf1437897cbdfea0f1", PathKeys.of("/"));
        assertEquals(
                "11ac5e2ffaabc6ea81ff40a7c4549efbd7f114f11f94b809fe74c3b0eeabe663",
                PathKeys.of("/Fotos/caf\u00e9.jpg"));
        assertEquals(PathKeys.LENGTH, PathKeys.of("/a").length());
    }

    @Test
    void nfcAndNfdFormsAreDifferentPaths() {
        assertNotEquals(PathKeys.of("/Fotos/caf\u00e9.jpg"), PathKeys.of("/Fotos/cafe\u0301.jpg"));
        assertEquals(
                "6e3c07ddc573d765ba2dda326b203a60917b4ae5fff220101a0d64b987e70984",
                PathKeys.of("/Fotos/cafe\u0301.jpg"));
    }
}
