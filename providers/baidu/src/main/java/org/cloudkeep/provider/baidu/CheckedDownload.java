package org.cloudkeep.provider.baidu;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A download that fails at its end, with an {@link IOException}, unless it held exactly the
 * expected number of bytes and, when the answer carried {@code Content-MD5}, bytes with that
 * digest: corrupt or truncated content is never taken for the file.
 */
final class CheckedDownload extends FilterInputStream {

    private final long expected;
    private final byte[] expectedMd5;
    private final MessageDigest md5;
    private final String what;
    private long count;
    private String failure;
    private boolean verified;

    /**
     * @param expectedMd5 the 16 bytes of Content-MD5, or {@code null} when there is none to check
     */
    CheckedDownload(InputStream in, long expected, byte[] expectedMd5, String what) {
        super(in);
        this.expected = expected;
        this.expectedMd5 = expectedMd5;
        this.md5 = expectedMd5 == null ? null : newMd5();
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (failure != null) {
            throw new IOException(failure);
        }
        int n = in.read(bytes, offset, length);
        if (n > 0) {
            count += n;
            if (md5 != null) {
                md5.update(bytes, offset, n);
            }
            if (count > expected) {
                fail("Baidu sent more than the " + expected + " bytes expected; the file changed while it was read");
            }
        } else if (n < 0 && !verified) {
            verifyEnd();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Read rather than skip, so that skipped bytes are counted and hashed too.
        byte[] scratch = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int got = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (got < 0) {
                break;
            }
            skipped += got;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int limit) {
        // not supported
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void verifyEnd() throws IOException {
        verified = true;
        if (count != expected) {
            fail("Baidu sent " + count + " bytes where " + expected
                    + " were expected; the download was cut short or the file changed");
        }
        if (md5 != null) {
            byte[] actual = md5.digest();
            if (!MessageDigest.isEqual(actual, expectedMd5)) {
                fail("the bytes do not match the Content-MD5 Baidu sent ("
                        + HexFormat.of().formatHex(expectedMd5) + ", the bytes give "
                        + HexFormat.of().formatHex(actual) + "); the download is corrupt");
            }
        }
    }

    private void fail(String problem) throws IOException {
        failure = what + ": " + problem;
        throw new IOException(failure);
    }

    /** Content-MD5 as Baidu sends it (32 hex digits) or as RFC 1864 says (base64); {@code null} otherwise. */
    static byte[] parseMd5(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        try {
            if (value.matches("[0-9a-fA-F]{32}")) {
                return HexFormat.of().parseHex(value);
            }
            byte[] decoded = Base64.getDecoder().decode(value);
            return decoded.length == 16 ? decoded : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
