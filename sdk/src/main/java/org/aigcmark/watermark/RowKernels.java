package org.aigcmark.watermark;

/**
 * The watermark's two hottest row loops, as another jar may provide them (aigcmark-native's C kernels), found
 * through {@link java.util.ServiceLoader} and used only when asked for ({@link WatermarkOptions.Kernels#NATIVE}).
 * An implementation must give results bit-identical to the Java kernels: the same float operations in the same
 * order, no FMA, no reassociation.
 */
public interface RowKernels {
    /** Whether this provider can run here (e.g. its native library loaded); one that cannot is passed over. */
    boolean available();

    /**
     * Adds {@code gain[x] * pattern[patternRow + ((x + phase) % period)]} to R, G and B of {@code px[off + x]},
     * {@code x} in {@code [0, width)}, rounding and clamping to [0, 255]; alpha is kept.
     */
    void embedRowRgb(int[] px, int off, int width, float[] gain, float[] pattern, int patternRow, int period);

    /** Luma (BT.601 weights) of {@code width} packed pixels into {@code out[0..width)}. */
    void lumaRow(int[] px, int off, int width, float[] out);
}
