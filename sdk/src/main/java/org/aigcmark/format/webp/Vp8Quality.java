package org.aigcmark.format.webp;

import java.util.OptionalInt;

/**
 * The quality (0..100, as cwebp's {@code -q}) a lossy WebP was most likely encoded at, read from the quantiser indices
 * in its VP8 frame header (RFC 6386 section 9.6 and 19.2; the header is bool-coded, section 7).
 *
 * <p>Mapping: libwebp's encoder turns quality Q into a compression level {@code c = cbrt(L)} with {@code L = 2Q/3} for
 * {@code Q < 0.75} and {@code L = 2Q - 1} above (Q in 0..1), then a quantiser index {@code q = 127 (1 - c)} that each
 * of the up to four segments raises to a power with the segment's texture (spatial noise shaping, {@code c_s = c^e_s}).
 * The coarsest segment always gets the largest exponent, 1.4465 at libwebp's default noise-shaping strength, so we
 * invert {@code q -> c_s} for the segment with the largest index, take the 1/1.4465 power, and invert {@code Q -> c}
 * (one segment, or segments sharing one index: no shaping, the index maps directly). Exact for cwebp at its
 * defaults (checked over -q 10..95 on six photos, Vp8QualityTest); an encoder with other noise-shaping settings
 * reads a few points off.
 */
public final class Vp8Quality {
    private Vp8Quality() {}

    /** The estimated quality of the first VP8 chunk in a WebP file; empty for lossless or unreadable files. */
    public static OptionalInt estimate(byte[] webp) {
        WebpHandler.Parsed parsed = WebpHandler.parse(webp);
        for (WebpHandler.Chunk c : parsed.chunks()) {
            if (c.id().equals("VP8 ")) {
                int[] q = quantisers(webp, c.dataStart(), c.size());
                return q == null ? OptionalInt.empty() : OptionalInt.of(qualityOf(q));
            }
        }
        return OptionalInt.empty();
    }

    /**
     * libwebp's spatial noise shaping at its default strength (50): segment {@code s} gets the compression level
     * {@code c^(1 - 0.9 * 50/100 / 128 * alpha_s)}, and the coarsest segment's alpha is always clipped at -127.
     */
    static final double COARSEST_SEGMENT_EXPONENT = 1 + 0.9 * 0.5 / 128 * 127;

    /**
     * The inverse of libwebp's quality to quantiser-index mapping (class comment). With segments, the coarsest one
     * (largest index) carries the frame's level raised to {@link #COARSEST_SEGMENT_EXPONENT}; segments that all share
     * one index mean noise shaping was off.
     */
    static int qualityOf(int... quantisers) {
        int max = 0;
        int min = 127;
        for (int q : quantisers) {
            max = Math.max(max, Math.max(0, Math.min(127, q)));
            min = Math.min(min, Math.max(0, Math.min(127, q)));
        }
        double c = 1 - max / 127.0;
        if (max != min) {
            c = Math.pow(c, 1 / COARSEST_SEGMENT_EXPONENT);
        }
        double linear = c * c * c;
        double quality = linear < 0.5 ? linear * 1.5 : (linear + 1) / 2;
        return (int) Math.round(100 * Math.max(0, Math.min(1, quality)));
    }

    /** The luma AC quantiser index of each segment (one when there are none), or null when the frame header cannot be read. */
    static int[] quantisers(byte[] b, int start, int size) {
        // Frame tag (3 bytes), start code 9d 01 2a, width and height (2 bytes each): key frames only.
        if (size < 12 || start < 0 || start + 12 > b.length || (b[start] & 1) != 0 || (b[start + 3] & 0xFF) != 0x9D || (b[start + 4] & 0xFF) != 0x01
                || (b[start + 5] & 0xFF) != 0x2A) {
            return null;
        }
        int partitionSize = ((b[start] & 0xFF) | (b[start + 1] & 0xFF) << 8 | (b[start + 2] & 0xFF) << 16) >>> 5;
        int from = start + 10;
        int to = (int) Math.min(Math.min((long) start + size, (long) from + partitionSize), b.length);
        if (to - from < 2) {
            return null;
        }
        BoolDecoder d = new BoolDecoder(b, from, to);
        d.literal(2); // colour space, clamping type
        int[] segmentQ = null;
        boolean absolute = false;
        if (d.flag()) { // segmentation enabled
            boolean updateMap = d.flag();
            if (d.flag()) { // update segment feature data
                absolute = d.flag();
                segmentQ = new int[4];
                for (int s = 0; s < 4; s++) {
                    segmentQ[s] = d.flag() ? d.signed(7) : 0;
                }
                for (int s = 0; s < 4; s++) {
                    if (d.flag()) {
                        d.signed(6); // loop filter level
                    }
                }
            }
            if (updateMap) {
                for (int i = 0; i < 3; i++) {
                    if (d.flag()) {
                        d.literal(8); // segment tree probabilities
                    }
                }
            }
        }
        d.literal(1 + 6 + 3); // filter type, level, sharpness
        if (d.flag() && d.flag()) { // loop filter adjustments enabled, and updated
            for (int i = 0; i < 8; i++) {
                if (d.flag()) {
                    d.signed(6);
                }
            }
        }
        d.literal(2); // log2 of the number of DCT partitions
        int yAc = d.literal(7);
        if (d.overrun()) {
            return null;
        }
        if (segmentQ == null) {
            return new int[] {yAc};
        }
        int[] q = new int[4];
        for (int s = 0; s < 4; s++) {
            q[s] = Math.max(0, Math.min(127, absolute ? segmentQ[s] : yAc + segmentQ[s]));
        }
        return q;
    }

    /** The boolean entropy decoder of RFC 6386 section 7, enough for the header's 1/2-probability literals. */
    private static final class BoolDecoder {
        private final byte[] b;
        private final int end;
        private int pos;
        private int value;
        private int range = 255;
        private int bitCount;
        private boolean overrun;

        BoolDecoder(byte[] b, int from, int to) {
            this.b = b;
            this.end = to;
            this.value = (b[from] & 0xFF) << 8 | (b[from + 1] & 0xFF);
            this.pos = from + 2;
        }

        boolean bool(int probability) {
            int split = 1 + (((range - 1) * probability) >> 8);
            int bigSplit = split << 8;
            boolean bit;
            if (value >= bigSplit) {
                bit = true;
                range -= split;
                value -= bigSplit;
            } else {
                bit = false;
                range = split;
            }
            while (range < 128) {
                value <<= 1;
                range <<= 1;
                if (++bitCount == 8) {
                    bitCount = 0;
                    if (pos < end) {
                        value |= b[pos++] & 0xFF;
                    } else {
                        overrun = true;
                    }
                }
            }
            return bit;
        }

        boolean flag() {
            return bool(128);
        }

        int literal(int bits) {
            int v = 0;
            for (int i = 0; i < bits; i++) {
                v = v << 1 | (flag() ? 1 : 0);
            }
            return v;
        }

        /** A magnitude of {@code bits} bits followed by a sign bit. */
        int signed(int bits) {
            int v = literal(bits);
            return flag() ? -v : v;
        }

        boolean overrun() {
            return overrun;
        }
    }
}
