package org.aigcmark.visible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Visible labels measured from the output pixels, not from what the renderer says it did. */
class VisibleLabelTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "vis-1");

    static BufferedImage decode(byte[] b) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(b));
    }

    /** Bounding box of pixels that became near-white text (all channels >= 200, changed by > 40). */
    static Rectangle textInk(BufferedImage before, BufferedImage after) {
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        for (int y = 0; y < after.getHeight(); y++) {
            for (int x = 0; x < after.getWidth(); x++) {
                int a = after.getRGB(x, y);
                int b = before.getRGB(x, y);
                int r = a >> 16 & 0xFF, g = a >> 8 & 0xFF, bl = a & 0xFF;
                int d = Math.abs(r - (b >> 16 & 0xFF)) + Math.abs(g - (b >> 8 & 0xFF)) + Math.abs(bl - (b & 0xFF));
                if (r >= 200 && g >= 200 && bl >= 200 && d > 40) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? null : new Rectangle(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /** Bounding box of all changed pixels (the plate). */
    static Rectangle changed(BufferedImage before, BufferedImage after, int threshold) {
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        for (int y = 0; y < after.getHeight(); y++) {
            for (int x = 0; x < after.getWidth(); x++) {
                int a = after.getRGB(x, y);
                int b = before.getRGB(x, y);
                int d = Math.abs((a >> 16 & 0xFF) - (b >> 16 & 0xFF)) + Math.abs((a >> 8 & 0xFF) - (b >> 8 & 0xFF)) + Math.abs((a & 0xFF) - (b & 0xFF));
                if (d > threshold) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? null : new Rectangle(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    @ParameterizedTest
    @EnumSource(value = Position.class, names = {"BOTTOM_RIGHT", "BOTTOM_LEFT", "TOP_RIGHT", "TOP_LEFT", "BOTTOM", "TOP"})
    void glyphHeightIsAtLeastFivePercentAndTheLabelSitsOnAnEdge(Position pos) throws Exception {
        byte[] in = Fixtures.bytes("png/rgb.png");
        LabelResult r = LABELER.label(in, REQ.withVisible(VisibleLabelOptions.defaults().withPosition(pos)));
        BufferedImage before = decode(in);
        BufferedImage after = decode(r.bytes());
        int shortest = Math.min(before.getWidth(), before.getHeight());
        Rectangle ink = textInk(before, after);
        assertTrue(ink.height >= 0.05 * shortest, "ink height " + ink.height + " of shortest side " + shortest);
        Rectangle plate = changed(before, after, 24);
        int edge = (int) Math.ceil(0.03 * shortest);
        boolean left = plate.x <= edge;
        boolean right = before.getWidth() - (plate.x + plate.width) <= edge;
        boolean top = plate.y <= edge;
        boolean bottom = before.getHeight() - (plate.y + plate.height) <= edge;
        switch (pos) {
            case BOTTOM_RIGHT -> assertTrue(bottom && right, plate.toString());
            case BOTTOM_LEFT -> assertTrue(bottom && left, plate.toString());
            case TOP_RIGHT -> assertTrue(top && right, plate.toString());
            case TOP_LEFT -> assertTrue(top && left, plate.toString());
            case BOTTOM -> assertTrue(bottom && !left && !right, plate.toString());
            case TOP -> assertTrue(top && !left && !right, plate.toString());
            default -> throw new AssertionError();
        }
        assertEquals(pos, r.visible().orElseThrow().position());
        // The metadata label is written together with the visible one.
        InspectReport rep = LABELER.inspect(r.bytes(), "x", List.of());
        assertEquals(1, rep.labels().size());
    }

    @Test
    void autoChoosesTheCalmestCorner() throws Exception {
        // A photo made busy everywhere except a flat top-left corner.
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        java.util.Random rnd = new java.util.Random(7);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                boolean calm = x < 220 && y < 120;
                int v = calm ? 128 : rnd.nextInt(256);
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        var placement = VisibleLabelRenderer.render(img, VisibleLabelOptions.defaults(), 1);
        assertEquals(Position.TOP_LEFT, placement.position());
    }

    @Test
    void exifOrientationSixPutsAnUprightLabelInTheDisplayedCorner() throws Exception {
        byte[] in = Fixtures.bytes("jpeg/orientation6.jpg");
        LabelResult r = LABELER.label(in, REQ.withVisible(VisibleLabelOptions.defaults().withPosition(Position.BOTTOM_RIGHT)));
        BufferedImage before = decode(in);
        BufferedImage after = decode(r.bytes());
        // Stored 541x800, displayed rotated 90 degrees clockwise: displayed bottom-right is stored top-right.
        Rectangle plate = changed(before, after, 60);
        assertTrue(plate.y <= 0.03 * 541 && before.getWidth() - (plate.x + plate.width) <= 0.03 * 541, plate.toString());
        assertTrue(plate.height > plate.width, "text runs down the stored image (upright when displayed): " + plate);
        var p = r.visible().orElseThrow();
        assertEquals(800, p.displayWidth());
        assertEquals(541, p.displayHeight());
        // EXIF (with its Orientation) is carried over verbatim.
        assertEquals(TestSupport.jpegSegments(in).stream().filter(s -> (s[1] & 0xFF) == 0xE1).map(java.util.Arrays::toString).findFirst(),
                TestSupport.jpegSegments(r.bytes()).stream().filter(s -> (s[1] & 0xFF) == 0xE1).map(java.util.Arrays::toString).findFirst());
    }

    @Test
    void jpegIsReencodedAtTheInputQualityWithItsMetadataSegmentsKept() throws Exception {
        byte[] in = Fixtures.bytes("jpeg/exif-icc-xmp.jpg");
        LabelResult r = LABELER.label(in, REQ.withVisible(VisibleLabelOptions.defaults()));
        assertTrue(r.pixelsChanged());
        var before = TestSupport.jpegSegments(in).stream().filter(s -> (s[1] & 0xFF) == 0xE2 || isExif(s)).map(java.util.Arrays::toString).toList();
        var after = TestSupport.jpegSegments(r.bytes()).stream().filter(s -> (s[1] & 0xFF) == 0xE2 || isExif(s)).map(java.util.Arrays::toString).toList();
        assertEquals(before, after, "EXIF and ICC segments byte-identical");
        assertEquals(2, before.size());
        int qIn = org.aigcmark.format.jpeg.JpegQuality.estimate(in);
        int qOut = org.aigcmark.format.jpeg.JpegQuality.estimate(r.bytes());
        assertTrue(Math.abs(qIn - qOut) <= 2, qIn + " vs " + qOut);
        // Pixels away from the label stay close to the original (same quality, same subsampling).
        BufferedImage a = decode(in);
        BufferedImage b = decode(r.bytes());
        Rectangle plate = r.visible().orElseThrow().plate();
        double se = 0;
        int n = 0;
        for (int y = 0; y < a.getHeight(); y += 3) {
            for (int x = 0; x < a.getWidth(); x += 3) {
                if (plate.contains(x, y) || new Rectangle(plate.x - 16, plate.y - 16, plate.width + 32, plate.height + 32).contains(x, y)) {
                    continue;
                }
                int d = (a.getRGB(x, y) >> 8 & 0xFF) - (b.getRGB(x, y) >> 8 & 0xFF);
                se += d * d;
                n++;
            }
        }
        double psnr = 10 * Math.log10(255.0 * 255.0 / (se / n));
        assertTrue(psnr > 36, "re-encode PSNR outside the label " + psnr);
    }

    @Test
    void textWithoutBothElementsIsRejected() {
        var e = assertThrows(AigcmarkException.class, () -> VisibleLabelOptions.defaults().withText("生成内容"));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("lacks an AI element"), e.getMessage());
        e = assertThrows(AigcmarkException.class, () -> VisibleLabelOptions.defaults().withText("AI助手"));
        assertTrue(e.getMessage().contains("lacks a generation element"), e.getMessage());
        VisibleLabelOptions.defaults().withText("人工智能合成");
        VisibleLabelOptions.defaults().withText("Generated by AI");
        VisibleLabelOptions.defaults().withText("ＡＩ生成");
        assertThrows(AigcmarkException.class, () -> VisibleLabelOptions.defaults().withText("Email generated"));
        assertThrows(AigcmarkException.class, () -> new VisibleLabelOptions("AI生成", Position.AUTO, 0.04));
    }

    @Test
    void tooSmallImagesGetAClearError() {
        BufferedImage tiny = new BufferedImage(40, 12, BufferedImage.TYPE_INT_RGB);
        var e = assertThrows(AigcmarkException.class, () -> VisibleLabelRenderer.render(tiny,
                VisibleLabelOptions.defaults().withText("本内容由人工智能生成"), 1));
        assertEquals(AigcmarkException.Reason.CAPACITY_EXCEEDED, e.reason());
    }

    @Test
    void webpGetsALosslessReencodeWithItsMetadataKept() throws Exception {
        for (String f : java.util.List.of("webp/lossy.webp", "webp/alpha.webp", "webp/with-exif.webp")) {
            byte[] in = Fixtures.bytes(f);
            LabelResult r = LABELER.label(in, REQ.withVisible(VisibleLabelOptions.defaults()));
            java.nio.file.Path out = TestSupport.temp("out.webp", r.bytes());
            java.nio.file.Path png = out.resolveSibling("out.png");
            TestSupport.run("dwebp", out.toString(), "-o", png.toString());
            BufferedImage after = ImageIO.read(png.toFile());
            BufferedImage before = decode(in);
            Rectangle ink = textInk(before, after);
            assertTrue(ink != null && ink.height >= 0.05 * Math.min(before.getWidth(), before.getHeight()), f + ": " + ink);
            InspectReport rep = LABELER.inspect(r.bytes(), f, List.of());
            assertEquals(1, rep.labels().size(), f);
            assertEquals(before.getColorModel().hasAlpha(), after.getColorModel().hasAlpha(), f + " alpha kept");
        }
        // The EXIF chunk of the original is carried over byte for byte.
        String exifIn = TestSupport.run("exiftool", "-b", "-EXIF", TestSupport.temp("a.webp", Fixtures.bytes("webp/with-exif.webp")).toString());
        byte[] labelled = LABELER.label(Fixtures.bytes("webp/with-exif.webp"), REQ.withVisible(VisibleLabelOptions.defaults())).bytes();
        String exifOut = TestSupport.run("exiftool", "-b", "-EXIF", TestSupport.temp("b.webp", labelled).toString());
        assertEquals(exifIn, exifOut);
    }

    static boolean isExif(byte[] s) {
        return (s[1] & 0xFF) == 0xE1 && s.length > 10 && s[4] == 'E' && s[5] == 'x' && s[6] == 'i' && s[7] == 'f';
    }
}
