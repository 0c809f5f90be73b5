package org.cloudkeep.accounts;

import java.util.Map;

/**
 * A provider account's credentials, unsealed.
 *
 * @param provider the provider id
 * @param credentials the values by credential field name
 */
public record AccountCredentials(String provider, Map<String, String> credentials) {

    public AccountCredentials {
        credentials = Map.copyOf(credentials);
    }

    /** Never prints the values. */
    @Override
    public String toString() {
        return "AccountCredentials[provider=" + provider + ", fields=" + credentials.keySet() + "]";
    }
}
