package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.aigcmark.TestSupport;
import org.aigcmark.format.webp.Vp8lEncoder;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/** Our lossless WebP output must decode, pixel for pixel, in libwebp's own dwebp. */
class Vp8lEncoderTest {
    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    static void roundTripThroughDwebp(BufferedImage img, boolean alpha) throws Exception {
        int[] px = pixels(img);
        byte[] webp = Vp8lEncoder.encode(px, img.getWidth(), img.getHeight(), alpha);
        Path f = TestSupport.temp("t.webp", webp);
        Path png = f.resolveSibling("t.png");
        String out = TestSupport.run("dwebp", f.toString(), "-o", png.toString());
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(img.getWidth(), back.getWidth(), out);
        int[] got = pixels(back);
        if (!alpha) {
            for (int i = 0; i < px.length; i++) {
                px[i] |= 0xFF000000;
            }
        }
        assertArrayEquals(px, got);
    }

    @Test
    void realPhotoIsLosslessInLibwebp() throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Fixtures.bytes("png/rgb.png")));
        roundTripThroughDwebp(img, false);
    }

    @Test
    void realAlphaIsLosslessInLibwebp() throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Fixtures.bytes("png/rgba.png")));
        roundTripThroughDwebp(img, true);
    }

    @Test
    void degenerateImagesDecode() throws Exception {
        for (int[] wh : new int[][] {{1, 1}, {1, 37}, {53, 1}, {33, 33}, {64, 65}}) {
            BufferedImage flat = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_RGB);
            roundTripThroughDwebp(flat, false);
            BufferedImage noise = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_ARGB);
            java.util.Random r = new java.util.Random(wh[0] * 31L + wh[1]);
            for (int y = 0; y < wh[1]; y++) {
                for (int x = 0; x < wh[0]; x++) {
                    noise.setRGB(x, y, r.nextInt());
                }
            }
            roundTripThroughDwebp(noise, true);
        }
    }
}
