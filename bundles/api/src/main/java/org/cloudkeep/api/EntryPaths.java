package org.cloudkeep.api;

import java.util.Objects;

/**
 * Checks and builds provider paths. A provider path is absolute, {@code /}-separated, and none of
 * its names is empty, {@code "."} or {@code ".."} or holds a NUL character, so no path can climb
 * out of the folder it is resolved against. Every other character is kept exactly: NFC and NFD
 * forms of one name are different names, and control characters are left for the device to encode.
 */
public final class EntryPaths {

    /** The root of an account. */
    public static final String ROOT = "/";

    private EntryPaths() {}

    /**
     * Returns the path unchanged if it is a valid provider path.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String normalize(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a provider path starts with '/': " + printable(path));
        }
        if (path.length() == 1) {
            return ROOT;
        }
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String name = path.substring(start, end);
            if (!isValidName(name)) {
                throw new IllegalArgumentException("invalid name '" + printable(name) + "' in path " + printable(path));
            }
            start = end + 1;
        }
        return path;
    }

    /**
     * Whether a single name may stand in a provider path: not empty, not {@code "."} or {@code
     * ".."}, and without {@code '/'} or NUL.
     */
    public static boolean isValidName(String name) {
        return name != null
                && !name.isEmpty()
                && !name.equals(".")
                && !name.equals("..")
                && name.indexOf('/') < 0
                && name.indexOf('\0') < 0;
    }

    /**
     * The path of a child of a folder.
     *
     * @throws IllegalArgumentException when the name is not {@linkplain #isValidName valid}
     */
    public static String child(String folder, String name) {
        normalize(folder);
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid name '" + printable(name) + "' in folder " + printable(folder));
        }
        return folder.equals(ROOT) ? ROOT + name : folder + "/" + name;
    }

    /** The last name of a path; empty for the root. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The folder that holds a path; the root for a top-level entry and for the root itself. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? ROOT : path.substring(0, slash);
    }

    /** The names of a path, for resolving it step by step; empty for the root. */
    public static String[] names(String path) {
        String checked = normalize(path);
        return checked.equals(ROOT) ? new String[0] : checked.substring(1).split("/", -1);
    }

    /** The path with control characters shown as {@code \\uXXXX}, fit for an error message or a log. */
    public static String printable(String path) {
        if (path == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(path.length());
        path.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
