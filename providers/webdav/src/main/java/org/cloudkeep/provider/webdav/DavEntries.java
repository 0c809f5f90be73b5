package org.cloudkeep.provider.webdav;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.PermanentProviderException;

/** Turns the properties of one multistatus response into an {@link Entry}. */
final class DavEntries {

    private static final System.Logger LOG = System.getLogger(DavEntries.class.getName());

    /** oc:checksums algorithm names, best first, with the hex length each must have. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            "SHA256", ContentHash.SHA256,
            "SHA-256", ContentHash.SHA256,
            "SHA1", ContentHash.SHA1,
            "SHA-1", ContentHash.SHA1,
            "MD5", ContentHash.MD5);

    private static final Map<String, Integer> HEX_LENGTHS =
            Map.of(ContentHash.SHA256, 64, ContentHash.SHA1, 40, ContentHash.MD5, 32);

    private DavEntries() {}

    /**
     * The entry at a provider path.
     *
     * @throws PermanentProviderException when a file has no valid size or modification time
     */
    static Entry entry(String path, Multistatus.Response response) throws PermanentProviderException {
        if (response.collection()) {
            // Some servers give folders no date; a folder's date decides nothing.
            Instant modified = response.modified() == null ? null : HttpFailures.httpDate(response.modified());
            return Entry.folder(path, modified == null ? Instant.EPOCH : modified);
        }
        long size = size(path, response.length());
        Instant modified = response.modified() == null ? null : HttpFailures.httpDate(response.modified());
        if (modified == null) {
            throw new PermanentProviderException("The WebDAV server gives " + quote(path)
                    + " no valid getlastmodified (an RFC 1123 date): " + quote(response.modified()));
        }
        return Entry.file(path, size, modified, hash(path, response.checksums()));
    }

    private static long size(String path, String length) throws PermanentProviderException {
        if (length != null
                && !length.isEmpty()
                && length.length() <= 18
                && length.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(length);
        }
        throw new PermanentProviderException(
                "The WebDAV server gives the file " + quote(path) + " no valid getcontentlength: " + quote(length));
    }

    /**
     * The best hash in an oc:checksums value ({@code SHA1:ab12… MD5:cd34… ADLER32:…}), or {@code
     * null} when it holds none this provider knows. A malformed value is ignored (size and date
     * still decide), not trusted.
     */
    static ContentHash hash(String path, String checksums) {
        if (checksums == null || checksums.isBlank()) {
            return null;
        }
        ContentHash best = null;
        for (String token : checksums.strip().split("\\s+")) {
            int colon = token.indexOf(':');
            String algorithm =
                    colon < 0 ? null : ALGORITHMS.get(token.substring(0, colon).toUpperCase(Locale.ROOT));
            if (algorithm == null) {
                continue; // ADLER32 and others: nothing to check them with
            }
            String value = token.substring(colon + 1).toLowerCase(Locale.ROOT);
            if (value.length() != HEX_LENGTHS.get(algorithm) || !value.chars().allMatch(HexFormat::isHexDigit)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "ignoring a malformed {0} checksum of {1}: {2}",
                        algorithm,
                        quote(path),
                        quote(token));
                continue;
            }
            if (best == null || rank(algorithm) < rank(best.algorithm())) {
                best = new ContentHash(algorithm, value);
            }
        }
        return best;
    }

    private static int rank(String algorithm) {
        return switch (algorithm) {
            case ContentHash.SHA256 -> 0;
            case ContentHash.SHA1 -> 1;
            default -> 2;
        };
    }

    static String quote(String text) {
        if (text == null) {
            return "(none)";
        }
        String shown = text.length() > 300 ? text.substring(0, 300) + "…" : text;
        return "'" + EntryPaths.printable(shown) + "'";
    }
}
