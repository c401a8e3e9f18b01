package org.aigcmark.watermark;

/**
 * Rate 1/3, constraint length 7 convolutional code (generators 133, 171, 165 octal, as in LTE), zero-terminated,
 * with a soft-decision Viterbi decoder. Soft input convention: a positive value means "coded bit 0 more likely".
 */
final class ConvolutionalCode {
    static final int K = 7;
    static final int TAIL = K - 1;
    static final int RATE = 3;
    private static final int STATES = 1 << (K - 1);
    private static final int[] POLYS = {0133, 0171, 0165};
    /** For each (state, input) the 3 output bits packed as an int. */
    private static final int[] OUTPUT = new int[STATES * 2];

    static {
        for (int s = 0; s < STATES; s++) {
            for (int b = 0; b < 2; b++) {
                int reg = (b << (K - 1)) | s; // newest bit at the top
                int out = 0;
                for (int p = 0; p < RATE; p++) {
                    out |= (Integer.bitCount(reg & reverse7(POLYS[p])) & 1) << p;
                }
                OUTPUT[s * 2 + b] = out;
            }
        }
    }

    private ConvolutionalCode() {}

    /** Reverses a 7-bit generator so that bit 6 of the register (newest) meets the generator's MSB. */
    private static int reverse7(int poly) {
        return Integer.reverse(poly) >>> (32 - K);
    }

    static int codedLength(int infoBits) {
        return (infoBits + TAIL) * RATE;
    }

    static boolean[] encode(boolean[] info) {
        boolean[] out = new boolean[codedLength(info.length)];
        int state = 0;
        for (int i = 0; i < info.length + TAIL; i++) {
            int b = i < info.length && info[i] ? 1 : 0;
            int o = OUTPUT[state * 2 + b];
            for (int p = 0; p < RATE; p++) {
                out[i * RATE + p] = ((o >> p) & 1) != 0;
            }
            state = ((b << (K - 1)) | state) >> 1;
        }
        return out;
    }

    static boolean[] decode(double[] soft, int infoBits) {
        int steps = infoBits + TAIL;
        double[] metric = new double[STATES];
        double[] next = new double[STATES];
        java.util.Arrays.fill(metric, Double.NEGATIVE_INFINITY);
        metric[0] = 0;
        byte[] decision = new byte[steps * STATES]; // input bit that won into each state
        int[] from = new int[steps * STATES];
        for (int i = 0; i < steps; i++) {
            java.util.Arrays.fill(next, Double.NEGATIVE_INFINITY);
            double s0 = soft[i * RATE], s1 = soft[i * RATE + 1], s2 = soft[i * RATE + 2];
            int maxInput = i < infoBits ? 1 : 0;
            for (int s = 0; s < STATES; s++) {
                double m = metric[s];
                if (m == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                for (int b = 0; b <= maxInput; b++) {
                    int o = OUTPUT[s * 2 + b];
                    double bm = ((o & 1) == 0 ? s0 : -s0) + ((o & 2) == 0 ? s1 : -s1) + ((o & 4) == 0 ? s2 : -s2);
                    int ns = ((b << (K - 1)) | s) >> 1;
                    double cand = m + bm;
                    if (cand > next[ns]) {
                        next[ns] = cand;
                        decision[i * STATES + ns] = (byte) b;
                        from[i * STATES + ns] = s;
                    }
                }
            }
            double[] t = metric; metric = next; next = t;
        }
        boolean[] info = new boolean[infoBits];
        int state = 0;
        for (int i = steps - 1; i >= 0; i--) {
            int b = decision[i * STATES + state];
            if (i < infoBits) {
                info[i] = b == 1;
            }
            state = from[i * STATES + state];
        }
        return info;
    }
}
