package org.aigcmark.format;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * One decode of a still image, shared by every pixel check: packed RGB ({@code 0xRRGGBB}, row-major, no padding)
 * and a {@link BufferedImage}, each made from the other only when first asked for. A codec with a direct path to
 * packed RGB (the JPEG one) never builds an image unless a check needs one; then the image wraps the same array.
 * Not thread-safe: one detection owns it.
 */
public final class DecodedPixels {
    private final int width;
    private final int height;
    private int[] rgb;
    private BufferedImage image;

    private DecodedPixels(int width, int height, int[] rgb, BufferedImage image) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.image = image;
    }

    public static DecodedPixels of(BufferedImage image) {
        return new DecodedPixels(image.getWidth(), image.getHeight(), null, image);
    }

    /** Wraps packed RGB ({@code width * height} values, high byte ignored); the array is not copied. */
    public static DecodedPixels ofRgb(int[] rgb, int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height != rgb.length) {
            throw new IllegalArgumentException(width + "x" + height + " does not match " + rgb.length + " pixels");
        }
        return new DecodedPixels(width, height, rgb, null);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Packed RGB, exactly what {@code image().getRGB} returns for every pixel; owned by this object, do not modify. */
    public int[] rgb() {
        if (rgb == null) {
            rgb = toRgb(image);
        }
        return rgb;
    }

    /** The pixels as an image; for pixels decoded straight to RGB, a TYPE_INT_RGB image over the same array. */
    public BufferedImage image() {
        if (image == null) {
            DirectColorModel cm = new DirectColorModel(24, 0xff0000, 0xff00, 0xff);
            WritableRaster r = Raster.createPackedRaster(new DataBufferInt(rgb, rgb.length), width, height, width,
                    cm.getMasks(), null);
            image = new BufferedImage(cm, r, false, null);
        }
        return image;
    }

    /** getRGB without its per-pixel colour-model calls for the layouts decoders produce. */
    private static int[] toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        WritableRaster r = img.getRaster();
        boolean untranslated = r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0;
        if (untranslated && img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && r.getDataBuffer() instanceof java.awt.image.DataBufferByte db && db.getNumBanks() == 1
                && r.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm
                && sm.getPixelStride() == 3 && java.util.Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})) {
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
        return img.getRGB(0, 0, w, h, null, 0, w);
    }
}
