package org.cloudkeep.provider.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.HostKeyRepository;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.cloudkeep.api.BadCredentialsException;
import org.junit.jupiter.api.Test;

class HostKeyPinTest {

    private static final byte[] ED25519 = blob("ssh-ed25519", 1);
    private static final byte[] OTHER_ED25519 = blob("ssh-ed25519", 2);
    private static final byte[] RSA = blob("ssh-rsa", 3);

    @Test
    void aKeyLineAcceptsThatKeyOnly() throws Exception {
        HostKeyPin pin = HostKeyPin.parse("ssh-ed25519 " + base64(ED25519) + " root@server");
        assertTrue(pin.pinned());
        assertEquals(HostKeyRepository.OK, pin.check("server", ED25519));
        assertEquals(HostKeyRepository.CHANGED, pin.check("server", OTHER_ED25519));
        assertEquals(HostKeyPin.fingerprint(OTHER_ED25519), pin.seenFingerprint(), "the key shown is reported");
        assertEquals("ssh-ed25519", pin.hostKeyAlgorithms(), "the server is asked for that kind of key");
    }

    @Test
    void anRsaKeyAsksForTheSha2Signatures() throws Exception {
        HostKeyPin pin = HostKeyPin.parse("server.example ssh-rsa " + base64(RSA));
        assertEquals("rsa-sha2-512,rsa-sha2-256,ssh-rsa", pin.hostKeyAlgorithms());
        assertEquals(HostKeyRepository.OK, pin.check("server", RSA));
    }

    @Test
    void aFingerprintAcceptsThatKeyWithOrWithoutPadding() throws Exception {
        String fingerprint = HostKeyPin.fingerprint(ED25519);
        for (String given : new String[] {fingerprint, fingerprint + "=", " " + fingerprint + " "}) {
            HostKeyPin pin = HostKeyPin.parse(given);
            assertEquals(HostKeyRepository.OK, pin.check("server", ED25519), given);
            assertEquals(HostKeyRepository.CHANGED, pin.check("server", RSA), given);
            assertNull(pin.hostKeyAlgorithms(), "a fingerprint does not say the key type");
        }
    }

    @Test
    void noPinAcceptsAnyKeyAndRemembersIt() throws Exception {
        HostKeyPin pin = HostKeyPin.parse("  ");
        assertFalse(pin.pinned());
        assertEquals(HostKeyRepository.OK, pin.check("server", RSA));
        assertEquals("ssh-rsa " + base64(RSA), pin.seenKeyLine());
        assertEquals(HostKeyPin.fingerprint(RSA), pin.seenFingerprint());
    }

    @Test
    void whatIsNoKeyIsRefused() {
        for (String wrong : new String[] {
            "SHA256:short",
            "MD5:aa:bb:cc",
            "ssh-ed25519 not*base64",
            "ssh-rsa " + base64(ED25519), // the blob says it is another type
            "just words"
        }) {
            assertThrows(BadCredentialsException.class, () -> HostKeyPin.parse(wrong), wrong);
        }
    }

    /** An SSH public key blob: the type as an SSH string, then some key bytes. */
    private static byte[] blob(String type, int seed) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] name = type.getBytes(StandardCharsets.US_ASCII);
            out.writeInt(name.length);
            out.write(name);
            out.writeInt(32);
            for (int i = 0; i < 32; i++) {
                out.writeByte(seed * 31 + i);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] blob) {
        return Base64.getEncoder().encodeToString(blob);
    }
}
