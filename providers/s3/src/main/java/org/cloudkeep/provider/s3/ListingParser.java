package org.cloudkeep.provider.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.http.PercentCoding;

/** Reads a ListObjectsV2 answer ({@code <ListBucketResult>}) with StAX, one page, keys decoded. */
final class ListingParser {

    /**
     * The most bytes of one listing answer. A real page is at most about 3.5 MiB (1000 keys of 1024 bytes, each
     * byte URL-encoded as three); a bigger one is hostile and must not fill memory through one long element.
     */
    static final long MAX_BODY = 16L * 1024 * 1024;

    private ListingParser() {}

    /** Thrown by the body once more than {@link #MAX_BODY} bytes were read. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("more than " + MAX_BODY + " bytes");
        }
    }

    /**
     * One key or common prefix of a page.
     *
     * @param key the decoded key or prefix; {@code null} when it could not be decoded (then {@link #raw} says what
     *     was sent)
     * @param prefix whether it is a common prefix (a folder), not an object
     * @param size the object's size; 0 for a prefix
     * @param modified the object's LastModified; {@code null} for a prefix
     * @param etag the object's ETag without quotes, or {@code null}
     */
    record Item(String key, String raw, boolean prefix, long size, Instant modified, String etag) {}

    /**
     * One page.
     *
     * @param nextToken the continuation token of the next page, or {@code null} on the last page
     */
    record Page(List<Item> items, String nextToken) {}

    /**
     * Parses one page.
     *
     * @param maxItems the most keys and prefixes accepted in one page, so that a hostile answer cannot fill memory
     * @throws PermanentProviderException naming what is malformed
     * @throws IOException when reading the body fails (a cut connection, a time-out)
     */
    static Page parse(InputStream body, int maxItems, String what) throws PermanentProviderException, IOException {
        List<Item> items = new ArrayList<>();
        boolean truncated = false;
        String nextToken = null;
        boolean urlEncoded = false;
        try {
            XMLStreamReader xml = Xml.reader(bounded(body));
            try {
                xml.nextTag();
                if (!xml.getLocalName().equals("ListBucketResult")) {
                    throw malformed(what, "a <" + xml.getLocalName() + "> document instead of <ListBucketResult>");
                }
                while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "Contents" -> items.add(object(xml, what));
                        case "CommonPrefixes" -> items.add(commonPrefix(xml, what));
                        case "IsTruncated" -> truncated = bool(xml.getElementText(), "IsTruncated", what);
                        case "NextContinuationToken" -> nextToken = xml.getElementText();
                        case "EncodingType" -> urlEncoded =
                                xml.getElementText().strip().equalsIgnoreCase("url");
                        default -> Xml.skip(xml);
                    }
                    if (items.size() > maxItems) {
                        throw malformed(what, "more than " + maxItems + " keys in one page");
                    }
                }
                // Only now is it known whether the keys were sent URL-encoded: EncodingType may come after them.
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            Throwable cause = e.getNestedException() != null ? e.getNestedException() : e.getCause();
            if (cause instanceof TooLarge) {
                throw malformed(what, "the answer is larger than " + MAX_BODY / (1024 * 1024) + " MiB", e);
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw malformed(what, "not well-formed XML: " + e.getMessage(), e);
        }
        if (truncated && (nextToken == null || nextToken.isEmpty())) {
            throw malformed(what, "IsTruncated is true but NextContinuationToken is missing");
        }
        List<Item> decoded = urlEncoded ? new ArrayList<>(items.size()) : items;
        if (urlEncoded) {
            for (Item item : items) {
                decoded.add(new Item(
                        urlDecode(item.raw()), item.raw(), item.prefix(), item.size(), item.modified(), item.etag()));
            }
        }
        return new Page(decoded, truncated ? nextToken : null);
    }

    /** A key sent with {@code encoding-type=url} (form encoding: '+' is a space); null when broken. */
    static String urlDecode(String encoded) {
        return PercentCoding.decode(encoded, true);
    }

    /** The body, failing with {@link TooLarge} past {@link #MAX_BODY} bytes. */
    private static InputStream bounded(InputStream body) {
        return new FilterInputStream(body) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                int n = super.read(bytes, offset, length);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) throws TooLarge {
                read += n;
                if (read > MAX_BODY) {
                    throw new TooLarge();
                }
            }
        };
    }

    private static Item object(XMLStreamReader xml, String what) throws XMLStreamException, PermanentProviderException {
        String key = null;
        String size = null;
        String modified = null;
        String etag = null;
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "Key" -> key = xml.getElementText();
                case "Size" -> size = xml.getElementText().strip();
                case "LastModified" -> modified = xml.getElementText().strip();
                case "ETag" -> etag = xml.getElementText().strip();
                default -> Xml.skip(xml);
            }
        }
        if (key == null) {
            throw malformed(what, "a <Contents> without <Key>");
        }
        String shown = "key '" + Xml.printable(key, 200) + "'";
        if (size == null) {
            throw malformed(what, "no <Size> for " + shown);
        }
        long bytes;
        try {
            bytes = Long.parseLong(size);
        } catch (NumberFormatException e) {
            throw malformed(what, "<Size> '" + Xml.printable(size, 40) + "' of " + shown + " is not a number");
        }
        if (bytes < 0) {
            throw malformed(what, "negative <Size> " + bytes + " for " + shown);
        }
        if (modified == null) {
            throw malformed(what, "no <LastModified> for " + shown);
        }
        Instant time;
        try {
            time = Instant.parse(modified);
        } catch (DateTimeParseException e) {
            throw malformed(
                    what,
                    "<LastModified> '" + Xml.printable(modified, 60) + "' of " + shown + " is not an ISO 8601 time");
        }
        return new Item(key, key, false, bytes, time, etag == null ? null : S3Client.unquote(etag));
    }

    private static Item commonPrefix(XMLStreamReader xml, String what)
            throws XMLStreamException, PermanentProviderException {
        String prefix = null;
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (xml.getLocalName().equals("Prefix")) {
                prefix = xml.getElementText();
            } else {
                Xml.skip(xml);
            }
        }
        if (prefix == null) {
            throw malformed(what, "a <CommonPrefixes> without <Prefix>");
        }
        return new Item(prefix, prefix, true, 0, null, null);
    }

    private static boolean bool(String text, String element, String what) throws PermanentProviderException {
        return switch (text.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw malformed(
                    what, "<" + element + "> is '" + Xml.printable(text, 40) + "', not true or false");
        };
    }

    private static PermanentProviderException malformed(String what, String problem) {
        return malformed(what, problem, null);
    }

    private static PermanentProviderException malformed(String what, String problem, Throwable cause) {
        return new PermanentProviderException("malformed answer to " + what + ": " + problem, cause);
    }
}
