package org.aigcmark.format.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.aigcmark.format.DecodedPixels;
import org.aigcmark.internal.Limits;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/** The detection decode (YCbCr raster + libjpeg's tables) gives exactly the pixels of the full ImageIO decode. */
class JpegDecodePixelsTest {
    private static final JpegPixels CODEC = new JpegPixels();

    @Test
    void everyDecodableJpegFixtureGivesTheSamePixelsBothWays() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Fixtures.root())) {
            files = s.filter(p -> p.toString().toLowerCase().matches(".*\\.jpe?g") && !p.toString().contains("/bad/")).sorted().toList();
        }
        int fast = 0;
        int compared = 0;
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            BufferedImage img;
            try {
                img = CODEC.decode(bytes, Limits.DEFAULT);
            } catch (RuntimeException e) {
                continue; // damaged fixtures are refused by both paths
            }
            int w = img.getWidth();
            int h = img.getHeight();
            DecodedPixels d = CODEC.decodePixels(bytes, Limits.DEFAULT);
            assertEquals(w, d.width(), f.toString());
            assertEquals(h, d.height(), f.toString());
            assertArrayEquals(img.getRGB(0, 0, w, h, null, 0, w), d.rgb(), f.toString());
            assertArrayEquals(d.rgb(), d.image().getRGB(0, 0, w, h, null, 0, w), f + ": the wrapping image");
            compared++;
            if (JpegPixels.plainYcbcr(bytes, JpegSegments.parse(bytes))) {
                fast++;
            }
        }
        assertTrue(compared >= 50, "compared " + compared);
        assertTrue(fast >= 40, "fast path taken for " + fast + " of " + compared);
    }

    @Test
    void subsamplingQualityAndOddSizesGiveTheSamePixels() throws Exception {
        BufferedImage src = ImageIO.read(Fixtures.path("photos/01-sky-bridge-cables.jpg").toFile()).getSubimage(0, 0, 1001, 577);
        for (int quality : new int[] {50, 85, 97}) {
            byte[] jpeg = write(src, quality);
            assertTrue(JpegPixels.plainYcbcr(jpeg, JpegSegments.parse(jpeg)));
            BufferedImage ref = CODEC.decode(jpeg, Limits.DEFAULT);
            assertArrayEquals(ref.getRGB(0, 0, 1001, 577, null, 0, 1001), CODEC.decodePixels(jpeg, Limits.DEFAULT).rgb(), "q" + quality);
        }
        // Grey JPEGs, ICC profiles, Adobe markers and files without JFIF/EXIF take the ImageIO path.
        assertFalse(JpegPixels.plainYcbcr(Fixtures.bytes("jpeg/exif-icc-xmp.jpg"), JpegSegments.parse(Fixtures.bytes("jpeg/exif-icc-xmp.jpg"))));
    }

    private static byte[] write(BufferedImage img, int quality) throws Exception {
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(img, 0, 0, null);
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            w.setOutput(out);
            w.write(null, new IIOImage(rgb, null, null), p);
        } finally {
            w.dispose();
        }
        return bos.toByteArray();
    }
}
