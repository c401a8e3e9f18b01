package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Formats are named by what they are: recognised-but-unsupported files by name (office documents by kind: see
 * DocumentsAbsentTest here and aigcmark-documents' DocumentFormatsTest).
 */
class FormatNamesTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQUEST = LabelRequest.produced("001191110102MACQD9K64010000", "n-1");

    @ParameterizedTest
    @CsvSource({
        "unsupported/still.bmp, bmp, BMP image, exiftool, BMP",
        "unsupported/minimal.epub, epub, EPUB e-book, exiftool, EPUB",
        "unsupported/minimal.odt, odf, OpenDocument file, exiftool, ODT",
    })
    void recognisedFormatsAreNamedInTheError(String fixture, String id, String name, String tool, String toolName) {
        byte[] in = Fixtures.bytes(fixture);
        // An independent reader agrees on what the file is.
        if (tool.equals("ffprobe")) {
            String f = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format=format_name", "-of", "csv=p=0",
                    Fixtures.path(fixture).toString());
            assertTrue(List.of(f.strip().split(",")).contains(toolName), f);
        } else {
            assertEquals(toolName, TestSupport.run("exiftool", "-s3", "-FileType", Fixtures.path(fixture).toString()).strip());
        }
        assertEquals(id, MediaType.sniff(in).id());
        for (boolean inspect : new boolean[] {false, true}) {
            var e = assertThrows(AigcmarkException.class, () -> {
                if (inspect) {
                    LABELER.inspect(in, fixture, List.of());
                } else {
                    LABELER.label(in, fixture, REQUEST);
                }
            });
            assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.reason());
            assertTrue(e.getMessage().contains(name + " is not supported for "), e.getMessage());
            String magic = HexFormat.of().formatHex(java.util.Arrays.copyOf(in, 8));
            assertFalse(e.getMessage().toLowerCase(Locale.ROOT).contains(magic), e.getMessage());
        }
    }
}
