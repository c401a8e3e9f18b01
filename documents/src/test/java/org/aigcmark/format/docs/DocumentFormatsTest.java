package org.aigcmark.format.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.ooxml.OoxmlHandler;
import org.aigcmark.format.pdf.PdfHandler;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** With this artifact on the class path the sdk's default list reads documents, in the order it always had. */
class DocumentFormatsTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQUEST = LabelRequest.produced("001191110102MACQD9K64010000", "n-1");

    @Test
    void theDocumentHandlersTakeTheirPlaceAtTheEndOfTheDefaultList() {
        List<FormatHandler> all = FormatRegistry.defaults().handlers();
        assertEquals(List.of(OoxmlHandler.class, PdfHandler.class),
                all.subList(all.size() - 2, all.size()).stream().map(Object::getClass).toList());
        for (MediaType t : List.of(MediaType.PDF, MediaType.DOCX, MediaType.XLSX, MediaType.PPTX, MediaType.ZIP)) {
            assertTrue(FormatRegistry.defaults().handlerFor(t).isPresent(), t.toString());
        }
    }

    @ParameterizedTest
    @CsvSource({"docs/python-docx.docx, docx", "docs/pandoc-custom-props.docx, docx", "docs/openpyxl.xlsx, xlsx",
        "docs/pandoc.pptx, pptx"})
    void officeDocumentsAreNamedByKind(String fixture, String kind) {
        byte[] in = Fixtures.bytes(fixture);
        assertEquals(kind, MediaType.sniff(in).id());
        assertEquals(kind, LABELER.inspect(in, fixture, List.of()).format().id());
        assertEquals(kind, ReportJson.toNode(LABELER.inspect(in, fixture, List.of())).get("format").asText());
        var r = LABELER.label(in, fixture, REQUEST);
        assertEquals(kind, r.format().id());
        assertEquals(kind, LABELER.inspect(r.bytes(), "out", List.of()).format().id());
    }

    @Test
    void aPlainZipSaysLabellingIsNotSupported() {
        var e = assertThrows(AigcmarkException.class,
                () -> LABELER.label(Fixtures.bytes("unsupported/plain.zip"), "plain.zip", REQUEST));
        assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("ZIP archive is not supported for labelling"), e.getMessage());
    }

    @Test
    void documentsWithAVisiblePromptAreSuspectedAndNoPixelsAreTried() {
        Detector detector = Detector.create(LABELER, List.of(), List.of(), List.of());
        for (String f : List.of("docs/ghostscript-visible-label.pdf", "docs/python-docx-visible-label.docx")) {
            DetectionReport r = detector.detect(Fixtures.path(f), false);
            assertEquals("3", r.verdict().labelCode(), f + ": " + r.verdict().reason());
            assertTrue(r.evidence().stream().anyMatch(e -> e.kind().id().equals("explicit-label")), f);
            assertTrue(r.problems().stream().noneMatch(p -> p.contains("pixels")), f + ": " + r.problems());
        }
        DetectionReport plain = detector.detect(Fixtures.path("docs/ghostscript.pdf"), false);
        assertNull(plain.verdict().labelCode(), plain.verdict().reason());
        assertTrue(plain.problems().stream().noneMatch(p -> p.contains("pixels")), plain.problems().toString());
    }
}
