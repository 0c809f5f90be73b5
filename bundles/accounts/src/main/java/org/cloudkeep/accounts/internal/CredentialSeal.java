package org.cloudkeep.accounts.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals provider credentials at rest: AES-256-GCM with a fresh 12-byte IV per seal and a 128-bit
 * tag. The associated data binds a sealed value to its user and provider, so that it cannot be
 * moved to another user's account unnoticed. A sealed value is {@code v1:} followed by the base64
 * of IV, ciphertext and tag.
 *
 * <p>The key is 32 random bytes in a key file, created on first start readable by its owner only,
 * written atomically and never overwritten: losing or replacing it makes every sealed value
 * unreadable.
 */
final class CredentialSeal {

    static final String VERSION = "v1:";
    static final int KEY_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(CredentialSeal.class);
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final SecretKeySpec key;
    private final Path keyFile;
    private final SecureRandom random;

    private CredentialSeal(SecretKeySpec key, Path keyFile, SecureRandom random) {
        this.key = key;
        this.keyFile = keyFile;
        this.random = random;
    }

    /**
     * The seal under the key in a key file, created first if there is none.
     *
     * @throws IOException when the key file cannot be read or created, or is not 32 bytes long
     */
    static CredentialSeal open(Path keyFile, SecureRandom random) throws IOException {
        Path file = keyFile.toAbsolutePath().normalize();
        byte[] bytes = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? read(file) : create(file, random);
        try {
            return new CredentialSeal(new SecretKeySpec(bytes, "AES"), file, random);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Where the key is kept. */
    Path keyFile() {
        return keyFile;
    }

    /** Seals a plain value for one user's account at one provider. */
    String seal(long userId, String provider, byte[] plain) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(userId, provider));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available in this JVM", e);
        }
    }

    /**
     * Opens a sealed value.
     *
     * @throws BrokenSealException when it was altered, belongs to another user or provider, or was
     *     sealed under another key
     */
    byte[] unseal(long userId, String provider, String sealed) throws BrokenSealException {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new BrokenSealException("it is not a " + VERSION + " sealed value");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new BrokenSealException("it is not valid base64");
        }
        if (data.length < IV_BYTES + TAG_BITS / 8) {
            throw new BrokenSealException("it is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
            cipher.updateAAD(associatedData(userId, provider));
            return cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new BrokenSealException(
                    "it was altered, belongs to another account, or was sealed under another key file than " + keyFile);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available in this JVM", e);
        }
    }

    private static byte[] associatedData(long userId, String provider) {
        return ("cloudkeep-account:" + userId + ":" + provider).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("The key file " + file + " is not a regular file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("Cannot read the key file " + file + ": " + e, e);
        }
        if (bytes.length != KEY_BYTES) {
            int length = bytes.length;
            Arrays.fill(bytes, (byte) 0);
            throw new IOException("The key file " + file + " holds " + length + " bytes, not " + KEY_BYTES
                    + ": it is not a CloudKeep key file, or it was damaged. Restore it from a backup; it is never "
                    + "replaced, because a new key cannot open the credentials sealed under the old one.");
        }
        warnIfOthersCanRead(file);
        return bytes;
    }

    private static byte[] create(Path file, SecureRandom random) throws IOException {
        Path folder = file.getParent();
        Files.createDirectories(folder);
        boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path temp = posix
                ? Files.createTempFile(folder, ".secret-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(folder, ".secret-", ".tmp");
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        try {
            if (!posix) {
                restrictToOwner(temp);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                publish(temp, file);
            } catch (FileAlreadyExistsException e) {
                // Another runtime created it in the meantime: use that one, never overwrite it.
                Arrays.fill(bytes, (byte) 0);
                return read(file);
            }
            syncFolder(folder);
            LOG.info(
                    "Created the credential key file {}; back it up: without it no stored credential can be read",
                    file);
            return bytes;
        } catch (IOException | RuntimeException e) {
            Arrays.fill(bytes, (byte) 0);
            throw e;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes the written temp file the key file, failing if a key file appeared meanwhile. */
    private static void publish(Path temp, Path file) throws IOException {
        try {
            // A hard link is atomic and refuses an existing name, so a key file is never replaced.
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links here: a move without REPLACE_EXISTING still refuses an existing name.
            Files.move(temp, file);
        }
    }

    private static void restrictToOwner(Path file) {
        java.io.File f = file.toFile();
        boolean restricted = f.setReadable(false, false)
                && f.setReadable(true, true)
                && f.setWritable(false, false)
                && f.setWritable(true, true);
        if (!restricted) {
            LOG.warn("Could not restrict {} to its owner; protect it by other means", file);
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (!OWNER_ONLY.containsAll(permissions)) {
                    LOG.warn(
                            "The key file {} is {}; it should be rw------- (chmod 600)",
                            file,
                            PosixFilePermissions.toString(permissions));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot read the permissions of {}", file, e);
        }
    }

    /** Best effort: makes the new name durable too; not every system can sync a folder. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot sync the folder {}", folder, e);
        }
    }

    /** A sealed value that cannot be opened; the message says why. */
    static final class BrokenSealException extends Exception {

        private static final long serialVersionUID = 1L;

        BrokenSealException(String message) {
            super(message);
        }
    }
}
