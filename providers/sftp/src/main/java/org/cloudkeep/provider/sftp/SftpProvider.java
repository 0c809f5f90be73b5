package org.cloudkeep.provider.sftp;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * SSH file transfer (SFTP v3) servers, with a password or a private key, through JSch (embedded in
 * this bundle). SFTP has no content hash: entries carry none, and size and modified time (seconds)
 * decide whether a file changed. Downloads resume at any offset.
 *
 * <p>Configured through Configuration Admin under {@value #PID} ({@link SftpConfig}); tests build
 * it with {@link #SftpProvider(SftpSettings)} and {@link #close()} it.
 */
@Component(
        service = CloudDriveProvider.class,
        property = CloudDriveProvider.PROVIDER_ID + "=" + SftpProvider.ID,
        configurationPid = SftpProvider.PID)
@Designate(ocd = SftpConfig.class)
public final class SftpProvider implements CloudDriveProvider, AutoCloseable {

    /** The provider id, also its service property. */
    public static final String ID = "sftp";

    /** The configuration PID. */
    public static final String PID = "org.cloudkeep.provider.sftp";

    private final SftpSettings settings;
    private final ScheduledThreadPoolExecutor timer;
    private final Watchdog watchdog;
    private final ProviderDescriptor descriptor = new ProviderDescriptor(
            ID, "SFTP (SSH)", SftpCredentials.FIELDS, List.of(), Set.of(Capability.RANGED_READS));

    @Activate
    public SftpProvider(SftpConfig config) {
        this(SftpSettings.of(config));
    }

    public SftpProvider(SftpSettings settings) {
        this.settings = settings;
        // One timer thread for every session's watchdog; it ends by itself when idle.
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cloudkeep-sftp-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        this.watchdog = new Watchdog(timer, settings.operationTimeout());
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
        return SftpSession.open(SftpCredentials.parse(credentials), settings, watchdog);
    }

    /** Stops the watchdog's timer; sessions still open are no longer watched. */
    @Deactivate
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
