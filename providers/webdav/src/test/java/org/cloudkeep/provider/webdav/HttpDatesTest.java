package org.cloudkeep.provider.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast reading of getlastmodified and status lines agrees with the general one. */
class HttpDatesTest {

    @Test
    void theFastPathReadsWhatTheFormatterWritesForAnyDate() {
        Random random = new Random(20261130);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L)); // 1970 to 2100
            String text = DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
            if (text.length() == 28) {
                continue; // a one-digit day ("Sun, 6 Nov ..."): not the fixed form, the formatter reads it
            }
            assertEquals(instant, HttpFailures.fixDate(text), text);
            assertEquals(instant, HttpFailures.httpDate(text), text);
        }
    }

    @Test
    void formsOtherThanTheFixedOneStillGoThroughTheFormatter() {
        assertEquals(Instant.parse("1994-11-06T08:49:37Z"), HttpFailures.httpDate("Sun, 6 Nov 1994 08:49:37 GMT"));
        assertEquals(Instant.parse("1994-11-06T07:49:37Z"), HttpFailures.httpDate("Sun, 06 Nov 1994 08:49:37 +0100"));
        assertEquals(Instant.parse("1994-11-06T08:49:37Z"), HttpFailures.httpDate("  Sun, 06 Nov 1994 08:49:37 GMT "));
        // The formatter reads names in any case, as it always did here; the fast path leaves that to it.
        assertNull(HttpFailures.fixDate("Sun, 06 nov 1994 08:49:37 GMT"));
        assertEquals(Instant.parse("1994-11-06T08:49:37Z"), HttpFailures.httpDate("Sun, 06 nov 1994 08:49:37 GMT"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Mon, 06 Nov 1994 08:49:37 GMT", // the wrong weekday
                "Wed, 30 Feb 2022 08:49:37 GMT", // no such day
                "Sun, 06 Nox 1994 08:49:37 GMT",
                "Sun, 06 ovN 1994 08:49:37 GMT", // a month name's letters, out of place
                "Sun, 06 Nov 1994 24:49:37 GMT",
                "Sun, 06 Nov 1994 08:60:37 GMT",
                "Sun, 06 Nov 1994 08:49:61 GMT",
                "Sun, 0x Nov 1994 08:49:37 GMT",
                "Sun, 06 Nov 19-4 08:49:37 GMT",
                "Sun, 06 Nov 1994 08:49:37 UTX",
                "Sunday, 06-Nov-94 08:49:37 GMT",
                "",
                "not a date at all, not at all"
            })
    void aBrokenDateIsNoDate(String text) {
        assertNull(HttpFailures.fixDate(text), text);
        assertNull(HttpFailures.httpDate(text), text);
    }

    @Test
    void statusLines() {
        assertTrue(Multistatus.isSuccess("HTTP/1.1 200 OK"));
        assertTrue(Multistatus.isSuccess("  HTTP/1.1   207\tMulti-Status "));
        assertTrue(Multistatus.isSuccess("HTTP/1.1 204"));
        assertFalse(Multistatus.isSuccess("HTTP/1.1 404 Not Found"));
        assertFalse(Multistatus.isSuccess("HTTP/1.1 2000 OK"));
        assertFalse(Multistatus.isSuccess("200 OK"));
        assertFalse(Multistatus.isSuccess("HTTP/1.1"));
        assertFalse(Multistatus.isSuccess(""));
    }
}
