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
 * Which search finds what (issue 17): FULL's lattices come from the comb alone, over a range wide enough for the
 * geometric rows of the robustness table (rotations up to 45 degrees, pasted copies at half size), and stops when a
 * comb lattice decodes at once; DEEP adds the autocorrelation lattices, which alone see shears, on a photo with
 * periodic texture that gives many autocorrelation lattices of its own. Unmarked photos stay unmarked.
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

    private static final ImageWatermarker DEEP = ImageWatermarker.create(WatermarkKey.fromPassphrase("search test key"),
            new WatermarkOptions(1.0, WatermarkOptions.Kernels.AUTO, WatermarkOptions.Search.DEEP));

    @Test
    void fullSearchFindsLargeRotationsWithTheCombAndDeepAddsTheAutocorrelationForShears() {
        // the dusk lake's ripples give 17 autocorrelation lattices with comb lines at 1080p
        BufferedImage lake = photo("dusk-calm-lake");
        WatermarkDetection unmarked = FULL.detect(lake);
        assertFalse(unmarked.detected(), "unmarked photo");
        FULL.embed(lake, PAYLOAD);
        // rotations beyond 12 degrees were the autocorrelation's before issue 17; the comb covers 45 now
        for (double degrees : new double[] {20, -30, 45}) {
            WatermarkDetection d = FULL.detect(transformed(lake, degrees, 0));
            assertTrue(d.detected(), "rotation " + degrees);
            assertEquals(PAYLOAD, d.payload().orElseThrow());
        }
        // a shear is no lattice of the comb's grid: DEEP's autocorrelation lattices find it
        BufferedImage sheared = transformed(lake, 3, 0.1);
        WatermarkDetection d = DEEP.detect(sheared);
        assertTrue(d.detected(), "DEEP, shear 0.1");
        assertEquals(PAYLOAD, d.payload().orElseThrow());
    }

    /** The table's geometric rows (WatermarkAttacks in the bench) that FULL passed before issue 17, two photos. */
    @Test
    void fullSearchKeepsTheTablesGeometricRowsOnRealPhotos() {
        BufferedImage host = photo("sunset-hilltop");
        for (String name : new String[] {"autumn-hills", "moss-one-stands-out"}) {
            BufferedImage marked = photo(name);
            FULL.embed(marked, PAYLOAD);
            java.util.Map<String, BufferedImage> attacks = new java.util.LinkedHashMap<>();
            attacks.put("rotate -5", transformed(marked, -5, 0));
            attacks.put("crop to 50% of the area", centreCrop(marked, Math.sqrt(0.5)));
            attacks.put("aspect change (height x0.8)", TestImages.resize(marked, 1920, 864));
            attacks.put("40 px grey border", border(marked, 40));
            if (!name.startsWith("moss")) {
                // the autocorrelation's before issue 17 (the moss photo lost both before: dense texture)
                attacks.put("rotate 15", transformed(marked, 15, 0));
                attacks.put("pasted at 0.5x", pasted(marked, host, 0.5));
            }
            for (var e : attacks.entrySet()) {
                WatermarkDetection d = FULL.detect(e.getValue());
                assertTrue(d.detected(), name + ": " + e.getKey());
                assertEquals(PAYLOAD, d.payload().orElseThrow(), name + ": " + e.getKey());
            }
        }
    }

    private static BufferedImage centreCrop(BufferedImage src, double side) {
        int w = (int) Math.round(src.getWidth() * side);
        int h = (int) Math.round(src.getHeight() * side);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.drawImage(src, -(src.getWidth() - w) / 2, -(src.getHeight() - h) / 2, null);
        g.dispose();
        return out;
    }

    private static BufferedImage border(BufferedImage src, int px) {
        BufferedImage out = new BufferedImage(src.getWidth() + 2 * px, src.getHeight() + 2 * px, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setColor(new java.awt.Color(128, 128, 128));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(src, px, px, null);
        g.dispose();
        return out;
    }

    /** {@code src} scaled by {@code scale} and drawn off-centre into a copy of {@code host} of the same size. */
    private static BufferedImage pasted(BufferedImage src, BufferedImage host, double scale) {
        BufferedImage small = TestImages.resize(src, (int) Math.round(src.getWidth() * scale),
                (int) Math.round(src.getHeight() * scale));
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(host, 0, 0, out.getWidth(), out.getHeight(), null);
        g.drawImage(small, (int) (src.getWidth() * 0.3), (int) (src.getHeight() * 0.2), null);
        g.dispose();
        return out;
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
