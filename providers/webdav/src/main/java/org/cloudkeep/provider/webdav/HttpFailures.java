package org.cloudkeep.provider.webdav;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.api.http.RetryAfter;

/** What an unexpected HTTP status means for the caller, and the HTTP dates that come with them. */
final class HttpFailures {

    private HttpFailures() {}

    /**
     * The typed exception for a status that is not the answer asked for.
     *
     * @param what what was asked, for the message ("listing of '/a'")
     */
    static ProviderException of(int status, HttpHeaders headers, String what) {
        String said = " (HTTP " + status + ") to the " + what;
        return switch (status) {
            case 401 -> new BadCredentialsException("The WebDAV server refused the user name or password" + said);
                // After connect, 403 is about one resource (a file the server may not read), not the
                // account: reporting bad credentials would stop the whole account for one file.
            case 403 -> new PermanentProviderException("The WebDAV server forbids access" + said);
            case 404, 410 -> new NotFoundException("Nothing there" + said);
            case 429, 503 -> new RateLimitedException(
                    "The WebDAV server asks to slow down" + said, retryAfter(headers, Instant.now()));
            case 408 -> new TransientProviderException("The WebDAV server timed out" + said);
            default -> {
                if (status >= 500) {
                    yield new TransientProviderException("The WebDAV server failed" + said);
                }
                if (status >= 300 && status < 400) {
                    yield new PermanentProviderException("The WebDAV server redirects to '"
                            + headers.firstValue("Location").orElse("(nowhere)") + "'" + said
                            + "; enter the URL it redirects to");
                }
                yield new PermanentProviderException("The WebDAV server refused the request" + said);
            }
        };
    }

    /**
     * How long a {@code Retry-After} header asks to wait: delta-seconds or an HTTP date; {@link
     * Duration#ZERO} when it is absent, unreadable or in the past.
     */
    static Duration retryAfter(HttpHeaders headers, Instant now) {
        return RetryAfter.of(headers, now).orElse(Duration.ZERO);
    }

    /** An RFC 1123 date ({@code Sun, 06 Nov 1994 08:49:37 GMT}), or {@code null}. */
    static Instant httpDate(String value) {
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
