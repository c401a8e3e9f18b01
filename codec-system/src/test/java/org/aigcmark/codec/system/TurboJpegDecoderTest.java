package org.aigcmark.codec.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * With libjpeg-turbo, detection's decode ({@code decodeForChecks}) gives exactly ImageIO's pixels on every JPEG of
 * testdata (the ones it takes: plain YCbCr; the rest still go to ImageIO), and refuses what ImageIO's decode refuses.
 */
class TurboJpegDecoderTest {
    private static final Labeler LABELER = Labeler.create();

    @Test
    void everyJpegOfTestdataGivesImageIosPixels() throws Exception {
        // skipped where the library is missing, except under CI (.ci/run installs it)
        Assumptions.assumeTrue(TurboJpegDecoder.available() || "true".equals(System.getenv("CI")), "libturbojpeg is not installed (Debian: libturbojpeg0)");
        int files = 0;
        int turbo = 0;
        for (String folder : List.of("photos", "jpeg", "labeled", "watermark", "visible", "c2pa", "conflict", "faces", "bad")) {
            for (Path p : Fixtures.list(folder)) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!(n.endsWith(".jpg") || n.endsWith(".jpeg"))) {
                    continue;
                }
                byte[] file = Files.readAllBytes(p);
                String name = folder + "/" + p.getFileName();
                FormatHandler.PixelCodec codec;
                try {
                    codec = LABELER.handlerFor(file, name).pixels().orElseThrow();
                } catch (AigcmarkException e) {
                    continue; // not a JPEG the sdk takes (empty, another format under the name)
                }
                BufferedImage before;
                try {
                    before = codec.decode(file, Limits.DEFAULT);
                } catch (AigcmarkException e) {
                    AigcmarkException again = assertThrows(AigcmarkException.class, () -> codec.decodeForChecks(file, Limits.DEFAULT), name);
                    assertEquals(e.reason(), again.reason(), name);
                    continue;
                }
                BufferedImage now = codec.decodeForChecks(file, Limits.DEFAULT);
                int w = before.getWidth();
                int h = before.getHeight();
                assertEquals(w, now.getWidth(), name);
                assertEquals(h, now.getHeight(), name);
                assertArrayEquals(before.getRGB(0, 0, w, h, null, 0, w), now.getRGB(0, 0, w, h, null, 0, w), name);
                files++;
                if (now.getType() == BufferedImage.TYPE_INT_RGB && before.getType() != BufferedImage.TYPE_INT_RGB) {
                    turbo++;
                }
            }
        }
        assertTrue(files > 60, files + " JPEGs");
        assertTrue(turbo > 40, turbo + " of " + files + " JPEGs decoded by libjpeg-turbo");
    }

    @Test
    void declinesWhatItCannotReadAsImageIoDoes() throws Exception {
        // skipped where the library is missing, except under CI (.ci/run installs it)
        Assumptions.assumeTrue(TurboJpegDecoder.available() || "true".equals(System.getenv("CI")), "libturbojpeg is not installed (Debian: libturbojpeg0)");
        TurboJpegDecoder d = new TurboJpegDecoder();
        // greyscale: ImageIO gives a grey image, the checks read its samples; left to ImageIO
        assertNull(d.decode(Fixtures.bytes("photos/03-fog-pier-monochrome.jpg")));
        // cut in its scan: libjpeg warns (premature end), and ImageIO decides what the checks see
        byte[] whole = Fixtures.bytes("jpeg/plain.jpg");
        assertNull(d.decode(java.util.Arrays.copyOf(whole, whole.length / 2)));
        assertNull(d.decode(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}));
    }
}
