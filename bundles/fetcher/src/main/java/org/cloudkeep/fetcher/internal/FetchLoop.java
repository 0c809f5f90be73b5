package org.cloudkeep.fetcher.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.cloudkeep.backupfolder.BackupFolder;
import org.cloudkeep.fetcher.internal.Progress.Activity;
import org.cloudkeep.fetcher.internal.Progress.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's side of the backup, one round after another (docs/device-protocol.md, "The device's
 * loop"): report what is placed, ask for groups, fetch them, and wait when there is nothing to do,
 * the device is INACTIVE, or the cloud cannot be reached.
 */
final class FetchLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FetchLoop.class);
    private static final Duration MAX_UNREACHABLE_WAIT = Duration.ofSeconds(60);
    private static final Duration TOKEN_REFUSED_WAIT = Duration.ofMinutes(5);
    private static final Duration SKIPPED_BACKOFF = Duration.ofMinutes(2);
    /** The longest a cloud holds a {@code groups/next} answer (docs/device-protocol.md). */
    private static final int MAX_WAIT_SECONDS = 60;

    private final Context context;
    private final Executor workers;
    private boolean askState = true;

    FetchLoop(Context context, Executor workers) {
        this.context = context;
        this.workers = workers;
    }

    @Override
    public void run() {
        Progress progress = context.progress();
        LOG.info(
                "Backing up from {} into {} ({} mode{})",
                context.cloud().cloud(),
                context.folders().backupRoot(),
                context.settings().parallel() ? "parallel" : "serial",
                context.settings().parallel() ? ", " + context.settings().parallelDownloads() + " files at once" : "");
        try {
            context.held().clearIncoming();
        } catch (SQLException e) {
            LOG.warn("Unfinished group answers could not be cleared: {}", e.toString());
        }
        Duration unreachableWait = Duration.ofSeconds(1);
        while (!context.stopper().stopping()) {
            Duration pause;
            try {
                pause = round();
                unreachableWait = Duration.ofSeconds(1);
            } catch (CloudException e) {
                if (context.stopper().stopping()) {
                    break; // e.g. a held groups/next abandoned because the device stops
                }
                askState = true;
                pause = switch (e.kind()) {
                    case UNREACHABLE -> {
                        Duration wait = unreachableWait;
                        unreachableWait = min(unreachableWait.multipliedBy(2), MAX_UNREACHABLE_WAIT);
                        progress.doing(
                                Activity.CLOUD_UNREACHABLE,
                                e.getMessage() + "; trying again in " + wait.toSeconds() + " s");
                        yield wait;
                    }
                    case BUSY -> {
                        Duration wait = e.retryAfter().orElse(Duration.ofSeconds(5));
                        progress.doing(Activity.WAITING, e.getMessage());
                        yield wait;
                    }
                    case REFUSED -> {
                        progress.doing(Activity.TOKEN_REFUSED, e.getMessage());
                        yield TOKEN_REFUSED_WAIT;
                    }
                    case BROKEN -> {
                        progress.doing(Activity.WAITING, e.getMessage());
                        yield Duration.ofSeconds(30);
                    }
                };
                LOG.warn("{}; trying again in {} s", e.getMessage(), pause.toSeconds());
            } catch (IOException | SQLException | RuntimeException e) {
                pause = Duration.ofSeconds(10);
                progress.doing(Activity.WAITING, "the device failed: " + e.getMessage());
                LOG.error("The fetch round failed; trying again in {} s", pause.toSeconds(), e);
            }
            if (!pause.isZero() && !context.stopper().sleep(pause)) {
                break;
            }
        }
        progress.doing(Activity.OFF, "stopped");
        LOG.info("Backup fetching stopped");
    }

    /** One round; answers how long to wait before the next. */
    private Duration round() throws CloudException, SQLException, IOException {
        Progress progress = context.progress();
        long free = free();
        if (askState) {
            progress.doing(
                    Activity.CONNECTING,
                    "reporting free space to " + context.cloud().cloud());
            Wire.DeviceState state = context.cloud().status(free);
            askState = false;
            LOG.info(
                    "The cloud is reachable; {} free, the device is {}",
                    Bytes.human(free),
                    state.active() ? "ACTIVE" : "INACTIVE");
            if (!state.active()) {
                waitWhileInactive(state.recheck());
                return Duration.ZERO;
            }
            progress.state(State.ACTIVE);
        }
        boolean all = context.settings().parallel();
        long asked = System.nanoTime();
        Wire.Next next = ask(free, all, waitSeconds());
        if (next instanceof Wire.Inactive inactive) {
            waitWhileInactive(inactive.recheck());
            return Duration.ZERO;
        }
        progress.state(State.ACTIVE);
        if (next instanceof Wire.Nothing) {
            return idle(Duration.ofNanos(System.nanoTime() - asked));
        }
        List<Wire.Group> runnable = runnable(((Wire.Groups) next).groups(), all);
        if (runnable.isEmpty() && !all) {
            // Serial mode: the first container is blocked, so look at the others' first groups.
            next = ask(free, true, 0);
            if (next instanceof Wire.Groups groups) {
                runnable = runnable(groups.groups(), true).stream().limit(1).toList();
            }
        }
        if (runnable.isEmpty()) {
            Duration wait =
                    min(context.blocks().soonestEnd(), context.settings().idle());
            progress.doing(
                    Activity.WAITING,
                    "no container can be fetched now; checking again in " + Math.max(1, wait.toSeconds()) + " s");
            return wait;
        }
        return fetch(runnable);
    }

    /**
     * Asks for groups. With {@code waitSeconds} the cloud answers as soon as a group is ready (a
     * traversal merged), so a backup starts at once instead of at the next idle check.
     */
    private Wire.Next ask(long free, boolean all, int waitSeconds) throws CloudException, SQLException {
        context.held().clearIncoming();
        try (HeldGroups.IncomingWriter writer = context.held().incoming()) {
            Wire.Next next = context.cloud().next(free, all, waitSeconds, writer);
            if (next instanceof Wire.Groups groups) {
                for (Wire.Group group : groups.groups()) {
                    discardPartials(group.containerId(), context.held().adopt(group));
                }
            }
            return next;
        }
    }

    /** The groups whose containers can be fetched now; the others' reasons are shown. */
    private List<Wire.Group> runnable(List<Wire.Group> groups, boolean all) {
        List<Wire.Group> runnable = new ArrayList<>();
        for (Wire.Group group : groups) {
            Optional<String> blocked = context.blocks().blocked(group);
            if (blocked.isPresent()) {
                context.progress().container(group.containerId()).status("BLOCKED", blocked.get());
            } else {
                runnable.add(group);
            }
        }
        return all ? runnable : runnable.stream().limit(1).toList();
    }

    private Duration fetch(List<Wire.Group> groups) throws SQLException, IOException, CloudException {
        Progress progress = context.progress();
        List<GroupRun> runs = new ArrayList<>();
        for (Wire.Group group : groups) {
            GroupRun run = GroupRun.start(context, group);
            if (run != null) {
                runs.add(run);
            }
        }
        if (runs.isEmpty()) {
            return Duration.ofSeconds(1);
        }
        int parallel = context.settings().parallel() ? context.settings().parallelDownloads() : 1;
        progress.doing(
                Activity.FETCHING,
                "fetching "
                        + runs.stream()
                                .map(r -> "group " + r.group().groupNo() + " of container "
                                        + r.group().containerId())
                                .collect(Collectors.joining(", "))
                        + (parallel > 1 ? ", " + parallel + " files at a time" : ""));
        Semaphore permits = new Semaphore(parallel);
        List<GroupRun> open = new ArrayList<>(runs);
        while (!open.isEmpty() && !context.stopper().stopping()) {
            for (Iterator<GroupRun> it = open.iterator(); it.hasNext(); ) {
                GroupRun run = it.next();
                HeldEntry entry = run.next();
                if (entry == null) {
                    it.remove();
                    continue;
                }
                permits.acquireUninterruptibly();
                workers.execute(() -> {
                    try {
                        run.fetch(entry);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        permits.acquireUninterruptibly(parallel);
        permits.release(parallel);
        Duration pause = Duration.ZERO;
        for (GroupRun run : runs) {
            GroupRun.End end = run.close();
            Progress.Container container = progress.container(run.group().containerId());
            switch (end) {
                case DONE -> {
                    container.status("IDLE", null);
                    if (run.skipped() > 0) {
                        context.blocks()
                                .block(
                                        run.group(),
                                        run.skipped() + " file(s) could not be fetched; trying again in "
                                                + SKIPPED_BACKOFF.toMinutes() + " min",
                                        SKIPPED_BACKOFF);
                    }
                }
                case REGROUPED -> {
                    container.status("IDLE", "the cloud regrouped the snapshot; asking again");
                    discardPartials(
                            run.group().containerId(),
                            context.held().drop(run.group().containerId()));
                }
                case LOW_SPACE -> pause = max(pause, lowSpace());
                case INACTIVE -> askState = true;
                case UNREPORTED -> pause = max(pause, Duration.ofSeconds(5));
                case BLOCKED, STOPPED -> {
                    // blocked: the reason is on the container already; stopped: nothing to do
                }
            }
        }
        return pause;
    }

    /** A file did not fit: tell the cloud the free space and wait its recheck interval. */
    private Duration lowSpace() throws CloudException, IOException, SQLException {
        Wire.DeviceState state = context.cloud().status(free());
        dropAllGroups();
        context.progress()
                .doing(
                        Activity.WAITING_FOR_SPACE,
                        "the backup disk is too full for the next file; " + "checking again in "
                                + state.recheck().toSeconds() + " s");
        return state.recheck();
    }

    /** INACTIVE: drop every group in hand, and report the free space on the cloud's interval until ACTIVE. */
    private void waitWhileInactive(Duration recheck) throws CloudException, IOException, SQLException {
        Progress progress = context.progress();
        progress.state(State.INACTIVE);
        dropAllGroups();
        LOG.info(
                "Free space {} is below the cloud's threshold: the device is INACTIVE and stops fetching;"
                        + " checking again every {} s",
                Bytes.human(progress.freeBytes()),
                recheck.toSeconds());
        while (true) {
            progress.doing(
                    Activity.WAITING_FOR_SPACE,
                    "INACTIVE: " + Bytes.human(progress.freeBytes()) + " free is below the cloud's threshold;"
                            + " checking again in " + recheck.toSeconds() + " s");
            if (!context.stopper().sleep(recheck)) {
                return;
            }
            Wire.DeviceState state = context.cloud().status(free());
            if (state.active()) {
                progress.state(State.ACTIVE);
                LOG.info("Free space {}: the device is ACTIVE again", Bytes.human(progress.freeBytes()));
                return;
            }
            recheck = state.recheck();
        }
    }

    /** Drops every group in hand and deletes their partial downloads (INACTIVE, or a full disk). */
    private void dropAllGroups() throws SQLException {
        for (HeldGroups.Held held : context.held().held()) {
            discardPartials(held.containerId(), context.held().drop(held.containerId()));
            context.progress().container(held.containerId()).noGroup();
        }
    }

    private void discardPartials(long containerId, List<HeldEntry> dropped) {
        if (dropped.isEmpty()) {
            return;
        }
        try {
            BackupFolder folder = context.folders().of(containerId);
            for (HeldEntry entry : dropped) {
                if (!entry.directory()) {
                    folder.discardIncoming(entry.path());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Container {}: partial downloads could not all be removed: {}", containerId, e.toString());
        }
    }

    /** How long the cloud may hold a {@code groups/next} answer: the idle interval, at most the cloud's 60 s. */
    private int waitSeconds() {
        return (int) Math.min(context.settings().idle().toSeconds(), MAX_WAIT_SECONDS);
    }

    /**
     * Nothing to fetch: the next ask comes after the rest of the idle interval. A cloud that held
     * the answer has used it up already; one from before {@code waitSeconds} answered at once.
     */
    private Duration idle(Duration waited) {
        Duration idle = context.settings().idle().minus(waited);
        if (idle.isNegative()) {
            idle = Duration.ZERO;
        }
        context.progress()
                .doing(
                        Activity.IDLE,
                        "everything is fetched; asking again"
                                + (idle.toSeconds() > 0
                                        ? " in " + idle.toSeconds() + " s"
                                        : " (the cloud tells at once when there is more)"));
        for (Progress.Container container : context.progress().containers()) {
            container.noGroup();
            container.status("IDLE", null);
        }
        return idle;
    }

    private long free() throws IOException {
        long free = context.freeSpace().read();
        context.progress().freeBytes(free);
        return free;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
