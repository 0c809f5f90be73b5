package org.cloudkeep.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formatting for people: sizes, durations, names with control characters, log tails. */
final class Text {

    private Text() {}

    /** Bytes in decimal megabytes, one decimal: {@code 61.7 MB}. */
    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static String rate(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** A name in quotes with control characters, backslashes and quotes escaped, as Java would write it. */
    static String quoted(String name) {
        StringBuilder out = new StringBuilder("\"");
        name.codePoints().forEach(c -> {
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** The last lines of a log, or why there are none. */
    static List<String> tail(Path log, int lines) {
        if (!Files.isRegularFile(log)) {
            return List.of("(" + log + " does not exist)");
        }
        try {
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            List<String> all = new ArrayList<>(text.lines().toList());
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }
}
