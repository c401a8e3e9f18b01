package org.aigcmark.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * A decoder's packed pixels as a {@link BufferedImage} without a copy: the sdk's PNG row reader and the codec-system
 * decoders (libjpeg-turbo, libwebp) fill an {@code int[]} with 0xAARRGGBB and hand it over as is.
 */
public final class PackedImages {
    private PackedImages() {}

    /**
     * {@code pixels} (row-major, {@code width * height}) as a {@code TYPE_INT_RGB} image, or {@code TYPE_INT_ARGB} (not
     * premultiplied) with alpha; the image shares the array.
     */
    public static BufferedImage wrap(int[] pixels, int width, int height, boolean alpha) {
        int[] masks = alpha ? new int[] {0xff0000, 0xff00, 0xff, 0xff000000} : new int[] {0xff0000, 0xff00, 0xff};
        DirectColorModel cm = alpha ? new DirectColorModel(32, masks[0], masks[1], masks[2], masks[3])
                : new DirectColorModel(24, masks[0], masks[1], masks[2]);
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(pixels, pixels.length), width, height, width,
                masks, null);
        return new BufferedImage(cm, raster, false, null);
    }
}
