package org.aigcmark.watermark;

import static org.aigcmark.watermark.KeyedTile.TILE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.aigcmark.key.WatermarkKey;
import org.junit.jupiter.api.Test;

/**
 * The decoder's shortcuts must give the numbers of the plain computations they replace: the one-tile-per-period fold,
 * two orientations per inverse transform, and the payload-only correlation on a half-size grid.
 */
class DecoderTest {
    private static final int[][] ORIENT = {
        {1, 0, 0, 1}, {0, -1, 1, 0}, {-1, 0, 0, -1}, {0, 1, -1, 0},
        {-1, 0, 0, 1}, {1, 0, 0, -1}, {0, 1, 1, 0}, {0, -1, -1, 0}};
    private static final KeyedTile TILE_OF_KEY = new KeyedTile(WatermarkKey.fromPassphrase("decoder test key"));

    private static float[] noise(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] white = new float[w * h];
        for (int i = 0; i < white.length; i++) {
            white[i] = (float) r.nextGaussian();
        }
        return white;
    }

    /**
     * The general fold runs the lattice coordinates as 32.32 fixed-point longs (issue 17): the same cells, so the same
     * floats, as the plain double loop with the same offset, for lattices across the full search's range (rotations to
     * 45 degrees either way, scales 0.25-2.7, aspect changes, shears; negative steps included).
     */
    @Test
    void fixedPointFoldIsBitIdenticalToTheDoubleLoop() {
        int w = 910;
        int h = 512;
        float[] white = noise(w, h, 3);
        Decoder dec = new Decoder(TILE_OF_KEY, white, w, h, true);
        Random r = new Random(11);
        for (int n = 0; n < 200; n++) {
            double p = 128 * (0.25 + 2.45 * r.nextDouble());
            double th = Math.toRadians(-45 + 90 * r.nextDouble());
            double ax = 0.7 + 0.73 * r.nextDouble();
            double sh = n % 4 == 0 ? 0.1 * r.nextGaussian() : 0;
            double[] lat = {p * ax * Math.cos(th), p * ax * Math.sin(th), -p * Math.sin(th) + sh * p, p * Math.cos(th)};
            double det = lat[0] * lat[3] - lat[1] * lat[2];
            double i00 = lat[3] / det * TILE;
            double i01 = -lat[2] / det * TILE;
            double i10 = -lat[1] / det * TILE;
            double i11 = lat[0] / det * TILE;
            float[] sum = new float[TILE * TILE];
            int[] cnt = new int[TILE * TILE];
            for (int y = 0; y < h; y++) {
                double u = (3 << 19) + 0.5 + i01 * y;
                double v = (3 << 19) + 0.5 + i11 * y;
                for (int x = 0; x < w; x++) {
                    int idx = (((int) v) & (TILE - 1)) * TILE + (((int) u) & (TILE - 1));
                    sum[idx] += white[y * w + x];
                    cnt[idx]++;
                    u += i00;
                    v += i10;
                }
            }
            double[] folded = dec.fold(lat);
            for (int i = 0; i < folded.length; i++) {
                double want = cnt[i] == 0 ? 0 : sum[i] / cnt[i];
                assertEquals(want, folded[i], 0.0, "lattice " + n + " cell " + i);
            }
        }
    }

    @Test
    void unitLatticeFoldIsBitIdenticalToTheGeneralFold() {
        int w = 300;
        int h = 200;
        float[] white = noise(w, h, 1);
        double[][] spec = new Decoder(TILE_OF_KEY, white, w, h, true).foldSpectrum(new double[] {TILE, 0, 0, TILE});
        // the general loop of Decoder.foldSpectrum for the identity lattice
        float[] sum = new float[TILE * TILE];
        int[] cnt = new int[TILE * TILE];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int idx = (y % TILE) * TILE + x % TILE;
                sum[idx] += white[y * w + x];
                cnt[idx]++;
            }
        }
        double[] folded = new double[TILE * TILE];
        for (int i = 0; i < folded.length; i++) {
            folded[i] = cnt[i] == 0 ? 0 : sum[i] / cnt[i];
        }
        double[] re = new double[TILE * TILE];
        double[] im = new double[TILE * TILE];
        Fft.realForward2d(folded, re, im, TILE, TILE);
        // at the band's bins, which are all foldSpectrum promises (and all the decoder reads)
        for (int i = 0; i < re.length; i++) {
            int kx = i % TILE > TILE / 2 ? i % TILE - TILE : i % TILE;
            int ky = i / TILE > TILE / 2 ? i / TILE - TILE : i / TILE;
            if (Math.abs(kx) > KeyedTile.BAND_MAX || Math.abs(ky) > KeyedTile.BAND_MAX) {
                continue;
            }
            double m = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
            assertEquals(Double.doubleToLongBits(m > 0 ? re[i] / m : re[i]), Double.doubleToLongBits(spec[0][i]), "re " + i);
            assertEquals(Double.doubleToLongBits(m > 0 ? im[i] / m : im[i]), Double.doubleToLongBits(spec[1][i]), "im " + i);
        }
    }

    @Test
    void orientationsCorrelatedInPairsEqualOneByOne() {
        Decoder dec = new Decoder(TILE_OF_KEY, noise(400, 256, 2), 400, 256, true);
        double[][] spec = dec.foldSpectrum(new double[] {130.5, 3.25, -2.5, 127.0});
        double[][] paired = dec.correlateOrientations(spec, 0, ORIENT.length);
        double[][] odd = dec.correlateOrientations(spec, 1, ORIENT.length);
        for (int o = 0; o < ORIENT.length; o++) {
            double[] single = dec.correlate(spec, o);
            for (int j = 0; j < 3; j++) {
                assertEquals(single[j], paired[o][j], 1e-9, "orientation " + o + ", value " + j);
            }
            if (o > 0) {
                assertEquals(single[0], odd[o - 1][0], 1e-9, "orientation " + o + " paired from 1");
            }
        }
    }

    @Test
    void payloadOnlyCorrelationOnTheHalfGridEqualsTheFullGrid() {
        for (long seed = 3; seed < 6; seed++) {
            Decoder dec = new Decoder(TILE_OF_KEY, noise(512, 384, seed), 512, 384, true);
            double[] lat = {128, 0, 0, 128};
            Decoder.Result r = dec.tryWithoutReference(lat);
            double[] full = fullGridPayloadOnly(dec.foldSpectrum(lat));
            assertEquals(full[0], r.z(), 1e-9, "z, seed " + seed);
            assertEquals((int) full[1], r.orientation(), "orientation, seed " + seed);
        }
    }

    /** The former payload-only search: a full 128 x 128 inverse transform per orientation; {z, orientation}. */
    private static double[] fullGridPayloadOnly(double[][] spec) {
        KeyedTile t = TILE_OF_KEY;
        double best = Double.NEGATIVE_INFINITY;
        int bestO = 0;
        for (int o = 0; o < ORIENT.length; o++) {
            int[] r = ORIENT[o];
            double[] gr = new double[TILE * TILE];
            double[] gi = new double[TILE * TILE];
            for (int i = 0; i < t.msgKx.length; i++) {
                int kx = r[0] * t.msgKx[i] + r[1] * t.msgKy[i];
                int ky = r[2] * t.msgKx[i] + r[3] * t.msgKy[i];
                int b = bin(kx, ky);
                double a = spec[0][b] * t.msgCos[i] + spec[1][b] * t.msgSin[i];
                double c = spec[1][b] * t.msgCos[i] - spec[0][b] * t.msgSin[i];
                double sr = a * a - c * c;
                double si = 2 * a * c;
                gr[bin(2 * kx, 2 * ky)] += sr;
                gi[bin(2 * kx, 2 * ky)] += si;
                gr[bin(-2 * kx, -2 * ky)] += sr;
                gi[bin(-2 * kx, -2 * ky)] -= si;
            }
            Fft.transform2d(gr, gi, TILE, TILE, true);
            double m = Double.NEGATIVE_INFINITY;
            for (double v : gr) {
                m = Math.max(m, v);
            }
            double z = m / Math.sqrt(2.0 * t.msgKx.length);
            if (z > best) {
                best = z;
                bestO = o;
            }
        }
        return new double[] {best, bestO};
    }

    private static int bin(int kx, int ky) {
        return ((ky + TILE) & (TILE - 1)) * TILE + ((kx + TILE) & (TILE - 1));
    }
}
