package org.cloudkeep.backupfolder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cloudkeep.backupfolder.internal.Digests;
import org.cloudkeep.backupfolder.internal.Utf8;

/**
 * Makes one provider name safe to store on the device's file system, reversibly. A safe name is
 * stored as it is; any other becomes {@link #MARK} followed by the name with its offending
 * characters percent-escaped. Names are never normalised: NFC and NFD forms stay two names.
 *
 * <p>Portable names are for backup disks with FAT or NTFS rules (a USB disk formatted exFAT, say):
 * there {@code \ : * ? " < > |}, a trailing dot or space, and the reserved device names ({@code
 * CON}, {@code NUL}, {@code COM1}, ...) are offending too.
 */
public final class SafeNames {

    /** Starts every encoded name; a provider name that starts with it is itself encoded. */
    public static final String MARK = "~ck~";

    private static final int MAX_BYTES = 255;
    private static final String RESERVED = ".cloudkeep";
    private static final int HASH_CHARS = 16;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private static final String NOT_PORTABLE = "\\:*?\"<>|";
    private static final Pattern DEVICE = Pattern.compile("(?i)(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\\..*)?");

    private SafeNames() {}

    /** Whether the name can be stored as it is. */
    public static boolean isSafe(String name) {
        return isSafe(name, false);
    }

    /** Whether the name can be stored as it is; {@code portable} adds the FAT and NTFS rules. */
    public static boolean isSafe(String name, boolean portable) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.equals(".") || name.equals("..") || reserved(name) || name.startsWith(MARK)) {
            return false;
        }
        if (portable && (device(name) || endsBadly(name) || name.chars().anyMatch(c -> NOT_PORTABLE.indexOf(c) >= 0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '/') {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c)
                        || i + 1 == name.length()
                        || !Character.isLowSurrogate(name.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return Utf8.length(name) <= MAX_BYTES && pathAccepts(name);
    }

    /**
     * The name to store: the name itself when {@linkplain #isSafe safe}, else MARK + the escaped
     * name, or — when that exceeds 255 UTF-8 bytes — MARK + a prefix of it + {@code '~'} + 16 hex
     * of the name's SHA-256 (only the manifest can reverse that form).
     */
    public static String encode(String name) {
        return encode(name, false);
    }

    /** {@link #encode(String)}, with the FAT and NTFS rules when {@code portable}. */
    public static String encode(String name, boolean portable) {
        if (isSafe(name, portable)) {
            return name;
        }
        String body = escape(name, portable);
        if (MARK.length() + Utf8.length(body) <= MAX_BYTES) {
            return MARK + body;
        }
        // Escaped bodies hold no literal '~', so this '~' tells the shortened form apart.
        String suffix = "~" + Digests.sha256Hex(Utf8.bytes(name)).substring(0, HASH_CHARS);
        return MARK + Utf8.prefix(body, MAX_BYTES - MARK.length() - suffix.length()) + suffix;
    }

    /**
     * The original name of a stored one: the stored name itself when it is not encoded; empty for
     * the shortened form and for anything {@link #encode} does not produce.
     */
    public static Optional<String> decode(String stored) {
        Objects.requireNonNull(stored, "stored");
        if (!stored.startsWith(MARK)) {
            return Optional.of(stored);
        }
        String body = stored.substring(MARK.length());
        if (body.indexOf('~') >= 0) {
            return Optional.empty();
        }
        String name = unescape(body);
        // Only the one form encode gives is accepted, so decoding is as exact as encoding.
        return name != null
                        && (encode(name, false).equals(stored)
                                || encode(name, true).equals(stored))
                ? Optional.of(name)
                : Optional.empty();
    }

    private static boolean reserved(String name) {
        return name.regionMatches(true, 0, RESERVED, 0, RESERVED.length());
    }

    private static boolean pathAccepts(String name) {
        try {
            Path.of(name);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean device(String name) {
        return DEVICE.matcher(name).matches();
    }

    private static boolean endsBadly(String name) {
        char last = name.charAt(name.length() - 1);
        return last == '.' || last == ' ';
    }

    private static String escape(String name, boolean portable) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        boolean escapeLeadingDot = name.equals(".") || name.equals("..") || reserved(name);
        boolean escapeFirst = portable && device(name);
        boolean escapeLast = portable && endsBadly(name);
        int i = 0;
        while (i < name.length()) {
            int cp = name.codePointAt(i);
            boolean first = i == 0;
            boolean last = i + Character.charCount(cp) == name.length();
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                out.append("%u").append(HEX.toHexDigits((char) cp));
            } else if (offending(cp)
                    || (portable && NOT_PORTABLE.indexOf(cp) >= 0)
                    || (first && cp == '.' && escapeLeadingDot)
                    || (first && escapeFirst)
                    || (last && escapeLast)) {
                for (byte b : Utf8.bytes(cp)) {
                    out.append('%').append(HEX.toHexDigits(b));
                }
            } else {
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /**
     * Control characters, DEL, '/', the escape character '%' and '~' (so a leading MARK is broken
     * and the shortened form's '~' is unambiguous), and whatever the file system refuses.
     */
    private static boolean offending(int cp) {
        return cp < 0x20
                || cp == 0x7F
                || cp == '/'
                || cp == '%'
                || cp == '~'
                || (cp >= 0x80 && !pathAccepts(new String(Character.toChars(cp))));
    }

    /** The escaped body back to the name; null when it is not well formed. */
    private static String unescape(String body) {
        StringBuilder out = new StringBuilder(body.length());
        ByteBuffer pending = ByteBuffer.allocate(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '%') {
                if (!flush(pending, out)) {
                    return null;
                }
                out.append(c);
                i++;
            } else if (i + 1 < body.length() && body.charAt(i + 1) == 'u') {
                if (i + 6 > body.length() || !flush(pending, out)) {
                    return null;
                }
                Integer unit = hexValue(body.substring(i + 2, i + 6));
                if (unit == null) {
                    return null;
                }
                out.append((char) unit.intValue());
                i += 6;
            } else {
                Integer b = i + 3 <= body.length() ? hexValue(body.substring(i + 1, i + 3)) : null;
                if (b == null) {
                    return null;
                }
                pending.put((byte) b.intValue());
                i += 3;
            }
        }
        return flush(pending, out) ? out.toString() : null;
    }

    private static boolean flush(ByteBuffer pending, StringBuilder out) {
        if (pending.position() == 0) {
            return true;
        }
        pending.flip();
        try {
            out.append(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(pending));
            pending.clear();
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static Integer hexValue(String digits) {
        for (int k = 0; k < digits.length(); k++) {
            char c = digits.charAt(k);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return Integer.parseInt(digits, 16);
    }
}
