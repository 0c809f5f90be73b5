package org.cloudkeep.protocol.internal;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.OAuth2Flow;
import org.cloudkeep.api.OAuth2Request;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.providers.ProviderRegistry;

/**
 * OAuth2 sign-ins in progress: the user asks to connect an OAuth2 provider, is sent to the
 * provider's page, comes back to its redirect URI with a code, and hands code and state in. The
 * state and the PKCE verifier stay here, in memory, for ten minutes at most: a sign-in not finished
 * by then, or before a restart, is started again.
 */
final class OAuth2Flows {

    static final Duration LIFETIME = Duration.ofMinutes(10);
    /** Bounded, so that a flood of starts cannot fill the heap: the oldest are dropped first. */
    static final int MAX_PENDING = 1000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Pending(long userId, String provider, OAuth2Request request, Instant expires) {}

    /** The credentials a finished sign-in gave, and for which provider. */
    record Signed(String provider, Map<String, String> credentials) {}

    private final ProviderRegistry providers;
    private final Clock clock;
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();

    OAuth2Flows(ProviderRegistry providers, Clock clock) {
        this.providers = providers;
        this.clock = clock;
    }

    /** Starts a sign-in; answers the provider's page to send the person to, and the state. */
    synchronized Map.Entry<URI, String> start(long userId, String providerId, String redirectUri) throws ApiException {
        OAuth2Flow flow = flow(providerId);
        URI redirect = redirect(redirectUri);
        OAuth2Request request = new OAuth2Request(redirect, random(24), random(48));
        purge();
        while (pending.size() >= MAX_PENDING) {
            Iterator<String> oldest = pending.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        pending.put(
                request.state(),
                new Pending(userId, providerId, request, clock.instant().plus(LIFETIME)));
        return Map.entry(flow.authorizeUri(request), request.state());
    }

    /**
     * Trades the code the provider sent back for credentials. The state is used once, and only by
     * the user who started the sign-in.
     */
    Signed complete(long userId, String state, String code) throws ApiException {
        Pending started;
        synchronized (this) {
            purge();
            started = pending.get(state);
            if (started == null || started.userId() != userId) {
                throw ApiException.badRequest(
                        "unknown_state",
                        "no sign-in with this state is in progress (it ends after 10 minutes); start again");
            }
            pending.remove(state);
        }
        Map<String, String> credentials;
        try {
            credentials = flow(started.provider()).exchange(started.request(), code);
        } catch (BadCredentialsException e) {
            throw new ApiException(
                    422, "rejected", "provider '" + started.provider() + "' refused the code: " + e.getMessage());
        } catch (ProviderException e) {
            // Not the caller's fault, and the code may still be good: a new sign-in is needed though.
            throw new ApiException(
                    502,
                    "provider_failed",
                    "provider '" + started.provider() + "' could not be reached to finish the sign-in ("
                            + e.getMessage() + "); start again");
        }
        return new Signed(started.provider(), credentials);
    }

    private OAuth2Flow flow(String providerId) throws ApiException {
        CloudDriveProvider provider = providers
                .find(providerId)
                .orElseThrow(() -> new ApiException(
                        422, "rejected", "provider '" + EntryPaths.printable(providerId) + "' is not installed"));
        return provider.oauth2()
                .orElseThrow(() -> new ApiException(
                        422,
                        "rejected",
                        "provider '" + providerId + "' does not sign in with OAuth2; bind it with POST /accounts"));
    }

    private static URI redirect(String redirectUri) throws ApiException {
        try {
            URI uri = new URI(redirectUri);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getFragment() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw ApiException.badRequest(
                "invalid_value", "redirectUri must be an absolute http(s) URL without a fragment");
    }

    private void purge() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.expires().isBefore(now));
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
