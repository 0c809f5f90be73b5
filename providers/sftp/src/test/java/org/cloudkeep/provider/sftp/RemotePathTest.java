package org.cloudkeep.provider.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RemotePathTest {

    @Test
    void providerPathsHangBelowTheRoot() {
        assertEquals("/", RemotePath.of("/", "/"));
        assertEquals("/a/b", RemotePath.of("/", "/a/b"));
        assertEquals("/srv/data", RemotePath.of("/srv/data", "/"));
        assertEquals("/srv/data/a/b c", RemotePath.of("/srv/data", "/a/b c"));
    }

    @Test
    void whatJSchWouldReadAsAPatternOrAnEscapeIsEscaped() {
        assertEquals("/a\\*b/q\\?/back\\\\slash", RemotePath.of("/", "/a*b/q?/back\\slash"));
        assertEquals("/srv/\\*/x", RemotePath.of("/srv/*", "/x"));
        assertEquals("[x] {y} ~z", RemotePath.escape("[x] {y} ~z"));
    }
}
