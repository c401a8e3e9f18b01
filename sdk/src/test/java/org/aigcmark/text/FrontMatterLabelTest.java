package org.aigcmark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.label.LabelSignatures;
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

    @Test
    void relabellingSignedMarkdownSaysTheSignatureNoLongerVerifies() throws Exception {
        Labeler labeler = Labeler.create();
        var key = org.aigcmark.label.LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        var pub = org.aigcmark.label.LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"));
        byte[] signed = labeler.label(Fixtures.bytes("docs/front-matter.md"),
                LabelRequest.produced("001191110102MACQD9K64010000", "md-2").withSigningKey(key)).bytes();
        assertEquals(LabelSignatures.Status.VALID,
                labeler.inspect(signed, "x.md", List.of(pub)).labels().get(0).signature());
        ExplicitTextLabel.Result r = ExplicitTextLabel.defaults(TextLanguage.ZH)
                .relabel(new String(signed, StandardCharsets.UTF_8), LabelPosition.BOTH, false);
        // The prompts are part of the signed body: the old signature cannot hold, and the result says so.
        assertEquals(LabelSignatures.Status.INVALID, labeler.inspect(r.text().getBytes(StandardCharsets.UTF_8), "x.md",
                List.of(pub)).labels().get(0).signature());
        assertEquals(1, r.notes().size(), r.notes().toString());
        assertTrue(r.notes().get(0).contains("no longer verifies") && r.notes().get(0).contains("--sign-key"), r.notes().get(0));
        // Signing again after the prompts (what the note says) gives one record whose signature holds.
        byte[] resigned = labeler.label(r.text().getBytes(StandardCharsets.UTF_8), "x.md",
                LabelRequest.produced("001191110102MACQD9K64010000", "md-2").withSigningKey(key)).bytes();
        InspectReport again = labeler.inspect(resigned, "x.md", List.of(pub));
        assertEquals(1, again.labels().size());
        assertEquals(LabelSignatures.Status.VALID, again.labels().get(0).signature());
        assertEquals(2, again.hints().stream().filter(h -> h.kind().id().equals("explicit-label")).count());
        // Unsigned records get no note.
        byte[] unsigned = labeler.label(Fixtures.bytes("docs/front-matter.md"),
                LabelRequest.produced("001191110102MACQD9K64010000", "md-3")).bytes();
        assertEquals(List.of(), ExplicitTextLabel.defaults(TextLanguage.ZH)
                .relabel(new String(unsigned, StandardCharsets.UTF_8), LabelPosition.BOTH, false).notes());
    }
}
