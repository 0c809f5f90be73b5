package org.cloudkeep.demo;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line: redrawn in place on a terminal, else printed as a plain line every two seconds (and once at the
 * end), so that a log of the output stays short.
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long PLAIN_EVERY_NANOS = 2_000_000_000L;
    private static final long SAME_EVERY_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private long lastPlain;
    private String lastProgress = "";
    private int lastLength;
    private boolean open;

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.lastPlain = System.nanoTime() - PLAIN_EVERY_NANOS;
    }

    boolean terminal() {
        return terminal;
    }

    static String line(long filesDone, long files, long bytesDone, long bytes, double bytesPerSecond) {
        double fraction =
                bytes > 0 ? Math.min(1.0, (double) bytesDone / bytes) : files > 0 ? (double) filesDone / files : 0;
        int filled = (int) Math.round(fraction * WIDTH);
        return String.format(
                Locale.ROOT,
                "   [%s%s] %3d%%  %d/%d files  %s/%s  %s",
                "#".repeat(filled),
                ".".repeat(WIDTH - filled),
                (int) Math.floor(fraction * 100),
                filesDone,
                files,
                Text.mb(bytesDone).replace(" MB", ""),
                Text.mb(bytes),
                Text.rate(bytesPerSecond));
    }

    synchronized void show(String line) {
        if (terminal) {
            draw(line);
        } else if (System.nanoTime() - lastPlain >= PLAIN_EVERY_NANOS) {
            // The same progress again (only the rate moved) is printed every ten seconds at most.
            String progress = line.substring(0, line.lastIndexOf("  "));
            if (!progress.equals(lastProgress) || System.nanoTime() - lastPlain >= SAME_EVERY_NANOS) {
                out.println(line);
                lastPlain = System.nanoTime();
                lastProgress = progress;
            }
        }
    }

    synchronized void finish(String line) {
        if (terminal) {
            draw(line);
            out.println();
        } else {
            out.println(line);
        }
        open = false;
        lastLength = 0;
        lastProgress = "";
    }

    /** Ends a line left open by the bar, before something else is printed. */
    synchronized void interrupt() {
        if (open) {
            out.println();
            open = false;
            lastLength = 0;
        }
    }

    private void draw(String line) {
        String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
        out.print("\r" + padded);
        out.flush();
        lastLength = line.length();
        open = true;
    }
}
