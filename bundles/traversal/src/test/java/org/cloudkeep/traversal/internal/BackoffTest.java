package org.cloudkeep.traversal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void callsWaitOneTwoFourSecondsUpToAMinute() {
        assertEquals(Duration.ofSeconds(1), Backoff.afterCall(1));
        assertEquals(Duration.ofSeconds(2), Backoff.afterCall(2));
        assertEquals(Duration.ofSeconds(4), Backoff.afterCall(3));
        assertEquals(Duration.ofSeconds(32), Backoff.afterCall(6));
        assertEquals(Duration.ofSeconds(60), Backoff.afterCall(7));
        assertEquals(Duration.ofSeconds(60), Backoff.afterCall(1000));
    }

    @Test
    void failedTraversalsWaitOneMinuteDoubledUpToTheInterval() {
        Duration day = Duration.ofHours(24);
        assertEquals(Duration.ofMinutes(1), Backoff.afterTraversal(1, day, null));
        assertEquals(Duration.ofMinutes(2), Backoff.afterTraversal(2, day, null));
        assertEquals(Duration.ofMinutes(512), Backoff.afterTraversal(10, day, null));
        assertEquals(Duration.ofMinutes(1024), Backoff.afterTraversal(11, day, null));
        assertEquals(day, Backoff.afterTraversal(12, day, null));
        assertEquals(Duration.ofHours(1), Backoff.afterTraversal(50, Duration.ofHours(1), null));
    }

    @Test
    void aLongerRetryAfterWins() {
        Duration day = Duration.ofHours(24);
        assertEquals(Duration.ofMinutes(10), Backoff.afterTraversal(1, day, Duration.ofMinutes(10)));
        assertEquals(Duration.ofMinutes(4), Backoff.afterTraversal(3, day, Duration.ofSeconds(5)));
    }

    @Test
    void settingsAreChecked() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Settings(Duration.ofSeconds(30), 0, 5, Duration.ofSeconds(600), 500));
        assertEquals("the traversal setting threads must be at least 1, not 0", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new Settings(Duration.ofSeconds(30), 2, 5, Duration.ofSeconds(600), 0));
    }
}
