package org.cloudkeep.provider.webdav;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.http.PercentCoding;

/**
 * Turns provider paths into request URLs under the account's root, and the hrefs a server answers
 * with back into decoded server paths. Servers differ in how they encode hrefs (which characters,
 * absolute URL or path, trailing slash on folders), so hrefs are compared decoded, never as text.
 */
final class DavUrls {

    private final URI root;
    private final String rootPath;

    private DavUrls(URI root, String rootPath) {
        this.root = root;
        this.rootPath = rootPath;
    }

    /**
     * The URLs of the account whose root is the WebDAV folder at {@code url}.
     *
     * @throws IllegalArgumentException naming what is wrong with the URL, fit to show the user
     */
    static DavUrls of(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("No URL given: enter the WebDAV folder's URL, for instance "
                    + "https://cloud.example.com/remote.php/dav/files/alice/");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a valid URL: " + e.getReason(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' names no server");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + url + "' holds a user, query or fragment; enter the folder's "
                    + "URL alone and the user name and password in their own fields");
        }
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (!rawPath.endsWith("/")) {
            rawPath += "/"; // a collection: children resolve below it, not beside it
        }
        String decoded = decode(rawPath);
        if (decoded == null) {
            throw new IllegalArgumentException("'" + url + "' holds an invalid %-escape or non-UTF-8 bytes");
        }
        URI normalized = URI.create(scheme + "://" + uri.getRawAuthority() + rawPath);
        return new DavUrls(normalized, decoded);
    }

    /** The account's root folder URL, ending with '/'. */
    URI root() {
        return root;
    }

    /**
     * The URL of a provider path; a folder's ends with '/', as servers name collections.
     *
     * @param path a path already checked with {@link EntryPaths#normalize}
     */
    URI url(String path, boolean folder) {
        StringBuilder url = new StringBuilder(root.toString());
        String[] names = EntryPaths.names(path);
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                url.append('/');
            }
            encodeSegment(names[i], url);
        }
        if (folder && names.length > 0) {
            url.append('/');
        }
        return URI.create(url.toString());
    }

    /** The decoded server path of a provider path, a folder's ending with '/'. */
    String serverPath(String path, boolean folder) {
        if (path.equals(EntryPaths.ROOT)) {
            return rootPath;
        }
        return rootPath + path.substring(1) + (folder ? "/" : "");
    }

    /**
     * The decoded server path an href names, or {@code null} when it names something on another
     * server, is relative, carries a query or fragment, or cannot be decoded.
     */
    String hrefPath(String href) {
        String path;
        if (href.startsWith("/")) {
            path = href;
        } else {
            int schemeEnd = href.indexOf("://");
            if (schemeEnd <= 0 || !href.substring(0, schemeEnd).equalsIgnoreCase(root.getScheme())) {
                return null;
            }
            int pathStart = href.indexOf('/', schemeEnd + 3);
            String authority = pathStart < 0 ? href.substring(schemeEnd + 3) : href.substring(schemeEnd + 3, pathStart);
            if (!sameServer(authority)) {
                return null;
            }
            path = pathStart < 0 ? "/" : href.substring(pathStart);
        }
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            return null;
        }
        return decode(path);
    }

    /**
     * The name of a direct child of a folder from a decoded href path, or {@code null} when the
     * path is not exactly one valid name below the folder (the folder itself, a grandchild, {@code
     * ..}, a name holding '/' or NUL once decoded, anything elsewhere).
     *
     * @param folderPath the folder's {@link #serverPath}, ending with '/'
     */
    static String childName(String folderPath, String hrefPath) {
        if (hrefPath == null || !hrefPath.startsWith(folderPath)) {
            return null;
        }
        String rest = hrefPath.substring(folderPath.length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return EntryPaths.isValidName(rest) ? rest : null;
    }

    /** Whether a decoded href path names the folder or file at a server path itself. */
    static boolean isSelf(String serverPath, String hrefPath) {
        if (hrefPath == null) {
            return false;
        }
        return strip(serverPath).equals(strip(hrefPath));
    }

    private static String strip(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** Whether an href's authority ({@code [user@]host[:port]}) is the root's server. */
    private boolean sameServer(String authority) {
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort;
        int port = defaultPort(root.getScheme());
        if (colon >= 0 && hostPort.indexOf(']', colon) < 0) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        int rootPort = root.getPort() < 0 ? defaultPort(root.getScheme()) : root.getPort();
        return host.equalsIgnoreCase(root.getHost()) && port == rootPort;
    }

    private static int defaultPort(String scheme) {
        return scheme.equalsIgnoreCase("https") ? 443 : 80;
    }

    /** Percent-encodes a name as one path segment: every byte but the unreserved characters. */
    private static void encodeSegment(String name, StringBuilder out) {
        out.append(PercentCoding.encode(name, false));
    }

    /**
     * Decodes %-escapes (and raw non-ASCII characters, which some servers send unescaped) as UTF-8;
     * {@code null} for a broken escape or bytes that are not UTF-8. '+' stays '+': this is a path.
     */
    static String decode(String raw) {
        return PercentCoding.decode(raw, false);
    }
}
