package org.cloudkeep.traversal.internal;

import java.sql.SQLException;
import java.util.List;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.ProviderSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a container's folders through one provider session and writes every entry below them
 * (not the folders themselves) into the listing.
 *
 * <p>Folder by folder, breadth first: the folders still to list are not held in memory but read
 * back from the listing a few at a time, in the order they were written. A provider with {@link
 * org.cloudkeep.api.Capability#RECURSIVE_LISTING} lists each container folder's whole tree in pages
 * instead.
 *
 * <p>A provider with {@link org.cloudkeep.api.Capability#CHANGE_CURSOR} is walked like this only
 * when there is no usable cursor (the first traversal, a cursor the provider rejected, or a
 * container of several folders); otherwise {@link ChangeReplay} builds the listing from the current
 * snapshot and the changes since the cursor, and nothing is listed. Before such a walk the {@link
 * Traverser} asks for a new cursor, so that changes made while it walks are seen next time.
 */
final class Walk {

    /** Folders of the queue read back from the listing at a time. */
    static final int QUEUE_CHUNK = 100;

    private static final Logger LOG = LoggerFactory.getLogger(Walk.class);

    private final long containerId;
    private final ProviderSession session;
    private final ProviderCalls calls;
    private final ListingWriter listing;

    Walk(long containerId, ProviderSession session, ProviderCalls calls, ListingWriter listing) {
        this.containerId = containerId;
        this.session = session;
        this.calls = calls;
        this.listing = listing;
    }

    /** Lists the container's folders, each checked first; then, unless whole trees were listed, the queue. */
    void run(List<String> folders, boolean wholeTrees) throws TraversalFailure, SQLException, InterruptedException {
        for (String folder : folders) {
            checkFolder(folder);
            if (wholeTrees) {
                listTree(folder);
            } else {
                list(folder, true);
            }
        }
        if (!wholeTrees) {
            listQueue();
        }
        listing.flush();
    }

    /** Checks that a container folder is a folder at the provider; fails the traversal naming it if not. */
    void checkFolder(String folder) throws TraversalFailure, InterruptedException {
        Entry entry;
        try {
            entry = calls.call("reading the container's folder " + quote(folder), () -> session.stat(folder));
        } catch (NotFoundException e) {
            throw missingFolder(folder, e);
        }
        if (!entry.directory()) {
            throw new TraversalFailure("the container's folder " + quote(folder) + " is a file at the provider, not a"
                    + " folder; change the container's folders");
        }
    }

    /** Lists one folder's children, page by page. */
    private void list(String folder, boolean containerFolder)
            throws TraversalFailure, SQLException, InterruptedException {
        String token = null;
        do {
            String pageToken = token;
            EntryPage page;
            try {
                page = calls.call("listing folder " + quote(folder), () -> session.list(folder, pageToken));
            } catch (NotFoundException e) {
                if (containerFolder) {
                    throw new TraversalFailure(
                            "the container's folder " + quote(folder) + " disappeared while it was listed", null, e);
                }
                LOG.info(
                        "Container {}: folder {} was deleted or moved after it was listed; skipped",
                        containerId,
                        quote(folder));
                return;
            }
            for (Entry entry : page.entries()) {
                if (entry.path().equals(folder)) {
                    continue; // some back ends list a folder among its own children
                }
                if (!EntryPaths.parent(entry.path()).equals(folder)) {
                    throw new TraversalFailure("the provider listed " + quote(entry.path()) + " as a child of "
                            + quote(folder) + ", which it is not; the provider plugin is faulty");
                }
                listing.add(entry);
            }
            token = page.nextPageToken();
        } while (token != null);
    }

    /** Lists the folders written to the listing so far, and those they add, until none is left. */
    private void listQueue() throws TraversalFailure, SQLException, InterruptedException {
        long after = 0;
        while (true) {
            listing.flush();
            List<ListingWriter.Folder> next = listing.foldersAfter(after, QUEUE_CHUNK);
            if (next.isEmpty()) {
                return;
            }
            for (ListingWriter.Folder folder : next) {
                list(folder.path(), false);
                after = folder.seq();
            }
        }
    }

    /** Lists everything below a folder with the provider's recursive listing. */
    private void listTree(String folder) throws TraversalFailure, SQLException, InterruptedException {
        String token = null;
        do {
            String pageToken = token;
            EntryPage page;
            try {
                page = calls.call("listing the tree under " + quote(folder), () -> session.listTree(folder, pageToken));
            } catch (NotFoundException e) {
                throw new TraversalFailure(
                        "the container's folder " + quote(folder) + " disappeared while it was listed", null, e);
            }
            for (Entry entry : page.entries()) {
                if (entry.path().equals(folder)) {
                    continue;
                }
                if (!Traverser.below(entry.path(), folder)) {
                    throw new TraversalFailure("the provider listed " + quote(entry.path()) + " in the tree under "
                            + quote(folder) + ", where it is not; the provider plugin is faulty");
                }
                listing.add(entry);
            }
            token = page.nextPageToken();
        } while (token != null);
    }

    /** The failure of a container folder that is not at the provider. */
    static TraversalFailure missingFolder(String folder, NotFoundException e) {
        return new TraversalFailure(
                "the container's folder " + quote(folder) + " is not at the provider (deleted, moved or"
                        + " renamed?); restore it or change the container's folders",
                null,
                e);
    }

    static String quote(String path) {
        return "'" + EntryPaths.printable(path) + "'";
    }
}
