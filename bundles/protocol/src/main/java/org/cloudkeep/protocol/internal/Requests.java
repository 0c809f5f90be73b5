package org.cloudkeep.protocol.internal;

import java.util.List;
import java.util.Map;
import org.cloudkeep.api.EntryPaths;

/**
 * The request bodies, one record each. Jackson maps a body onto its record strictly (see {@link
 * Json}); the constructors refuse what is missing or out of range with a 400 that names the field.
 */
final class Requests {

    private Requests() {}

    /**
     * {@code POST /users} and {@code POST /sessions}. The password is a String, not a char[]: Jackson
     * would take an array of one-letter strings for a char[], and the body's bytes hold it anyway.
     */
    record Login(String username, String password) {
        Login {
            required(username, "username");
            required(password, "password");
        }

        @Override
        public String toString() {
            return "Login[username=" + username + "]";
        }
    }

    /** {@code POST /devices}. */
    record NewDevice(String serial, String name) {
        NewDevice {
            required(serial, "serial");
            required(name, "name");
        }
    }

    /** {@code POST /accounts}. */
    record NewAccount(String provider, String label, Map<String, String> credentials) {
        NewAccount {
            required(provider, "provider");
            required(label, "label");
            required(credentials, "credentials");
            for (Map.Entry<String, String> field : credentials.entrySet()) {
                if (field.getValue() == null) {
                    throw ApiException.badRequest(
                            "wrong_type", "field 'credentials." + field.getKey() + "' must be a string, not null");
                }
            }
        }
    }

    /** {@code POST /accounts/oauth2}. */
    record NewSignIn(String provider, String redirectUri) {
        NewSignIn {
            required(provider, "provider");
            required(redirectUri, "redirectUri");
        }
    }

    /** {@code POST /accounts/oauth2/complete}. */
    record SignInCompletion(String state, String code, String label) {
        SignInCompletion {
            required(state, "state");
            required(code, "code");
            required(label, "label");
        }

        @Override
        public String toString() {
            return "SignInCompletion[label=" + label + "]";
        }
    }

    /** {@code POST /containers}. */
    record NewContainer(
            Long accountId, Long deviceId, List<String> folders, Integer groupSize, Integer traverseEveryHours) {
        NewContainer {
            required(accountId, "accountId");
            required(deviceId, "deviceId");
            required(folders, "folders");
            if (folders.isEmpty()) {
                throw ApiException.badRequest(
                        "invalid_value", "field 'folders' needs at least one folder; [\"/\"] backs up everything");
            }
            for (int i = 0; i < folders.size(); i++) {
                String folder = folders.get(i);
                if (folder == null) {
                    throw ApiException.badRequest(
                            "wrong_type", "field 'folders[" + i + "]' must be a string, not null");
                }
                try {
                    EntryPaths.normalize(folder);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(
                            "invalid_value",
                            "field 'folders[" + i + "]' is not a provider path (absolute, '/'-separated, no empty, "
                                    + "'.' or '..' names): " + e.getMessage());
                }
            }
        }
    }

    /** {@code POST /device/status} and {@code POST /device/groups/next}. */
    record FreeSpace(Long freeBytes) {
        FreeSpace {
            requireFreeBytes(freeBytes);
        }
    }

    /**
     * {@code POST /device/reports}. {@code missing} (paths the provider says no longer exist) is an
     * addition to v1 and optional: absent or {@code null} is empty.
     */
    record Report(Long containerId, Integer groupNo, List<String> fetched, List<String> missing, Long freeBytes) {
        Report {
            required(containerId, "containerId");
            required(groupNo, "groupNo");
            if (groupNo < 1) {
                throw ApiException.badRequest("invalid_value", "field 'groupNo' counts from 1, not " + groupNo);
            }
            required(fetched, "fetched");
            requireNoNull(fetched, "fetched");
            missing = missing == null ? List.of() : missing;
            requireNoNull(missing, "missing");
            requireFreeBytes(freeBytes);
        }
    }

    private static void requireNoNull(List<String> paths, String field) {
        for (int i = 0; i < paths.size(); i++) {
            if (paths.get(i) == null) {
                throw ApiException.badRequest(
                        "wrong_type", "field '" + field + "[" + i + "]' must be a string, not null");
            }
        }
    }

    private static void requireFreeBytes(Long freeBytes) {
        required(freeBytes, "freeBytes");
        if (freeBytes < 0) {
            throw ApiException.badRequest("invalid_value", "field 'freeBytes' cannot be negative");
        }
    }

    private static void required(Object value, String field) {
        if (value == null) {
            throw ApiException.badRequest("missing_field", "field '" + field + "' is required");
        }
    }
}
