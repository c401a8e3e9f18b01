package org.aigcmark.detect.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceDetectorTest {
    @Test
    void findsTheAstronautsFace() throws IOException {
        BufferedImage img = ImageIO.read(Fixtures.path("faces/astronaut-nasa.jpg").toFile());
        try (FaceDetector d = FaceDetector.open(PlumbingModel.blazeFace(), false)) {
            List<FaceDetector.Face> faces = d.detect(img);
            System.out.println("astronaut faces: " + faces);
            assertEquals(1, faces.size(), faces.toString());
            Rectangle b = faces.get(0).box();
            // Eileen Collins' face in the 320x320 fixture (measured by eye on the picture: centre about (147, 80)).
            double cx = b.getCenterX();
            double cy = b.getCenterY();
            assertTrue(cx > 115 && cx < 180 && cy > 45 && cy < 115, "face centre " + cx + "," + cy);
            assertTrue(b.width > 35 && b.width < 120, "face width " + b.width);
            // Letterboxing keeps positions right on a non-square image too.
            BufferedImage wide = new BufferedImage(400, 320, BufferedImage.TYPE_INT_RGB);
            wide.getGraphics().drawImage(img, 80, 0, null);
            List<FaceDetector.Face> shifted = d.detect(wide);
            assertEquals(1, shifted.size(), shifted.toString());
            assertEquals(cx + 80, shifted.get(0).box().getCenterX(), 8);
            assertEquals(cy, shifted.get(0).box().getCenterY(), 8);
        }
    }

    @Test
    void findsNoFacesInTheFacelessRealPhotos() throws IOException {
        List<String> found = new ArrayList<>();
        try (FaceDetector d = FaceDetector.open(PlumbingModel.blazeFace(), false)) {
            for (Path p : Fixtures.list("photos")) {
                List<FaceDetector.Face> faces = d.detect(ImageIO.read(p.toFile()));
                if (!faces.isEmpty()) {
                    found.add(p.getFileName() + " " + faces);
                }
            }
        }
        System.out.println("faces in photos: " + found);
        assertTrue(found.isEmpty(), found.toString());
    }

    @Test
    void cropAddsMarginAndStaysSquareAtTheEdge() {
        BufferedImage img = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
        BufferedImage c = FaceDetector.crop(img, new Rectangle(0, 0, 20, 30), 0.5);
        assertEquals(60, c.getWidth());
        assertEquals(60, c.getHeight());
        BufferedImage whole = FaceDetector.crop(img, new Rectangle(0, 0, 100, 80), 2.0);
        assertEquals(100, whole.getWidth(), "a crop never grows past the image's longer side");
    }

    @Test
    void refusesAnUnpinnedFile(@TempDir Path dir) throws IOException {
        Path fake = dir.resolve(FaceDetector.MODEL_FILE);
        Files.copy(PlumbingModel.dir().resolve("plumbing-cnn.onnx"), fake);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> FaceDetector.open(fake, false));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }
}
