package org.cloudkeep.backupfolder.internal;

import java.io.ByteArrayOutputStream;

/**
 * UTF-8 of any Java string. A lone surrogate is written in its 3-byte form (as WTF-8 does) instead
 * of {@code '?'}, so that two different names never give the same bytes, hash or length.
 */
public final class Utf8 {

    private Utf8() {}

    /** The bytes; equal to {@code s.getBytes(UTF_8)} for every well-formed string. */
    public static byte[] bytes(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
        s.codePoints().forEach(cp -> write(out, cp));
        return out.toByteArray();
    }

    /** The bytes of one code point. */
    public static byte[] bytes(int codePoint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4);
        write(out, codePoint);
        return out.toByteArray();
    }

    /** How many bytes {@link #bytes(String)} gives, without building them. */
    public static int length(String s) {
        return s.codePoints().map(Utf8::length).sum();
    }

    /** The longest prefix of {@code s} that ends on a code-point boundary and fits in maxBytes. */
    public static String prefix(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = length(cp);
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static int length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private static void write(ByteArrayOutputStream out, int cp) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xC0 | (cp >> 6));
            out.write(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out.write(0xE0 | (cp >> 12));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        } else {
            out.write(0xF0 | (cp >> 18));
            out.write(0x80 | ((cp >> 12) & 0x3F));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        }
    }
}
