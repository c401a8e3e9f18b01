package org.aigcmark.watermark;

import java.util.zip.CRC32;
import org.aigcmark.key.WatermarkKey;

/**
 * What the embedder and the extractor share for one key: the 128x128 tile's layout in the Fourier domain (which
 * annulus bins carry the keyed reference and which the payload, with their keyed phases), the payload's coding
 * (64 data bits, keyed CRC-32, convolutional code) and the repetition period. All of it comes from
 * {@code HMAC-SHA256(key.derive("image-watermark/v1"), "tables" || counter)} (docs/WATERMARK.md, "Tile").
 */
final class KeyedTile {
    static final int TILE = 128;
    /**
     * Shorter side of the detector's working image. The period is {@code TILE / WORK} of the shorter side, so one
     * period is exactly one tile in the working image.
     */
    static final int WORK = 512;
    static final int BAND_MIN = 8;
    static final int BAND_MAX = 36;
    static final int DATA_BITS = 64;
    static final int CRC_BITS = 32;
    static final int INFO_BITS = DATA_BITS + CRC_BITS;
    static final int CODED_BITS = ConvolutionalCode.codedLength(INFO_BITS);
    static final int MIN_PERIOD = 128;
    /**
     * Cells (periods) per side of the keyed cell layer (layout 2): period (i, j) of the image, counted from its
     * top-left corner, carries the tile at amplitude {@link #cellGain} of {@code (i mod CELLS, j mod CELLS)}.
     */
    static final int CELLS = 4;
    /** Depth of the keyed cell modulation: amplitudes {@code (1 +- CELL_DEPTH) / sqrt(1 + CELL_DEPTH^2)}. */
    static final float CELL_DEPTH = 0.45f;

    private final int crcMask;
    /** keyed +-1 per cell of the CELLS x CELLS pattern (row-major, rows along image y), balanced (see constructor) */
    final int[] cellSigns;
    private final float[] cellGains;
    // keyed reference bins (half-plane) and their unit phasors
    final int[] refKx;
    final int[] refKy;
    final double[] refCos;
    final double[] refSin;
    // keyed message bins
    final int[] msgKx;
    final int[] msgKy;
    final int[] msgBit;
    final double[] msgCos;
    final double[] msgSin;

    KeyedTile(WatermarkKey key) {
        byte[] sub = key.derive("image-watermark/v1");
        KeyedRandom rnd = new KeyedRandom(sub, "tables");
        // all bins of the half-plane annulus
        int[] kx = new int[TILE * TILE];
        int[] ky = new int[TILE * TILE];
        int n = 0;
        for (int y = 0; y <= BAND_MAX; y++) {
            for (int x = -BAND_MAX; x <= BAND_MAX; x++) {
                if (y == 0 && x <= 0) {
                    continue;
                }
                double r = Math.sqrt(x * x + y * y);
                if (r >= BAND_MIN && r <= BAND_MAX) {
                    kx[n] = x;
                    ky[n] = y;
                    n++;
                }
            }
        }
        // keyed shuffle (Fisher-Yates)
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = kx[i]; kx[i] = kx[j]; kx[j] = t;
            t = ky[i]; ky[i] = ky[j]; ky[j] = t;
        }
        int nRef = n / 4;
        int nMsg = n - nRef;
        refKx = new int[nRef];
        refKy = new int[nRef];
        refCos = new double[nRef];
        refSin = new double[nRef];
        for (int i = 0; i < nRef; i++) {
            refKx[i] = kx[i];
            refKy[i] = ky[i];
            double ph = 2 * Math.PI * rnd.nextDouble();
            refCos[i] = Math.cos(ph);
            refSin[i] = Math.sin(ph);
        }
        msgKx = new int[nMsg];
        msgKy = new int[nMsg];
        msgBit = new int[nMsg];
        msgCos = new double[nMsg];
        msgSin = new double[nMsg];
        for (int i = 0; i < nMsg; i++) {
            msgKx[i] = kx[nRef + i];
            msgKy[i] = ky[nRef + i];
            msgBit[i] = i % CODED_BITS; // bins are already in keyed random order
            double ph = 2 * Math.PI * rnd.nextDouble();
            msgCos[i] = Math.cos(ph);
            msgSin[i] = Math.sin(ph);
        }
        crcMask = (int) rnd.nextLong();
        // layout 2 (2026-12): a separate derivation, so the tables above (layout 1) are unchanged. Each row of cells
        // alternates in sign and each row's phase is keyed: every 2x2 block of periods holds two of each sign, so
        // an image only 2 periods across (256 px) is balanced too, and the mean over any such block is the plain tile
        KeyedRandom cells = new KeyedRandom(key.derive("image-watermark/v2-cells"), "signs");
        boolean byRows = cells.nextInt(2) == 0;
        int[] phase = new int[CELLS];
        for (int i = 0; i < CELLS; i++) {
            phase[i] = cells.nextInt(2);
        }
        cellSigns = new int[CELLS * CELLS];
        cellGains = new float[CELLS * CELLS];
        for (int cy = 0; cy < CELLS; cy++) {
            for (int cx = 0; cx < CELLS; cx++) {
                int s = byRows ? ((cx + phase[cy]) & 1) : ((cy + phase[cx]) & 1);
                cellSigns[cy * CELLS + cx] = s == 0 ? 1 : -1;
                cellGains[cy * CELLS + cx] = (float) ((1 + cellSigns[cy * CELLS + cx] * CELL_DEPTH)
                        / Math.sqrt(1 + CELL_DEPTH * CELL_DEPTH));
            }
        }
    }

    /**
     * Amplitude of the tile in period (cellX, cellY) of the image (layout 2): {@code 1 +- CELL_DEPTH} by the keyed sign,
     * normalised so the mean energy is that of layout 1. A fold over the period (the plain detector, and the
     * single-image estimation attack) sees the mean, {@code 1 / sqrt(1 + CELL_DEPTH^2)} of the tile; what subtracting
     * that estimate leaves is {@code +-CELL_DEPTH} times the tile, read back by {@link CellLayer}.
     */
    float cellGain(int cellX, int cellY) {
        return cellGains[Math.floorMod(cellY, CELLS) * CELLS + Math.floorMod(cellX, CELLS)];
    }

    /** The keyed sign of period (cellX, cellY). */
    int cellSign(int cellX, int cellY) {
        return cellSigns[Math.floorMod(cellY, CELLS) * CELLS + Math.floorMod(cellX, CELLS)];
    }

    /** Repetition period in pixels for an image whose shorter side is {@code shortSide}. */
    static int period(int shortSide) {
        return Math.max(MIN_PERIOD, Math.round(shortSide * (float) TILE / WORK));
    }

    // ------------------------------------------------------------------------------------------------ payload

    private boolean[] infoBits(long data) {
        boolean[] info = new boolean[INFO_BITS];
        for (int i = 0; i < DATA_BITS; i++) {
            info[i] = ((data >>> (63 - i)) & 1) != 0;
        }
        int crc = crc(data);
        for (int i = 0; i < CRC_BITS; i++) {
            info[DATA_BITS + i] = ((crc >>> (31 - i)) & 1) != 0;
        }
        return info;
    }

    private int crc(long data) {
        CRC32 c = new CRC32();
        for (int i = 0; i < 8; i++) {
            c.update((int) (data >>> (56 - 8 * i)) & 0xff);
        }
        return (int) c.getValue() ^ crcMask;
    }

    /** Checks the CRC of decoded info bits; returns the data bits or null. */
    Long checkInfo(boolean[] info) {
        long data = 0;
        for (int i = 0; i < DATA_BITS; i++) {
            data = (data << 1) | (info[i] ? 1 : 0);
        }
        int crc = 0;
        for (int i = 0; i < CRC_BITS; i++) {
            crc = (crc << 1) | (info[DATA_BITS + i] ? 1 : 0);
        }
        return crc == crc(data) ? data : null;
    }

    // --------------------------------------------------------------------------------------------------- tile

    /** The 128x128 tile (unit RMS) for a payload; row-major, rows along image y. */
    float[] tile(long data) {
        return tile(data, 0);
    }

    /**
     * The tile with bin k at magnitude {@code (BAND_MIN / |k|)^tilt} instead of 1 (0: the plain tile, to the bit), unit
     * RMS again: more of the same energy in the band's lower rings.
     */
    float[] tile(long data, double tilt) {
        boolean[] coded = ConvolutionalCode.encode(infoBits(data));
        double[] re = new double[TILE * TILE];
        double[] im = new double[TILE * TILE];
        for (int i = 0; i < refKx.length; i++) {
            double m = magnitude(refKx[i], refKy[i], tilt);
            put(re, im, refKx[i], refKy[i], m * refCos[i], m * refSin[i]);
        }
        for (int i = 0; i < msgKx.length; i++) {
            double s = (coded[msgBit[i]] ? -1 : 1) * magnitude(msgKx[i], msgKy[i], tilt);
            put(re, im, msgKx[i], msgKy[i], s * msgCos[i], s * msgSin[i]);
        }
        Fft.transform2d(re, im, TILE, TILE, true);
        double ss = 0;
        for (double v : re) {
            ss += v * v;
        }
        double norm = 1.0 / Math.sqrt(ss / re.length);
        float[] t = new float[TILE * TILE];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) (re[i] * norm);
        }
        return t;
    }

    private static double magnitude(int kx, int ky, double tilt) {
        return tilt == 0 ? 1 : Math.pow(BAND_MIN / Math.sqrt(kx * kx + ky * ky), tilt);
    }

    private static int bin(int kx, int ky) {
        return ((ky + TILE) & (TILE - 1)) * TILE + ((kx + TILE) & (TILE - 1));
    }

    private static void put(double[] re, double[] im, int kx, int ky, double c, double s) {
        int a = bin(kx, ky);
        int b = bin(-kx, -ky);
        re[a] = c;
        im[a] = s;
        re[b] = c;
        im[b] = -s;
    }
}
