package org.aigcmark.format.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * libjpeg's YCbCr to RGB conversion (jdcolor.c, {@code ycc_rgb_convert}: 16-bit fixed point tables, results clamped to
 * 0..255), written by hand because it must give exactly the bytes ImageIO's bundled libjpeg gives: the detector's
 * results may not move by one bit when it reads a JPEG's raw YCbCr raster instead of ImageIO's RGB image
 * ({@code JpegDecodeForChecksTest} compares every JPEG fixture pixel for pixel).
 */
final class YccToRgb {
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0, x = -128; i < 256; i++, x++) {
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private YccToRgb() {}

    /** libjpeg's FIX(x): x in 16-bit fixed point, rounded. */
    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    /**
     * A {@code TYPE_INT_RGB} image of the three-band YCbCr raster, each value {@code 0xFF000000 | R << 16 | G << 8 | B}
     * (what getRGB returns for the image ImageIO would have decoded).
     */
    static BufferedImage toImage(Raster ycc) {
        int w = ycc.getWidth();
        int h = ycc.getHeight();
        int[] out = new int[Math.multiplyExact(w, h)];
        if (ycc.getNumBands() != 3) {
            throw new IllegalArgumentException("a YCbCr raster has three bands, not " + ycc.getNumBands());
        }
        if (ycc.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && ycc.getSampleModel() instanceof PixelInterleavedSampleModel sm && sm.getPixelStride() == 3
                && ycc.getSampleModelTranslateX() == -ycc.getMinX() && ycc.getSampleModelTranslateY() == -ycc.getMinY()) {
            byte[] data = db.getData();
            int[] bands = sm.getBandOffsets();
            int stride = sm.getScanlineStride();
            for (int y = 0; y < h; y++) {
                int o = db.getOffset() + y * stride;
                row(data, o + bands[0], o + bands[1], o + bands[2], out, y * w, w);
            }
        } else {
            int[] px = new int[3 * w];
            byte[] row = new byte[3 * w];
            for (int y = 0; y < h; y++) {
                ycc.getPixels(ycc.getMinX(), ycc.getMinY() + y, w, 1, px);
                for (int i = 0; i < px.length; i++) {
                    row[i] = (byte) px[i];
                }
                row(row, 0, 1, 2, out, y * w, w);
            }
        }
        DirectColorModel cm = new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
        WritableRaster r = Raster.createPackedRaster(new DataBufferInt(out, out.length), w, h, w,
                cm.getMasks(), null);
        return new BufferedImage(cm, r, false, null);
    }

    /** One row of {@code w} pixels, three bytes apart, from the Y, Cb and Cr offsets given. */
    private static void row(byte[] d, int yo, int cbo, int cro, int[] out, int to, int w) {
        for (int x = 0; x < w; x++, yo += 3, cbo += 3, cro += 3) {
            int y = d[yo] & 0xFF;
            int cb = d[cbo] & 0xFF;
            int cr = d[cro] & 0xFF;
            int r = clamp(y + CR_R[cr]);
            int g = clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
            int b = clamp(y + CB_B[cb]);
            out[to + x] = 0xFF000000 | r << 16 | g << 8 | b;
        }
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }
}
