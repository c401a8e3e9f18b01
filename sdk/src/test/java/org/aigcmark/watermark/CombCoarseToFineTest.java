package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.aigcmark.key.WatermarkKey;
import org.junit.jupiter.api.Test;

/**
 * The full search's comb runs coarse to fine ({@link CombSearch#search}: every other grid point first, full resolution
 * only around the best {@value CombSearch#COARSE_CELLS}). On marked photos under the robustness table's geometric
 * attacks, the lattice the whole grid ranks first (the mark's: the detector decodes there) must come out of the coarse
 * to fine search too, with the same score; a grid made too coarse on purpose must lose it somewhere, or this test
 * could not fail.
 */
class CombCoarseToFineTest {
    private static final ImageWatermarker FULL = ImageWatermarker.create(WatermarkKey.fromPassphrase("comb test key"),
            new WatermarkOptions(1.0, WatermarkOptions.Kernels.AUTO, WatermarkOptions.Search.FULL));
    private static final WatermarkPayload PAYLOAD = WatermarkPayload.ofHex("fedcba9876543210");

    private static BufferedImage border(BufferedImage src, int px) {
        BufferedImage out = new BufferedImage(src.getWidth() + 2 * px, src.getHeight() + 2 * px, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(src, px, px, null);
        g.dispose();
        return out;
    }

    private static BufferedImage centreCrop(BufferedImage src, double side) {
        int w = (int) Math.round(src.getWidth() * side);
        int h = (int) Math.round(src.getHeight() * side);
        return TestImages.crop(src, (src.getWidth() - w) / 2, (src.getHeight() - h) / 2, w, h);
    }

    private static final List<UnaryOperator<BufferedImage>> ATTACKS = List.of(
            img -> centreCrop(img, Math.sqrt(0.5)), // crop to 50 % of the area
            img -> centreCrop(img, 0.4), // centre crop 40 % of each side (a "beyond" row)
            img -> TestImages.crop(img, 0, 0, img.getWidth() * 3 / 4, img.getHeight()), // crop 25 % off one side
            img -> TestImages.rotate(img, -5),
            img -> TestImages.rotate(img, 2),
            img -> TestImages.resize(img, img.getWidth(), (int) Math.round(img.getHeight() * 0.8)), // aspect change
            img -> border(img, 40),
            img -> TestImages.jpeg(TestImages.resize(TestImages.rotate(centreCrop(img, 0.7), 1),
                    (int) (img.getWidth() * 0.35), (int) (img.getHeight() * 0.35)), 60));

    private record Case(String name, LatticeEstimator.Spectrum spectrum, double period) {}

    private static List<Case> markedCases() {
        List<Case> cases = new ArrayList<>();
        for (Path p : TestImages.photos()) {
            String name = p.getFileName().toString();
            if (!(name.startsWith("05-") || name.startsWith("20-") || name.startsWith("29-") || name.startsWith("32-"))) {
                continue;
            }
            BufferedImage img = TestImages.resize(TestImages.photo(p), 1280, 720);
            FULL.embed(img, PAYLOAD);
            for (int a = 0; a < ATTACKS.size(); a++) {
                BufferedImage attacked = ATTACKS.get(a).apply(img);
                int w = attacked.getWidth();
                int[] row = new int[w];
                WorkingImage wk = WorkingImage.build(w, attacked.getHeight(), (y, out) -> {
                    attacked.getRGB(0, y, w, 1, row, 0, w);
                    for (int x = 0; x < w; x++) {
                        int c = row[x];
                        out[x] = 0.299f * ((c >> 16) & 0xff) + 0.587f * ((c >> 8) & 0xff) + 0.114f * (c & 0xff);
                    }
                }, new float[w]);
                LatticeEstimator.Spectrum sp = LatticeEstimator.whitenedSpectrum(wk.whitened(), wk.w, wk.h, 8 * wk.scale);
                double period = KeyedTile.period(Math.min(w, attacked.getHeight())) * wk.scale;
                if (a == 0 || a == 3 || a == 5) {
                    // the decisive end of it: the full search decodes the mark with the coarse-to-fine comb
                    WatermarkDetection d = FULL.detect(attacked);
                    assertTrue(d.detected(), name + " attack " + a);
                    assertEquals(PAYLOAD, d.payload().orElseThrow(), name + " attack " + a);
                }
                cases.add(new Case(name + " attack " + a, sp, period));
            }
        }
        assertEquals(4 * ATTACKS.size(), cases.size(), "the four photos");
        return cases;
    }

    /** Whether the coarse-to-fine search finds the whole grid's best lattice, with its score. */
    private static boolean keepsTheBest(Case c, int coarse, int cells) {
        CombSearch comb = new CombSearch(c.spectrum());
        LatticeEstimator.Scored whole = comb.searchCoarseToFine(c.period(), WatermarkExtractor.COMB_CANDIDATES, 1, 0).get(0);
        List<LatticeEstimator.Scored> fast = comb.searchCoarseToFine(c.period(), WatermarkExtractor.COMB_CANDIDATES, coarse, cells);
        return !LatticeEstimator.isNew(fast, whole.lattice()) && fast.get(0).z() >= whole.z() - 1e-9;
    }

    @Test
    void markedPhotosUnderGeometricAttacksKeepTheirLatticeAndOnlyATooCoarseGridLosesIt() {
        List<Case> cases = markedCases();
        int seen = 0;
        int lostByTooCoarse = 0;
        StringBuilder report = new StringBuilder();
        List<String> lost = new ArrayList<>();
        for (Case c : cases) {
            CombSearch comb = new CombSearch(c.spectrum());
            LatticeEstimator.Scored whole = comb.searchCoarseToFine(c.period(), 4, 1, 0).get(0);
            boolean kept = keepsTheBest(c, 2, CombSearch.COARSE_CELLS);
            boolean keptTooCoarse = keepsTheBest(c, 8, 1);
            report.append(String.format("%s: whole-grid z %.2f, coarse to fine %s, too coarse %s%n", c.name(), whole.z(),
                    kept ? "kept" : "LOST", keptTooCoarse ? "kept" : "lost"));
            if (whole.z() >= 5) { // the mark's lines stand out (below 5 the detector's screening decides, not the comb)
                seen++;
                if (!kept) {
                    lost.add(c.name());
                }
                if (!keptTooCoarse) {
                    lostByTooCoarse++;
                }
            }
        }
        System.out.print(report);
        assertTrue(seen >= cases.size() * 3 / 4, "the comb sees most marks: " + seen + " of " + cases.size() + "\n" + report);
        assertTrue(lost.isEmpty(), "coarse to fine lost " + lost + "\n" + report);
        assertTrue(lostByTooCoarse > 0, "a grid 8x coarser with one cell kept loses some lattice\n" + report);
    }
}
