package org.aigcmark.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The shared packed RGB is exactly getRGB for every layout the decoders hand the detector, except grey: there it is the
 * samples (getRGB reads Java's linear grey as linear light, so the checks would see other pixels than the file's).
 */
class DecodedPixelsTest {
    @Test
    void packedRgbEqualsGetRgbForEveryDecoderLayout() throws Exception {
        List<BufferedImage> images = new ArrayList<>();
        for (Path p : Fixtures.list("photos").subList(0, 4)) { // 3-byte BGR, and one grey photo
            images.add(ImageIO.read(p.toFile()));
        }
        images.add(images.get(0).getSubimage(5, 3, 301, 207)); // a translated raster
        for (String f : List.of("png/rgb.png", "webp/lossy.webp", "jpeg/exif-icc-xmp.jpg", "jpeg/progressive.jpg")) {
            images.add(ImageIO.read(Fixtures.path(f).toFile()));
        }
        BufferedImage intRgb = new BufferedImage(333, 222, BufferedImage.TYPE_INT_RGB);
        intRgb.getGraphics().drawImage(images.get(0), 0, 0, null);
        images.add(intRgb);
        java.util.Set<Integer> types = new java.util.TreeSet<>();
        for (BufferedImage img : images) {
            int w = img.getWidth();
            int h = img.getHeight();
            DecodedPixels d = DecodedPixels.of(img);
            int[] want = img.getRGB(0, 0, w, h, null, 0, w);
            if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                int[] samples = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
                boolean converted = false;
                for (int i = 0; i < want.length; i++) {
                    converted |= (want[i] & 0xff) != samples[i];
                    want[i] = 0xff000000 | samples[i] << 16 | samples[i] << 8 | samples[i];
                }
                assertEquals(true, converted, "getRGB converts the grey photo's samples (the reason for the exception)");
            }
            assertArrayEquals(want, d.rgb(), "type " + img.getType());
            assertSame(d.rgb(), d.rgb(), "made once");
            types.add(img.getType());
        }
        assertEquals(true, types.containsAll(List.of(BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB,
                BufferedImage.TYPE_BYTE_GRAY)), types.toString());
    }

    /**
     * An int image whose alpha bytes are all 0xFF (the PNG row reader's, libjpeg-turbo's, libwebp's) hands the checks its
     * own array, no copy; one without them (an INT_RGB raster's alpha bits are not read) gets a copy with alpha set, and the image's
     * array is left as it was.
     */
    @Test
    void anOpaqueIntImageSharesItsArrayAndAnotherIsCopied() {
        byte[] png = Fixtures.bytes("png/rgb.png");
        BufferedImage decoded = org.aigcmark.Labeler.create().handlerFor(png, "rgb.png").pixels().orElseThrow()
                .decodeForChecks(png, org.aigcmark.Limits.DEFAULT);
        assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
        int w = decoded.getWidth();
        int h = decoded.getHeight();
        int[] data = ((java.awt.image.DataBufferInt) decoded.getRaster().getDataBuffer()).getData();
        DecodedPixels d = DecodedPixels.of(decoded);
        assertArrayEquals(decoded.getRGB(0, 0, w, h, null, 0, w), d.rgb());
        assertSame(data, d.rgb(), "the row reader writes alpha 0xFF: no copy");

        BufferedImage drawn = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] drawnData = ((java.awt.image.DataBufferInt) drawn.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < drawnData.length; i++) {
            drawnData[i] = data[i] & (i % 7 == 0 ? 0xffffff : -1); // alpha 0 here and there, as a raster may hold
        }
        int[] before = drawnData.clone();
        DecodedPixels e = DecodedPixels.of(drawn);
        assertArrayEquals(drawn.getRGB(0, 0, w, h, null, 0, w), e.rgb());
        assertArrayEquals(before, drawnData, "the image's own array is not touched");
    }
}
