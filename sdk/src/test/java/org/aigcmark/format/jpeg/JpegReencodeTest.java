package org.aigcmark.format.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.aigcmark.LabelResult;
import org.aigcmark.TestSupport;
import org.aigcmark.format.ReencodeSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A re-encoded JPEG keeps its scan mode (progressive or baseline), quality, subsampling and APPn segments. */
class JpegReencodeTest {

    @ParameterizedTest
    @CsvSource({"jpeg/progressive.jpg, JPEG", "jpeg/plain.jpg, None", "photos/19-fig-red-bowl.jpg, None"})
    void scanModeQualityAndSubsamplingSurviveAVisibleLabel(String fixture, String interlace) {
        String format = "%[interlace] %Q %[jpeg:sampling-factor]";
        String before = TestSupport.run("identify", "-format", format, Fixtures.path(fixture).toString()).trim();
        assertTrue(before.startsWith(interlace + " "), before);
        LabelResult r = ReencodeSupport.labelVisible(fixture);
        Path out = ReencodeSupport.written("out.jpg", r);
        assertEquals(before, TestSupport.run("identify", "-format", format, out.toString()).trim(), fixture);
    }

    @ParameterizedTest
    @CsvSource({"jpeg/progressive.jpg, C2", "jpeg/plain.jpg, C0"})
    void frameMarkerIsKept(String fixture, String sofHex) {
        int sof = Integer.parseInt(sofHex, 16);
        LabelResult r = ReencodeSupport.labelVisible(fixture);
        boolean found = TestSupport.jpegSegments(r.bytes()).stream().anyMatch(s -> (s[1] & 0xFF) == sof);
        assertTrue(found, fixture + " lost its SOF marker FF" + sofHex);
    }
}
