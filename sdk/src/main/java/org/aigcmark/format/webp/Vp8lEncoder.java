package org.aigcmark.format.webp;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * A small lossless WebP (VP8L) encoder, written by hand because no maintained pure-Java library writes WebP.
 * Used only when pixels changed (visible label, watermark); the metadata-only path never re-encodes.
 *
 * <p>Bitstream: subtract-green transform, then a predictor transform with one mode per 32x32 tile chosen from
 * {L, T, average(L,T), Select, ClampAddSubtractFull}, then literal pixels coded with five canonical prefix codes
 * (no backward references, no colour cache). That keeps the encoder short and obviously correct; photos come out
 * at roughly the size of a PNG.
 */
public final class Vp8lEncoder {
    private static final int TILE_BITS = 5;
    private static final int[] MODES = {1, 2, 7, 11, 12};
    private static final int[] CODE_LENGTH_ORDER = {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int NUM_LENGTH_CODES = 24;
    private static final int NUM_DISTANCE_CODES = 40;

    private Vp8lEncoder() {}

    /** Encodes ARGB pixels (0xAARRGGBB, row-major) to a complete RIFF WebP file. */
    public static byte[] encode(int[] argb, int width, int height, boolean alpha) {
        if (width < 1 || height < 1 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("VP8L supports 1..16384 pixels per side, got " + width + "x" + height);
        }
        BitWriter bw = new BitWriter(argb.length * 3 + 1024);
        bw.write(0x2F, 8);
        bw.write(width - 1, 14);
        bw.write(height - 1, 14);
        bw.write(alpha ? 1 : 0, 1);
        bw.write(0, 3);

        int[] px = argb.clone();
        // Transform 1: subtract green.
        bw.write(1, 1);
        bw.write(2, 2);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int g = (p >> 8) & 0xFF;
            int r = (((p >> 16) & 0xFF) - g) & 0xFF;
            int b = ((p & 0xFF) - g) & 0xFF;
            px[i] = (p & 0xFF00FF00) | (r << 16) | b;
        }
        // Transform 2: predictor.
        bw.write(1, 1);
        bw.write(0, 2);
        bw.write(TILE_BITS - 2, 3);
        int tw = (width + (1 << TILE_BITS) - 1) >> TILE_BITS;
        int th = (height + (1 << TILE_BITS) - 1) >> TILE_BITS;
        int[] modes = chooseModes(px, width, height, tw, th);
        int[] modeImage = new int[modes.length];
        for (int i = 0; i < modes.length; i++) {
            modeImage[i] = 0xFF000000 | (modes[i] << 8);
        }
        writeImageData(bw, modeImage, false);
        int[] residual = predict(px, width, height, modes, tw);
        bw.write(0, 1); // no more transforms
        writeImageData(bw, residual, true);
        byte[] vp8l = bw.toBytes();

        ByteArrayOutputStream out = new ByteArrayOutputStream(vp8l.length + 32);
        int chunk = vp8l.length + (vp8l.length & 1);
        out.writeBytes(new byte[] {'R', 'I', 'F', 'F'});
        le32(out, 4 + 8 + chunk);
        out.writeBytes(new byte[] {'W', 'E', 'B', 'P', 'V', 'P', '8', 'L'});
        le32(out, vp8l.length);
        out.writeBytes(vp8l);
        if ((vp8l.length & 1) == 1) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static int[] chooseModes(int[] px, int w, int h, int tw, int th) {
        int[] modes = new int[tw * th];
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                long best = Long.MAX_VALUE;
                int bestMode = 1;
                for (int mode : MODES) {
                    long cost = 0;
                    for (int y = ty << TILE_BITS; y < Math.min(h, (ty + 1) << TILE_BITS); y++) {
                        for (int x = tx << TILE_BITS; x < Math.min(w, (tx + 1) << TILE_BITS); x++) {
                            int i = y * w + x;
                            int res = sub(px[i], prediction(px, w, x, y, mode));
                            cost += absByte(res >> 8) + absByte(res >> 16) + absByte(res) + absByte(res >>> 24);
                        }
                    }
                    if (cost < best) {
                        best = cost;
                        bestMode = mode;
                    }
                }
                modes[ty * tw + tx] = bestMode;
            }
        }
        return modes;
    }

    private static int[] predict(int[] px, int w, int h, int[] modes, int tw) {
        int[] res = new int[px.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int mode = modes[(y >> TILE_BITS) * tw + (x >> TILE_BITS)];
                res[i] = sub(px[i], prediction(px, w, x, y, mode));
            }
        }
        return res;
    }

    /** The VP8L predictor for pixel (x, y), including the spec's rules for the first row and column. */
    static int prediction(int[] px, int w, int x, int y, int mode) {
        int i = y * w + x;
        if (x == 0 && y == 0) {
            return 0xFF000000;
        }
        if (y == 0) {
            return px[i - 1];
        }
        if (x == 0) {
            return px[i - w];
        }
        int l = px[i - 1];
        int t = px[i - w];
        int tl = px[i - w - 1];
        return switch (mode) {
            case 1 -> l;
            case 2 -> t;
            case 7 -> average2(l, t);
            case 11 -> select(l, t, tl);
            case 12 -> clampAddSubtractFull(l, t, tl);
            default -> throw new IllegalStateException("mode " + mode);
        };
    }

    static int average2(int a, int b) {
        return (int) (((a & 0xFEFEFEFEL) >>> 1) + ((b & 0xFEFEFEFEL) >>> 1) + (a & b & 0x01010101L));
    }

    static int select(int l, int t, int tl) {
        int pa = ch(l, 24) + ch(t, 24) - ch(tl, 24);
        int pr = ch(l, 16) + ch(t, 16) - ch(tl, 16);
        int pg = ch(l, 8) + ch(t, 8) - ch(tl, 8);
        int pb = ch(l, 0) + ch(t, 0) - ch(tl, 0);
        int pL = Math.abs(pa - ch(l, 24)) + Math.abs(pr - ch(l, 16)) + Math.abs(pg - ch(l, 8)) + Math.abs(pb - ch(l, 0));
        int pT = Math.abs(pa - ch(t, 24)) + Math.abs(pr - ch(t, 16)) + Math.abs(pg - ch(t, 8)) + Math.abs(pb - ch(t, 0));
        return pL < pT ? l : t;
    }

    static int clampAddSubtractFull(int a, int b, int c) {
        int out = 0;
        for (int s = 0; s < 32; s += 8) {
            int v = Math.max(0, Math.min(255, ch(a, s) + ch(b, s) - ch(c, s)));
            out |= v << s;
        }
        return out;
    }

    private static int ch(int p, int shift) {
        return (p >>> shift) & 0xFF;
    }

    private static int sub(int a, int b) {
        int out = 0;
        for (int s = 0; s < 32; s += 8) {
            out |= ((ch(a, s) - ch(b, s)) & 0xFF) << s;
        }
        return out;
    }

    private static int absByte(int v) {
        int b = v & 0xFF;
        return b < 128 ? b : 256 - b;
    }

    /** Entropy-coded image: [colour cache bit][meta prefix bit, main image only], 5 prefix codes, literals. */
    private static void writeImageData(BitWriter bw, int[] px, boolean main) {
        bw.write(0, 1); // no colour cache
        if (main) {
            bw.write(0, 1); // one prefix-code group
        }
        int[] green = new int[256 + NUM_LENGTH_CODES];
        int[] red = new int[256];
        int[] blue = new int[256];
        int[] alpha = new int[256];
        for (int p : px) {
            green[(p >> 8) & 0xFF]++;
            red[(p >> 16) & 0xFF]++;
            blue[p & 0xFF]++;
            alpha[p >>> 24]++;
        }
        int[][] codes = new int[4][];
        int[][] lengths = new int[4][];
        int[][] hist = {green, red, blue, alpha};
        for (int k = 0; k < 4; k++) {
            lengths[k] = writePrefixCode(bw, hist[k]);
            codes[k] = canonicalCodes(lengths[k]);
        }
        writePrefixCode(bw, new int[NUM_DISTANCE_CODES]); // unused: a one-symbol code
        for (int p : px) {
            writeSymbol(bw, codes[0], lengths[0], (p >> 8) & 0xFF);
            writeSymbol(bw, codes[1], lengths[1], (p >> 16) & 0xFF);
            writeSymbol(bw, codes[2], lengths[2], p & 0xFF);
            writeSymbol(bw, codes[3], lengths[3], p >>> 24);
        }
    }

    private static void writeSymbol(BitWriter bw, int[] codes, int[] lengths, int sym) {
        if (lengths[sym] > 0) {
            bw.write(codes[sym], lengths[sym]);
        }
    }

    /** Writes a prefix code for the histogram and returns its code lengths (all zero for a one-symbol code). */
    private static int[] writePrefixCode(BitWriter bw, int[] hist) {
        int used = 0;
        int first = -1;
        int second = -1;
        for (int s = 0; s < hist.length; s++) {
            if (hist[s] > 0) {
                used++;
                if (first < 0) {
                    first = s;
                } else if (second < 0) {
                    second = s;
                }
            }
        }
        if (used <= 2 && (used == 0 || first < 256) && (second < 0 || second < 256)) {
            // Simple code: one or two symbols below 256; a single symbol costs zero bits per use.
            int s0 = Math.max(first, 0);
            bw.write(1, 1);
            bw.write(used == 2 ? 1 : 0, 1);
            boolean eight = s0 > 1;
            bw.write(eight ? 1 : 0, 1);
            bw.write(s0, eight ? 8 : 1);
            int[] lengths = new int[hist.length];
            if (used == 2) {
                bw.write(second, 8);
                lengths[s0] = 1;
                lengths[second] = 1;
            }
            return lengths;
        }
        int[] lengths = limitedLengths(hist, 15);
        // The code-length code: lengths 0..15 written literally (no repeat codes 16-18).
        int[] clHist = new int[19];
        for (int l : lengths) {
            clHist[l]++;
        }
        int[] clLengths = limitedLengths(clHist, 7);
        if (Arrays.stream(clLengths).filter(x -> x > 0).count() == 1) {
            // A code-length code needs two symbols to be a complete code: add a dummy.
            int only = 0;
            while (clLengths[only] == 0) {
                only++;
            }
            clLengths[only] = 1;
            clLengths[only == 0 ? 1 : 0] = 1;
        }
        int[] clCodes = canonicalCodes(clLengths);
        bw.write(0, 1); // normal code
        bw.write(19 - 4, 4);
        for (int i = 0; i < 19; i++) {
            bw.write(clLengths[CODE_LENGTH_ORDER[i]], 3);
        }
        bw.write(0, 1); // max_symbol not used: every symbol's length follows
        for (int l : lengths) {
            bw.write(clCodes[l], clLengths[l]);
        }
        return lengths;
    }

    /** Huffman code lengths with a maximum length, by halving counts until the tree fits. */
    static int[] limitedLengths(int[] hist, int maxLength) {
        int[] h = hist.clone();
        while (true) {
            int[] lengths = huffmanLengths(h);
            if (Arrays.stream(lengths).max().orElse(0) <= maxLength) {
                return lengths;
            }
            for (int i = 0; i < h.length; i++) {
                if (h[i] > 0) {
                    h[i] = (h[i] + 1) >> 1;
                }
            }
        }
    }

    private static int[] huffmanLengths(int[] hist) {
        int n = hist.length;
        int[] lengths = new int[n];
        PriorityQueue<long[]> q = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int[] parent = new int[2 * n];
        Arrays.fill(parent, -1);
        int next = n;
        for (int s = 0; s < n; s++) {
            if (hist[s] > 0) {
                q.add(new long[] {hist[s], s});
            }
        }
        if (q.size() == 1) {
            lengths[(int) q.peek()[1]] = 1;
            return lengths;
        }
        while (q.size() > 1) {
            long[] a = q.poll();
            long[] b = q.poll();
            int node = next++;
            parent[(int) a[1]] = node;
            parent[(int) b[1]] = node;
            q.add(new long[] {a[0] + b[0], node});
        }
        for (int s = 0; s < n; s++) {
            if (hist[s] > 0) {
                int d = 0;
                for (int p = s; parent[p] >= 0; p = parent[p]) {
                    d++;
                }
                lengths[s] = d;
            }
        }
        return lengths;
    }

    /** Canonical codes, bit-reversed because VP8L reads prefix codes least-significant bit first. */
    static int[] canonicalCodes(int[] lengths) {
        int max = Arrays.stream(lengths).max().orElse(0);
        int[] count = new int[max + 2];
        for (int l : lengths) {
            if (l > 0) {
                count[l]++;
            }
        }
        int[] nextCode = new int[max + 2];
        int code = 0;
        for (int bits = 1; bits <= max; bits++) {
            code = (code + count[bits - 1]) << 1;
            nextCode[bits] = code;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            int l = lengths[s];
            if (l > 0) {
                codes[s] = Integer.reverse(nextCode[l]++) >>> (32 - l);
            }
        }
        return codes;
    }

    private static void le32(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >> 8) & 0xFF);
        out.write((v >> 16) & 0xFF);
        out.write((v >> 24) & 0xFF);
    }

    /** Least-significant-bit-first bit writer. */
    static final class BitWriter {
        private byte[] buf;
        private int pos;
        private long acc;
        private int bits;

        BitWriter(int capacity) {
            buf = new byte[Math.max(64, capacity)];
        }

        void write(int value, int n) {
            acc |= (value & ((1L << n) - 1)) << bits;
            bits += n;
            while (bits >= 8) {
                if (pos == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                buf[pos++] = (byte) acc;
                acc >>>= 8;
                bits -= 8;
            }
        }

        byte[] toBytes() {
            byte[] out = Arrays.copyOf(buf, pos + (bits > 0 ? 1 : 0));
            if (bits > 0) {
                out[pos] = (byte) acc;
            }
            return out;
        }
    }
}
