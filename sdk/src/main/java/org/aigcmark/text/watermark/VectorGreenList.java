package org.aigcmark.text.watermark;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API form of {@link KeyedHash#greenValue}; loaded only when the module is present. */
final class VectorGreenList {
    private VectorGreenList() {}

    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    static int lanes() {
        return I.length() == F.length() ? I.length() : 0;
    }

    static void addDelta(float[] logits, int vocab, long seed, int threshold, float delta) {
        int s0 = (int) seed;
        int s1 = (int) (seed >>> 32);
        int signedThreshold = threshold ^ Integer.MIN_VALUE;
        int n = I.length();
        int upper = I.loopBound(vocab);
        int t = 0;
        for (; t < upper; t += n) {
            IntVector x = IntVector.broadcast(I, t).addIndex(1).mul(KeyedHash.GOLDEN32).lanewise(VectorOperators.XOR, s0);
            x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
            x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
            x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
            x = x.lanewise(VectorOperators.XOR, s1).mul(0x27D4EB2F);
            x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15));
            // Unsigned compare via the sign-flip trick.
            VectorMask<Integer> green = x.lanewise(VectorOperators.XOR, Integer.MIN_VALUE).compare(VectorOperators.LT, signedThreshold);
            FloatVector l = FloatVector.fromArray(F, logits, t);
            l.add(delta, green.cast(F)).intoArray(logits, t);
        }
        GreenListKernel.addDeltaScalar(logits, t, vocab, seed, threshold, delta);
    }
}
