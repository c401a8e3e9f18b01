package org.aigcmark;

import java.util.Locale;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.Limits;
import org.aigcmark.text.ExplicitLabelDetector;
import org.aigcmark.text.ExplicitLabelFinding;

/**
 * Adds the explicit label prompts found in a file's visible text ({@link FormatHandler#text()}) to its scan as hints
 * of kind {@code explicit-label}, so {@code inspect} and {@code detect} show the label a document or text file can
 * carry. One place for every format: a handler only says where its text is ({@code pdf-text:page-1:start},
 * {@code docx-text:start}, {@code text:end}, ...).
 */
final class ExplicitLabelHints {
    static final int MAX_HINTS = 8;

    private ExplicitLabelHints() {}

    /** Searches {@code handler}'s text of {@code file}, when it has one and the scan found no damage. */
    static void add(FormatHandler handler, byte[] file, Limits limits, ContainerScan scan) {
        if (scan.damaged() || handler.text().isEmpty()) {
            return;
        }
        FormatHandler.Text text;
        try {
            text = handler.text().get().extractText(file, limits);
        } catch (RuntimeException | StackOverflowError e) {
            return; // the text serves the report's hints; the record does not depend on it
        }
        ExplicitLabelDetector detector = new ExplicitLabelDetector();
        for (FormatHandler.Passage p : text.passages()) {
            for (ExplicitLabelFinding f : detector.find(p.text())) {
                if (scan.hints().stream().filter(h -> h.kind() == ContainerScan.HintKind.EXPLICIT_LABEL).count() >= MAX_HINTS) {
                    break;
                }
                if (!atTextEdge(f.location(), p.window())) {
                    continue; // an edge window of a large text: its far side is not the text's edge
                }
                scan.addHint(ContainerScan.HintKind.EXPLICIT_LABEL, p.source() + ":" + f.location().name().toLowerCase(Locale.ROOT),
                        f.evasions().isEmpty() ? f.text() : f.text() + " (evasion: "
                                + String.join(", ", f.evasions().stream().map(ExplicitLabelFinding.Evasion::label).toList()) + ")");
            }
        }
        scan.notes().addAll(text.notes());
    }

    private static boolean atTextEdge(ExplicitLabelFinding.Location at, FormatHandler.Window window) {
        return switch (window) {
            case WHOLE -> true;
            case HEAD -> at == ExplicitLabelFinding.Location.START;
            case TAIL -> at == ExplicitLabelFinding.Location.END;
        };
    }
}
