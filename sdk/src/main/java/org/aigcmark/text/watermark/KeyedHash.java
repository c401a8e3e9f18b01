package org.aigcmark.text.watermark;

/**
 * The portable hash functions of the text watermark, specified exactly so that any language can verify a mark
 * (see docs/TEXT.md, "Portable hash", for test vectors).
 *
 * <ul>
 *   <li>{@link #sipHash24(long, long, int[], int, int)}: SipHash-2-4 (Aumasson and Bernstein) of the context token
 *       ids, each written as a 4-byte little-endian unsigned integer. The 128-bit SipHash key is the first 16 bytes
 *       of the scheme's sub-key, read as two little-endian 64-bit words k0, k1. The 64-bit result is the context
 *       seed. This is the only keyed step: without the key nobody can predict a context's seed.</li>
 *   <li>{@link #greenValue(long, int)}: a 32-bit bijective mix of the token id under the seed (the murmur3 finaliser
 *       plus one extra multiply-xorshift round). A token is green when this value, read as unsigned, is below
 *       floor(gamma * 2^32). Cheap and vectorisable, so the full-vocabulary step stays fast.</li>
 *   <li>{@link #uniform(long, int)}: the splitmix64 finaliser of {@code seed ^ (token * 0x9E3779B97F4A7C15)}; its top 53
 *       bits give a uniform number in (0, 1) for the Gumbel (exponential-minimum) scheme.</li>
 * </ul>
 */
public final class KeyedHash {
    private KeyedHash() {}

    static final int GOLDEN32 = 0x9E3779B1;
    static final long GOLDEN64 = 0x9E3779B97F4A7C15L;

    /** SipHash-2-4 of {@code len} ints from {@code a[off]}, each as 4 little-endian bytes. */
    public static long sipHash24(long k0, long k1, int[] a, int off, int len) {
        SipState s = new SipState(k0, k1);
        int i = 0;
        for (; i + 1 < len; i += 2) {
            s.compress((a[off + i] & 0xFFFFFFFFL) | ((long) a[off + i + 1] << 32));
        }
        long last = ((long) (4 * len) & 0xFF) << 56;
        if (i < len) {
            last |= a[off + i] & 0xFFFFFFFFL;
        }
        return s.finish(last);
    }

    /** SipHash-2-4 of a byte message (for test vectors and for cross-checking the int form). */
    public static long sipHash24(long k0, long k1, byte[] msg) {
        SipState s = new SipState(k0, k1);
        int n = msg.length;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s.compress(le64(msg, i));
        }
        long last = ((long) n & 0xFF) << 56;
        for (int b = 0; i + b < n; b++) {
            last |= (msg[i + b] & 0xFFL) << (8 * b);
        }
        return s.finish(last);
    }

    /**
     * The SipHash-2-4 state: the one place the SipRound is written. Both message forms feed it 64-bit words;
     * it never escapes its caller, so the JIT keeps the four words in registers.
     */
    private static final class SipState {
        private long v0;
        private long v1;
        private long v2;
        private long v3;

        SipState(long k0, long k1) {
            v0 = 0x736f6d6570736575L ^ k0;
            v1 = 0x646f72616e646f6dL ^ k1;
            v2 = 0x6c7967656e657261L ^ k0;
            v3 = 0x7465646279746573L ^ k1;
        }

        /** Absorbs one message word with two SipRounds (the "2" of 2-4). */
        void compress(long m) {
            v3 ^= m;
            rounds(2);
            v0 ^= m;
        }

        /** Absorbs the length-tagged last word and runs the four finalisation rounds (the "4"). */
        long finish(long last) {
            compress(last);
            v2 ^= 0xFF;
            rounds(4);
            return v0 ^ v1 ^ v2 ^ v3;
        }

        private void rounds(int n) {
            for (int r = 0; r < n; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
        }
    }

    /** The KGW per-token value: green when {@code Integer.compareUnsigned(greenValue(seed, t), threshold) < 0}. */
    public static int greenValue(long seed, int token) {
        int x = (token * GOLDEN32) ^ (int) seed;
        x ^= x >>> 16;
        x *= 0x85EBCA6B;
        x ^= x >>> 13;
        x *= 0xC2B2AE35;
        x ^= x >>> 16;
        x ^= (int) (seed >>> 32);
        x *= 0x27D4EB2F;
        x ^= x >>> 15;
        return x;
    }

    /** The unsigned threshold for a green fraction gamma: floor(gamma * 2^32), as an int bit pattern. */
    public static int greenThreshold(double gamma) {
        return (int) (long) Math.floor(gamma * 4294967296.0);
    }

    /** splitmix64's finaliser. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform number in (0, 1) for (seed, token): (top 53 bits of mix64(seed ^ token * golden) + 0.5) / 2^53. */
    public static double uniform(long seed, int token) {
        long z = mix64(seed ^ ((token & 0xFFFFFFFFL) * GOLDEN64));
        return ((z >>> 11) + 0.5) * 0x1.0p-53;
    }

    /** Reads 8 bytes little-endian from {@code b[off]}. */
    static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
