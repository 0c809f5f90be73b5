package org.cloudkeep.accounts;

/**
 * Who a bearer token speaks for.
 *
 * @param userId the user
 * @param deviceId the device, for a device token; {@code null} for a user's session
 */
public record Principal(long userId, Long deviceId) {

    /** Whether the token is a device's. */
    public boolean device() {
        return deviceId != null;
    }
}
