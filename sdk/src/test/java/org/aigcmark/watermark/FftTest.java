package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FftTest {
    @Test
    void realForwardMatchesTheComplexTransform() {
        Random rnd = new Random(7);
        for (int[] size : new int[][] {{2, 2}, {8, 4}, {16, 64}, {256, 128}}) {
            int rows = size[0];
            int cols = size[1];
            double[] in = new double[rows * cols];
            for (int i = 0; i < in.length; i++) {
                in[i] = rnd.nextGaussian();
            }
            double[] re = in.clone();
            double[] im = new double[in.length];
            Fft.transform2d(re, im, rows, cols, false);
            double[] fr = new double[in.length];
            double[] fi = new double[in.length];
            Fft.realForward2d(in, fr, fi, rows, cols);
            for (int i = 0; i < in.length; i++) {
                assertEquals(re[i], fr[i], 1e-9 * Math.sqrt(in.length), "re at " + i + " for " + rows + "x" + cols);
                assertEquals(im[i], fi[i], 1e-9 * Math.sqrt(in.length), "im at " + i + " for " + rows + "x" + cols);
            }
        }
    }

    @Test
    void inverseOfAnEvenRealArrayIsItsForwardTransform() {
        // the autocorrelation relies on this: a power spectrum is real and even
        int rows = 32;
        int cols = 16;
        double[] g = new double[rows * cols];
        Random rnd = new Random(3);
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                double v = rnd.nextDouble();
                g[y * cols + x] = v;
                g[((rows - y) % rows) * cols + (cols - x) % cols] = v;
            }
        }
        double[] re = g.clone();
        double[] im = new double[g.length];
        Fft.transform2d(re, im, rows, cols, true);
        double[] fr = new double[g.length];
        Fft.realForward2d(g, fr, new double[g.length], rows, cols);
        for (int i = 0; i < g.length; i++) {
            assertEquals(re[i], fr[i], 1e-9, "at " + i);
            assertEquals(0, im[i], 1e-9, "imaginary part at " + i);
        }
    }
}
