package org.aigcmark.format.webp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.aigcmark.LabelResult;
import org.aigcmark.TestSupport;
import org.aigcmark.format.ReencodeSupport;
import org.junit.jupiter.api.Test;

/**
 * The sdk alone has no lossy WebP encoder (that is the aigcmark-codec-webp module, found through ServiceLoader):
 * a lossy input then comes back lossless, and the result says so.
 */
class WebpReencodeTest {

    @Test
    void lossyInputWithoutALossyEncoderFallsBackToLosslessAndSaysSo() {
        LabelResult r = ReencodeSupport.labelVisible("webp/lossy.webp");
        Path out = ReencodeSupport.written("out.webp", r);
        String info = TestSupport.run("webpinfo", out.toString());
        assertTrue(info.contains("No error detected"), info);
        if (info.contains("Format: Lossless")) {
            assertTrue(ReencodeSupport.hasNote(r, "lossless"), "lossy WebP written lossless without a note: " + r.notes());
        }
    }

    @Test
    void losslessInputStaysLossless() {
        LabelResult r = ReencodeSupport.labelVisible("webp/lossless.webp");
        String info = TestSupport.run("webpinfo", ReencodeSupport.written("out.webp", r).toString());
        assertTrue(info.contains("Format: Lossless (2)") && !info.contains("Format: Lossy"), info);
    }
}
