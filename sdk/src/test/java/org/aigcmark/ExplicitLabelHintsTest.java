package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.MediaType;
import org.aigcmark.Limits;
import org.junit.jupiter.api.Test;

/**
 * Explicit labels are found by the sdk in whatever text a handler offers ({@link FormatHandler#text()}): a handler
 * names its passages and never searches them itself.
 */
class ExplicitLabelHintsTest {

    /** A PDF handler with no parser: its "text" is the file's bytes after the header line, one passage per line. */
    static final class TextOnlyHandler implements FormatHandler {
        final boolean damaged;

        TextOnlyHandler(boolean damaged) {
            this.damaged = damaged;
        }

        @Override
        public MediaType type() {
            return MediaType.PDF;
        }

        @Override
        public ContainerScan scan(byte[] file, Limits limits) {
            ContainerScan scan = new ContainerScan(MediaType.PDF);
            if (damaged) {
                scan.damage().add("cut short");
            }
            return scan;
        }

        @Override
        public Optional<TextContent> text() {
            return Optional.of((b, limits) -> {
                String[] lines = new String(b, StandardCharsets.UTF_8).split("\n");
                return new Text(List.of(Passage.whole("fake-text:page-1", lines[1]),
                        new Passage("fake-text:tail", lines[2], Window.TAIL)), List.of("page 2 not read"));
            });
        }
    }

    static final byte[] FILE = "%PDF-1.7\n（本内容由AI生成）Opening words.\nAI生成 at the start of a tail window does not count\n%%EOF\n"
            .getBytes(StandardCharsets.UTF_8);

    static InspectReport inspect(boolean damaged) {
        Labeler labeler = Labeler.create(FormatRegistry.of(List.of(new TextOnlyHandler(damaged))), Limits.DEFAULT);
        return labeler.inspect(FILE, "x.pdf", List.of());
    }

    @Test
    void everyHandlerWithTextGetsTheSameSearch() {
        InspectReport r = inspect(false);
        List<String> hints = r.hints().stream().filter(h -> h.kind().id().equals("explicit-label"))
                .map(h -> h.source() + "=" + h.value().strip()).toList();
        assertEquals(1, hints.size(), hints.toString());
        assertTrue(hints.get(0).startsWith("fake-text:page-1:start=") && hints.get(0).contains("AI生成"), hints.toString());
        assertEquals(List.of("page 2 not read"), r.problems());
    }

    @Test
    void aDamagedFileIsNotSearched() {
        InspectReport r = inspect(true);
        assertEquals(List.of(), r.hints());
        assertEquals(List.of("cut short"), r.problems());
    }
}
