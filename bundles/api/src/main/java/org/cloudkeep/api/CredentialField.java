package org.cloudkeep.api;

import java.util.Objects;

/**
 * One field of an account's credentials.
 *
 * @param name the key in the credentials map given to {@link CloudDriveProvider#connect}
 * @param label what a form shows beside the field
 * @param secret whether the value must be masked on screen and sealed at rest
 */
public record CredentialField(String name, String label, boolean secret) {

    public CredentialField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a credential field needs a name");
        }
    }
}
