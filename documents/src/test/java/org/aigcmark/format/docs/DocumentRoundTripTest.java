package org.aigcmark.format.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PublicKey;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.PropagateRequest;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every document format through the public {@link Labeler}: label, inspect, relabel, propagate, sign. Formats are
 * chosen by content, so the fixtures' names play no part.
 */
class DocumentRoundTripTest {
    static final Labeler LABELER = Labeler.create();
    static final String PRODUCER = "001191110102MACQD9K64010000";
    static final String PLATFORM = "009144030008867405X210002";


    @ParameterizedTest
    @ValueSource(strings = {"docs/front-matter.md", "docs/wild-inline.md", "docs/python-docx.docx", "docs/openpyxl.xlsx", "docs/pandoc.pptx", "docs/pandoc-custom-props.docx", "docs/ghostscript.pdf", "docs/qpdf-object-streams.pdf", "docs/qpdf-linearized-no-info.pdf"})
    void labelThenInspectShowsExactlyOneRecord(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        byte[] out = LABELER.label(in, fixture, LabelRequest.produced(PRODUCER, "doc-1")).bytes();
        InspectReport r = LABELER.inspect(out, fixture, List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals(AigcLabel.produced(PRODUCER, "doc-1"), r.labels().get(0).label());
        assertFalse(r.damaged());
        assertEquals(List.of(), r.labels().get(0).problems());
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/front-matter.md", "docs/wild-inline.md", "docs/python-docx.docx", "docs/openpyxl.xlsx", "docs/pandoc.pptx", "docs/pandoc-custom-props.docx", "docs/ghostscript.pdf", "docs/qpdf-object-streams.pdf", "docs/qpdf-linearized-no-info.pdf"})
    void relabelReplacesTheRecordAndKeepsTheDigest(String fixture) {
        byte[] once = LABELER.label(Fixtures.bytes(fixture), fixture, LabelRequest.produced(PRODUCER, "first")).bytes();
        byte[] twice = LABELER.label(once, fixture, LabelRequest.produced(PRODUCER, "second")).bytes();
        InspectReport r = LABELER.inspect(twice, fixture, List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("second", r.labels().get(0).label().produceId());
        assertArrayEquals(LABELER.contentDigest(fixtureCopy(once, fixture), "SHA-256"),
                LABELER.contentDigest(fixtureCopy(twice, fixture), "SHA-256"), "a label write never changes the digest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/front-matter.md", "docs/python-docx.docx", "docs/openpyxl.xlsx", "docs/pandoc.pptx", "docs/ghostscript.pdf", "docs/qpdf-object-streams.pdf"})
    void propagateKeepsTheProducerAndSignsReservedCode2(String fixture) throws Exception {
        LabelKeys.SigningKey key = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        PublicKey pub = LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"));
        byte[] produced = LABELER.label(Fixtures.bytes(fixture), fixture,
                LabelRequest.produced(PRODUCER, "p-1").withSigningKey(key)).bytes();
        byte[] spread = LABELER.propagate(produced, fixture, PropagateRequest.of(PLATFORM, "share-9").withSigningKey(key)).bytes();
        InspectReport r = LABELER.inspect(spread, fixture, List.of(pub));
        assertEquals(1, r.labels().size());
        InspectReport.FoundLabel f = r.labels().get(0);
        assertEquals(PRODUCER, f.label().contentProducer());
        assertEquals(PLATFORM, f.label().contentPropagator());
        assertEquals("share-9", f.label().propagateId());
        assertEquals(LabelSignatures.Status.VALID, f.signature(), f.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/front-matter.md", "docs/python-docx.docx", "docs/openpyxl.xlsx", "docs/pandoc.pptx", "docs/ghostscript.pdf", "docs/qpdf-object-streams.pdf"})
    void signatureIsValidAndBreaksWhenTheContentChanges(String fixture) throws Exception {
        LabelKeys.SigningKey key = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        PublicKey pub = LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"));
        byte[] out = LABELER.label(Fixtures.bytes(fixture), fixture, LabelRequest.produced(PRODUCER, "s-1").withSigningKey(key)).bytes();
        assertEquals(LabelSignatures.Status.VALID, LABELER.inspect(out, fixture, List.of(pub)).labels().get(0).signature());
        byte[] tampered = Tamper.changeContent(out);
        assertNotEquals(LabelSignatures.Status.VALID, LABELER.inspect(tampered, fixture, List.of(pub)).labels().get(0).signature());
    }

    /**
     * Pointing the package's officeDocument relationship at another part makes a reader open that one: the bytes of
     * every part stay as they were, so only the version 2 digest (the part graph) catches it. Same for the content
     * types. A version 1 signature (docs/SIGNATURES.md) did not.
     */
    @Test
    void aRedirectedMainPartOrContentTypeBreaksTheSignature() {
        LabelKeys.SigningKey key = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        PublicKey pub = LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"));
        String fixture = "docs/python-docx.docx";
        byte[] out = LABELER.label(Fixtures.bytes(fixture), fixture, LabelRequest.produced(PRODUCER, "g-1").withSigningKey(key)).bytes();
        assertEquals(LabelSignatures.Status.VALID, LABELER.inspect(out, fixture, List.of(pub)).labels().get(0).signature());
        byte[] rezipped = Tamper.replaceInPart(out, "word/settings.xml", "<", "<"); // same bytes, another ZIP
        assertEquals(LabelSignatures.Status.VALID, LABELER.inspect(rezipped, fixture, List.of(pub)).labels().get(0).signature(),
                "re-zipping the same parts keeps the signature");
        for (byte[] tampered : List.of(
                Tamper.replaceInPart(out, "_rels/.rels", "Target=\"word/document.xml\"", "Target=\"word/numbering.xml\""),
                Tamper.replaceInPart(out, "[Content_Types].xml", "wordprocessingml.document.main+xml",
                        "wordprocessingml.template.main+xml"))) {
            InspectReport.FoundLabel f = LABELER.inspect(tampered, fixture, List.of(pub)).labels().get(0);
            assertEquals(LabelSignatures.Status.INVALID, f.signature(), f.signatures().toString());
            assertTrue(f.signatures().get(0).detail().contains("content was changed"), f.signatures().toString());
        }
    }

    static java.nio.file.Path fixtureCopy(byte[] b, String fixture) {
        return org.aigcmark.TestSupport.temp(java.nio.file.Path.of(fixture).getFileName().toString(), b);
    }
}
