package org.cloudkeep.traversal.internal;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.Change;
import org.cloudkeep.api.ChangePage;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;

/**
 * A cloud drive over an in-memory tree, for tests: folders and files, pages of a fixed size, an
 * optional recursive listing, an optional change cursor over a log of every change made to the
 * tree, and a hook that can fail or hold any call. Its one credential is {@code token}, which must
 * be {@code "secret"}.
 *
 * <p>A change cursor is {@code epoch:n}, n the number of changes logged when it was made; {@link
 * #expireCursors()} starts a new epoch and so makes every cursor made so far invalid, as a provider does with an old one. A deleted folder is
 * logged as one change, without its children.
 */
final class MemoryDrive implements CloudDriveProvider {

    static final Map<String, String> CREDENTIALS = Map.of("token", "secret");
    static final Instant TIME = Instant.ofEpochMilli(1_700_000_000_000L);

    /** Runs before each call; may throw, block or count. */
    @FunctionalInterface
    interface Fault {
        /**
         * @param operation connect, stat, list or listTree
         * @param path the path of the call; {@code null} for connect
         * @param call how many times this operation was called on this path so far, this call included
         */
        void before(String operation, String path, int call) throws ProviderException;
    }

    private final ProviderDescriptor descriptor;
    private final int pageSize;
    private final NavigableMap<String, Entry> entries = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sessionsOpen = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();
    private volatile Fault fault = (operation, path, call) -> {};
    private volatile Entry stray;
    /** What every session says it renewed (an OAuth2 refresh), empty for nothing. */
    volatile Map<String, String> renewed = Map.of();

    private final List<Change> log = new ArrayList<>();
    private int epoch;

    MemoryDrive(String id, int pageSize, Capability... capabilities) {
        this.descriptor = new ProviderDescriptor(
                id,
                "Memory drive",
                List.of(new CredentialField("token", "Token", true)),
                List.of(ContentHash.SHA256),
                Set.of(capabilities));
        this.pageSize = pageSize;
    }

    MemoryDrive folder(String path) {
        return put(Entry.folder(path, TIME));
    }

    MemoryDrive file(String path, long size, String hash) {
        return put(Entry.file(path, size, TIME, new ContentHash(ContentHash.SHA256, hash)));
    }

    private synchronized MemoryDrive put(Entry entry) {
        entries.put(entry.path(), entry);
        log.add(new Change(entry.path(), entry));
        return this;
    }

    synchronized MemoryDrive remove(String path) {
        entries.keySet().removeIf(p -> p.equals(path) || Traverser.below(p, path));
        log.add(new Change(path, null));
        return this;
    }

    /** Every cursor made so far is rejected from now on. */
    synchronized void expireCursors() {
        epoch++;
    }

    /** The cursor a call of {@code changeCursor} would answer now. */
    synchronized String cursorNow() {
        return epoch + ":" + log.size();
    }

    /** Every entry, by path. */
    Map<String, Entry> entries() {
        return Map.copyOf(entries);
    }

    /** How often an operation was called, on any path. */
    int calls(String operation) {
        return calls.entrySet().stream()
                .filter(e -> e.getKey().startsWith(operation + " "))
                .mapToInt(e -> e.getValue().get())
                .sum();
    }

    void fault(Fault fault) {
        this.fault = fault;
    }

    /** An entry the listing of {@code /} adds although it is not a child of it: a faulty provider. */
    void stray(Entry entry) {
        this.stray = entry;
    }

    /** Every path in the tree, the root left out. */
    Set<String> paths() {
        return Set.copyOf(entries.keySet());
    }

    /** How often an operation was called on a path. */
    int calls(String operation, String path) {
        AtomicInteger n = calls.get(operation + " " + path);
        return n == null ? 0 : n.get();
    }

    int connects() {
        return connects.get();
    }

    /** Sessions opened and not closed. */
    int sessionsOpen() {
        return sessionsOpen.get();
    }

    /** The names of the threads that called it. */
    Set<String> threads() {
        return Set.copyOf(threads);
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
        connects.incrementAndGet();
        before("connect", null);
        if (!"secret".equals(credentials.get("token"))) {
            throw new BadCredentialsException("the token is wrong");
        }
        sessionsOpen.incrementAndGet();
        return new Session();
    }

    private void before(String operation, String path) throws ProviderException {
        threads.add(Thread.currentThread().getName());
        int call = calls.computeIfAbsent(operation + " " + path, k -> new AtomicInteger())
                .incrementAndGet();
        fault.before(operation, path, call);
    }

    private final class Session implements ProviderSession {

        private boolean closed;

        @Override
        public EntryPage list(String folder, String pageToken) throws ProviderException {
            before("list", folder);
            checkFolder(folder);
            List<Entry> children = new ArrayList<>();
            for (Entry entry : below(folder)) {
                if (EntryPaths.parent(entry.path()).equals(folder)) {
                    children.add(entry);
                }
            }
            if (folder.equals(EntryPaths.ROOT) && stray != null) {
                children.add(0, stray);
            }
            return page(children, pageToken);
        }

        @Override
        public EntryPage listTree(String folder, String pageToken) throws ProviderException {
            before("listTree", folder);
            if (!descriptor.offers(Capability.RECURSIVE_LISTING)) {
                return ProviderSession.super.listTree(folder, pageToken);
            }
            checkFolder(folder);
            return page(below(folder), pageToken);
        }

        @Override
        public String changeCursor(String folder) throws ProviderException {
            before("changeCursor", folder);
            if (!descriptor.offers(Capability.CHANGE_CURSOR)) {
                return ProviderSession.super.changeCursor(folder);
            }
            checkFolder(folder);
            return cursorNow();
        }

        @Override
        public ChangePage changesSince(String cursor) throws ProviderException {
            before("changesSince", cursor);
            if (!descriptor.offers(Capability.CHANGE_CURSOR)) {
                return ProviderSession.super.changesSince(cursor);
            }
            synchronized (MemoryDrive.this) {
                String[] parts = cursor.split(":", 2);
                int from = Integer.parseInt(parts[1]);
                if (Integer.parseInt(parts[0]) != epoch || from > log.size()) {
                    throw new PermanentProviderException("the cursor " + cursor + " has expired");
                }
                int to = Math.min(log.size(), from + pageSize);
                return new ChangePage(log.subList(from, to), epoch + ":" + to, to < log.size());
            }
        }

        @Override
        public Entry stat(String path) throws ProviderException {
            before("stat", path);
            if (path.equals(EntryPaths.ROOT)) {
                return Entry.folder(EntryPaths.ROOT, TIME);
            }
            Entry entry = entries.get(path);
            if (entry == null) {
                throw new NotFoundException("nothing at " + path);
            }
            return entry;
        }

        @Override
        public InputStream open(String path, long offset) throws ProviderException {
            throw new PermanentProviderException("the memory drive has no content");
        }

        @Override
        public Map<String, String> renewedCredentials() {
            return renewed;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                sessionsOpen.decrementAndGet();
            }
        }

        private void checkFolder(String folder) throws NotFoundException {
            if (!folder.equals(EntryPaths.ROOT)
                    && (!entries.containsKey(folder) || !entries.get(folder).directory())) {
                throw new NotFoundException("no folder " + folder);
            }
        }

        private List<Entry> below(String folder) {
            List<Entry> found = new ArrayList<>();
            for (Entry entry : entries.values()) {
                if (Traverser.below(entry.path(), folder)) {
                    found.add(entry);
                }
            }
            return found;
        }

        private EntryPage page(List<Entry> all, String pageToken) {
            int from = pageToken == null ? 0 : Integer.parseInt(pageToken);
            int to = Math.min(all.size(), from + pageSize);
            return new EntryPage(all.subList(from, to), to < all.size() ? Integer.toString(to) : null);
        }
    }
}
