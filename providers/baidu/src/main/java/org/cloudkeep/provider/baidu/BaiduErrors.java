package org.cloudkeep.provider.baidu;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.api.http.RetryAfter;

/**
 * Baidu's error numbers and HTTP statuses, typed as the api's exceptions. xpan answers errors as
 * HTTP 200 with {@code errno} in the JSON body; the download hosts and the gateway use {@code
 * error_code}.
 */
final class BaiduErrors {

    /** Authentication failed: the access token is not (or no longer) valid. */
    static final long AUTH_FAILED = -6;
    /** list: the folder does not exist. */
    static final long NO_SUCH_PATH = -9;
    /** Baidu's OAuth-protected APIs: access token invalid or no longer valid. */
    static final long TOKEN_INVALID = 110;
    /** Baidu's OAuth-protected APIs: access token expired. */
    static final long TOKEN_EXPIRED = 111;
    /** Frequency control hit ("命中接口频控"). */
    static final long RATE_LIMITED = 31034;
    /** listall, filemetas: the file does not exist. */
    static final long FILE_DOES_NOT_EXIST = 31066;
    /** A dlink fetched without {@code User-Agent: pan.baidu.com} ("user is not authorized, hitcode"). */
    static final long HOTLINK_REFUSED = 31326;
    /** A dlink past its 8 hours ("expire time out error"). */
    static final long DLINK_EXPIRED = 31360;

    private BaiduErrors() {}

    /** The error number in an answer ({@code errno} or {@code error_code}); empty when it has none. */
    static Optional<Long> errno(JsonNode answer) {
        for (String field : new String[] {"errno", "error_code"}) {
            if (answer.has(field)) {
                long value = Json.numberOr(answer, field, Long.MIN_VALUE);
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** Whether an error number is one with a meaning of its own; others say less than an HTTP status. */
    static boolean known(long errno) {
        return errno == AUTH_FAILED
                || errno == TOKEN_INVALID
                || errno == TOKEN_EXPIRED
                || errno == RATE_LIMITED
                || errno == NO_SUCH_PATH
                || errno == FILE_DOES_NOT_EXIST
                || errno == DLINK_EXPIRED
                || errno == HOTLINK_REFUSED;
    }

    /** The failure an error number stands for. */
    static ProviderException forErrno(
            long errno, String message, HttpHeaders headers, Duration rateLimitWait, String what) {
        String said = what + ": Baidu answered errno " + (errno == Long.MIN_VALUE ? "(not a number)" : errno)
                + (message.isBlank() ? "" : " (" + message + ")");
        if (errno == AUTH_FAILED || errno == TOKEN_INVALID) {
            return new BadCredentialsException(said + ": the access token was refused; authorize CloudKeep again");
        }
        if (errno == TOKEN_EXPIRED) {
            return new ExpiredCredentialsException(said + ": the access token has expired");
        }
        if (errno == RATE_LIMITED) {
            // Baidu sends no Retry-After with 31034 and documents no window: wait the configured time.
            Duration wait = retryAfter(headers).orElse(rateLimitWait);
            return new RateLimitedException(said + ": too many calls; retry in " + wait.toSeconds() + " s", wait);
        }
        if (errno == NO_SUCH_PATH || errno == FILE_DOES_NOT_EXIST) {
            return new NotFoundException(said);
        }
        if (errno == DLINK_EXPIRED) {
            return new DlinkExpiredException(said + ": the download link expired");
        }
        if (errno == HOTLINK_REFUSED) {
            return new PermanentProviderException(said + ": the download host refused the request as hotlinking");
        }
        return new PermanentProviderException(said);
    }

    /** The failure an HTTP status stands for, when the body names no error number. */
    static ProviderException forStatus(int status, HttpHeaders headers, String what) {
        String said = what + ": Baidu answered HTTP " + status;
        if (status == 401 || status == 403) {
            return new BadCredentialsException(said + ": access refused; authorize CloudKeep again");
        }
        if (status == 404) {
            return new NotFoundException(said + ": not found");
        }
        if (status == 429 || status == 503) {
            Duration wait = retryAfter(headers).orElse(Duration.ZERO);
            return new RateLimitedException(said + ": slow down", wait);
        }
        if (status >= 500) {
            return new TransientProviderException(said + ": a server error");
        }
        return new PermanentProviderException(said);
    }

    /** Retry-After as seconds or as an HTTP date; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        return RetryAfter.of(headers, Instant.now());
    }

    /** A dlink past its lifetime: the session fetches a fresh one, once. */
    static final class DlinkExpiredException extends TransientProviderException {

        private static final long serialVersionUID = 1L;

        DlinkExpiredException(String message) {
            super(message);
        }
    }
}
