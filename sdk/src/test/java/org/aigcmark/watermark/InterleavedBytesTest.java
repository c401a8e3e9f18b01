package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * Rows are read and written four bytes at a time: a row's last pixel must not read or write past its three (or
     * four) bytes, into the row's padding or the next row. A raster whose rows are padded, filled with a sentinel, keeps
     * the sentinel through a write of every row, and reads give getRGB's values.
     */
    @Test
    void rowsStayWithinTheirBytes() {
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
            int stride = type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
            int w = 5;
            int h = 4;
            int scan = w * stride + 3;
            int[] offsets = stride == 3 ? new int[] {2, 1, 0} : new int[] {3, 2, 1, 0};
            byte[] data = new byte[scan * h];
            java.util.Arrays.fill(data, (byte) 0x5A);
            var raster = java.awt.image.Raster.createWritableRaster(new java.awt.image.PixelInterleavedSampleModel(
                    java.awt.image.DataBuffer.TYPE_BYTE, w, h, stride, scan, offsets), new java.awt.image.DataBufferByte(data,
                    data.length), null);
            var model = new java.awt.image.ComponentColorModel(java.awt.color.ColorSpace.getInstance(
                    java.awt.color.ColorSpace.CS_sRGB), stride == 4, false, stride == 4 ? java.awt.Transparency.TRANSLUCENT
                    : java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_BYTE);
            BufferedImage img = new BufferedImage(model, raster, false, null);
            assertEquals(type, img.getType());
            InterleavedBytes bytes = InterleavedBytes.of(img);
            assertNotNull(bytes, "a padded raster of type " + type);
            Random r = new Random(type);
            int[] px = new int[w * h];
            for (int i = 0; i < px.length; i++) {
                px[i] = stride == 3 ? r.nextInt() | 0xFF000000 : r.nextInt();
            }
            bytes.fromPacked(px);
            for (int y = 0; y < h; y++) {
                for (int i = w * stride; i < scan; i++) {
                    assertEquals((byte) 0x5A, data[y * scan + i], "padding byte " + i + " of row " + y + ", type " + type);
                }
            }
            assertArrayEquals(px, bytes.toPacked(), "read back, type " + type);
            assertArrayEquals(img.getRGB(0, 0, w, h, null, 0, w), bytes.toPacked(), "as getRGB, type " + type);
        }
    }

    @Test
    void theAutoKernelsWarmUpRunsEveryKernelWithinItsArrays() {
        // what the AUTO kernels' daemon thread runs on the vector kernels; an index error there would leave AUTO scalar
        TieredPixelKernels.warm(PixelKernels.vector());
        TieredPixelKernels.warm(PixelKernels.scalar());
    }
}
