package org.aigcmark.visible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions.Position;
import org.junit.jupiter.api.Test;

/**
 * The second-label check's shortcuts decide as the plain correlation did: the integer pixel map, and on these 3-byte BGR
 * images the byte offsets linear in the plate's coordinates, read the same pixels as the per-pixel transform (the same
 * correlation, bit for bit, in all eight EXIF orientations), and the sparse grid
 * that gates the full correlation never hides a match: on real photos, labelled (then JPEG re-encoded) or not, every
 * template and position whose full correlation reaches the threshold scores above the gate on the grid.
 */
class VisibleLabelFinderSpeedTest {
    private static final Position[] POSITIONS = {Position.BOTTOM_RIGHT, Position.BOTTOM_LEFT, Position.TOP_RIGHT,
        Position.TOP_LEFT, Position.BOTTOM, Position.TOP};

    @Test
    void shortcutsDecideAsTheFullCorrelationInEveryOrientation() throws Exception {
        List<Path> photos = Fixtures.list("photos").stream().filter(p -> p.toString().endsWith(".jpg")).limit(4).toList();
        assertEquals(4, photos.size());
        List<VisibleLabelOptions> templates = VisibleLabelFinder.templatesFor(VisibleLabelOptions.defaults());
        int matches = 0;
        int grid = 0;
        for (int i = 0; i < photos.size(); i++) {
            BufferedImage photo = scaled(ImageIO.read(photos.get(i).toFile()), 1100 + 60 * i, 720);
            for (int orientation = 1; orientation <= 8; orientation++) {
                Position drawn = POSITIONS[(i + orientation) % POSITIONS.length];
                BufferedImage labelled = copy(photo);
                VisibleLabelRenderer.render(labelled, VisibleLabelOptions.defaults().withPosition(drawn), orientation);
                for (BufferedImage img : List.of(photo, jpeg(labelled))) {
                    for (VisibleLabelOptions t : templates) {
                        for (Position p : POSITIONS) {
                            double[] c = VisibleLabelFinder.correlations(img, orientation, t, p);
                            String where = photos.get(i).getFileName() + " orientation " + orientation + " " + t.text()
                                    + "@" + t.heightFraction() + " " + p + " (drawn " + drawn + ")";
                            assertEquals(c[2], c[1], 0.0, where);
                            if (c[1] >= VisibleLabelFinder.THRESHOLD) {
                                matches++;
                                if (Double.isNaN(c[0])) {
                                    continue; // a small plate is correlated whole
                                }
                                grid++;
                                assertTrue(c[0] >= VisibleLabelFinder.SPARSE_GATE + 0.2, where + ": sparse " + c[0] + ", full " + c[1]);
                            }
                        }
                    }
                    if (img != photo) {
                        var found = VisibleLabelFinder.find(img, orientation, templates);
                        assertTrue(found.isPresent() && found.get().position() == drawn, found + " for " + drawn);
                    } else {
                        assertTrue(VisibleLabelFinder.find(img, orientation, templates).isEmpty());
                    }
                }
            }
        }
        assertTrue(matches >= 32 && grid >= 16, "labelled images matched their templates: " + matches + ", on the grid " + grid);
    }

    private static BufferedImage scaled(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static BufferedImage copy(BufferedImage src) {
        return new BufferedImage(src.getColorModel(), src.copyData(null), src.isAlphaPremultiplied(), null);
    }

    private static BufferedImage jpeg(BufferedImage img) throws Exception {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bos)) {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.75f);
            w.setOutput(out);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return ImageIO.read(new ByteArrayInputStream(bos.toByteArray()));
    }
}
