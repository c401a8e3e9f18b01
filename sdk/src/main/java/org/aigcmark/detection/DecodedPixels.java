package org.aigcmark.detection;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * One decoded image shared by every pixel check of a detection, with its packed RGB made once, the first time a
 * check asks: both watermark checks read the same array instead of each calling getRGB, which on the JPEG
 * reader's 3-byte BGR images goes through the colour model pixel by pixel. Not thread-safe: one detection owns it.
 */
final class DecodedPixels {
    private final BufferedImage image;
    private int[] rgb;

    private DecodedPixels(BufferedImage image) {
        this.image = image;
    }

    static DecodedPixels of(BufferedImage image) {
        return new DecodedPixels(image);
    }

    int width() {
        return image.getWidth();
    }

    int height() {
        return image.getHeight();
    }

    BufferedImage image() {
        return image;
    }

    boolean hasRgb() {
        return rgb != null;
    }

    /**
     * {@code image().getRGB(0, 0, w, h, null, 0, w)}, except that a grey image gives its samples as R = G = B (getRGB
     * reads Java's linear grey as linear light: 26 would become 90); shared, do not modify (for an opaque int image
     * it is the image's own pixel array).
     */
    int[] rgb() {
        if (rgb == null) {
            rgb = toRgb(image);
        }
        return rgb;
    }

    /** Whether every int has alpha 0xFF (one AND over the array, which the JIT vectorises). */
    private static boolean opaque(int[] data) {
        int all = -1;
        for (int v : data) {
            all &= v;
        }
        return data.length > 0 && (all >>> 24) == 0xff;
    }

    /** getRGB, with direct reads for the layouts the decoders produce (3-byte BGR, int RGB) in the sRGB space. */
    static int[] toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        WritableRaster r = img.getRaster();
        boolean untranslated = r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0;
        if (untranslated && img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && r.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && r.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && sm.getPixelStride() == 3 && Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})) {
            byte[] data = db.getData();
            int stride = sm.getScanlineStride();
            int[] out = new int[w * h];
            for (int y = 0; y < h; y++) {
                int o = db.getOffset() + y * stride;
                int d = y * w;
                for (int x = 0; x < w; x++, o += 3) {
                    out[d + x] = 0xff000000 | (data[o + 2] & 0xff) << 16 | (data[o + 1] & 0xff) << 8 | (data[o] & 0xff);
                }
            }
            return out;
        }
        if (untranslated && img.getType() == BufferedImage.TYPE_INT_RGB && r.getDataBuffer() instanceof DataBufferInt db
                && db.getNumBanks() == 1 && db.getOffset() == 0 && db.getData().length == w * h) {
            int[] data = db.getData();
            if (opaque(data)) {
                // the system decoders (libjpeg-turbo, the PNG row reader, libwebp) write alpha 0xFF: the image's own
                // array is getRGB's answer, shared read-only with the image (no 8 MB copy a 1080p image)
                return data;
            }
            int[] out = data.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] |= 0xff000000;
            }
            return out;
        }
        if (untranslated && img.getType() == BufferedImage.TYPE_INT_ARGB && r.getDataBuffer() instanceof DataBufferInt db
                && db.getNumBanks() == 1 && db.getOffset() == 0 && db.getData().length == w * h) {
            return db.getData(); // getRGB of a non-premultiplied ARGB int image is its data (shared read-only)
        }
        java.awt.image.ColorModel cm = img.getColorModel();
        if (cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY && !(cm instanceof java.awt.image.IndexColorModel)) {
            int max = (1 << cm.getComponentSize(0)) - 1;
            int[] out = new int[w * h];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = max == 255 ? row[x] : (row[x] * 255 + max / 2) / max;
                    out[y * w + x] = 0xff000000 | v << 16 | v << 8 | v;
                }
            }
            return out;
        }
        return img.getRGB(0, 0, w, h, null, 0, w);
    }
}
