package org.aigcmark.format.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A progressive JPEG whose smallest scan is repeated thousands of times (issue 16, "JPEG files that detect does not
 * finish"): ImageIO decodes every scan over the whole image, so 1 000 copies of a 1.3 KB scan cost detect 7 s of
 * CPU and 10 000 (13 MB) about a minute. More than {@link JpegHandler#MAX_SCANS} scans are refused before decoding.
 */
class JpegScanBombTest {
    static final Labeler LABELER = Labeler.create();

    /** progressive.jpg (10 scans) with its smallest scan repeated {@code copies} more times before EOI. */
    static byte[] scanBomb(int copies, boolean truncated) {
        byte[] b = Fixtures.bytes("jpeg/progressive.jpg");
        int bestStart = -1;
        int bestEnd = -1;
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xDA) {
                int end = i + 2;
                while (!((b[end] & 0xFF) == 0xFF && (b[end + 1] & 0xFF) != 0 && ((b[end + 1] & 0xFF) < 0xD0 || (b[end + 1] & 0xFF) > 0xD7))) {
                    end++;
                }
                if (bestStart < 0 || end - i < bestEnd - bestStart) {
                    bestStart = i;
                    bestEnd = end;
                }
                i = end - 1;
            }
        }
        int eoi = b.length - 2;
        assertEquals(0xD9, b[eoi + 1] & 0xFF, "the fixture ends in EOI");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, eoi);
        for (int k = 0; k < copies; k++) {
            out.write(b, bestStart, bestEnd - bestStart);
        }
        if (!truncated) {
            out.write(b, eoi, 2);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void detectDoesNotDecodeThousandsOfScans(boolean truncated) {
        byte[] bomb = scanBomb(2_000, truncated);
        try (Detector detector = Detector.create(LABELER, List.of(WatermarkKey.fromPassphrase("scans")), List.of(), List.of())) {
            DetectionReport r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> detector.detect(bomb, "bomb.jpg", false),
                    "hang guard only");
            assertTrue(r.pixelsUnchecked().isPresent(), "pixels unchecked");
            assertTrue(r.problems().stream().anyMatch(p -> p.contains("scans")), r.problems().toString());
        }
    }

    /** (A truncated one the decoder already refuses as damaged; detect salvages it, tested above.) */
    @Test
    void decodeForLabellingRefusesThousandsOfScans() {
        byte[] bomb = scanBomb(2_000, false);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> new JpegPixels().decode(bomb, Limits.DEFAULT));
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("scans"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 50})
    void aFewScansStillDecode(int copies) {
        assertEquals(800, new JpegPixels().decode(scanBomb(copies, false), Limits.DEFAULT).getWidth());
    }
}
