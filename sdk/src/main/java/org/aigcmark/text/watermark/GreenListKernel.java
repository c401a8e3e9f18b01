package org.aigcmark.text.watermark;

/**
 * Adds delta to the logits of green tokens over the whole vocabulary. Uses the Vector API when the
 * {@code jdk.incubator.vector} module is present (the CLI, tests and JMH add it), else a plain loop with the
 * same result.
 */
final class GreenListKernel {
    private GreenListKernel() {}

    static final boolean VECTOR = vectorAvailable();

    private static boolean vectorAvailable() {
        if (Boolean.getBoolean("aigcmark.noVector")) {
            return false;
        }
        try {
            return org.aigcmark.internal.VectorApi.present()
                    && VectorGreenList.lanes() >= 4;
        } catch (Throwable t) {
            return false;
        }
    }

    static void addDelta(float[] logits, int vocab, long seed, int threshold, float delta) {
        if (VECTOR) {
            VectorGreenList.addDelta(logits, vocab, seed, threshold, delta);
        } else {
            addDeltaScalar(logits, 0, vocab, seed, threshold, delta);
        }
    }

    static void addDeltaScalar(float[] logits, int from, int to, long seed, int threshold, float delta) {
        long limit = threshold & 0xFFFFFFFFL;
        for (int t = from; t < to; t++) {
            // Branch-free: the sign of (value - threshold) as a 64-bit number is 1 exactly for green tokens.
            long green = ((KeyedHash.greenValue(seed, t) & 0xFFFFFFFFL) - limit) >>> 63;
            logits[t] += green * delta;
        }
    }
}
