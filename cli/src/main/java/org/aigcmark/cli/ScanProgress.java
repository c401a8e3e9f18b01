package org.aigcmark.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Scan progress on standard error: files done/total, files per second and the time left. On a terminal one line is
 * redrawn in place (at most ten times a second); otherwise a plain line every {@code every} files and one at the end,
 * so logs stay readable.
 */
final class ScanProgress {
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final int every;
    private final int total;
    private final int alreadyDone;
    private final long start = System.nanoTime();
    private int done;
    private long lastDraw;
    private int lastWidth;

    /**
     * @param alreadyDone files the journal already held (count towards done, not towards the rate)
     * @param every       plain-line interval when not a terminal; 0 turns progress off
     */
    ScanProgress(PrintWriter err, boolean terminal, int total, int alreadyDone, int every) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
        this.alreadyDone = alreadyDone;
        this.every = every;
        this.done = alreadyDone;
    }

    synchronized void step() {
        done++;
        if (every <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw >= REDRAW_NANOS || done == total) {
                redraw(now);
            }
        } else if ((done - alreadyDone) % every == 0 && done != total) {
            err.println(line(now));
        }
    }

    /** The final line: ends the redrawn line on a terminal, or prints the closing plain line. */
    synchronized void finish() {
        if (every <= 0 || done == alreadyDone) {
            return;
        }
        if (terminal) {
            redraw(System.nanoTime());
            err.println();
        } else {
            err.println(line(System.nanoTime()));
        }
        err.flush();
    }

    private void redraw(long now) {
        String l = line(now);
        // carriage return, the line, then blanks over whatever a longer earlier line left behind
        err.print("\r" + l + " ".repeat(Math.max(0, lastWidth - l.length())));
        err.flush();
        lastWidth = l.length();
        lastDraw = now;
    }

    String line(long now) {
        double seconds = (now - start) / 1e9;
        int scannedNow = done - alreadyDone;
        double rate = seconds > 0 ? scannedNow / seconds : 0;
        String eta = done >= total ? "took " + duration(seconds) : rate > 0 ? "ETA " + duration((total - done) / rate) : "ETA unknown";
        return String.format(Locale.ROOT, "scan: %d/%d files (%d%%), %.1f files/s, %s", done, total,
                total == 0 ? 100 : done * 100L / total, rate, eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
