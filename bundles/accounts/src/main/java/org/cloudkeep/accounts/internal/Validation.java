package org.cloudkeep.accounts.internal;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.accounts.AccountsException.Reason;
import org.cloudkeep.api.EntryPaths;

/** Checks what callers send; every refusal is {@link Reason#INVALID} and says what is wrong. */
final class Validation {

    static final int MAX_USERNAME = 64;
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 1024;
    static final int MAX_SERIAL = 128;
    static final int MAX_NAME = 128;
    static final int MAX_LABEL = 128;
    static final int MAX_FOLDERS = 100;
    static final int MIN_GROUP_SIZE = 1;
    static final int MAX_GROUP_SIZE = 100_000;
    static final int MIN_TRAVERSE_HOURS = 1;
    static final int MAX_TRAVERSE_HOURS = 8_760;

    private Validation() {}

    /**
     * A username as it is stored and looked up: trimmed and in Unicode NFC, so that the same name
     * typed on two keyboards is one name.
     */
    static String username(String raw) throws AccountsException {
        String name = loginName(raw);
        return text("username", name, MAX_USERNAME);
    }

    /** A username as typed at login, brought to the stored form without judging it. */
    static String loginName(String raw) {
        return raw == null ? null : Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
    }

    static void password(char[] password) throws AccountsException {
        if (password == null || password.length < MIN_PASSWORD) {
            throw invalid("the password must be at least " + MIN_PASSWORD + " characters long");
        }
        if (password.length > MAX_PASSWORD) {
            throw invalid("the password must be at most " + MAX_PASSWORD + " characters long");
        }
    }

    /**
     * A short text (a serial, a name, a label): trimmed, 1 to {@code max} characters, no control
     * characters.
     */
    static String text(String what, String raw, int max) throws AccountsException {
        if (raw == null || raw.isBlank()) {
            throw invalid("the " + what + " is required");
        }
        String value = raw.strip();
        if (value.length() > max) {
            throw invalid("the " + what + " must be at most " + max + " characters long, not " + value.length());
        }
        if (value.codePoints().anyMatch(Validation::isControl)) {
            throw invalid("the " + what + " must not contain control characters");
        }
        return value;
    }

    /**
     * A container's folders: at least one, each a valid provider path, at most {@value
     * #MAX_FOLDERS} different ones. Duplicates, and folders inside another listed folder (which
     * that one covers already), are dropped; the order is kept.
     */
    static List<String> folders(List<String> raw) throws AccountsException {
        if (raw == null || raw.isEmpty()) {
            throw invalid("a container needs at least one folder (\"/\" backs up everything)");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String folder : raw) {
            if (folder == null) {
                throw invalid("a folder is missing (null)");
            }
            try {
                distinct.add(EntryPaths.normalize(folder));
            } catch (IllegalArgumentException e) {
                throw invalid("the folder '" + EntryPaths.printable(folder) + "' is not a valid provider path: "
                        + e.getMessage());
            }
            if (distinct.size() > MAX_FOLDERS) {
                throw invalid("a container covers at most " + MAX_FOLDERS + " folders");
            }
        }
        List<String> kept = new ArrayList<>();
        for (String folder : distinct) {
            boolean covered = distinct.stream().anyMatch(other -> covers(other, folder));
            if (!covered) {
                kept.add(folder);
            }
        }
        return List.copyOf(kept);
    }

    /** Whether {@code outer} is a folder strictly above {@code inner}. */
    static boolean covers(String outer, String inner) {
        if (outer.equals(inner)) {
            return false;
        }
        return outer.equals(EntryPaths.ROOT) || inner.startsWith(outer + "/");
    }

    static int groupSize(Integer requested, int fallback) throws AccountsException {
        return range("the group size", requested, fallback, MIN_GROUP_SIZE, MAX_GROUP_SIZE);
    }

    static int traverseEveryHours(Integer requested, int fallback) throws AccountsException {
        return range("the traversal interval (hours)", requested, fallback, MIN_TRAVERSE_HOURS, MAX_TRAVERSE_HOURS);
    }

    private static int range(String what, Integer requested, int fallback, int min, int max) throws AccountsException {
        if (requested == null) {
            return fallback;
        }
        if (requested < min || requested > max) {
            throw invalid(what + " must be " + min + "-" + max + ", not " + requested);
        }
        return requested;
    }

    private static boolean isControl(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    static AccountsException invalid(String message) {
        return new AccountsException(Reason.INVALID, message);
    }
}
