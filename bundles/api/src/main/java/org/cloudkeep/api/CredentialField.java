package org.cloudkeep.api;

import java.util.Objects;

/**
 * One field of an account's credentials.
 *
 * @param name the key in the credentials map given to {@link CloudDriveProvider#connect}
 * @param label what a form shows beside the field
 * @param secret whether the value must be masked on screen and sealed at rest
 * @param optional whether an account may leave it out (then the key is absent from the map)
 */
public record CredentialField(String name, String label, boolean secret, boolean optional) {

    public CredentialField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a credential field needs a name");
        }
    }

    /** A field every account must give. */
    public CredentialField(String name, String label, boolean secret) {
        this(name, label, secret, false);
    }

    /** A field an account may leave out. */
    public static CredentialField optional(String name, String label, boolean secret) {
        return new CredentialField(name, label, secret, true);
    }
}
