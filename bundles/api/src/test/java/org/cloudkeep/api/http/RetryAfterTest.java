package org.cloudkeep.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-30T08:49:00Z");

    private static Optional<Duration> of(String value) {
        HttpHeaders headers =
                HttpHeaders.of(value == null ? Map.of() : Map.of("Retry-After", List.of(value)), (a, b) -> true);
        return RetryAfter.of(headers, NOW);
    }

    @Test
    void secondsOrAnHttpDateAsRfc9110Says() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), of("120"));
        assertEquals(Optional.of(Duration.ofSeconds(37)), of("Mon, 30 Nov 2026 08:49:37 GMT"));
        assertEquals(Optional.of(Duration.ZERO), of("Sun, 06 Nov 1994 08:49:37 GMT"), "a date in the past: at once");
    }

    @Test
    void absentOrNonsenseIsEmpty() {
        assertEquals(Optional.empty(), of(null));
        assertEquals(Optional.empty(), of(" "));
        assertEquals(Optional.empty(), of("soon"));
        assertEquals(Optional.empty(), of("-5"));
        assertEquals(Optional.empty(), of("99999999999999999999999"), "no wait for ever");
    }
}
