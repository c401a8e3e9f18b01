package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The comb scores lattices in the lanes of a vector (VectorComb), or four at a time (four independent sums, line indices
 * in a loop of their own) without the Vector API; every score must be the one {@link CombSearch#z} gives alone, to the
 * bit, so the search ranks and refines exactly as before.
 */
class CombSearchTest {
    @Test
    void latticesScoredSideBySideHaveTheScoresOfOneAtATime() throws Exception {
        WorkingImage wk = duskLakeWorkingImage();
        LatticeEstimator.Spectrum sp = LatticeEstimator.whitenedSpectrum(wk.whitened(), wk.w, wk.h, 8 * wk.scale);
        CombSearch comb = new CombSearch(sp);
        double period = KeyedTile.period(1080) * wk.scale;
        Random rnd = new Random(5);
        List<double[]> lattices = new ArrayList<>();
        for (int i = 0; i < 203; i++) { // not a multiple of four: the last ones are scored alone
            lattices.add(CombSearch.lattice(period * (0.8 + 1.9 * rnd.nextDouble()), Math.toRadians(24 * rnd.nextDouble() - 12),
                    0.7 + 0.7 * rnd.nextDouble(), 0.7 + 0.7 * rnd.nextDouble()));
        }
        lattices.set(6, new double[] {0.5, 0, 0, 0.5}); // degenerate (|det| < 1): scored 0, its group scored one by one
        assertTrue(CombSearch.LANES != null, "the Vector API lanes are in use (tests run with the module)");
        // 203 = 25 x 8 + 3 = 50 x 4 + 3: with 8 lanes the last three are scored alone, with four sums side by side too
        List<LatticeEstimator.Scored> batched = comb.scored(lattices, CombSearch.LANES);
        List<LatticeEstimator.Scored> fourAtATime = comb.scored(lattices, null);
        assertEquals(lattices.size(), batched.size());
        boolean informative = false;
        for (int i = 0; i < lattices.size(); i++) {
            double alone = comb.z(lattices.get(i));
            assertEquals(Double.doubleToLongBits(alone), Double.doubleToLongBits(batched.get(i).z()), "lattice " + i);
            assertEquals(Double.doubleToLongBits(alone), Double.doubleToLongBits(fourAtATime.get(i).z()), "lattice " + i);
            informative |= Math.abs(alone) > 0.5;
        }
        assertEquals(0.0, batched.get(6).z());
        assertEquals(0.0, fourAtATime.get(6).z());
        assertTrue(informative, "the photo's spectrum gives scores away from 0");
    }

    @Test
    void theWeightTableHoldsTheWeightOfEveryRatio() throws Exception {
        // the table is made in a loop the JIT vectorises, not by CombSearch.weight bin by bin: the same floats
        WorkingImage wk = duskLakeWorkingImage();
        float[] white = wk.whitened();
        LatticeEstimator.Spectrum sp = LatticeEstimator.whitenedSpectrum(white, wk.w, wk.h, 8 * wk.scale);
        int lines = 0;
        for (int i = 0; i < sp.r().length; i++) {
            float expected = CombSearch.weight(sp.r()[i]);
            float got = sp.weights()[i];
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(got), "bin " + i + " carries no information");
            } else {
                lines++;
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got), "bin " + i);
            }
        }
        assertTrue(lines > 200_000 && lines < sp.r().length / 2, lines + " informative bins");
        // without the ratios kept (the full search) the weights come from a division of their own: the same floats
        float[] alone = LatticeEstimator.whitenedSpectrum(white, wk.w, wk.h, 8 * wk.scale, false).weights();
        for (int i = 0; i < alone.length; i++) {
            assertEquals(Float.floatToIntBits(sp.weights()[i]), Float.floatToIntBits(alone[i]), "bin " + i);
        }
        // a flat image: power 0, ratio 0 in every bin, so no line anywhere (not a weight of -1)
        for (float v : LatticeEstimator.whitenedSpectrum(new float[white.length], wk.w, wk.h, 8 * wk.scale, false).weights()) {
            assertTrue(Float.isNaN(v));
        }
    }

    @Test
    void harmonicsOfOnePeriodicLatticeAreLeftOutAndTheGridIsNotCompleted() throws Exception {
        // the dusk lake scaled to 1080p shows its JPEG block grid, aliased, as a lattice at x0.53 of the expected period
        // (comb z ~100) and its harmonics at x2, x1.5, x4/3 of that (z 10-31); before, they took the periodic-content
        // path (the whole grid and 8 lattices screened, 0.6x more time on an unmarked frame) and filled the candidates
        WorkingImage wk = duskLakeWorkingImage();
        LatticeEstimator.Spectrum sp = LatticeEstimator.whitenedSpectrum(wk.whitened(), wk.w, wk.h, 8 * wk.scale);
        double period = KeyedTile.period(1080) * wk.scale;
        CombSearch comb = new CombSearch(sp);
        List<LatticeEstimator.Scored> found = comb.search(period, 4, 8);
        assertEquals(4, found.size(), "one content lattice: the best 4, not 8");
        assertTrue(comb.evaluations() < 3500, "the grid (5 695 points) not completed: " + comb.evaluations() + " scored");
        double[] content = found.get(0).lattice();
        double ratio = Math.sqrt(Math.abs(content[0] * content[3] - content[1] * content[2])) / period;
        assertTrue(found.get(0).z() > 60 && ratio > 0.5 && ratio < 0.55, "content z " + found.get(0).z() + " x" + ratio);
        for (double harmonic : new double[] {2, 1.5, 4 / 3.0}) {
            double[] h = CombSearch.lattice(period * ratio * harmonic, 0, 1, 1);
            double z = comb.z(h);
            assertTrue(z > 5, "x" + harmonic + " of the content scores on its lines: " + z);
            assertTrue(comb.residualZ(h, List.of(content)) < CombSearch.HARMONIC_RESIDUAL * z, "x" + harmonic);
            for (LatticeEstimator.Scored s : found) {
                double[] l = s.lattice();
                double p = Math.sqrt(Math.abs(l[0] * l[3] - l[1] * l[2]));
                assertTrue(Math.abs(p / (period * ratio * harmonic) - 1) > 0.01, "x" + harmonic + " among the candidates");
            }
        }
    }

    /** The dusk lake at 1080p as the detector's working image (its luma, binned and resampled). */
    private static WorkingImage duskLakeWorkingImage() throws Exception {
        BufferedImage img = duskLake1080p();
        int w = img.getWidth();
        int[] row = new int[w];
        return WorkingImage.build(w, img.getHeight(), (y, out) -> {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int c = row[x];
                out[x] = 0.299f * ((c >> 16) & 0xff) + 0.587f * ((c >> 8) & 0xff) + 0.114f * (c & 0xff);
            }
        }, new float[w]);
    }

    private static BufferedImage duskLake1080p() throws Exception {
        Path p = TestImages.photos().stream().filter(f -> f.getFileName().toString().contains("05-dusk")).findFirst()
                .orElseThrow();
        BufferedImage photo = javax.imageio.ImageIO.read(p.toFile()); // 2560 x 1600: centre 16:9, as AB.java frames it
        int h = photo.getWidth() * 9 / 16;
        return TestImages.resize(TestImages.crop(photo, 0, (photo.getHeight() - h) / 2, photo.getWidth(), h), 1920, 1080);
    }

    @Test
    void theSearchScoresInVectorLanesOnceABackgroundThreadHasWarmedThem() throws InterruptedException {
        // cold, the Vector API boxes every operation (0.9-1.1 GiB in a fresh JVM's first comb): scalar sums until then
        assertTrue(CombSearch.LANES != null, "the Vector API lanes exist (tests run with the module)");
        CombSearch.Lanes lanes = CombSearch.lanesIfWarm();
        for (int i = 0; i < 1200 && lanes == null; i++) {
            Thread.sleep(100);
            lanes = CombSearch.lanesIfWarm();
        }
        assertSame(CombSearch.LANES, lanes, "the warm-up thread handed the lanes over within two minutes");
    }
}
