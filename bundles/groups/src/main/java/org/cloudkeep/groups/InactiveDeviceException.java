package org.cloudkeep.groups;

/** The device's free space is below the threshold: it gets no work until it reports more. */
public class InactiveDeviceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient DeviceStatus status;

    public InactiveDeviceException(DeviceStatus status) {
        super("the device is INACTIVE: its free space is below the threshold; report again in "
                + status.recheckSeconds() + " s");
        this.status = status;
    }

    public DeviceStatus status() {
        return status;
    }
}
