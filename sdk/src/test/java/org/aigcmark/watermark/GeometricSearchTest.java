package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deep search's geometric last resort ({@link GeometricSearch}, issue 17): a marked photo pasted at half size into
 * another photo, a crop keeping a tenth of the area, and a strip of a third of the height, each of which the lattice
 * search's comb range misses (the full search finds the crop and the strip since {@link LatticeMultiples}); the same
 * attacks on the unmarked photo find nothing. The full search, the screening default, does not pay for it.
 */
class GeometricSearchTest {
    // the robustness bench's key and payload for this photo: the cases its table lost before (docs/WATERMARK.md)
    private static final WatermarkKey KEY = WatermarkKey.fromPassphrase("aigcmark robustness benchmark key");
    private static final WatermarkPayload PAYLOAD = WatermarkPayload.fromLabel(KEY, "robustness-bench", "16-autumn-hills.jpg");
    private static final ImageWatermarker WM = ImageWatermarker.create(KEY,
            WatermarkOptions.defaults().withSearch(WatermarkOptions.Search.DEEP));
    private static BufferedImage orig;
    private static BufferedImage marked;
    private static BufferedImage host;

    @BeforeAll
    static void mark() throws IOException {
        // full size (2560 x 1704): the attacked images stay over 510 px, where no search for the old layout (a 96 px
        // period, read resampled) happens to bring a large period back into the lattice search's range
        orig = TestImages.rgb(ImageIO.read(Fixtures.path("photos/16-autumn-hills.jpg").toFile()));
        marked = TestImages.copy(orig);
        WM.embed(marked, PAYLOAD);
        host = TestImages.resize(TestImages.rgb(ImageIO.read(Fixtures.path("photos/13-sunset-hilltop.jpg").toFile())),
                orig.getWidth(), orig.getHeight());
    }

    /** {@code img} at half size drawn into the host photo at (30 %, 20 %), the canvas the size of {@code img}. */
    private static BufferedImage pastedAtHalfSize(BufferedImage img) {
        BufferedImage small = TestImages.resize(img, img.getWidth() / 2, img.getHeight() / 2);
        BufferedImage out = TestImages.copy(host);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(small, (int) (img.getWidth() * 0.3), (int) (img.getHeight() * 0.2), null);
        g.dispose();
        return out;
    }

    private static BufferedImage centreCrop(BufferedImage img, double side) {
        int w = (int) (img.getWidth() * side);
        int h = (int) (img.getHeight() * side);
        return TestImages.crop(img, (img.getWidth() - w) / 2, (img.getHeight() - h) / 2, w, h);
    }

    private static void assertFound(BufferedImage attacked, String what) {
        WatermarkDetection d = WM.detect(attacked);
        assertTrue(d.detected(), what + ": not detected, score " + d.score() + ", " + d.note());
        assertEquals(PAYLOAD, d.payload().orElseThrow(), what);
        assertTrue(d.falsePositiveProbability() < 1e-9, what + ": false-positive probability " + d.falsePositiveProbability());
    }

    @Test
    void aCopyPastedAtHalfSizeIntoAnotherPhotoIsFound() {
        // before: the period was half the one the canvas implies, under the comb's x0.8, and the search missed it
        assertFound(pastedAtHalfSize(marked), "pasted at 0.5x");
        assertFalse(WM.detect(pastedAtHalfSize(orig)).detected(), "the unmarked photo pasted");
    }

    @Test
    void aCropOfATenthOfTheAreaIsFound() {
        // before: x3.2 the period the crop implies, over the comb's x2.7
        // (the full search finds this one too since its lattice multiples, LatticeMultiples: FullSearchGeometryTest)
        assertFound(centreCrop(marked, Math.sqrt(0.1)), "crop to 10 % of the area");
        assertFalse(WM.detect(centreCrop(orig, Math.sqrt(0.1))).detected(), "the unmarked crop");
    }

    @Test
    void aStripOfAThirdOfTheHeightIsFound() {
        int h = orig.getHeight() / 3;
        assertFound(TestImages.crop(marked, 0, h, marked.getWidth(), h), "full-width strip, a third of the height");
        assertFalse(WM.detect(TestImages.crop(orig, 0, h, orig.getWidth(), h)).detected(), "the unmarked strip");
    }

    @Test
    void theReportedBoundCountsTheTestsOfEveryRangeSearched() {
        // the 10 % crop decodes in the second range (small crops); the bound must count the tests of every range
        // searched (it once counted only the decoding range's Decoder), and the Bonferroni term over them be in it
        BufferedImage crop = centreCrop(marked, Math.sqrt(0.1));
        int w = crop.getWidth();
        int[] row = new int[w];
        PixelKernels k = PixelKernels.scalar();
        GeometricSearch.Read read = GeometricSearch.readCounted(new KeyedTile(KEY), w, crop.getHeight(), (y, out) -> {
            crop.getRGB(0, y, w, 1, row, 0, w);
            k.lumaRow(row, 0, w, out);
        });
        WatermarkDetection d = read.detection();
        assertTrue(d != null && d.detected(), "the 10 % crop is found by the geometric search");
        assertEquals(PAYLOAD, d.payload().orElseThrow());
        assertTrue(read.decodingRangeTests() > 0 && read.tests() >= read.decodingRangeTests(), "tests counted: "
                + read.tests() + " in all, " + read.decodingRangeTests() + " in the decoding range");
        int attempts = Decoder.MAX_DECODE_ATTEMPTS + CellLayer.DECODE_ATTEMPTS + GeometricSearch.DECODE_ATTEMPTS;
        double bonferroni = attempts * Math.pow(2, -KeyedTile.CRC_BITS)
                * Math.min(1.0, read.tests() * WatermarkExtractor.normalTail(d.score()));
        assertTrue(d.falsePositiveProbability() >= bonferroni * (1 - 1e-12),
                d.falsePositiveProbability() + " below the Bonferroni bound over every test, " + bonferroni);
    }
}
