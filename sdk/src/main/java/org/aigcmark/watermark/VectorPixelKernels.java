package org.aigcmark.watermark;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Vector API kernels; loaded reflectively so the SDK still runs without the incubator module. */
final class VectorPixelKernels extends PixelKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes for one float vector (16 bytes for 16 float lanes); null where that shape does not exist (4 lanes). */
    private static final VectorSpecies<Byte> B = byteSpecies();

    /** One block (8 pixels) of floats, for the gain-row interpolation; null where floats come in fewer lanes. */
    private static final VectorSpecies<Float> F8 = F.length() >= 8 ? FloatVector.SPECIES_256 : null;

    /** A full vector of bytes for the block sums: 8 blocks of 8 pixels per vector at 512 bits. */
    private static final VectorSpecies<Byte> BLOCK_BYTES = ByteVector.SPECIES_PREFERRED;
    /** Block sums come out as one long per block; narrowed to ints of this species (half the bits). */
    private static final VectorSpecies<Integer> BLOCK_INTS = BLOCK_BYTES.vectorBitSize() >= 128
            ? IntVector.SPECIES_MAX.withShape(VectorShape.forBitSize(BLOCK_BYTES.vectorBitSize() / 2)) : null;

    /*
     * 3-byte B, G, R rows (a JPEG's decoded image), a vector of L pixels at a time as three vectors of L bytes, each
     * widened to L ints or floats. SPREAD_k: lane i of the k-th byte vector belongs to pixel (kL + i) / 3, for the
     * embed's per-pixel mark. To gather channel c (B 0, G 1, R 2) of the L pixels: its byte of pixel i is byte 3i + c,
     * lane (3i + c) % L of vector (3i + c) / L; as L is a power of two, (3i + c) % L runs over every lane once, so one
     * blend of the three vectors (CHANNEL_FROM1/2_c: the lanes to take from the second/third) and one rearrange
     * (CHANNEL_c) give it.
     */
    private static final VectorShuffle<Float> SPREAD0 = spread(0);
    private static final VectorShuffle<Float> SPREAD1 = spread(1);
    private static final VectorShuffle<Float> SPREAD2 = spread(2);
    private static final VectorShuffle<Integer> CHANNEL_B = VectorShuffle.fromArray(I, channelLanes(0), 0);
    private static final VectorShuffle<Integer> CHANNEL_G = VectorShuffle.fromArray(I, channelLanes(1), 0);
    private static final VectorShuffle<Integer> CHANNEL_R = VectorShuffle.fromArray(I, channelLanes(2), 0);
    private static final VectorMask<Integer> B_FROM1 = VectorMask.fromArray(I, channelSources(0, 1), 0);
    private static final VectorMask<Integer> B_FROM2 = VectorMask.fromArray(I, channelSources(0, 2), 0);
    private static final VectorMask<Integer> G_FROM1 = VectorMask.fromArray(I, channelSources(1, 1), 0);
    private static final VectorMask<Integer> G_FROM2 = VectorMask.fromArray(I, channelSources(1, 2), 0);
    private static final VectorMask<Integer> R_FROM1 = VectorMask.fromArray(I, channelSources(2, 1), 0);
    private static final VectorMask<Integer> R_FROM2 = VectorMask.fromArray(I, channelSources(2, 2), 0);
    private static final VectorShuffle<Float> F_CHANNEL_B = CHANNEL_B.cast(F);
    private static final VectorShuffle<Float> F_CHANNEL_G = CHANNEL_G.cast(F);
    private static final VectorShuffle<Float> F_CHANNEL_R = CHANNEL_R.cast(F);
    private static final VectorMask<Float> F_B_FROM1 = B_FROM1.cast(F);
    private static final VectorMask<Float> F_B_FROM2 = B_FROM2.cast(F);
    private static final VectorMask<Float> F_G_FROM1 = G_FROM1.cast(F);
    private static final VectorMask<Float> F_G_FROM2 = G_FROM2.cast(F);
    private static final VectorMask<Float> F_R_FROM1 = R_FROM1.cast(F);
    private static final VectorMask<Float> F_R_FROM2 = R_FROM2.cast(F);

    private static VectorShuffle<Float> spread(int k) {
        int lanes = F.length();
        return VectorShuffle.fromOp(F, i -> (k * lanes + i) / 3);
    }

    private static int[] channelLanes(int c) {
        int lanes = I.length();
        int[] s = new int[lanes];
        for (int i = 0; i < lanes; i++) {
            s[i] = (3 * i + c) % lanes;
        }
        return s;
    }

    private static boolean[] channelSources(int c, int source) {
        int lanes = I.length();
        boolean[] m = new boolean[lanes];
        for (int i = 0; i < lanes; i++) {
            m[(3 * i + c) % lanes] = (3 * i + c) / lanes == source;
        }
        return m;
    }

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
     * The pattern rows repeat their first PATTERN_PAD values after the period (WatermarkEmbedder.CachedPattern), so
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

    /** {@link #embedRowRgb}'s lanes on 3-byte B, G, R pixels: the same float operations per channel. */
    @Override
    void embedRowBgr(byte[] data, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        if (B == null) {
            super.embedRowBgr(data, off, width, gain, pattern, patternRow, period);
            return;
        }
        int lanes = F.length();
        int bound = F.loopBound(width);
        int p = 0; // x % period
        int x = 0;
        for (; x < bound; x += lanes) {
            FloatVector d = FloatVector.fromArray(F, gain, x).mul(FloatVector.fromArray(F, pattern, patternRow + p));
            int q = off + 3 * x;
            // written out three times: a helper that is not inlined takes its vectors boxed
            FloatVector v0 = (FloatVector) ByteVector.fromArray(B, data, q)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            v0 = v0.add(d.rearrange(SPREAD0)).min(255f).max(0f).add(0.5f);
            ((ByteVector) v0.convert(VectorOperators.F2I, 0).convertShape(VectorOperators.I2B, B, 0)).intoArray(data, q);
            FloatVector v1 = (FloatVector) ByteVector.fromArray(B, data, q + lanes)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            v1 = v1.add(d.rearrange(SPREAD1)).min(255f).max(0f).add(0.5f);
            ((ByteVector) v1.convert(VectorOperators.F2I, 0).convertShape(VectorOperators.I2B, B, 0))
                    .intoArray(data, q + lanes);
            FloatVector v2 = (FloatVector) ByteVector.fromArray(B, data, q + 2 * lanes)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            v2 = v2.add(d.rearrange(SPREAD2)).min(255f).max(0f).add(0.5f);
            ((ByteVector) v2.convert(VectorOperators.F2I, 0).convertShape(VectorOperators.I2B, B, 0))
                    .intoArray(data, q + 2 * lanes);
            p += lanes;
            if (p >= period) {
                p -= period;
            }
        }
        for (int q = off + 3 * x; x < width; x++, q += 3) {
            float d = gain[x] * pattern[patternRow + p];
            data[q] = (byte) bgrChannel(data[q] & 0xff, d);
            data[q + 1] = (byte) bgrChannel(data[q + 1] & 0xff, d);
            data[q + 2] = (byte) bgrChannel(data[q + 2] & 0xff, d);
            if (++p == period) {
                p = 0;
            }
        }
    }

    @Override
    void luma8RowBgr(byte[] data, int off, int width, byte[] out, int outOff) {
        if (B == null) {
            super.luma8RowBgr(data, off, width, out, outOff);
            return;
        }
        int lanes = I.length();
        int bound = I.loopBound(width);
        int x = 0;
        for (; x < bound; x += lanes) {
            int q = off + 3 * x;
            IntVector c0 = (IntVector) ByteVector.fromArray(B, data, q).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            IntVector c1 = (IntVector) ByteVector.fromArray(B, data, q + lanes)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            IntVector c2 = (IntVector) ByteVector.fromArray(B, data, q + 2 * lanes)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            IntVector r = c0.blend(c1, R_FROM1).blend(c2, R_FROM2).rearrange(CHANNEL_R);
            IntVector g = c0.blend(c1, G_FROM1).blend(c2, G_FROM2).rearrange(CHANNEL_G);
            IntVector b = c0.blend(c1, B_FROM1).blend(c2, B_FROM2).rearrange(CHANNEL_B);
            IntVector l = r.mul(77).add(g.mul(150)).add(b.mul(29)).lanewise(VectorOperators.ASHR, 8);
            ((ByteVector) l.convertShape(VectorOperators.I2B, B, 0)).intoArray(out, outOff + x);
        }
        if (x < width) {
            super.luma8RowBgr(data, off + 3 * x, width - x, out, outOff + x);
        }
    }

    @Override
    void lumaRowBgr(byte[] data, int off, int width, float[] out) {
        if (B == null) {
            super.lumaRowBgr(data, off, width, out);
            return;
        }
        int lanes = F.length();
        int bound = F.loopBound(width);
        int x = 0;
        for (; x < bound; x += lanes) {
            int q = off + 3 * x;
            FloatVector c0 = (FloatVector) ByteVector.fromArray(B, data, q)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            FloatVector c1 = (FloatVector) ByteVector.fromArray(B, data, q + lanes)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            FloatVector c2 = (FloatVector) ByteVector.fromArray(B, data, q + 2 * lanes)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            FloatVector r = c0.blend(c1, F_R_FROM1).blend(c2, F_R_FROM2).rearrange(F_CHANNEL_R);
            FloatVector g = c0.blend(c1, F_G_FROM1).blend(c2, F_G_FROM2).rearrange(F_CHANNEL_G);
            FloatVector b = c0.blend(c1, F_B_FROM1).blend(c2, F_B_FROM2).rearrange(F_CHANNEL_B);
            r.mul(0.299f).add(g.mul(0.587f)).add(b.mul(0.114f)).intoArray(out, x);
        }
        lumaSegmentBgr(data, off, out, x, width);
    }

    @Override
    void interpolateGainRow(float[] colA, int blocks, float[] fx, float[] out, int width) {
        int block = WatermarkEmbedder.BLOCK;
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

    @Override
    void luma8Row(int[] px, int off, int width, byte[] out, int outOff) {
        if (B == null) {
            super.luma8Row(px, off, width, out, outOff);
            return;
        }
        int bound = I.loopBound(width);
        int x = 0;
        for (; x < bound; x += I.length()) {
            IntVector c = IntVector.fromArray(I, px, off + x);
            IntVector r = c.lanewise(VectorOperators.LSHR, 16).and(0xff);
            IntVector g = c.lanewise(VectorOperators.LSHR, 8).and(0xff);
            IntVector b = c.and(0xff);
            IntVector l = r.mul(77).add(g.mul(150)).add(b.mul(29)).lanewise(VectorOperators.ASHR, 8);
            ((ByteVector) l.convertShape(VectorOperators.I2B, B, 0)).intoArray(out, outOff + x);
        }
        for (; x < width; x++) {
            int c = px[off + x];
            out[outOff + x] = (byte) ((77 * ((c >>> 16) & 0xff) + 150 * ((c >>> 8) & 0xff) + 29 * (c & 0xff)) >> 8);
        }
    }

    @Override
    void blockSumsLuma(byte[] y, int row, int rowBelow, int blocks, int[] act, int[] mean, int at) {
        int block = WatermarkEmbedder.BLOCK;
        if (BLOCK_INTS == null || block != 8) {
            super.blockSumsLuma(y, row, rowBelow, blocks, act, mean, at);
            return;
        }
        int perVector = BLOCK_BYTES.length() / block;
        int b = 0;
        for (; b + perVector <= blocks; b += perVector) {
            // byte pairs as little-endian shorts: the low byte is the sampled pixel l (even x), the high byte its
            // right neighbour r; below, only the low byte (d) is used
            ShortVector here = ByteVector.fromArray(BLOCK_BYTES, y, row + b * block).reinterpretAsShorts();
            ShortVector below = ByteVector.fromArray(BLOCK_BYTES, y, rowBelow + b * block).reinterpretAsShorts();
            ShortVector l = here.and((short) 0xff);
            ShortVector r = here.lanewise(VectorOperators.LSHR, 8);
            ShortVector d = below.and((short) 0xff);
            ShortVector activity = l.sub(r).abs().add(l.sub(d).abs()); // <= 510 per sample
            // sums of 4 consecutive short lanes (one block's samples), exact: pairs in ints, then pairs of those in
            // longs, narrowed to ints (written out here rather than in a helper: a helper that is not inlined
            // returns its vector boxed, i.e. allocates)
            IntVector ap = activity.reinterpretAsInts();
            ap = ap.and(0xffff).add(ap.lanewise(VectorOperators.LSHR, 16));
            LongVector aq = ap.reinterpretAsLongs();
            aq = aq.and(0xffffffffL).add(aq.lanewise(VectorOperators.LSHR, 32));
            IntVector.fromArray(BLOCK_INTS, act, at + b).add(aq.convertShape(VectorOperators.L2I, BLOCK_INTS, 0))
                    .intoArray(act, at + b);
            IntVector mp = l.reinterpretAsInts();
            mp = mp.and(0xffff).add(mp.lanewise(VectorOperators.LSHR, 16));
            LongVector mq = mp.reinterpretAsLongs();
            mq = mq.and(0xffffffffL).add(mq.lanewise(VectorOperators.LSHR, 32));
            IntVector.fromArray(BLOCK_INTS, mean, at + b).add(mq.convertShape(VectorOperators.L2I, BLOCK_INTS, 0))
                    .intoArray(mean, at + b);
        }
        if (b < blocks) {
            super.blockSumsLuma(y, row + b * block, rowBelow + b * block, blocks - b, act, mean, at + b);
        }
    }

    @Override
    void blockGains(int[] act, int[] mean, int[] cnt, float[] g, int from, int to) {
        int i = from;
        for (; i + I.length() <= to; i += I.length()) {
            IntVector c = IntVector.fromArray(I, cnt, i);
            FloatVector count = (FloatVector) c.convert(VectorOperators.I2F, 0);
            FloatVector a = ((FloatVector) IntVector.fromArray(I, act, i).convert(VectorOperators.I2F, 0)).div(count);
            FloatVector m = ((FloatVector) IntVector.fromArray(I, mean, i).convert(VectorOperators.I2F, 0)).div(count);
            // the scalar formula lane by lane; x + y, x * y and min commute exactly, and 255 - m == -m + 255
            FloatVector v = a.div(WatermarkEmbedder.ACT_REF).add(WatermarkEmbedder.GAIN_MIN).min(WatermarkEmbedder.GAIN_MAX);
            FloatVector dark = m.div(40f).add(0.35f);
            FloatVector bright = m.neg().add(255f).div(40f).add(0.35f);
            FloatVector gain = v.mul(dark.min(bright).min(1f));
            VectorMask<Integer> empty = c.compare(VectorOperators.EQ, 0);
            gain.blend(WatermarkEmbedder.GAIN_MIN, empty.cast(F)).intoArray(g, i);
        }
        super.blockGains(act, mean, cnt, g, i, to);
    }

    @Override
    void smoothInterior(float[] g, int bw, int from, int to, double halfAlpha, float[] out) {
        int lanes = F.length();
        int i = from;
        for (; i + lanes <= to; i += lanes) {
            FloatVector a0 = FloatVector.fromArray(F, g, i - bw - 1);
            FloatVector a1 = FloatVector.fromArray(F, g, i - bw);
            FloatVector a2 = FloatVector.fromArray(F, g, i - bw + 1);
            FloatVector b0 = FloatVector.fromArray(F, g, i - 1);
            FloatVector b1 = FloatVector.fromArray(F, g, i);
            FloatVector b2 = FloatVector.fromArray(F, g, i + 1);
            FloatVector c0 = FloatVector.fromArray(F, g, i + bw - 1);
            FloatVector c1 = FloatVector.fromArray(F, g, i + bw);
            FloatVector c2 = FloatVector.fromArray(F, g, i + bw + 1);
            FloatVector sum = a0.add(a1).add(a2).add(b0).add(b1).add(b2).add(c0).add(c1).add(c2);
            FloatVector mn = a0.min(a1).min(a2).min(b0).min(b1).min(b2).min(c0).min(c1).min(c2);
            sum.div(9f).add(mn).intoArray(out, i);
        }
        // the scalar code multiplies by halfAlpha in double; so does this
        for (int k = from; k < i; k++) {
            out[k] = (float) (halfAlpha * out[k]);
        }
        super.smoothInterior(g, bw, i, to, halfAlpha, out);
    }

    private static IntVector channel(IntVector c, FloatVector d) {
        FloatVector v = ((FloatVector) c.convert(VectorOperators.I2F, 0)).add(d);
        v = v.min(255f).max(0f).add(0.5f);
        return (IntVector) v.convert(VectorOperators.F2I, 0);
    }

    @Override
    void smoothRaisedRow(float[] g, int row, int bw, float floor, float[] raised, float[] out) {
        int lanes = F.length();
        FloatVector f = FloatVector.broadcast(F, floor);
        int i = 0;
        for (int bound = F.loopBound(bw); i < bound; i += lanes) {
            FloatVector.fromArray(F, g, row + i).max(f).intoArray(raised, i);
        }
        for (; i < bw; i++) {
            raised[i] = Math.max(g[row + i], floor);
        }
        // the blocks with both neighbours in the row, as the scalar loop: ((a + l) + r) / 3, plus the minimum, / 2
        int j = 1;
        for (; j + lanes < bw; j += lanes) {
            FloatVector a = FloatVector.fromArray(F, raised, j);
            FloatVector l = FloatVector.fromArray(F, raised, j - 1);
            FloatVector r = FloatVector.fromArray(F, raised, j + 1);
            a.add(l).add(r).div(3f).add(a.min(l.min(r))).div(2f).intoArray(out, j);
        }
        smoothRow(raised, bw, 0, Math.min(1, bw), out);
        smoothRow(raised, bw, Math.max(j, 1), bw, out);
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
