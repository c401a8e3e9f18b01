package org.aigcmark.detect.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisplayImageTest {
    @TempDir
    Path tmp;

    @Test
    void theFixtureWithExifOrientation6IsTurnedUpright() {
        Path file = org.aigcmark.testdata.Fixtures.path("jpeg/orientation6.jpg");
        // testdata/SOURCES.md: EXIF Orientation=6, stored 541x800 (exiftool -n -Orientation says 6)
        assertEquals(6, DisplayImage.orientation(file));
        BufferedImage shown = DisplayImage.read(file);
        assertEquals(800, shown.getWidth());
        assertEquals(541, shown.getHeight());
    }

    @Test
    void everyOrientationMapsTheStoredTopLeftPixelWhereExifSays() {
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        // where the stored (0,0) pixel is displayed, per the EXIF definition of each orientation
        int[][] expected = {{0, 0}, {3, 0}, {3, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 3}, {0, 3}};
        for (int o = 1; o <= 8; o++) {
            BufferedImage d = DisplayImage.orient(img, o);
            assertEquals(o >= 5 ? 2 : 4, d.getWidth(), "orientation " + o);
            assertEquals(0xFF0000, d.getRGB(expected[o - 1][0], expected[o - 1][1]) & 0xFFFFFF, "orientation " + o);
        }
    }

    @Test
    void brokenFilesAreTypedErrors() throws Exception {
        Path junk = tmp.resolve("junk.jpg");
        Files.write(junk, new byte[] {1, 2, 3, 4});
        assertEquals(Reason.UNSUPPORTED_FORMAT, assertThrows(AigcmarkException.class, () -> DisplayImage.read(junk)).reason());
        Path truncated = tmp.resolve("t.jpg");
        Files.write(truncated, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16});
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> DisplayImage.read(truncated));
        assertEquals(Reason.CORRUPT_INPUT, e.reason(), e.getMessage());
        assertEquals(Reason.INPUT_UNREADABLE, assertThrows(AigcmarkException.class,
                () -> DisplayImage.read(tmp.resolve("missing.jpg"))).reason());
    }
}
