package org.aigcmark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/** A start label must not push Markdown front matter (which holds the AIGC record) off the top of the file. */
class FrontMatterLabelTest {
    @Test
    void startLabelGoesAfterTheFrontMatterAndTheRecordStaysReadable() {
        Labeler labeler = Labeler.create();
        byte[] labelled = labeler.label(Fixtures.bytes("docs/front-matter.md"),
                LabelRequest.produced("001191110102MACQD9K64010000", "md-1")).bytes();
        String md = new String(labelled, StandardCharsets.UTF_8);
        String withPrompt = ExplicitTextLabel.defaults(TextLanguage.ZH).apply(md, LabelPosition.BOTH);
        assertTrue(withPrompt.startsWith("---"), withPrompt.substring(0, 40));
        int close = withPrompt.indexOf("\n---", 3);
        assertTrue(withPrompt.substring(close + 4).stripLeading().startsWith(ExplicitTextLabel.DEFAULT_ZH));
        InspectReport r = labeler.inspect(withPrompt.getBytes(StandardCharsets.UTF_8), "x.md", List.of());
        assertEquals(1, r.labels().size());
        assertEquals("md-1", r.labels().get(0).label().produceId());
        // Without front matter the prompt is the first line, as before.
        assertTrue(ExplicitTextLabel.defaults(TextLanguage.ZH).apply("正文\n", LabelPosition.START).startsWith(ExplicitTextLabel.DEFAULT_ZH));
    }
}
