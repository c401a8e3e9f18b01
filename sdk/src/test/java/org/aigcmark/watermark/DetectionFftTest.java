package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lattice search's float spectrum ({@link DetectionFft}) against the double transform the embedder uses
 * ({@link Fft}): the same power to float rounding, for patches smaller than, equal to and larger than the transform
 * (zero padding, centre crop, an odd number of rows).
 */
class DetectionFftTest {
    @Test
    void powerIsTheDoubleTransformsPowerToFloatRounding() {
        Random rnd = new Random(11);
        for (int[] c : new int[][] {{1024, 512, 910, 512}, {256, 256, 256, 256}, {512, 1024, 700, 1300}, {256, 512, 200, 333},
                {8, 4, 8, 4}}) {
            int nx = c[0];
            int ny = c[1];
            int w = c[2];
            int h = c[3];
            float[] img = new float[w * h];
            for (int i = 0; i < img.length; i++) {
                img[i] = (float) Math.max(-3, Math.min(3, rnd.nextGaussian())) + (i % w == 5 ? 2f : 0f);
            }
            int pw = Math.min(nx, w);
            int ph = Math.min(ny, h);
            int ox = (w - pw) / 2;
            int oy = (h - ph) / 2;
            double[] patch = new double[nx * ny];
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    patch[y * nx + x] = img[(oy + y) * w + ox + x];
                }
            }
            double[] re = new double[nx * ny];
            double[] im = new double[nx * ny];
            Fft.realForward2d(patch, re, im, ny, nx);
            float[] p = DetectionFft.power(img, w, h, nx, ny);
            double mean = 0;
            for (int i = 0; i < p.length; i++) {
                mean += re[i] * re[i] + im[i] * im[i];
            }
            mean /= p.length;
            double worst = 0;
            for (int i = 0; i < p.length; i++) {
                double exact = re[i] * re[i] + im[i] * im[i];
                // float rounding of a sum over the whole patch: relative to the mean power, plus the bin's own
                worst = Math.max(worst, Math.abs(p[i] - exact) / (mean + exact));
            }
            assertTrue(worst < 2e-5, "power error " + worst + " at " + nx + "x" + ny);
            assertTrue(mean > 0.5 * pw * ph, "a non-trivial spectrum");
        }
    }

    @Test
    void powerOfAnEvenInputIsEven() {
        // the mirrored half must be the transform's own: P(-k) = P(k) exactly, as the comb's half-plane reads assume
        Random rnd = new Random(2);
        int nx = 256;
        int ny = 256;
        float[] img = new float[200 * 180];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) rnd.nextGaussian();
        }
        float[] p = DetectionFft.power(img, 200, 180, nx, ny);
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                assertEquals(p[y * nx + x], p[((ny - y) % ny) * nx + (nx - x) % nx], 1e-3 * (1 + p[y * nx + x]),
                        "at " + x + "," + y);
            }
        }
    }

    @Test
    void vectorPassesGiveTheScalarPassesBits() {
        // strips of 64 sequences and the column pass's last strip of one: whole vectors and the scalar tail
        Random rnd = new Random(4);
        float[] img = new float[910 * 512];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) rnd.nextGaussian();
        }
        float[] scalar = DetectionFft.power(img, 910, 512, 1024, 512, DetectionFft.SCALAR);
        float[] auto = DetectionFft.power(img, 910, 512, 1024, 512);
        for (int i = 0; i < scalar.length; i++) {
            assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(auto[i]), "at " + i);
        }
        assertTrue(DetectionFft.BUTTERFLIES != DetectionFft.SCALAR, "the Vector API passes are in use (tests run with the module)");
    }
}
