package org.cloudkeep.provider.webdav;

import java.net.http.HttpHeaders;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
        String date = value.strip();
        Instant fixed = fixDate(date);
        if (fixed != null) {
            return fixed;
        }
        try {
            return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * The IMF-fixdate form every server sends ({@code Sun, 06 Nov 1994 08:49:37 GMT}, RFC 9110
     * 5.6.7), read without the general formatter: a listing has one per entry, and the formatter was
     * a sixth of a WebDAV walk's parsing. {@code null} for anything else (the formatter decides then),
     * including a weekday that does not match the date.
     */
    static Instant fixDate(String date) {
        if (date.length() != 29
                || date.charAt(3) != ','
                || date.charAt(4) != ' '
                || date.charAt(7) != ' '
                || date.charAt(11) != ' '
                || date.charAt(16) != ' '
                || date.charAt(19) != ':'
                || date.charAt(22) != ':'
                || date.charAt(25) != ' '
                || !date.endsWith("GMT")) {
            return null;
        }
        int monthAt = MONTHS.indexOf(date.substring(8, 11));
        int day = digits(date, 5, 2);
        int year = digits(date, 12, 4);
        int hour = digits(date, 17, 2);
        int minute = digits(date, 20, 2);
        int second = digits(date, 23, 2);
        if (monthAt < 0
                || monthAt % 3 != 0
                || day < 0
                || year < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        LocalDate local;
        try {
            local = LocalDate.of(year, monthAt / 3 + 1, day);
        } catch (DateTimeException e) {
            return null;
        }
        if (!DAYS[local.getDayOfWeek().ordinal()].equals(date.substring(0, 3))) {
            return null;
        }
        return local.atTime(hour, minute, second).toInstant(ZoneOffset.UTC);
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
