package org.cloudkeep.fetcher.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the fetcher is doing, for {@code GET /api/v1/status} and the log. Thread-safe. */
final class Progress {

    /** The device's state as the cloud last said it (OFF: no cloud configured; UNKNOWN: not heard yet). */
    enum State {
        OFF,
        UNKNOWN,
        ACTIVE,
        INACTIVE
    }

    /** What the fetch loop does now. */
    enum Activity {
        OFF,
        CONNECTING,
        FETCHING,
        IDLE,
        WAITING_FOR_SPACE,
        CLOUD_UNREACHABLE,
        TOKEN_REFUSED,
        WAITING
    }

    private volatile State state = State.UNKNOWN;
    private volatile Activity activity = Activity.CONNECTING;
    private volatile String message = "starting";
    private volatile long freeBytes = -1;
    final Counters total = new Counters();
    private final Rate rate = new Rate();
    private final Map<Long, Container> containers = new ConcurrentHashMap<>();

    void state(State state) {
        this.state = state;
    }

    void doing(Activity activity, String message) {
        this.activity = activity;
        this.message = message;
    }

    void freeBytes(long freeBytes) {
        this.freeBytes = freeBytes;
    }

    State state() {
        return state;
    }

    Activity activity() {
        return activity;
    }

    String message() {
        return message;
    }

    long freeBytes() {
        return freeBytes;
    }

    double bytesPerSecond() {
        return rate.perSecond();
    }

    Container container(long containerId) {
        return containers.computeIfAbsent(containerId, id -> new Container(id, rate, total));
    }

    List<Container> containers() {
        return containers.values().stream()
                .sorted(Comparator.comparingLong(Container::id))
                .toList();
    }

    /** Files and bytes reported to the cloud, and those actually downloaded. */
    static final class Counters {
        final AtomicLong fetchedFiles = new AtomicLong();
        final AtomicLong fetchedBytes = new AtomicLong();
        final AtomicLong downloadedFiles = new AtomicLong();
        final AtomicLong downloadedBytes = new AtomicLong();

        void fetched(long bytes) {
            fetchedFiles.incrementAndGet();
            fetchedBytes.addAndGet(bytes);
        }

        void downloaded(long bytes) {
            downloadedFiles.incrementAndGet();
            downloadedBytes.addAndGet(bytes);
        }
    }

    /** One container's progress: the group in hand and what was done since the runtime started. */
    static final class Container {
        private final long id;
        private final Rate overall;
        private final Counters all;
        private final Rate rate = new Rate();
        final Counters total = new Counters();
        final AtomicLong groupFilesDone = new AtomicLong();
        final AtomicLong groupBytesDone = new AtomicLong();
        private volatile int groupNo;
        private volatile long groupFiles;
        private volatile long groupBytes;
        private volatile String status = "WAITING";
        private volatile String message;
        private volatile String folder;

        Container(long id, Rate overall, Counters all) {
            this.id = id;
            this.overall = overall;
            this.all = all;
        }

        /** A file reported to the cloud: counted here and in the device's total. */
        void fetched(long bytes) {
            total.fetched(bytes);
            all.fetched(bytes);
        }

        /** A file that came from its provider (not found in place): counted here and in the total. */
        void downloaded(long bytes) {
            total.downloaded(bytes);
            all.downloaded(bytes);
        }

        long id() {
            return id;
        }

        void group(int groupNo, long files, long bytes) {
            this.groupNo = groupNo;
            this.groupFiles = files;
            this.groupBytes = bytes;
            groupFilesDone.set(0);
            groupBytesDone.set(0);
        }

        void noGroup() {
            group(0, 0, 0);
        }

        void status(String status, String message) {
            this.status = status;
            this.message = message;
        }

        void folder(String folder) {
            this.folder = folder;
        }

        /** Bytes arriving from a provider, counted as they stream. */
        void streamed(long bytes) {
            rate.add(bytes);
            overall.add(bytes);
        }

        int groupNo() {
            return groupNo;
        }

        long groupFiles() {
            return groupFiles;
        }

        long groupBytes() {
            return groupBytes;
        }

        String status() {
            return status;
        }

        String message() {
            return message;
        }

        String folder() {
            return folder;
        }

        double bytesPerSecond() {
            return rate.perSecond();
        }
    }
}
