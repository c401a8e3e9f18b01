package org.aigcmark.format.markdown;

import java.util.Optional;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.Limits;

/**
 * Plain UTF-8 text (and Markdown without front matter, which content cannot tell apart from it). Plain text has
 * no metadata slot, so there is no writer: the explicit label ({@code aigcmark text label}) is its only label.
 * Scanning still reports invalid UTF-8 as damage so that {@code inspect} and {@code detect} say what is wrong.
 */
public final class PlainTextHandler implements FormatHandler {
    /** Said wherever a caller asks to write an implicit label into plain text. */
    public static final String NO_SLOT = "plain text has no metadata slot for the implicit (metadata) label; add the "
            + "explicit label with `aigcmark text label IN -o OUT` (ExplicitTextLabel in the SDK); if the file is Markdown, "
            + "start it with a YAML front-matter block (a line `---`, then a line `---`) and label it again";

    @Override
    public MediaType type() {
        return MediaType.TEXT;
    }

    /** The whole file: plain text is all body. */
    @Override
    public Optional<TextContent> text() {
        return Optional.of((b, limits) -> MarkdownHandler.firstInvalidUtf8(b) >= 0 ? Text.NONE : MarkdownHandler.body(b, 0));
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.TEXT);
        int bad = MarkdownHandler.firstInvalidUtf8(b);
        if (bad >= 0) {
            scan.damage().add("invalid UTF-8 at byte offset " + bad + " (not a UTF-8 text file)");
        } else {
            // A remark, not a problem: said as a hint so reports do not list it among problems.
            scan.addHint(ContainerScan.HintKind.CONTAINER, "text", "plain text has no metadata slot: only an explicit label can mark it (see `aigcmark text detect`)");
        }
        return scan;
    }
}
