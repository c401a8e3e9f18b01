package org.aigcmark.watermark;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Vector API kernels; loaded reflectively so the SDK still runs without the incubator module. */
final class VectorPixelKernels extends PixelKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes for one float vector (16 bytes for 16 float lanes); null where that shape does not exist (4 lanes). */
    private static final VectorSpecies<Byte> B = byteSpecies();

    /** One block (8 pixels) of floats, for the gain-row interpolation; null where floats come in fewer lanes. */
    private static final VectorSpecies<Float> F8 = F.length() >= 8 ? FloatVector.SPECIES_256 : null;

    private static VectorSpecies<Byte> byteSpecies() {
        int bits = F.length() * Byte.SIZE;
        return bits >= 64 ? ByteVector.SPECIES_MAX.withShape(VectorShape.forBitSize(bits)) : null;
    }

    VectorPixelKernels() {
        if (F.length() != I.length()) {
            throw new IllegalStateException("float and int species differ in length");
        }
    }

    @Override
    String name() {
        return "vector(" + F.length() + "x32)";
    }

    /*
     * The pattern rows repeat their first PATTERN_PAD values after the period (ImageWatermarker.CachedPattern), so
     * the pattern index runs on across the period boundary and wraps once per period: every vector is a full one
     * and only the last (width % lanes) pixels of a row are scalar.
     */
    @Override
    void embedRowRgb(int[] px, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        int lanes = F.length();
        int bound = F.loopBound(width);
        int p = 0; // x % period
        int x = 0;
        for (; x < bound; x += lanes) {
            IntVector c = IntVector.fromArray(I, px, off + x);
            FloatVector d = FloatVector.fromArray(F, gain, x).mul(FloatVector.fromArray(F, pattern, patternRow + p));
            IntVector r = channel(c.lanewise(VectorOperators.LSHR, 16).and(0xff), d);
            IntVector g = channel(c.lanewise(VectorOperators.LSHR, 8).and(0xff), d);
            IntVector b = channel(c.and(0xff), d);
            IntVector out = c.and(0xff000000).or(r.lanewise(VectorOperators.LSHL, 16))
                    .or(g.lanewise(VectorOperators.LSHL, 8)).or(b);
            out.intoArray(px, off + x);
            p += lanes;
            if (p >= period) {
                p -= period;
            }
        }
        for (; x < width; x++) {
            ScalarPixelKernels.embedSegment(px, off + x, gain, x, pattern, patternRow + p, 1);
            if (++p == period) {
                p = 0;
            }
        }
    }

    @Override
    void embedRowLuma(byte[] y, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        if (B == null) {
            super.embedRowLuma(y, off, width, gain, pattern, patternRow, period);
            return;
        }
        int lanes = F.length();
        int bound = F.loopBound(width);
        int p = 0; // x % period
        int x = 0;
        for (; x < bound; x += lanes) {
            FloatVector v = (FloatVector) ByteVector.fromArray(B, y, off + x)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            FloatVector d = FloatVector.fromArray(F, gain, x).mul(FloatVector.fromArray(F, pattern, patternRow + p));
            v = v.add(d).min(255f).max(0f).add(0.5f);
            ((ByteVector) v.convert(VectorOperators.F2I, 0).convertShape(VectorOperators.I2B, B, 0)).intoArray(y, off + x);
            p += lanes;
            if (p >= period) {
                p -= period;
            }
        }
        for (; x < width; x++) {
            float d = gain[x] * pattern[patternRow + p];
            float v = (y[off + x] & 0xff) + d;
            v = Math.max(0f, Math.min(255f, v));
            y[off + x] = (byte) (int) (v + 0.5f);
            if (++p == period) {
                p = 0;
            }
        }
    }

    @Override
    void interpolateGainRow(float[] colA, int blocks, float[] fx, float[] out, int width) {
        int block = ImageWatermarker.BLOCK;
        if (F8 == null || block != F8.length()) {
            super.interpolateGainRow(colA, blocks, fx, out, width);
            return;
        }
        int half = block / 2;
        java.util.Arrays.fill(out, 0, Math.min(width, half), colA[0]);
        int x = half;
        int b = 0;
        // whole blocks: fx * d + a lane by lane, the scalar a + fx * (c - a) (both operations commute exactly)
        for (; b + 1 < blocks && x + block <= width; b++, x += block) {
            float a = colA[b];
            FloatVector.fromArray(F8, fx, x).mul(colA[b + 1] - a).add(a).intoArray(out, x);
        }
        for (; b + 1 < blocks && x < width; b++) {
            float a = colA[b];
            float d = colA[b + 1] - a;
            int end = Math.min(width, x + block);
            for (; x < end; x++) {
                out[x] = a + fx[x] * d;
            }
        }
        if (x < width) {
            java.util.Arrays.fill(out, x, width, colA[blocks - 1]);
        }
    }

    private static IntVector channel(IntVector c, FloatVector d) {
        FloatVector v = ((FloatVector) c.convert(VectorOperators.I2F, 0)).add(d);
        v = v.min(255f).max(0f).add(0.5f);
        return (IntVector) v.convert(VectorOperators.F2I, 0);
    }

    @Override
    void lumaRow(int[] px, int off, int width, float[] out) {
        int bound = F.loopBound(width);
        int x = 0;
        for (; x < bound; x += F.length()) {
            IntVector c = IntVector.fromArray(I, px, off + x);
            FloatVector r = (FloatVector) c.lanewise(VectorOperators.LSHR, 16).and(0xff).convert(VectorOperators.I2F, 0);
            FloatVector g = (FloatVector) c.lanewise(VectorOperators.LSHR, 8).and(0xff).convert(VectorOperators.I2F, 0);
            FloatVector b = (FloatVector) c.and(0xff).convert(VectorOperators.I2F, 0);
            r.mul(0.299f).add(g.mul(0.587f)).add(b.mul(0.114f)).intoArray(out, x);
        }
        ScalarPixelKernels.lumaSegment(px, off, out, x, width);
    }
}
