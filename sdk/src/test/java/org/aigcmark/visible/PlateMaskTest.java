package org.aigcmark.visible;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.aigcmark.visible.VisibleLabelOptions.Position;
import org.junit.jupiter.api.Test;

/**
 * The label blended from its cached coverage ({@link PlateMask}) is Java2D's drawing of it, pixel for pixel: real photos
 * (ImageIO's JPEG decode, 3-byte BGR), several corners, label sizes and texts, against
 * {@link VisibleLabelRenderer#draw} on a copy.
 */
class PlateMaskTest {
    private static final Path PHOTOS = Path.of("..", "testdata", "fixtures", "photos");

    @Test
    void blendedLabelIsJava2dsDrawing() throws Exception {
        for (String name : new String[] {"16-autumn-hills.jpg", "02-sky-kite.jpg", "03-fog-pier-monochrome.jpg"}) {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(PHOTOS.resolve(name))));
            for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR}) {
                BufferedImage src = convert(decoded, type);
                assertTrue(PlateMask.supports(src), name + " type " + type);
                for (Position p : new Position[] {Position.BOTTOM_RIGHT, Position.TOP_LEFT, Position.BOTTOM, Position.TOP_RIGHT}) {
                    for (double fraction : new double[] {0.05, 0.06, 0.13}) {
                        for (String text : new String[] {"AI生成", "AI-generated"}) {
                            VisibleLabelOptions o = new VisibleLabelOptions(text, p, fraction);
                            BufferedImage blended = copy(src);
                            VisibleLabelRenderer.Placement placed = VisibleLabelRenderer.render(blended, o, 1);
                            BufferedImage drawn = copy(src);
                            Graphics2D g = drawn.createGraphics();
                            VisibleLabelRenderer.draw(g, VisibleLabelRenderer.layout(o, src.getWidth(), src.getHeight()),
                                    placed.plate());
                            g.dispose();
                            String what = name + " type " + type + " " + p + " " + fraction + " " + text;
                            assertFalse(samePixels(src, drawn), "the label changed nothing: " + what);
                            assertTrue(samePixels(drawn, blended), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void otherLayoutsAndOrientationsAreDrawnByJava2d() {
        assertFalse(PlateMask.supports(new BufferedImage(300, 300, BufferedImage.TYPE_4BYTE_ABGR)));
        assertFalse(PlateMask.supports(new BufferedImage(300, 300, BufferedImage.TYPE_INT_ARGB)));
        assertFalse(PlateMask.supports(new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB)));
        assertFalse(PlateMask.supports(new BufferedImage(300, 300, BufferedImage.TYPE_BYTE_GRAY)));
        // a sub-image shares its parent's array at an offset: drawn by Java2D
        BufferedImage parent = new BufferedImage(600, 600, BufferedImage.TYPE_3BYTE_BGR);
        assertFalse(PlateMask.supports(parent.getSubimage(10, 10, 400, 400)));
        // a rotated display (EXIF 6) is drawn by Java2D into the stored pixels: the label lands where the display shows it
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        VisibleLabelRenderer.Placement placed = VisibleLabelRenderer.render(img,
                new VisibleLabelOptions("AI生成", Position.BOTTOM_RIGHT, 0.06), 6);
        Rectangle plate = placed.plate();
        assertTrue(placed.displayWidth() == 480 && placed.displayHeight() == 640);
        assertTrue(plate.x + plate.width <= 480 && plate.y + plate.height <= 640);
    }

    private static BufferedImage convert(BufferedImage img, int type) {
        if (img.getType() == type) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), type);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    private static BufferedImage copy(BufferedImage img) {
        return new BufferedImage(img.getColorModel(), img.copyData(null), false, null);
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        return java.util.Arrays.equals(((DataBufferByte) a.getRaster().getDataBuffer()).getData(),
                ((DataBufferByte) b.getRaster().getDataBuffer()).getData());
    }
}
