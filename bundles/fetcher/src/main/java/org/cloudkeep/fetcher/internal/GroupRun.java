package org.cloudkeep.fetcher.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.backupfolder.BackupFolder;
import org.cloudkeep.backupfolder.Incoming;
import org.cloudkeep.backupfolder.Placed;
import org.cloudkeep.backupfolder.VerificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one task group: its folders are made, its files downloaded into place, and each is
 * reported as soon as it is there. Entries are read from the database page by page; downloads run
 * on the fetch loop's workers. The run ends early when the cloud says the group changed
 * ({@code ok:false}), the device turned INACTIVE, the disk is full, or the account cannot be used.
 */
final class GroupRun {

    private static final Logger LOG = LoggerFactory.getLogger(GroupRun.class);
    private static final int PAGE = 200;
    private static final long REPORT_EVERY_NANOS = 1_000_000_000L;
    private static final Duration BLOCK_MISSING_PROVIDER = Duration.ofMinutes(1);
    private static final Duration BLOCK_BAD_CREDENTIALS = Duration.ofMinutes(30);

    /** How a run ended. */
    enum End {
        /** Every entry was fetched and reported, or left for the next round after its retries. */
        DONE,
        /** The cloud regrouped the snapshot: the rest of the group was dropped. */
        REGROUPED,
        /** The cloud says the device is INACTIVE. */
        INACTIVE,
        /** A file does not fit on the backup disk. */
        LOW_SPACE,
        /** The container cannot be fetched now (provider missing, credentials refused). */
        BLOCKED,
        /** Reports could not reach the cloud; the placed files are reported later. */
        UNREPORTED,
        /** The fetcher is stopping. */
        STOPPED
    }

    private final Context context;
    private final Wire.Group group;
    private final CloudDriveProvider provider;
    private final boolean ranged;
    private final BackupFolder folder;
    private final SessionPool sessions;
    private final Progress.Container progress;
    private final AtomicReference<End> end = new AtomicReference<>();
    private final Deque<HeldEntry> unreported = new ArrayDeque<>();
    /** Keys of queued entries the provider no longer has: reported as missing, not fetched. */
    private final Set<String> missing = ConcurrentHashMap.newKeySet();

    private final Object reporting = new Object();
    private final List<HeldEntry> page = new ArrayList<>();
    private String lastKey = "";
    private int pageIndex;
    private long lastReportNanos = System.nanoTime();
    private final AtomicLong skipped = new AtomicLong();

    private GroupRun(Context context, Wire.Group group, CloudDriveProvider provider, BackupFolder folder) {
        this.context = context;
        this.group = group;
        this.provider = provider;
        this.ranged = provider.descriptor().capabilities().contains(Capability.RANGED_READS);
        this.folder = folder;
        this.sessions = new SessionPool(provider, group.credentials());
        this.progress = context.progress().container(group.containerId());
    }

    /** A run for the group, or none when its container is blocked now (the reason is recorded). */
    static GroupRun start(Context context, Wire.Group group) throws IOException, SQLException {
        Progress.Container progress = context.progress().container(group.containerId());
        CloudDriveProvider provider = provider(context, group.provider());
        if (provider == null) {
            String reason = "provider '" + group.provider() + "' is not installed on this device; "
                    + "drop its jar into the plugins folder (fetching resumes by itself)";
            context.blocks().blockUntilInstalled(group, reason, BLOCK_MISSING_PROVIDER);
            progress.status("BLOCKED", reason);
            LOG.warn("Container {}: {}", group.containerId(), reason);
            return null;
        }
        BackupFolder folder = context.folders().of(group.containerId());
        progress.folder(folder.path().toString());
        long[] totals = context.held().totals(group.containerId());
        progress.group(group.groupNo(), totals[0], totals[1]);
        progress.status("FETCHING", null);
        LOG.info(
                "Container {}: group {}, {} files ({}) to fetch into {}",
                group.containerId(),
                group.groupNo(),
                totals[0],
                Bytes.human(totals[1]),
                folder.path());
        return new GroupRun(context, group, provider, folder);
    }

    /**
     * The group's provider. Right after start, FileInstall may still be installing the plugins
     * folder's jars (it waits for two unchanged scans), so a missing provider is waited for then.
     */
    private static CloudDriveProvider provider(Context context, String id) {
        for (; ; ) {
            CloudDriveProvider provider = context.providers().find(id).orElse(null);
            if (provider != null
                    || !context.inPluginGrace()
                    || !context.stopper().sleep(Duration.ofMillis(200))) {
                return provider;
            }
        }
    }

    Wire.Group group() {
        return group;
    }

    /** The next entry to fetch, or null when there is none (or the run ended). Loop thread only. */
    HeldEntry next() throws SQLException {
        if (ended()) {
            return null;
        }
        if (pageIndex == page.size()) {
            page.clear();
            pageIndex = 0;
            page.addAll(context.held().wanted(group.containerId(), lastKey, PAGE));
            if (page.isEmpty()) {
                return null;
            }
            lastKey = page.get(page.size() - 1).pathKey();
        }
        return page.get(pageIndex++);
    }

    boolean ended() {
        return end.get() != null || context.stopper().stopping();
    }

    /** Fetches one entry, on a worker; never throws. */
    void fetch(HeldEntry entry) {
        if (ended()) {
            return;
        }
        try {
            if (entry.directory()) {
                folder.makeFolder(entry.path(), entry.modified());
                placed(entry, null);
                return;
            }
            long free = context.freeSpace().read();
            context.progress().freeBytes(free);
            long needed =
                    entry.size() - entry.durableBytes() + context.settings().reserveBytes();
            if (free < needed) {
                finish(
                        End.LOW_SPACE,
                        "the backup disk has " + Bytes.human(free) + " free; " + entry.path() + " needs "
                                + Bytes.human(needed) + " with the reserve");
                return;
            }
            download(entry);
        } catch (IOException | SQLException | RuntimeException | LinkageError e) {
            skipped.incrementAndGet();
            LOG.error(
                    "Container {}: {} could not be stored ({}); it is left for the next round",
                    group.containerId(),
                    entry.path(),
                    e.toString(),
                    e);
        }
    }

    private void download(HeldEntry entry) throws IOException, SQLException {
        AtomicLong durable = new AtomicLong(entry.durableBytes());
        int attempts = context.settings().attemptsPerFile();
        int waits = 0;
        for (int attempt = 1; !ended(); attempt++) {
            try {
                if (providerGone()) {
                    throw new ProviderGone();
                }
                if (folder.holds(entry.path(), entry.size(), entry.modified(), entry.hash(), provider::hasher)) {
                    placed(entry, null);
                    return;
                }
                placed(entry, transfer(entry, durable));
                return;
            } catch (RateLimitedException e) {
                Duration wait = cap(e.retryAfter());
                LOG.info(
                        "Container {}: the provider asks to slow down; waiting {} s before {}",
                        group.containerId(),
                        wait.toSeconds(),
                        entry.path());
                attempt--; // a rate limit is not a failure of the file
                if (++waits > attempts * 4 || !context.stopper().sleep(wait)) {
                    return;
                }
            } catch (BadCredentialsException e) {
                String reason = "the provider refuses the account's credentials (" + e.getMessage()
                        + "); bind the account again on the cloud";
                context.blocks().block(group, reason, BLOCK_BAD_CREDENTIALS);
                progress.status("BLOCKED", reason);
                finish(End.BLOCKED, reason);
                return;
            } catch (NotFoundException e) {
                LOG.warn(
                        "Container {}: {} is gone at the provider since the traversal; reported as missing",
                        group.containerId(),
                        entry.path());
                if (!context.cloud().reportsMissing()) {
                    skipped.incrementAndGet();
                    return;
                }
                missing.add(entry.pathKey());
                enqueue(entry);
                return;
            } catch (PermanentProviderException e) {
                skipped.incrementAndGet();
                LOG.error(
                        "Container {}: the provider cannot give {}: {}; it is left for the next round",
                        group.containerId(),
                        entry.path(),
                        e.getMessage());
                return;
            } catch (ProviderGone e) {
                providerLeft();
                return;
            } catch (RuntimeException | LinkageError e) {
                // A provider whose bundle is being uninstalled fails in odd ways (closed clients,
                // classes that no longer load): that is the provider leaving, not a broken file.
                if (providerGone()) {
                    providerLeft();
                    return;
                }
                throw e;
            } catch (VerificationException e) {
                durable.set(0);
                context.held().checkpoint(group.containerId(), entry.pathKey(), 0);
                if (!retry(entry, attempt, attempts, "its bytes did not verify: " + e.getMessage())) {
                    return;
                }
            } catch (ProviderException | IOException e) {
                if (providerGone()) {
                    providerLeft();
                    return;
                }
                if (ended() || !retry(entry, attempt, attempts, e.toString())) {
                    return;
                }
            }
        }
    }

    /** Downloads into the staging file, resuming where the last checkpoint left it, and places it. */
    private Placed transfer(HeldEntry entry, AtomicLong durable) throws ProviderException, IOException {
        try (Incoming incoming =
                folder.incoming(entry.path(), entry.size(), entry.modified(), entry.hash(), provider::hasher)) {
            long offset = incoming.resume(durable.get());
            if (offset > 0 && !ranged) {
                offset = incoming.resume(0);
            }
            if (offset > 0) {
                LOG.info("Container {}: resuming {} at byte {}", group.containerId(), entry.path(), offset);
            }
            if (offset < entry.size()) {
                ProviderSession session = sessions.borrow();
                boolean healthy = false;
                try (InputStream in = new Counted(session.open(entry.path(), offset))) {
                    incoming.append(in, context.settings().checkpointBytes(), bytes -> {
                        durable.set(bytes);
                        checkpoint(entry, bytes);
                    });
                    healthy = true;
                } finally {
                    if (healthy) {
                        sessions.giveBack(session);
                    } else {
                        sessions.discard(session);
                    }
                }
            }
            return incoming.commit();
        }
    }

    private void checkpoint(HeldEntry entry, long bytes) {
        try {
            context.held().checkpoint(group.containerId(), entry.pathKey(), bytes);
        } catch (SQLException e) {
            // Not fatal: a restart then resumes from an earlier checkpoint.
            LOG.warn(
                    "Container {}: checkpoint of {} not recorded: {}", group.containerId(), entry.path(), e.toString());
        }
    }

    private boolean retry(HeldEntry entry, int attempt, int attempts, String why) {
        if (attempt >= attempts) {
            skipped.incrementAndGet();
            LOG.error(
                    "Container {}: {} failed {} times (last: {}); it is left for the next round",
                    group.containerId(),
                    entry.path(),
                    attempt,
                    why);
            return false;
        }
        Duration wait = Duration.ofMillis(Math.min(60_000, 500L << Math.min(attempt, 7)));
        LOG.warn(
                "Container {}: {} failed ({}); try {} of {} in {} ms",
                group.containerId(),
                entry.path(),
                why,
                attempt + 1,
                attempts,
                wait.toMillis());
        return context.stopper().sleep(wait);
    }

    private Duration cap(Duration retryAfter) {
        Duration max = context.settings().maxRetryAfter();
        Duration wait = retryAfter == null || retryAfter.isNegative() ? Duration.ofSeconds(1) : retryAfter;
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** The entry is in place: record it, count it, and report it (in a batch). */
    private void placed(HeldEntry entry, Placed placed) throws SQLException {
        if (!entry.directory()) {
            progress.groupFilesDone.incrementAndGet();
            progress.groupBytesDone.addAndGet(entry.size());
            if (placed != null && !placed.unchanged()) {
                progress.downloaded(entry.size());
                if (placed.previousVersion() != null) {
                    LOG.info(
                            "Container {}: {} changed; the earlier copy is kept as {}",
                            group.containerId(),
                            entry.path(),
                            placed.previousVersion());
                }
                if (placed.renamed()) {
                    LOG.info(
                            "Container {}: {} cannot be stored under its own name here; it is stored as {}"
                                    + " (recorded in .cloudkeep-renamed.jsonl)",
                            group.containerId(),
                            EntryPaths.printable(entry.path()),
                            placed.storedAs());
                }
            }
        }
        enqueue(entry);
    }

    /** Queues an entry for the next report, and sends one when it is due. */
    private void enqueue(HeldEntry entry) {
        boolean due;
        synchronized (unreported) {
            unreported.addLast(entry);
            due = unreported.size() >= context.settings().reportBatch()
                    || System.nanoTime() - lastReportNanos > REPORT_EVERY_NANOS;
        }
        if (due) {
            report(false);
        }
    }

    /**
     * Sends what is placed and not yet reported. At the end of the run ({@code last}) a failed
     * report is tried a few times; the entries stay PLACED in the database either way, so a later
     * round reports them.
     */
    void report(boolean last) {
        synchronized (reporting) {
            for (int attempt = 1; ; attempt++) {
                List<HeldEntry> batch = new ArrayList<>();
                synchronized (unreported) {
                    while (!unreported.isEmpty()
                            && batch.size() < context.settings().reportBatch()) {
                        batch.add(unreported.pollFirst());
                    }
                    lastReportNanos = System.nanoTime();
                }
                if (batch.isEmpty()) {
                    return;
                }
                try {
                    send(batch);
                    attempt = 0;
                } catch (CloudException | IOException | SQLException e) {
                    synchronized (unreported) {
                        for (int i = batch.size() - 1; i >= 0; i--) {
                            unreported.addFirst(batch.get(i));
                        }
                    }
                    if (!last || attempt >= 3 || !context.stopper().sleep(Duration.ofSeconds(attempt))) {
                        LOG.warn(
                                "Container {}: {} fetched entries not reported yet: {}",
                                group.containerId(),
                                batch.size(),
                                e.getMessage());
                        if (last) {
                            finish(End.UNREPORTED, e.getMessage());
                        }
                        return;
                    }
                }
                if (!last && unreported.size() < context.settings().reportBatch()) {
                    return;
                }
            }
        }
    }

    private void send(List<HeldEntry> batch) throws CloudException, IOException, SQLException {
        long free = context.freeSpace().read();
        context.progress().freeBytes(free);
        List<String> fetched = batch.stream()
                .filter(e -> !missing.contains(e.pathKey()))
                .map(HeldEntry::path)
                .toList();
        List<String> gone = batch.stream()
                .filter(e -> missing.contains(e.pathKey()))
                .map(HeldEntry::path)
                .toList();
        Wire.Report answer = context.cloud().report(group.containerId(), group.groupNo(), fetched, gone, free);
        context.held()
                .forget(
                        group.containerId(),
                        batch.stream().map(HeldEntry::pathKey).toList());
        for (HeldEntry entry : batch) {
            if (missing.remove(entry.pathKey())) {
                continue;
            }
            if (!entry.directory()) {
                progress.fetched(entry.size());
            }
        }
        context.progress().state(answer.active() ? Progress.State.ACTIVE : Progress.State.INACTIVE);
        if (!answer.ok()) {
            finish(End.REGROUPED, "the cloud regrouped the container's snapshot");
        } else if (!answer.active()) {
            finish(End.INACTIVE, "the cloud says the device is INACTIVE");
        }
    }

    private void finish(End how, String why) {
        if (end.compareAndSet(null, how)) {
            LOG.info("Container {}: group {} stops early: {}", group.containerId(), group.groupNo(), why);
        }
    }

    /** Entries this run gave up on for now (gone at the provider, failing again and again). */
    long skipped() {
        return skipped.get();
    }

    /** Reports the rest and tells how the run ended. Loop thread, after every fetch returned. */
    End close() {
        if (!context.stopper().stopping()) {
            report(true);
        }
        sessions.close();
        End how = end.get();
        if (how == null) {
            how = context.stopper().stopping() ? End.STOPPED : End.DONE;
        }
        if (how == End.DONE) {
            LOG.info(
                    "Container {}: group {} done ({} files, {}{})",
                    group.containerId(),
                    group.groupNo(),
                    progress.groupFilesDone.get(),
                    Bytes.human(progress.groupBytesDone.get()),
                    skipped.get() == 0 ? "" : "; " + skipped.get() + " left for the next round");
        }
        return how;
    }

    /** Counts bytes as they arrive and gives up as soon as the run ends, without interrupts. */
    /** The provider's bundle was uninstalled or replaced while this run used it. */
    private final class ProviderGone extends IOException {
        private static final long serialVersionUID = 1L;

        ProviderGone() {
            super("provider '" + group.provider() + "' was uninstalled from this device during the download");
        }
    }

    /** Stops the run: its provider left. The staging files and checkpoints stay for its return. */
    private void providerLeft() {
        String reason = "provider '" + group.provider()
                + "' was uninstalled from this device during the download; fetching continues when it is"
                + " installed again";
        context.blocks().blockUntilInstalled(group, reason, BLOCK_MISSING_PROVIDER);
        progress.status("BLOCKED", reason);
        finish(End.BLOCKED, reason);
    }

    /** Whether the provider this run started with is no longer the installed one. */
    private boolean providerGone() {
        return context.providers().find(group.provider()).orElse(null) != provider;
    }

    private final class Counted extends FilterInputStream {

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended()) {
                throw new IOException("the download stopped: the group run ended");
            }
            if (providerGone()) {
                throw new ProviderGone();
            }
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                progress.streamed(n);
            }
            return n;
        }
    }
}
