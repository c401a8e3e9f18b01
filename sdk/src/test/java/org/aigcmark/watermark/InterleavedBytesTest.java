package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The watermark reads and writes JPEG/PNG byte rasters itself instead of through {@code getRGB}/{@code setRGB}
 * (issue 19): it must see and leave exactly the values those would, for both byte layouts, alpha included.
 */
class InterleavedBytesTest {
    @Test
    void readAndWriteGiveWhatGetRgbAndSetRgbGive() {
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
            int w = 37;
            int h = 11;
            Random r = new Random(type);
            BufferedImage img = new BufferedImage(w, h, type);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.setRGB(x, y, r.nextInt());
                }
            }
            InterleavedBytes bytes = InterleavedBytes.of(img);
            assertNotNull(bytes);
            assertArrayEquals(img.getRGB(0, 0, w, h, null, 0, w), bytes.toPacked(), "read, type " + type);
            int[] changed = new int[w * h];
            for (int i = 0; i < changed.length; i++) {
                changed[i] = r.nextInt();
            }
            BufferedImage viaSetRgb = new BufferedImage(w, h, type);
            viaSetRgb.setRGB(0, 0, w, h, changed, 0, w);
            bytes.fromPacked(changed);
            assertArrayEquals(viaSetRgb.getRGB(0, 0, w, h, null, 0, w), img.getRGB(0, 0, w, h, null, 0, w), "write, type " + type);
        }
        // other layouts (and sub-images, whose raster is shifted) keep the getRGB path
        assertNull(InterleavedBytes.of(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY)));
        assertNull(InterleavedBytes.of(new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR).getSubimage(1, 1, 4, 4)));
    }

    @Test
    void theAutoKernelsWarmUpRunsEveryKernelWithinItsArrays() {
        // what the AUTO kernels' daemon thread runs on the vector kernels; an index error there would leave AUTO scalar
        TieredPixelKernels.warm(PixelKernels.vector());
        TieredPixelKernels.warm(PixelKernels.scalar());
    }
}
