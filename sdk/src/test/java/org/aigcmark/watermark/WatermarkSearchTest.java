package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.aigcmark.key.WatermarkKey;
import org.junit.jupiter.api.Test;

/**
 * The full search spends its keyed screening on the autocorrelation lattices with the strongest comb lines only, and
 * stops before the autocorrelation when a comb lattice decodes at once: geometries only the autocorrelation sees
 * (rotations beyond the comb's 12 degrees, shears) must still be found, on a photo with periodic texture that gives
 * many autocorrelation lattices of its own, and the unmarked photo must stay unmarked.
 */
class WatermarkSearchTest {
    private static final ImageWatermarker FULL = ImageWatermarker.create(WatermarkKey.fromPassphrase("search test key"),
            new WatermarkOptions(1.0, WatermarkOptions.Kernels.AUTO, WatermarkOptions.Search.FULL));
    private static final WatermarkPayload PAYLOAD = WatermarkPayload.ofHex("0123456789abcdef");

    private static BufferedImage photo(String name) {
        Path p = TestImages.photos().stream().filter(f -> f.getFileName().toString().contains(name)).findFirst()
                .orElseThrow();
        try {
            return TestImages.resize(javax.imageio.ImageIO.read(p.toFile()), 1920, 1080);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static BufferedImage transformed(BufferedImage src, double degrees, double shear) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform at = new AffineTransform();
        at.translate(src.getWidth() / 2.0, src.getHeight() / 2.0);
        at.rotate(Math.toRadians(degrees));
        at.shear(shear, 0);
        at.translate(-src.getWidth() / 2.0, -src.getHeight() / 2.0);
        g.drawImage(src, at, null);
        g.dispose();
        return out;
    }

    @Test
    void fullSearchFindsGeometriesOnlyTheAutocorrelationSeesOnPeriodicTexture() {
        // the dusk lake's ripples give 17 autocorrelation lattices with comb lines at 1080p (6 are screened)
        BufferedImage lake = photo("dusk-calm-lake");
        WatermarkDetection unmarked = FULL.detect(lake);
        assertFalse(unmarked.detected(), "unmarked photo");
        FULL.embed(lake, PAYLOAD);
        for (double[] geometry : new double[][] {{20, 0}, {-30, 0}, {3, 0.1}}) {
            WatermarkDetection d = FULL.detect(transformed(lake, geometry[0], geometry[1]));
            assertTrue(d.detected(), "rotation " + geometry[0] + ", shear " + geometry[1]);
            assertEquals(PAYLOAD, d.payload().orElseThrow());
        }
    }

    @Test
    void aConfidentCombLatticeEndsTheSearch() {
        BufferedImage hills = photo("autumn-hills");
        FULL.embed(hills, PAYLOAD);
        WatermarkDetection d = FULL.detect(transformed(hills, 4, 0));
        assertTrue(d.detected());
        assertEquals(PAYLOAD, d.payload().orElseThrow());
        assertEquals(4, d.rotationDegrees(), 0.3);
    }

    @Test
    void marksOfTheOldLayoutOnSmallImagesAreFoundCroppedByEverySearchThatLooksForThem() throws java.io.IOException {
        // period 96 px at 256 px (before 2026-12): the old-layout search now runs on the first search's working image
        // and spectrum (WatermarkExtractor.analyzeAgain); a crop of such an image must still be found, as it was by the
        // search from scratch on a resampled copy
        BufferedImage old = javax.imageio.ImageIO.read(
                org.aigcmark.testdata.Fixtures.path("watermark/old-embedder-09-pale-wood-planks-341x256.jpg").toFile());
        WatermarkKey key = WatermarkKey.read(org.aigcmark.testdata.Fixtures.path("keys/test-watermark.key"));
        int w = (int) (old.getWidth() * 0.8);
        int h = (int) (old.getHeight() * 0.8);
        BufferedImage crop = TestImages.crop(TestImages.rgb(old), (old.getWidth() - w) / 2, (old.getHeight() - h) / 2,
                w, h);
        for (WatermarkOptions.Search search : new WatermarkOptions.Search[] {WatermarkOptions.Search.QUICK,
                WatermarkOptions.Search.FULL}) {
            WatermarkDetection d = ImageWatermarker.create(key, WatermarkOptions.defaults().withSearch(search))
                    .detect(crop);
            assertTrue(d.detected(), search + ": " + d.note());
            assertEquals(WatermarkPayload.ofHex("0123456789abcdef"), d.payload().orElseThrow(), search.toString());
        }
        assertFalse(ImageWatermarker.create(WatermarkKey.fromPassphrase("search test key"),
                WatermarkOptions.defaults().withSearch(WatermarkOptions.Search.QUICK)).detect(crop).detected(),
                "another key");
    }
}
