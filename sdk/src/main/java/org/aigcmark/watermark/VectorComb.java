package org.aigcmark.watermark;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CombSearch}'s lattices scored side by side, one lattice per vector lane: each lane computes its line's bin
 * index with the scalar loop's float operations (a multiply, then an add: no fused multiply-add), gathers the weight,
 * and adds it to its own double sum in the order of the lines, so every score is the scalar one to the bit
 * (CombSearchTest). A line on no informative bin adds +0.0 (a sum that starts at +0.0 and adds finite floats none of
 * which is -0.0 never is -0.0, so that is no change) and is not counted. Loaded by name only when
 * {@code jdk.incubator.vector} is in the boot layer.
 */
final class VectorComb implements CombSearch.Lanes {
    /** one lane per double of the widest vector (8 with AVX-512, 4 with AVX2) */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_MAX.withShape(VectorShape.forBitSize(D.length() * 32));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_MAX.withShape(VectorShape.forBitSize(D.length() * 32));

    VectorComb() {
        if (D.length() < 4 || F.length() != D.length() || I.length() != D.length()) {
            throw new IllegalStateException("no vector shape for " + D.length() + " lanes");
        }
    }

    @Override
    public int lanes() {
        return D.length();
    }

    @Override
    public void score(float[] weights, int nx, int ny, float[] kxs, float[] kys, float[] map, double[] sums, int[] counts) {
        int lanes = D.length();
        FloatVector xx = FloatVector.fromArray(F, map, 0);
        FloatVector xy = FloatVector.fromArray(F, map, lanes);
        FloatVector yx = FloatVector.fromArray(F, map, 2 * lanes);
        FloatVector yy = FloatVector.fromArray(F, map, 3 * lanes);
        float offX = nx * 64 + 0.5f;
        float offY = ny * 64 + 0.5f;
        int mx = nx - 1;
        int my = ny - 1;
        // a gather takes its indices from an array: one vector of them, stored and read back at once
        int[] at = new int[lanes];
        DoubleVector sum = DoubleVector.zero(D);
        // counts as floats (exact up to 2^24): the mask the NaN test gives is a float one
        FloatVector count = FloatVector.zero(F);
        for (int i = 0; i < kxs.length; i++) {
            float kx = kxs[i];
            float ky = kys[i];
            IntVector ix = ((IntVector) xx.mul(kx).add(xy.mul(ky)).add(offX).convert(VectorOperators.F2I, 0)).and(mx);
            IntVector iy = ((IntVector) yx.mul(kx).add(yy.mul(ky)).add(offY).convert(VectorOperators.F2I, 0)).and(my);
            iy.mul(nx).add(ix).intoArray(at, 0);
            FloatVector w = FloatVector.fromArray(F, weights, 0, at, 0);
            VectorMask<Float> none = w.test(VectorOperators.IS_NAN);
            sum = sum.add((DoubleVector) w.blend(0f, none).convertShape(VectorOperators.F2D, D, 0));
            count = count.add(1f, none.not());
        }
        sum.intoArray(sums, 0);
        for (int l = 0; l < lanes; l++) {
            counts[l] = (int) count.lane(l);
        }
    }
}
