package org.cloudkeep.provider.dropbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.System.Logger.Level;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.PermanentProviderException;

/**
 * Reads Dropbox's answers: pages of {@code list_folder} and the metadata of one entry. Names from the server are
 * never trusted: a name is the last part of {@code path_display} (kept exactly as Dropbox gives it), the rest must
 * be the folder that was listed, and each name must pass {@link EntryPaths#isValidName}; anything else is skipped
 * and logged, never followed.
 */
final class Metadata {

    private static final System.Logger LOG = System.getLogger(Metadata.class.getName());

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    /** Dropbox folders have no modification time; this stands for "unknown". */
    static final Instant NO_TIME = Instant.EPOCH;

    private Metadata() {}

    /** The entries of one page, the cursor to continue from, and whether more follows. */
    record Page(List<JsonNode> entries, String cursor, boolean hasMore) {}

    static Page page(JsonNode answer, String route) throws PermanentProviderException {
        JsonNode entries = answer.get("entries");
        if (entries == null || !entries.isArray()) {
            throw malformed(route, "has no 'entries' array");
        }
        JsonNode cursor = answer.get("cursor");
        if (cursor == null || !cursor.isTextual() || cursor.asText().isEmpty()) {
            throw malformed(route, "has no 'cursor'");
        }
        JsonNode more = answer.get("has_more");
        if (more == null || !more.isBoolean()) {
            throw malformed(route, "has no boolean 'has_more'");
        }
        List<JsonNode> list = new ArrayList<>(entries.size());
        entries.forEach(list::add);
        return new Page(list, cursor.asText(), more.asBoolean());
    }

    /** The entry's {@code .tag}: {@code file}, {@code folder} or {@code deleted}. */
    static String tag(JsonNode entry) {
        return entry.path(".tag").asText("");
    }

    /**
     * The provider path of an entry listed under a folder, or {@code null} (logged) when the entry does not name a
     * proper place below it. The folder part of {@code path_display} is compared without case (Dropbox paths are
     * case-insensitive, and it does not promise the right case for the folders on the way); the path is built from
     * the caller's folder and the names Dropbox gives below it.
     *
     * @param folder the provider path that was listed
     * @param directOnly whether only direct children are expected (a folder listing) rather than any depth
     * @return the path, or {@code null} also for the folder itself (a recursive listing names it first)
     */
    static String place(JsonNode entry, String folder, boolean directOnly) {
        JsonNode displayNode = entry.get("path_display");
        if (displayNode == null || !displayNode.isTextual()) {
            skip(folder, entry, "it has no path_display");
            return null;
        }
        String display = displayNode.asText();
        String prefix = folder.equals(EntryPaths.ROOT) ? "" : folder;
        if (display.length() == prefix.length() && display.equalsIgnoreCase(prefix)) {
            return null; // the listed folder itself
        }
        if (display.length() <= prefix.length() + 1
                || display.charAt(prefix.length()) != '/'
                || !display.regionMatches(true, 0, prefix, 0, prefix.length())) {
            skip(folder, entry, "it lies outside the folder listed");
            return null;
        }
        String[] names = display.substring(prefix.length() + 1).split("/", -1);
        if (directOnly && names.length != 1) {
            skip(folder, entry, "it is not a direct child of the folder listed");
            return null;
        }
        JsonNode name = entry.get("name");
        if (name != null && !name.asText().equals(names[names.length - 1])) {
            skip(folder, entry, "its name differs from the last part of its path_display");
            return null;
        }
        String path = folder;
        for (String part : names) {
            if (!EntryPaths.isValidName(part)) {
                skip(folder, entry, "its path holds the invalid name '" + EntryPaths.printable(part) + "'");
                return null;
            }
            path = EntryPaths.child(path, part);
        }
        return path;
    }

    /**
     * The entry for a file or folder's metadata at a provider path; {@code null} (logged) for what cannot be backed
     * up: an unknown kind, or a file that cannot be downloaded (a Google Doc or Paper file kept in Dropbox).
     *
     * @throws PermanentProviderException when a field a file must have is missing or malformed
     */
    static Entry entry(JsonNode node, String path, String route) throws PermanentProviderException {
        String tag = tag(node);
        if (tag.equals("folder")) {
            return Entry.folder(path, NO_TIME);
        }
        if (!tag.equals("file")) {
            LOG.log(Level.WARNING, "Dropbox listed {0} as a ''{1}''; left out", quote(path), printable(tag));
            return null;
        }
        if (node.path("is_downloadable").isBoolean()
                && !node.path("is_downloadable").asBoolean()) {
            LOG.log(Level.WARNING, "Dropbox says {0} cannot be downloaded (a cloud document); left out", quote(path));
            return null;
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
            throw malformed(route, "gives no valid 'size' for " + quote(path));
        }
        JsonNode modified = node.get("server_modified");
        Instant time;
        try {
            time = Instant.parse(modified == null ? "" : modified.asText());
        } catch (DateTimeException e) {
            throw malformed(route, "gives no valid 'server_modified' for " + quote(path));
        }
        return Entry.file(path, size.asLong(), time, hash(node, path, route));
    }

    /** The {@code content_hash}, or {@code null} when Dropbox gives none. */
    private static ContentHash hash(JsonNode node, String path, String route) throws PermanentProviderException {
        JsonNode hash = node.get("content_hash");
        if (hash == null || hash.isNull()) {
            return null;
        }
        if (!hash.isTextual() || !HEX_SHA256.matcher(hash.asText()).matches()) {
            throw malformed(route, "gives a 'content_hash' for " + quote(path) + " that is not 64 hex digits");
        }
        return new ContentHash(DropboxContentHasher.ALGORITHM, hash.asText().toLowerCase(Locale.ROOT));
    }

    static PermanentProviderException malformed(String route, String what) {
        return new PermanentProviderException("Dropbox's answer to " + route + " " + what);
    }

    static String quote(String path) {
        return "'" + EntryPaths.printable(path) + "'";
    }

    private static String printable(String text) {
        return EntryPaths.printable(text);
    }

    private static void skip(String folder, JsonNode entry, String why) {
        String shown = entry.toString();
        if (shown.length() > 500) {
            shown = shown.substring(0, 500) + "...";
        }
        LOG.log(
                Level.WARNING,
                "Dropbox listed an entry under {0} that is left out, because {1}: {2}",
                quote(folder),
                why,
                printable(shown));
    }
}
