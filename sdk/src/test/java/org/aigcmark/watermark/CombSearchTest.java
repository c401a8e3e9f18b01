package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The comb scores lattices four at a time (four independent sums, line indices in a loop of their own); every score
 * must be the one {@link CombSearch#z} gives alone, to the bit, so the search ranks and refines exactly as before.
 */
class CombSearchTest {
    @Test
    void latticesScoredFourAtATimeHaveTheScoresOfOneAtATime() throws Exception {
        Path p = TestImages.photos().stream().filter(f -> f.getFileName().toString().contains("05-dusk")).findFirst()
                .orElseThrow();
        BufferedImage img = TestImages.resize(javax.imageio.ImageIO.read(p.toFile()), 1920, 1080);
        int w = img.getWidth();
        int[] row = new int[w];
        WorkingImage wk = WorkingImage.build(w, img.getHeight(), (y, out) -> {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int c = row[x];
                out[x] = 0.299f * ((c >> 16) & 0xff) + 0.587f * ((c >> 8) & 0xff) + 0.114f * (c & 0xff);
            }
        }, new float[w]);
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
        List<LatticeEstimator.Scored> batched = comb.scored(lattices);
        assertEquals(lattices.size(), batched.size());
        boolean informative = false;
        for (int i = 0; i < lattices.size(); i++) {
            double alone = comb.z(lattices.get(i));
            assertEquals(Double.doubleToLongBits(alone), Double.doubleToLongBits(batched.get(i).z()), "lattice " + i);
            informative |= Math.abs(alone) > 0.5;
        }
        assertEquals(0.0, batched.get(6).z());
        assertTrue(informative, "the photo's spectrum gives scores away from 0");
    }
}
