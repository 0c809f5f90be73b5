package org.cloudkeep.accounts;

/** A device just bound: its id and its bearer token, which is shown this once. */
public record DeviceRegistration(long deviceId, String deviceToken) {}
