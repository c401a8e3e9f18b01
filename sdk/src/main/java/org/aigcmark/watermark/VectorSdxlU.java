package org.aigcmark.watermark;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SdxlWatermarkDecoder.URow} with the Vector API: the same integer arithmetic lane by lane, so the same U
 * values (about 9x faster than the scalar loop, which the JIT does not vectorise). Loaded by name only when
 * {@code jdk.incubator.vector} is in the boot layer.
 */
final class VectorSdxlU implements SdxlWatermarkDecoder.URow {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final int ROUND_AND_OFFSET = (128 << 14) + (1 << 13);

    @Override
    public void uRow(int[] px, int from, int n, int[] uBgr, int[] uRgb, int to) {
        int x = 0;
        for (int bound = S.loopBound(n); x < bound; x += S.length()) {
            IntVector c = IntVector.fromArray(S, px, from + x);
            IntVector r = c.lanewise(VectorOperators.ASHR, 16).and(0xff);
            IntVector g = c.lanewise(VectorOperators.ASHR, 8).and(0xff);
            IntVector b = c.and(0xff);
            IntVector gy = g.mul(9617).add(1 << 13);
            IntVector yb = b.mul(1868).add(gy).add(r.mul(4899)).lanewise(VectorOperators.ASHR, 14);
            IntVector yr = r.mul(1868).add(gy).add(b.mul(4899)).lanewise(VectorOperators.ASHR, 14);
            b.sub(yb).mul(8061).add(ROUND_AND_OFFSET).lanewise(VectorOperators.ASHR, 14).intoArray(uBgr, to + x);
            r.sub(yr).mul(8061).add(ROUND_AND_OFFSET).lanewise(VectorOperators.ASHR, 14).intoArray(uRgb, to + x);
        }
        SdxlWatermarkDecoder.SCALAR_U.uRow(px, from + x, n - x, uBgr, uRgb, to + x);
    }
}
