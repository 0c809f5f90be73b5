package org.cloudkeep.accounts.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = AccountsService.PID,
        name = "CloudKeep accounts",
        description = "Users, sessions, devices, provider accounts and containers: token lifetime, container "
                + "defaults, password hashing and the key that seals provider credentials.")
@interface AccountsConfig {

    @AttributeDefinition(
            name = "Session lifetime (days)",
            description = "Days a session token stays valid after the login that opened it. Device tokens do "
                    + "not expire; they are revoked.",
            min = "1",
            max = "3650")
    int sessionDays() default Settings.DEFAULT_SESSION_DAYS;

    @AttributeDefinition(
            name = "Default group size",
            description = "Entries per task group of a new container that does not say (1-100000).",
            min = "1",
            max = "100000")
    int defaultGroupSize() default Settings.DEFAULT_GROUP_SIZE;

    @AttributeDefinition(
            name = "Default traversal interval (hours)",
            description = "Hours between re-traversals of a new container that does not say (1-8760).",
            min = "1",
            max = "8760")
    int defaultTraverseEveryHours() default Settings.DEFAULT_TRAVERSE_EVERY_HOURS;

    @AttributeDefinition(
            name = "Password hash iterations",
            description = "PBKDF2-HMAC-SHA256 iterations for new password hashes (at least 1000; keep the default "
                    + "outside tests). Stored hashes keep their own count and are upgraded at the next login.",
            min = "1000")
    int passwordIterations() default Passwords.DEFAULT_ITERATIONS;

    @AttributeDefinition(
            name = "Key file",
            description = "The 32-byte key that seals provider credentials; created on first start, never "
                    + "overwritten. Losing it loses every stored credential. Empty: secret.key in the data "
                    + "folder (framework property cloudkeep.data; ./data when unset).")
    String keyFile() default "";
}
