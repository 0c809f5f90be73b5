package org.cloudkeep.backupfolder.internal;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Writes surrogates as {@code \\uXXXX}: a provider name may hold a lone one, which has no UTF-8
 * form and would otherwise reach the manifest as '?'. Other characters stay readable.
 */
final class SurrogateEscapes extends CharacterEscapes {

    private static final long serialVersionUID = 1L;

    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return Character.isSurrogate((char) ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
}
