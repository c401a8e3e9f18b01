package org.aigcmark.detection.forensic;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;

/**
 * A weight-free resampling signal: an image that was upsampled (as generator decoders and "AI upscalers" do, and
 * as plain resizing does) holds pixels that are interpolated from their neighbours, so the second-difference
 * residual {@code |2·Y(x) − Y(x−1) − Y(x+1)|} is periodic with the upsampling period. Averaging the residual over
 * rows (for x) and over columns (for y) gives a profile whose spectrum shows a sharp peak at that period; the score
 * is the peak's power over the median power of the profile's spectrum, the largest over the candidate periods
 * (see Kirchner 2008, Popescu &amp; Farid 2005, for the idea).
 *
 * <p>JPEG's 8×8 blocks make the same residual periodic with period 8 and its harmonics (4, 8/3, 2, 8/5, …), so
 * those are either left out or weighed against the block harmonics (see {@link #BLOCK_PERIODS}); the threshold is
 * calibrated on the project's real JPEG photos so they stay quiet (see {@link #DEFAULT_THRESHOLD}). A high score says "resampled", not "generated": a resized real photo scores high
 * too, and a generated image saved at its native size may score low. Weak evidence only.
 */
public final class UpsamplingPeaks {
    /** Candidate periods in pixels (frequency = 1 / period cycles per pixel) that JPEG's 8x8 blocks do not create. */
    static final double[] FREE_PERIODS = {3, 6};
    /**
     * Periods 2 and 4 (the commonest upsampling factors) are also harmonics of JPEG's 8-pixel blocks, so their
     * peaks are measured against the block harmonics that upsampling does not create (periods 8 and 8/3): a JPEG
     * lifts all of them together, an upsampled image lifts only its own.
     */
    static final double[] BLOCK_PERIODS = {2, 4};
    /** Longest side analysed: larger images are centre-cropped to this (no resizing: that would add its own trace). */
    static final int MAX_SIDE = 2048;
    static final int MIN_SIDE = 32;
    /**
     * Calibrated on the 33 real photos in testdata/fixtures/photos: their highest score is 14.9 (see
     * docs/DETECT-MODELS.md; UpsamplingPeaksTest prints the numbers), so 40 leaves a 2.7x margin.
     *
     * <p>Periods 5 and 2.5 were candidates too, but those photos were themselves downscaled (Lanczos, to at most
     * 2560 pixels, often by 0.8) and three of them scored 114-364 there: resampling traces in real photos. They
     * were dropped rather than the threshold raised above them, which would have silenced the 2x detection.
     */
    public static final double DEFAULT_THRESHOLD = 40;

    /** The score, the axis and period of the strongest peak. */
    public record Result(double score, String axis, double period) {
    }

    private UpsamplingPeaks() {
    }

    /**
     * Scores {@code image}'s luma for upsampling peaks; a side over 2048 pixels is centre-cropped, never resized.
     *
     * @param image at least 32 pixels on each side
     * @return the strongest peak's score, axis ({@code x} or {@code y}) and period in pixels
     * @throws AigcmarkException with {@link AigcmarkException.Reason#INVALID_ARGUMENT} when a side is under 32 pixels
     */
    public static Result measure(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (w < MIN_SIDE || h < MIN_SIDE) {
            throw AigcmarkException.invalid("image too small for the upsampling signal: " + w + "x" + h);
        }
        int cw = Math.min(w, MAX_SIDE);
        int ch = Math.min(h, MAX_SIDE);
        int x0 = (w - cw) / 2;
        int y0 = (h - ch) / 2;
        float[] luma = luma(image, x0, y0, cw, ch);
        // Second differences catch interpolated pixels between kept ones (factors like 1.5, 3); first differences
        // catch 2x upsampling with half-pixel centres, where every output pixel is a 3:1 mix and the two phases
        // differ only in how much noise their steps carry.
        double[] colSecond = new double[cw - 2];
        double[] rowSecond = new double[ch - 2];
        double[] colFirst = new double[cw - 2];
        double[] rowFirst = new double[ch - 2];
        for (int y = 1; y < ch - 1; y++) {
            int r = y * cw;
            for (int x = 1; x < cw - 1; x++) {
                float v = luma[r + x];
                colSecond[x - 1] += Math.abs(2 * v - luma[r + x - 1] - luma[r + x + 1]);
                rowSecond[y - 1] += Math.abs(2 * v - luma[r + x - cw] - luma[r + x + cw]);
                colFirst[x - 1] += Math.abs(v - luma[r + x - 1]);
                rowFirst[y - 1] += Math.abs(v - luma[r + x - cw]);
            }
        }
        Result best = strongest(colSecond, "x");
        for (Result r : List.of(strongest(rowSecond, "y"), strongest(colFirst, "x"), strongest(rowFirst, "y"))) {
            if (r.score() > best.score()) {
                best = r;
            }
        }
        return best;
    }

    /**
     * Luma of the crop from getRGB's values; the JPEG reader's 3-byte BGR raster is read directly (the same values,
     * without getRGB's per-pixel colour-model calls, which cost more than the rest of the signal).
     */
    static float[] luma(BufferedImage image, int x0, int y0, int cw, int ch) {
        float[] luma = new float[cw * ch];
        java.awt.image.WritableRaster r = image.getRaster();
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && r.getSampleModelTranslateX() == 0
                && r.getSampleModelTranslateY() == 0 && r.getDataBuffer() instanceof java.awt.image.DataBufferByte db
                && db.getNumBanks() == 1 && r.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm
                && sm.getPixelStride() == 3 && Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})) {
            byte[] data = db.getData();
            for (int y = 0; y < ch; y++) {
                int o = db.getOffset() + (y0 + y) * sm.getScanlineStride() + 3 * x0;
                for (int x = 0, i = y * cw; x < cw; x++, i++, o += 3) {
                    luma[i] = 0.299f * (data[o + 2] & 255) + 0.587f * (data[o + 1] & 255) + 0.114f * (data[o] & 255);
                }
            }
            return luma;
        }
        int[] rgb = image.getRGB(x0, y0, cw, ch, null, 0, cw);
        for (int i = 0; i < luma.length; i++) {
            int p = rgb[i];
            luma[i] = 0.299f * ((p >> 16) & 255) + 0.587f * ((p >> 8) & 255) + 0.114f * (p & 255);
        }
        return luma;
    }

    /** Peak-to-median spectral power of a profile over the candidate periods. */
    static Result strongest(double[] profile, String axis) {
        int n = profile.length;
        double mean = Arrays.stream(profile).average().orElse(0);
        double[] centred = new double[n];
        for (int i = 0; i < n; i++) {
            centred[i] = profile[i] - mean;
        }
        // Spectrum on a grid of n/2 frequencies for the median (the noise floor)...
        int bins = n / 2;
        double[] power = new double[bins];
        for (int k = 1; k <= bins; k++) {
            power[k - 1] = power(centred, (double) k / n);
        }
        double[] sorted = power.clone();
        Arrays.sort(sorted);
        double floor = Math.max(sorted[sorted.length / 2], 1e-12);
        // ...and exactly at each candidate frequency (a peak may fall between grid bins).
        Result best = new Result(0, axis, 0);
        for (double period : FREE_PERIODS) {
            double s = power(centred, 1 / period) / floor;
            if (s > best.score()) {
                best = new Result(s, axis, period);
            }
        }
        double blocks = floor + Math.max(power(centred, 1 / 8.0), power(centred, 3 / 8.0));
        for (double period : BLOCK_PERIODS) {
            double s = power(centred, 1 / period) / blocks;
            if (s > best.score()) {
                best = new Result(s, axis, period);
            }
        }
        return best;
    }

    private static double power(double[] x, double frequency) {
        double re = 0;
        double im = 0;
        double step = 2 * Math.PI * frequency;
        // Rotate a unit phasor instead of calling sin/cos per sample.
        double cs = Math.cos(step);
        double sn = Math.sin(step);
        double c = 1;
        double s = 0;
        for (double v : x) {
            re += v * c;
            im -= v * s;
            double nc = c * cs - s * sn;
            s = s * cs + c * sn;
            c = nc;
        }
        return (re * re + im * im) / x.length;
    }
}
