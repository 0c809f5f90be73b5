package org.cloudkeep.provider.webdav;

import java.io.IOException;
import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.TransientProviderException;

/**
 * Reads a {@code 207 Multi-Status} body one {@code <response>} at a time with StAX, so that a
 * folder of any size is never held whole. Only the properties of {@code <propstat>} blocks with a
 * 2xx status count. No DTD and no external entity is ever read.
 */
final class Multistatus implements AutoCloseable {

    static final String DAV = "DAV:";
    static final String OWNCLOUD = "http://owncloud.org/ns";

    /** The longest text kept from one element; a path of 4096 UTF-8 bytes, all escaped, is 12,288. */
    static final int MAX_TEXT = 64 * 1024;

    /**
     * One {@code <response>}.
     *
     * @param href the first href, as sent
     * @param ok whether the response is not a failure status (a {@code <status>} outside any propstat)
     * @param collection whether {@code resourcetype} holds {@code collection}
     * @param length {@code getcontentlength}, or {@code null}
     * @param modified {@code getlastmodified}, or {@code null}
     * @param checksums the text of {@code oc:checksums}, or {@code null}
     */
    record Response(String href, boolean ok, boolean collection, String length, String modified, String checksums) {}

    private final XMLStreamReader xml;
    private final InputStream body;
    private final String what;
    private boolean ended;

    /**
     * Starts reading a body, up to its {@code <multistatus>} element.
     *
     * @param what what was asked, for error messages ("listing of '/a'")
     */
    Multistatus(InputStream body, String what) throws ProviderException {
        this.body = body;
        this.what = what;
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try {
            xml = factory.createXMLStreamReader(body);
            xml.nextTag();
            if (!isDav("multistatus")) {
                throw malformed("the answer is not a DAV:multistatus but <" + xml.getName() + ">");
            }
        } catch (XMLStreamException | RuntimeException e) {
            close();
            throw failure(e);
        }
    }

    /** The next response, or {@code null} after the last one. */
    Response next() throws ProviderException {
        if (ended) {
            return null;
        }
        try {
            while (true) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    if (isDav("response")) {
                        return response();
                    }
                    skip(); // responsedescription, sync-token, extensions
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    ended = true; // </multistatus>: what follows is of no interest
                    return null;
                } else if (event == XMLStreamConstants.END_DOCUMENT) {
                    throw malformed("the answer ends before </multistatus>");
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public void close() {
        try {
            if (xml != null) {
                xml.close();
            }
        } catch (XMLStreamException e) {
            // Only read from: nothing to lose.
        }
        try {
            body.close();
        } catch (IOException e) {
            // Closing abandons the rest of the answer; nothing to lose.
        }
    }

    /** Reads a response from its start tag to its end tag. */
    private Response response() throws XMLStreamException, PermanentProviderException {
        String href = null;
        boolean ok = true;
        Props props = new Props();
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (isDav("href") && href == null) {
                href = text("href");
            } else if (isDav("status")) {
                ok = isSuccess(text("status"));
            } else if (isDav("propstat")) {
                propstat(props);
            } else {
                skip();
            }
        }
        if (href == null || href.isBlank()) {
            throw malformed("a response has no href");
        }
        return new Response(href.strip(), ok, props.collection, props.length, props.modified, props.checksums);
    }

    /** Reads a propstat; its properties are kept only when its status is 2xx. */
    private void propstat(Props into) throws XMLStreamException, PermanentProviderException {
        Props found = null;
        boolean ok = false;
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (isDav("prop")) {
                found = prop();
            } else if (isDav("status")) {
                ok = isSuccess(text("status"));
            } else {
                skip();
            }
        }
        if (ok && found != null) {
            into.add(found);
        }
    }

    private Props prop() throws XMLStreamException, PermanentProviderException {
        Props props = new Props();
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (isDav("resourcetype")) {
                props.collection = resourcetype();
            } else if (isDav("getcontentlength")) {
                props.length = text("getcontentlength").strip();
            } else if (isDav("getlastmodified")) {
                props.modified = text("getlastmodified").strip();
            } else if (OWNCLOUD.equals(xml.getNamespaceURI())
                    && xml.getLocalName().equals("checksums")) {
                props.checksums = text("checksums").strip();
            } else {
                skip();
            }
        }
        return props;
    }

    private boolean resourcetype() throws XMLStreamException {
        boolean collection = false;
        int event;
        while ((event = xml.next()) != XMLStreamConstants.END_ELEMENT) {
            if (event == XMLStreamConstants.START_ELEMENT) {
                collection |= isDav("collection");
                skip();
            }
        }
        return collection;
    }

    /**
     * The text of the current element and of everything inside it, joined by spaces where
     * elements meet (oc:checksums nests one oc:checksum per value); bounded by {@link #MAX_TEXT}.
     */
    private String text(String element) throws XMLStreamException, PermanentProviderException {
        StringBuilder text = new StringBuilder();
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    text.append(' ');
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    depth--;
                    text.append(' ');
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (text.length() + xml.getTextLength() > MAX_TEXT) {
                        throw malformed("a " + element + " is longer than " + MAX_TEXT + " characters");
                    }
                    text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                }
                case XMLStreamConstants.END_DOCUMENT -> throw malformed("the answer ends inside a " + element);
                default -> {
                    // comments and processing instructions carry no value
                }
            }
        }
        return text.toString().strip();
    }

    /** Skips the current element and everything inside it. */
    private void skip() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new XMLStreamException("the answer ends inside an element");
            }
        }
    }

    private boolean isDav(String localName) {
        return DAV.equals(xml.getNamespaceURI()) && localName.equals(xml.getLocalName());
    }

    /** Whether a status line ({@code HTTP/1.1 200 OK}) is 2xx. */
    static boolean isSuccess(String statusLine) {
        // Without a regular expression: one or two per entry of a listing.
        String line = statusLine.strip();
        int space = 0;
        while (space < line.length() && !Character.isWhitespace(line.charAt(space))) {
            space++;
        }
        int code = space;
        while (code < line.length() && Character.isWhitespace(line.charAt(code))) {
            code++;
        }
        int end = code;
        while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
            end++;
        }
        return space > 0 && end - code == 3 && line.charAt(code) == '2';
    }

    private PermanentProviderException malformed(String why) {
        return new PermanentProviderException("The WebDAV server's answer to the " + what + " is malformed: " + why);
    }

    /** A parse failure: lost bytes (the connection, a time-out) are worth a retry, bad XML is not. */
    private ProviderException failure(Exception e) {
        if (e instanceof PermanentProviderException permanent) {
            return permanent;
        }
        for (Throwable cause = e; cause != null; cause = next(cause)) {
            if (cause instanceof IOException) {
                return new TransientProviderException(
                        "The connection broke while reading the answer to the " + what + ": " + cause.getMessage(), e);
            }
        }
        return new PermanentProviderException(
                "The WebDAV server's answer to the " + what + " is malformed: " + e.getMessage(), e);
    }

    private static Throwable next(Throwable t) {
        if (t instanceof XMLStreamException x && x.getNestedException() != null && x.getNestedException() != t) {
            return x.getNestedException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    /** Properties gathered from the 2xx propstats of one response. */
    private static final class Props {
        boolean collection;
        String length;
        String modified;
        String checksums;

        void add(Props other) {
            collection |= other.collection;
            length = other.length != null ? other.length : length;
            modified = other.modified != null ? other.modified : modified;
            checksums = other.checksums != null ? other.checksums : checksums;
        }
    }
}
