package org.cloudkeep.accounts.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.cloudkeep.accounts.internal.CredentialSeal.BrokenSealException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialSealTest {

    private static final byte[] SECRET = "{\"token\":\"hunter2-hunter2\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void opensWhatItSealedForTheSameUserAndProvider() throws Exception {
        CredentialSeal seal = CredentialSeal.open(dir.resolve("secret.key"), new SecureRandom());

        String sealed = seal.seal(7, "webdav", SECRET);

        assertTrue(sealed.startsWith("v1:"));
        assertFalse(sealed.contains("hunter2"));
        assertEquals(
                12 + SECRET.length + 16,
                Base64.getDecoder().decode(sealed.substring(3)).length,
                "IV, ciphertext and 128-bit tag");
        assertArrayEquals(SECRET, seal.unseal(7, "webdav", sealed));
        assertNotEquals(sealed, seal.seal(7, "webdav", SECRET), "a fresh IV every time");
    }

    @Test
    void aSealIsBoundToItsUserAndProvider() throws Exception {
        CredentialSeal seal = CredentialSeal.open(dir.resolve("secret.key"), new SecureRandom());
        String sealed = seal.seal(7, "webdav", SECRET);

        assertThrows(BrokenSealException.class, () -> seal.unseal(8, "webdav", sealed));
        assertThrows(BrokenSealException.class, () -> seal.unseal(7, "s3", sealed));
    }

    @Test
    void anyAlteredByteIsNoticed() throws Exception {
        CredentialSeal seal = CredentialSeal.open(dir.resolve("secret.key"), new SecureRandom());
        byte[] raw = Base64.getDecoder().decode(seal.seal(1, "local", SECRET).substring(3));

        for (int i = 0; i < raw.length; i++) {
            byte[] altered = raw.clone();
            altered[i] ^= 0x01;
            String value = "v1:" + Base64.getEncoder().encodeToString(altered);
            assertThrows(BrokenSealException.class, () -> seal.unseal(1, "local", value), "byte " + i);
        }
        assertThrows(BrokenSealException.class, () -> seal.unseal(1, "local", "v2:AAAA"));
        assertThrows(BrokenSealException.class, () -> seal.unseal(1, "local", "v1:not base64!"));
        assertThrows(BrokenSealException.class, () -> seal.unseal(1, "local", "v1:AAAA"));
    }

    @Test
    void createsTheKeyFileOwnerOnlyAndKeepsIt() throws Exception {
        Path keyFile = dir.resolve("nested/data/secret.key");
        CredentialSeal first = CredentialSeal.open(keyFile, new SecureRandom());
        byte[] key = Files.readAllBytes(keyFile);
        if (Files.getFileStore(keyFile).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        }
        String sealed = first.seal(1, "local", SECRET);

        CredentialSeal second = CredentialSeal.open(keyFile, new SecureRandom());

        assertArrayEquals(key, Files.readAllBytes(keyFile));
        assertArrayEquals(SECRET, second.unseal(1, "local", sealed));
        try (var files = Files.list(keyFile.getParent())) {
            assertEquals(1, files.count(), "only the key file, no temp file");
        }
    }

    @Test
    void aDifferentKeyCannotOpenIt() throws Exception {
        String sealed =
                CredentialSeal.open(dir.resolve("a.key"), new SecureRandom()).seal(1, "local", SECRET);
        CredentialSeal other = CredentialSeal.open(dir.resolve("b.key"), new SecureRandom());

        BrokenSealException e = assertThrows(BrokenSealException.class, () -> other.unseal(1, "local", sealed));
        assertTrue(e.getMessage().contains(dir.resolve("b.key").toString()), e.getMessage());
    }

    @Test
    void refusesAKeyFileOfTheWrongLength() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.key"));
        Path longer = Files.write(dir.resolve("long.key"), new byte[33]);

        IOException e = assertThrows(IOException.class, () -> CredentialSeal.open(empty, new SecureRandom()));
        assertTrue(e.getMessage().contains("0 bytes, not 32"), e.getMessage());
        assertThrows(IOException.class, () -> CredentialSeal.open(longer, new SecureRandom()));
        assertEquals(0, Files.size(empty), "never overwritten");
        assertThrows(IOException.class, () -> CredentialSeal.open(dir, new SecureRandom()), "a folder");
    }
}
