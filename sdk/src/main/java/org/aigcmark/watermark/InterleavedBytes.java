package org.aigcmark.watermark;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The pixels of a {@code TYPE_3BYTE_BGR} or non-premultiplied {@code TYPE_4BYTE_ABGR} image (what ImageIO's JPEG and
 * PNG readers return) read and written straight in its byte array. {@code BufferedImage.getRGB}/{@code setRGB} give the
 * same values for these types (8-bit sRGB, exact), but go through the colour model pixel by pixel: ~15x slower.
 */
final class InterleavedBytes {
    private final byte[] data;
    private final int width;
    private final int height;
    private final int scanline;
    /** 3 (B, G, R) or 4 (A, B, G, R). */
    private final int pixelStride;

    private InterleavedBytes(byte[] data, int width, int height, int scanline, int pixelStride) {
        this.data = data;
        this.width = width;
        this.height = height;
        this.scanline = scanline;
        this.pixelStride = pixelStride;
    }

    /** The image's bytes when it is one of the two layouts, unshifted (not a sub-image); else null. */
    static InterleavedBytes of(BufferedImage img) {
        int type = img.getType();
        if (type != BufferedImage.TYPE_3BYTE_BGR && type != BufferedImage.TYPE_4BYTE_ABGR) {
            return null;
        }
        WritableRaster r = img.getRaster();
        if (!(r.getDataBuffer() instanceof DataBufferByte db) || db.getNumBanks() != 1 || db.getOffset() != 0
                || r.getSampleModelTranslateX() != 0 || r.getSampleModelTranslateY() != 0
                || !(r.getSampleModel() instanceof PixelInterleavedSampleModel sm)) {
            return null;
        }
        int stride = type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
        int[] offsets = sm.getBandOffsets();
        boolean standard = sm.getPixelStride() == stride && (stride == 3
                ? offsets.length == 3 && offsets[0] == 2 && offsets[1] == 1 && offsets[2] == 0
                : offsets.length == 4 && offsets[0] == 3 && offsets[1] == 2 && offsets[2] == 1 && offsets[3] == 0);
        int w = img.getWidth();
        int h = img.getHeight();
        int scan = sm.getScanlineStride();
        if (!standard || scan < w * stride || (long) scan * (h - 1) + (long) w * stride > db.getData().length) {
            return null;
        }
        return new InterleavedBytes(db.getData(), w, h, scan, stride);
    }

    /** Whether the pixels are 3-byte B, G, R (the layout the BGR kernels read in place), not A, B, G, R. */
    boolean bgr() {
        return pixelStride == 3;
    }

    /** The image's byte array (written in place). */
    byte[] data() {
        return data;
    }

    /** Where row {@code y} starts in {@link #data()}. */
    int rowStart(int y) {
        return y * scanline;
    }

    /**
     * Four bytes at once, little-endian: B, G, R and the next pixel's B (BGR), or A, B, G, R (ABGR). One load or store
     * per pixel instead of three or four single bytes: the embed and the own-mark check before it pass every pixel
     * through these rows, and the byte-at-a-time loops were most of the check's working image (issue 19).
     */
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Row {@code y} as packed 0xAARRGGBB (alpha 0xFF without an alpha band) into {@code out[off..off+width)}. */
    void readRow(int y, int[] out, int off) {
        int p = y * scanline;
        if (pixelStride == 3) {
            // B G R b' read as one int: the top byte (the next pixel's blue) is replaced by the alpha; the row's last
            // pixel reads its own three bytes, so no read goes past the row
            int x = 0;
            for (; x < width - 1; x++, p += 3) {
                out[off + x] = (int) INT_LE.get(data, p) | 0xFF000000;
            }
            for (; x < width; x++, p += 3) {
                out[off + x] = 0xFF000000 | (data[p + 2] & 0xFF) << 16 | (data[p + 1] & 0xFF) << 8 | (data[p] & 0xFF);
            }
        } else {
            for (int x = 0; x < width; x++, p += 4) {
                out[off + x] = Integer.rotateRight((int) INT_LE.get(data, p), 8); // A B G R -> A R G B
            }
        }
    }

    /** Writes packed 0xAARRGGBB {@code in[off..off+width)} back to row {@code y}. */
    void writeRow(int y, int[] in, int off) {
        int p = y * scanline;
        if (pixelStride == 3) {
            // B G R and a stray fourth byte, which the next pixel's store overwrites with its blue; the row's last
            // pixel is stored a byte at a time, so nothing past the row is touched
            int x = 0;
            for (; x < width - 1; x++, p += 3) {
                INT_LE.set(data, p, in[off + x]);
            }
            for (; x < width; x++, p += 3) {
                int v = in[off + x];
                data[p] = (byte) v;
                data[p + 1] = (byte) (v >> 8);
                data[p + 2] = (byte) (v >> 16);
            }
        } else {
            for (int x = 0; x < width; x++, p += 4) {
                INT_LE.set(data, p, Integer.rotateLeft(in[off + x], 8)); // A R G B -> A B G R
            }
        }
    }

    /** The whole image packed, row-major without padding. */
    int[] toPacked() {
        int[] px = new int[width * height];
        for (int y = 0; y < height; y++) {
            readRow(y, px, y * width);
        }
        return px;
    }

    /** Writes a whole packed image back. */
    void fromPacked(int[] px) {
        for (int y = 0; y < height; y++) {
            writeRow(y, px, y * width);
        }
    }
}
