package org.cloudkeep.lifecycle;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the framework when the JVM shuts down. The executable jar's launcher does not, so without
 * this a SIGTERM would end the process with components still active and the database open.
 */
@Component(immediate = true)
public class StopOnSignal {

    /** How long a stop may take before the JVM goes on exiting anyway. */
    private static final long STOP_TIMEOUT_MS = 20_000;

    private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);

    private final Thread hook;

    @Activate
    public StopOnSignal(BundleContext context) {
        Framework framework = (Framework) context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.hook = new Thread(() -> stop(framework), "cloudkeep-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private static void stop(Framework framework) {
        LOG.info("Stop requested: stopping all components");
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.warn("Components did not stop within {} ms; exiting anyway", STOP_TIMEOUT_MS);
            }
        } catch (BundleException e) {
            LOG.warn("Stopping the framework failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is what stops us: nothing to remove.
        }
    }
}
