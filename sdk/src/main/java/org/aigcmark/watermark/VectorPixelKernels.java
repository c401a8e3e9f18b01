package org.aigcmark.watermark;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API kernels; loaded reflectively so the SDK still runs without the incubator module. */
final class VectorPixelKernels extends PixelKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    VectorPixelKernels() {
        if (F.length() != I.length()) {
            throw new IllegalStateException("float and int species differ in length");
        }
    }

    @Override
    String name() {
        return "vector(" + F.length() + "x32)";
    }

    @Override
    void embedRowRgb(int[] px, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        int x = 0;
        while (x < width) {
            int p = x % period;
            int n = Math.min(period - p, width - x);
            int pOff = off + x;
            int patOff = patternRow + p;
            int bound = F.loopBound(n);
            int i = 0;
            for (; i < bound; i += F.length()) {
                IntVector c = IntVector.fromArray(I, px, pOff + i);
                FloatVector d = FloatVector.fromArray(F, gain, x + i).mul(FloatVector.fromArray(F, pattern, patOff + i));
                IntVector r = channel(c.lanewise(VectorOperators.LSHR, 16).and(0xff), d);
                IntVector g = channel(c.lanewise(VectorOperators.LSHR, 8).and(0xff), d);
                IntVector b = channel(c.and(0xff), d);
                IntVector out = c.and(0xff000000).or(r.lanewise(VectorOperators.LSHL, 16))
                        .or(g.lanewise(VectorOperators.LSHL, 8)).or(b);
                out.intoArray(px, pOff + i);
            }
            if (i < n) {
                ScalarPixelKernels.embedSegment(px, pOff + i, gain, x + i, pattern, patOff + i, n - i);
            }
            x += n;
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
