package org.cloudkeep.provider.sftp;

import com.jcraft.jsch.ChannelSftp.LsEntry;
import com.jcraft.jsch.ChannelSftp.LsEntrySelector;
import com.jcraft.jsch.SftpATTRS;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.PermanentProviderException;

/**
 * Collects one page of a folder while the server streams the whole folder past it: the {@code
 * pageSize} smallest names after the page token, in Java {@code String} order. Only one page is ever
 * held, however large the folder; the price is that every page reads the folder again (SFTP has no
 * way to resume a directory read), and in return a page token is just a name: it survives a
 * reconnect, and a file added or deleted between pages neither repeats nor shifts the others.
 *
 * <p>Left out, never followed: {@code .} and {@code ..}; names that are no valid provider name
 * ({@code /}, NUL, empty) or that were not valid UTF-8 (JSch decodes them with U+FFFD, which would
 * name another file); symbolic links (they may loop or lead anywhere on the server); devices, pipes
 * and sockets. Unusable names and links are logged on the first page only, so once per listing.
 */
final class PageCollector implements LsEntrySelector {

    private static final System.Logger LOG = System.getLogger(PageCollector.class.getName());

    private final String folder;
    private final String after;
    private final int pageSize;
    private final Runnable progress;
    private final TreeMap<String, SftpATTRS> page = new TreeMap<>();
    private boolean more;
    private PermanentProviderException malformed;

    /**
     * @param folder the provider path of the folder listed
     * @param after the page token: only names after it are collected; {@code null} for the first page
     * @param progress called for each entry the server sends (the watchdog's touch)
     */
    PageCollector(String folder, String after, int pageSize, Runnable progress) {
        this.folder = folder;
        this.after = after;
        this.pageSize = pageSize;
        this.progress = progress;
    }

    @Override
    public int select(LsEntry entry) {
        progress.run();
        String name = entry.getFilename();
        if (name.equals(".") || name.equals("..") || (after != null && name.compareTo(after) <= 0)) {
            return CONTINUE;
        }
        if (!EntryPaths.isValidName(name) || name.indexOf('\uFFFD') >= 0) {
            skipped(Level.WARNING, name, "its name cannot be a provider path (or was not valid UTF-8)");
            return CONTINUE;
        }
        Attributes.Kind kind;
        try {
            kind = Attributes.kind(entry.getAttrs(), EntryPaths.child(folder, name));
        } catch (PermanentProviderException e) {
            malformed = e;
            return BREAK;
        }
        switch (kind) {
            case LINK -> skipped(Level.DEBUG, name, "it is a symbolic link; links are not followed");
            case OTHER -> skipped(Level.DEBUG, name, "it is a device, pipe or socket");
            default -> keep(name, entry.getAttrs());
        }
        return CONTINUE;
    }

    /**
     * The page collected.
     *
     * @throws PermanentProviderException when the server sent an entry it must not send
     */
    EntryPage page() throws PermanentProviderException {
        if (malformed != null) {
            throw malformed;
        }
        List<Entry> entries = new ArrayList<>(page.size());
        for (Map.Entry<String, SftpATTRS> child : page.entrySet()) {
            entries.add(Attributes.entry(EntryPaths.child(folder, child.getKey()), child.getValue()));
        }
        return new EntryPage(entries, more ? page.lastKey() : null);
    }

    private void keep(String name, SftpATTRS attrs) {
        if (page.size() == pageSize && !page.containsKey(name)) {
            more = true;
            if (name.compareTo(page.lastKey()) > 0) {
                return;
            }
            page.pollLastEntry();
        }
        page.put(name, attrs);
    }

    private void skipped(Level level, String name, String why) {
        if (after == null) {
            LOG.log(level, "SFTP listing of {0}: left out {1}: {2}", Failures.quote(folder), Failures.quote(name), why);
        }
    }
}
