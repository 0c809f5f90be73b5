package org.cloudkeep.traversal.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudkeep.accounts.AccountCredentials;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.accounts.AccountsException;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.accounts.UnsupportedAccounts;

/** The two calls a traversal makes of {@link Accounts}, over what a test puts in; the rest is not needed. */
final class TestAccounts extends UnsupportedAccounts {

    private final Map<Long, Container> containers = new ConcurrentHashMap<>();
    private final Map<Long, AccountCredentials> credentials = new ConcurrentHashMap<>();

    void put(long containerId, long accountId, String provider, List<String> folders, Map<String, String> values) {
        containers.put(
                containerId,
                new Container(
                        containerId,
                        1,
                        accountId,
                        provider,
                        1,
                        folders,
                        10,
                        24,
                        0,
                        "WAITING",
                        Instant.now(),
                        null,
                        null));
        credentials.put(accountId, new AccountCredentials(provider, values));
    }

    @Override
    public Optional<Container> container(long containerId) {
        return Optional.ofNullable(containers.get(containerId));
    }

    @Override
    public void renewCredentials(long accountId, Map<String, String> renewed) throws AccountsException {
        AccountCredentials current = credentials(accountId);
        Map<String, String> values = new java.util.HashMap<>(current.credentials());
        values.putAll(renewed);
        credentials.put(accountId, new AccountCredentials(current.provider(), values));
    }

    @Override
    public AccountCredentials credentials(long accountId) throws AccountsException {
        AccountCredentials found = credentials.get(accountId);
        if (found == null) {
            throw new AccountsException(AccountsException.Reason.NOT_FOUND, "no account " + accountId);
        }
        return found;
    }
}
