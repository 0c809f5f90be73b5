package org.cloudkeep.fetcher.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudkeep.fetcher.internal.Progress.Activity;
import org.cloudkeep.fetcher.internal.Progress.State;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.store.Database;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's backup fetcher: runs the {@link FetchLoop} on its own thread while the runtime
 * runs, when a cloud URL and a device token are given (the launcher's {@code --cloud} and {@code
 * --token}); otherwise it only says, in {@code /api/v1/status}, that the device does not back up.
 */
@Component(service = Fetcher.class, immediate = true, configurationPid = Fetcher.PID)
@Designate(ocd = FetcherConfig.class)
public class Fetcher {

    static final String PID = "cloudkeep.fetcher";
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

    private final Progress progress = new Progress();
    private final Settings settings;
    private final Stopper stopper = new Stopper();
    private final ExecutorService workers;
    private final Thread loop;
    private final CloudClient cloud;

    @Activate
    public Fetcher(
            FetcherConfig config,
            Map<String, Object> properties,
            BundleContext bundle,
            @Reference Database database,
            @Reference ProviderRegistry providers) {
        this.settings = Settings.of(
                config,
                bundle::getProperty,
                System::getenv,
                Runtime.getRuntime().availableProcessors());
        Path file = configFile(bundle);
        if (!properties.containsKey(Constants.SERVICE_PID) && Files.exists(file)) {
            // FileInstall has not applied the file yet; starting with defaults would fetch, for a
            // moment, in a mode or from a disk the user did not configure. The component restarts
            // with the configuration as soon as it is there.
            progress.state(State.UNKNOWN);
            progress.doing(Activity.CONNECTING, "waiting for " + file + " to be read");
            LOG.debug("Waiting for the configuration in {}", file);
            this.workers = null;
            this.loop = null;
            this.cloud = null;
            return;
        }
        if (!settings.backsUp()) {
            progress.state(State.OFF);
            progress.doing(
                    Activity.OFF,
                    "this device does not back up: start it with --cloud URL --token DEVICE_TOKEN"
                            + (settings.cloud().isPresent() ? " (the token is missing)" : ""));
            LOG.info("No cloud and device token configured: the device does not back up");
            this.workers = null;
            this.loop = null;
            this.cloud = null;
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.parallelDownloads(), r -> {
            Thread thread = new Thread(r, "cloudkeep-fetch-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.cloud = new CloudClient(settings.cloud().get(), settings.token().get());
        Context context = new Context(
                settings,
                cloud,
                new HeldGroups(database),
                providers,
                progress,
                stopper,
                new FreeSpace(settings.backupRoot(), settings.freeBytesFile()),
                new Blocks(providers),
                new Folders(settings.backupRoot()),
                System.nanoTime());
        this.loop = new Thread(new FetchLoop(context, workers), "cloudkeep-fetch-loop");
        loop.setDaemon(true);
        loop.start();
    }

    @Deactivate
    void stop() throws InterruptedException {
        stopper.stop();
        if (loop != null) {
            cloud.abandonWaiting(); // a groups/next the cloud holds for up to a minute
            // No interrupts: the loop and the downloads notice the stop on their next read.
            loop.join(30_000);
            workers.shutdown();
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Some downloads did not stop within 30 s; their partial files are resumed next time");
            }
        }
    }

    /** {@code <data>/config/cloudkeep.fetcher.cfg}: where the launcher's runtimes read this configuration. */
    private static Path configFile(BundleContext bundle) {
        String data = bundle.getProperty(Settings.DATA_PROPERTY);
        return Path.of(data == null ? "data" : data, "config", PID + ".cfg");
    }

    Progress progress() {
        return progress;
    }

    Settings settings() {
        return settings;
    }
}
