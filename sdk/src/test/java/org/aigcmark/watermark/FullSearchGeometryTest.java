package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.aigcmark.TestSupport;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The full search (the screening default) on the geometric rows it lost before issue 17's geometry work
 * (docs/WATERMARK.md, "Strips, small crops and keystones in the full search"): a full-width strip of a third of the
 * height and a crop to a tenth of the area, whose period is past the comb's range ({@link LatticeMultiples}), and a
 * keystone of 6 % ({@link PerspectiveHypotheses}); the same attacks on the unmarked photo find nothing.
 */
class FullSearchGeometryTest {
    // the robustness bench's key and payloads (its table lost these in FULL before)
    private static final WatermarkKey KEY = WatermarkKey.fromPassphrase("aigcmark robustness benchmark key");
    private static final ImageWatermarker FULL = ImageWatermarker.create(KEY);

    private record Photo(BufferedImage orig, BufferedImage marked, WatermarkPayload payload) {}

    private static Photo mark(String name) throws IOException {
        BufferedImage orig = TestImages.rgb(ImageIO.read(Fixtures.path("photos/" + name).toFile()));
        BufferedImage marked = TestImages.copy(orig);
        WatermarkPayload payload = WatermarkPayload.fromLabel(KEY, "robustness-bench", name);
        FULL.embed(marked, payload);
        return new Photo(orig, marked, payload);
    }

    private static void assertFound(BufferedImage attacked, WatermarkPayload payload, String what) {
        WatermarkDetection d = FULL.detect(attacked);
        assertTrue(d.detected(), what + ": not detected, score " + d.score() + ", " + d.note());
        assertEquals(payload, d.payload().orElseThrow(), what);
        assertTrue(d.falsePositiveProbability() < 1e-9, what + ": false-positive probability " + d.falsePositiveProbability());
    }

    @Test
    void aStripOfAThirdOfTheHeightIsFound() throws IOException {
        // 2560 x 568: the period (426 px) is 3.2x the one the strip implies, past the comb's x2.7
        Photo p = mark("16-autumn-hills.jpg");
        int h = p.orig().getHeight() / 3;
        assertFound(TestImages.crop(p.marked(), 0, h, p.marked().getWidth(), h), p.payload(), "strip, a third of the height");
        assertFalse(FULL.detect(TestImages.crop(p.orig(), 0, h, p.orig().getWidth(), h)).detected(), "the unmarked strip");
    }

    @Test
    void aCropOfATenthOfTheAreaAndAKeystoneAreFound() throws IOException {
        Photo p = mark("22-red-flower-garden.jpg");
        int w = (int) (p.orig().getWidth() * Math.sqrt(0.1));
        int h = (int) (p.orig().getHeight() * Math.sqrt(0.1));
        int x = (p.orig().getWidth() - w) / 2;
        int y = (p.orig().getHeight() - h) / 2;
        assertFound(TestImages.crop(p.marked(), x, y, w, h), p.payload(), "crop to 10 % of the area");
        assertFalse(FULL.detect(TestImages.crop(p.orig(), x, y, w, h)).detected(), "the unmarked crop");
        assertFound(keystone(p.marked(), 0.06), p.payload(), "keystone 6 %");
        assertFalse(FULL.detect(keystone(p.orig(), 0.06)).detected(), "the unmarked keystone");
    }

    /**
     * The top edge pulled in by {@code f} of the width on each side (a photo of a print taken from below), the rest of
     * the frame mid-grey: the robustness bench's keystone, made here by ImageMagick's perspective distortion (an
     * independent resampler, not the bench's own bilinear one).
     */
    static BufferedImage keystone(BufferedImage img, double f) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        Path dir = Files.createTempDirectory("keystone");
        try {
            Path in = dir.resolve("in.png");
            Path out = dir.resolve("out.png");
            ImageIO.write(img, "png", in.toFile());
            double inset = f * w;
            String points = String.format(Locale.ROOT, "0,0 %.3f,0  %d,0 %.3f,0  %d,%d %d,%d  0,%d 0,%d",
                    inset, w, w - inset, w, h, w, h, h, h);
            TestSupport.run("convert", in.toString(), "-virtual-pixel", "background", "-background", "gray50",
                    "-distort", "Perspective", points, "-depth", "8", "PNG24:" + out);
            BufferedImage res = ImageIO.read(out.toFile());
            assertEquals(w, res.getWidth(), "ImageMagick's keystone keeps the size");
            return TestImages.rgb(res);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }
}
