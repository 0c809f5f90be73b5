package org.cloudkeep.accounts;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Users and what they own. Every call that takes a {@code userId} works only on that user's own
 * devices, accounts and containers: another user's id is answered as if it did not exist.
 * Failures are {@link AccountsException}s whose {@link AccountsException.Reason} maps to an HTTP
 * status.
 */
@ProviderType
public interface Accounts {

    /** Creates a user. Usernames are 1–64 characters; passwords at least 8. */
    long createUser(String username, char[] password) throws AccountsException;

    /** Checks a password and opens a session; answers its bearer token (shown once, stored hashed). */
    String openSession(String username, char[] password) throws AccountsException;

    /** Whose bearer token this is, if it is a valid, unrevoked session or device token. */
    Optional<Principal> authenticate(String bearerToken);

    /** Revokes a session or device token. */
    void revoke(String bearerToken);

    /** Binds a device, by serial, to a user; answers its id and its device token (shown once). */
    DeviceRegistration registerDevice(long userId, String serial, String name) throws AccountsException;

    /**
     * Binds a provider account. The provider must be installed and must accept the credentials
     * (it is asked to connect); they are then stored sealed.
     */
    long createAccount(long userId, String provider, String label, Map<String, String> credentials)
            throws AccountsException;

    /**
     * Replaces an account's credentials with the ones a provider session renewed (an OAuth2
     * refresh); they are sealed like the first ones. Fields the renewal does not name are kept.
     */
    void renewCredentials(long accountId, Map<String, String> renewed) throws AccountsException;

    /** A provider account's credentials, unsealed, for the core's own use (never logged or shown). */
    AccountCredentials credentials(long accountId) throws AccountsException;

    /** Creates a container; its first traversal is due at once. */
    long createContainer(long userId, NewContainer container) throws AccountsException;

    /** One of the user's containers. */
    Optional<Container> container(long userId, long containerId);

    /** A container whoever owns it, for the core's own use. */
    Optional<Container> container(long containerId);

    /** The containers bound to a device. */
    List<Container> containersOfDevice(long deviceId);
}
