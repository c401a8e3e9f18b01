package org.aigcmark.text.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyedHashTest {
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0F0E0D0C0B0A0908L;

    @Test
    void sipHashMatchesTheReferenceVectors() {
        // From the SipHash paper / reference implementation (vectors.h), key 00..0f, messages 00..(n-1).
        assertEquals(0x726fdb47dd0e0e31L, KeyedHash.sipHash24(K0, K1, new byte[0]));
        byte[] m15 = new byte[15];
        for (int i = 0; i < 15; i++) {
            m15[i] = (byte) i;
        }
        assertEquals(0xa129ca6149be45e5L, KeyedHash.sipHash24(K0, K1, m15));
    }

    /** The vectors printed in docs/TEXT.md: another implementation must reproduce them. */
    @Test
    void documentedTestVectors() {
        byte[] sub = org.aigcmark.key.WatermarkKey.fromPassphrase("test-vector").derive(WatermarkScheme.KGW.keyPurpose());
        assertEquals("c39ca5805013f748fa3c8d49e4f9d4ccf125aff37a7bb60e4ef6f5c65a219e0c", java.util.HexFormat.of().formatHex(sub));
        long k0 = KeyedHash.le64(sub, 0);
        long k1 = KeyedHash.le64(sub, 8);
        assertEquals(0x48f7135080a59cc3L, k0);
        assertEquals(0xccd4f9e4498d3cfaL, k1);
        long seed = KeyedHash.sipHash24(k0, k1, new int[]{1234}, 0, 1);
        assertEquals(0xe709b7d102868421L, seed);
        assertEquals(0x00c012ff, KeyedHash.greenValue(seed, 0));
        assertEquals(0xeaa8aba9, KeyedHash.greenValue(seed, 1));
        assertEquals(0x5149b7a813ffb2f8L, KeyedHash.sipHash24(k0, k1, new int[]{1234, 5678}, 0, 2));
        assertEquals(0.99338536608222630, KeyedHash.uniform(seed, 1), 0.0);
        assertEquals(0x40000000, KeyedHash.greenThreshold(0.25));
    }

    @Test
    void intFormEqualsTheByteFormOfLittleEndianIds() {
        SplittableRandom r = new SplittableRandom(7);
        for (int len = 1; len <= 9; len++) {
            int[] ids = new int[len + 2];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(1 << 18);
            }
            byte[] bytes = new byte[4 * len];
            for (int i = 0; i < len; i++) {
                int v = ids[1 + i];
                for (int b = 0; b < 4; b++) {
                    bytes[4 * i + b] = (byte) (v >>> (8 * b));
                }
            }
            assertEquals(KeyedHash.sipHash24(K0, K1, bytes), KeyedHash.sipHash24(K0, K1, ids, 1, len), "len " + len);
        }
    }

    @Test
    void greenListHasTheRequestedFractionForEverySeed() {
        int threshold = KeyedHash.greenThreshold(0.25);
        SplittableRandom r = new SplittableRandom(3);
        for (int s = 0; s < 20; s++) {
            long seed = r.nextLong();
            int green = 0;
            for (int t = 0; t < 150_000; t++) {
                green += Integer.compareUnsigned(KeyedHash.greenValue(seed, t), threshold) < 0 ? 1 : 0;
            }
            double f = green / 150_000.0;
            assertTrue(Math.abs(f - 0.25) < 0.006, "green fraction " + f);
        }
    }

    @Test
    void vectorKernelEqualsScalarKernel() {
        SplittableRandom r = new SplittableRandom(11);
        float[] a = new float[150_001];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        float[] b = a.clone();
        long seed = r.nextLong();
        int threshold = KeyedHash.greenThreshold(0.25);
        GreenListKernel.addDeltaScalar(a, 0, a.length, seed, threshold, 2f);
        GreenListKernel.addDelta(b, b.length, seed, threshold, 2f);
        assertTrue(java.util.Arrays.equals(a, b));
    }

    @Test
    void exactTailsAgreeWithKnownValues() {
        // P(X >= 3), X ~ Bin(4, 0.5) = 5/16.
        assertEquals(5.0 / 16, Statistics.binomialUpperTail(3, 4, 0.5), 1e-12);
        // Q(1, x) = e^-x.
        assertEquals(Math.exp(-3), Statistics.gammaUpperTail(1, 3), 1e-12);
        // Q(5, 2): 1 - P = e^-2 (1 + 2 + 2 + 4/3 + 2/3) = 7 e^-2.
        assertEquals(7 * Math.exp(-2), Statistics.gammaUpperTail(5, 2), 1e-12);
        assertEquals(Math.log(120), Statistics.lnGamma(6), 1e-12);
    }
}
