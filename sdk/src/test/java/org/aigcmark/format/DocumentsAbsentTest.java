package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sdk alone (its tests run without aigcmark-documents on the class path) still sniffs and names a PDF or an
 * office document, and every entry point says which artifact reads it: an UNSUPPORTED_FORMAT error, not a crash and
 * not "unknown format".
 */
class DocumentsAbsentTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQUEST = LabelRequest.produced("001191110102MACQD9K64010000", "n-1");

    @ParameterizedTest
    @CsvSource({"docs/ghostscript.pdf, pdf, PDF document", "docs/python-docx.docx, docx, DOCX document",
        "docs/openpyxl.xlsx, xlsx, XLSX workbook", "docs/pandoc.pptx, pptx, PPTX presentation",
        "unsupported/plain.zip, zip, ZIP archive"})
    void documentsAreNamedAndTheMessageNamesTheArtifact(String fixture, String id, String name) {
        byte[] in = Fixtures.bytes(fixture);
        Path file = Fixtures.path(fixture);
        assertEquals(id, MediaType.sniff(in).id());
        assertTrue(FormatRegistry.defaults().handlerFor(MediaType.sniff(in)).isEmpty(), "documents must be absent here");
        Detector detector = Detector.create(LABELER, List.of(), List.of(), List.of());
        for (Executable call : List.<Executable>of(
                () -> LABELER.inspect(in, fixture, List.of()),
                () -> LABELER.inspect(file, List.of()),
                () -> LABELER.label(in, fixture, REQUEST),
                () -> detector.detect(file, false))) {
            AigcmarkException e = assertThrows(AigcmarkException.class, call);
            assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("org.aigcmark:aigcmark-documents"),
                    e.getMessage());
        }
    }
}
