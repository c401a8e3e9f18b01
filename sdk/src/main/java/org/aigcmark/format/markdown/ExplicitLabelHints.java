package org.aigcmark.format.markdown;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.text.ExplicitLabelDetector;
import org.aigcmark.text.ExplicitLabelFinding;

/**
 * Adds the explicit label prompts found in a text body to a scan as hints of kind {@code explicit-label} (source
 * {@code text:start}, {@code text:end} or {@code text:body}), so {@code inspect} and {@code detect} show the label a
 * text file can carry. Large bodies are searched in their first and last 64 KiB only (labels sit at the edges).
 */
public final class ExplicitLabelHints {
    static final int WHOLE_LIMIT = 4 << 20;
    static final int EDGE = 64 * 1024;
    static final int MAX_HINTS = 8;

    private ExplicitLabelHints() {}

    /** {@code b[from..]} must be valid UTF-8. */
    static void add(byte[] b, int from, ContainerScan scan) {
        ExplicitLabelDetector detector = new ExplicitLabelDetector();
        int len = b.length - from;
        if (len <= WHOLE_LIMIT) {
            report(detector.find(new String(b, from, len, StandardCharsets.UTF_8)), null, scan);
            return;
        }
        int headEnd = boundary(b, from + EDGE);
        int tailStart = boundary(b, b.length - EDGE);
        report(detector.find(new String(b, from, headEnd - from, StandardCharsets.UTF_8)), ExplicitLabelFinding.Location.START, scan);
        report(detector.find(new String(b, tailStart, b.length - tailStart, StandardCharsets.UTF_8)), ExplicitLabelFinding.Location.END, scan);
    }

    /**
     * Adds hints for the label prompts in already-extracted document text ({@code where} prefixes the source, e.g.
     * {@code pdf-text} gives {@code pdf-text:start}).
     */
    public static void addFromText(String text, String where, ContainerScan scan) {
        for (ExplicitLabelFinding f : new ExplicitLabelDetector().find(text)) {
            if (scan.hints().stream().filter(h -> h.kind() == ContainerScan.HintKind.EXPLICIT_LABEL).count() >= MAX_HINTS) {
                return;
            }
            scan.addHint(ContainerScan.HintKind.EXPLICIT_LABEL, where + ":" + f.location().name().toLowerCase(java.util.Locale.ROOT), f.text());
        }
    }

    private static void report(List<ExplicitLabelFinding> findings, ExplicitLabelFinding.Location only, ContainerScan scan) {
        for (ExplicitLabelFinding f : findings) {
            if (scan.hints().stream().filter(h -> h.kind() == ContainerScan.HintKind.EXPLICIT_LABEL).count() >= MAX_HINTS) {
                return;
            }
            if (only != null && f.location() != only) {
                continue; // an edge window of a large file: its far side is not the file's edge
            }
            scan.addHint(ContainerScan.HintKind.EXPLICIT_LABEL, "text:" + f.location().name().toLowerCase(java.util.Locale.ROOT), f.text());
        }
    }

    /** The nearest offset at or after {@code i} that starts a UTF-8 character. */
    private static int boundary(byte[] b, int i) {
        while (i < b.length && (b[i] & 0xC0) == 0x80) {
            i++;
        }
        return i;
    }
}
