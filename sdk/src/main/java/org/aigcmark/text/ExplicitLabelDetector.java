package org.aigcmark.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds explicit AIGC label prompts in text: an AI element and a generation element within a few words of each
 * other, tolerant of fullwidth/halfwidth forms, case, punctuation, spacing and zero-width characters (NFKC, then
 * word units). Each finding says whether it sits in the start window, the end window or the body.
 */
public final class ExplicitLabelDetector {
    /** Default size (in chars) of the start and end windows, where GB 45438 places text labels. */
    public static final int DEFAULT_WINDOW = 64;

    private final int window;

    public ExplicitLabelDetector() {
        this(DEFAULT_WINDOW);
    }

    public ExplicitLabelDetector(int window) {
        this.window = Math.max(1, window);
    }

    /** All label prompts in the text, in order. */
    public List<ExplicitLabelFinding> find(String text) {
        List<ExplicitLabelFinding> out = new ArrayList<>();
        int n = text.length();
        int contentStart = 0;
        while (contentStart < n && Character.isWhitespace(text.charAt(contentStart))) {
            contentStart++;
        }
        int contentEnd = n;
        while (contentEnd > contentStart && Character.isWhitespace(text.charAt(contentEnd - 1))) {
            contentEnd--;
        }
        for (LabelElements.Match m : matches(text)) {
            int fromStart = m.start() - contentStart;
            int fromEnd = contentEnd - m.end();
            // In a short text both windows overlap: the nearer edge wins.
            ExplicitLabelFinding.Location loc = fromStart < window && fromStart <= fromEnd ? ExplicitLabelFinding.Location.START
                    : fromEnd < window ? ExplicitLabelFinding.Location.END
                    : fromStart < window ? ExplicitLabelFinding.Location.START
                    : ExplicitLabelFinding.Location.BODY;
            out.add(new ExplicitLabelFinding(m.start(), m.end(), text.substring(m.start(), m.end()), loc));
        }
        return out;
    }

    /** At most this many findings are returned (a hostile file could hold millions). */
    public static final int MAX_FINDINGS = 1000;
    private static final int CHUNK = 1 << 16;
    private static final int OVERLAP = 512;

    /**
     * Element pairs over the whole text, chunk by chunk so memory stays bounded on large inputs. Chunks start
     * after a non-letter (never inside a word) and overlap, so a label across a chunk border is still found once.
     */
    private static List<LabelElements.Match> matches(String text) {
        List<LabelElements.Match> out = new ArrayList<>();
        int n = text.length();
        int start = 0;
        int lastEnd = -1;
        while (start < n && out.size() < MAX_FINDINGS) {
            int nominalEnd = Math.min(n, start + CHUNK);
            int end = Math.min(n, nominalEnd + OVERLAP);
            for (LabelElements.Match m : LabelElements.pairs(LabelElements.units(text, start, end))) {
                if (m.start() >= nominalEnd && end < n) {
                    break; // the next chunk reports it
                }
                if (m.start() >= lastEnd && out.size() < MAX_FINDINGS) {
                    out.add(m);
                    lastEnd = m.end();
                }
            }
            if (nominalEnd >= n) {
                break;
            }
            int next = nominalEnd;
            while (next < n && next < nominalEnd + 100 && Character.isLetterOrDigit(text.charAt(next - 1))) {
                next++;
            }
            start = next;
        }
        return out;
    }

    /** Whether a label sits in the start window or the end window (what a compliant provider emits). */
    public boolean hasStartOrEndLabel(String text) {
        return find(text).stream().anyMatch(f -> f.location() != ExplicitLabelFinding.Location.BODY);
    }
}
