package org.cloudkeep.accounts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link Accounts} whose every call throws {@link UnsupportedOperationException}: other
 * modules' tests and benchmarks extend it and answer only the calls their code makes. Shared
 * through this module's test jar.
 */
public abstract class UnsupportedAccounts implements Accounts {

    @Override
    public long createUser(String username, char[] password) throws AccountsException {
        throw new UnsupportedOperationException();
    }

    @Override
    public String openSession(String username, char[] password) throws AccountsException {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Principal> authenticate(String bearerToken) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void revoke(String bearerToken) {
        throw new UnsupportedOperationException();
    }

    @Override
    public DeviceRegistration registerDevice(long userId, String serial, String name) throws AccountsException {
        throw new UnsupportedOperationException();
    }

    @Override
    public long createAccount(long userId, String provider, String label, Map<String, String> credentials)
            throws AccountsException {
        throw new UnsupportedOperationException();
    }

    @Override
    public void renewCredentials(long accountId, Map<String, String> renewed) throws AccountsException {
        throw new UnsupportedOperationException();
    }

    @Override
    public AccountCredentials credentials(long accountId) throws AccountsException {
        throw new UnsupportedOperationException();
    }

    @Override
    public long createContainer(long userId, NewContainer container) throws AccountsException {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Container> container(long userId, long containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Container> container(long containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Container> containersOfDevice(long deviceId) {
        throw new UnsupportedOperationException();
    }
}
