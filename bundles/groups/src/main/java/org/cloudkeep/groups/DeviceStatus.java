package org.cloudkeep.groups;

/**
 * A device's state as the cloud sees it.
 *
 * @param state {@code ACTIVE} or {@code INACTIVE}
 * @param recheckSeconds when an INACTIVE device should report its free space again
 */
public record DeviceStatus(String state, int recheckSeconds) {

    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";

    public boolean active() {
        return ACTIVE.equals(state);
    }
}
