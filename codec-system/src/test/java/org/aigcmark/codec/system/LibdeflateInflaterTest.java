package org.aigcmark.codec.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * With libdeflate, detection's PNG reader gives exactly ImageIO's pixels on every PNG of testdata and on 1080p-class
 * true-colour PNGs (ImageIO's and the sdk's encoders), and libdeflate's bytes are zlib's.
 */
class LibdeflateInflaterTest {
    private static final Labeler LABELER = Labeler.create();

    @Test
    void inflatesAsZlibDoesAndDeclinesWhatIsNotExactlyThere() throws Exception {
        // skipped where the library is missing, except under CI (.ci/run installs it)
        Assumptions.assumeTrue(LibdeflateInflater.available() || "true".equals(System.getenv("CI")), "libdeflate is not installed (Debian: libdeflate0)");
        byte[] zlib = zlibOfIdat(Fixtures.bytes("png/rgb.png"));
        Inflater inf = new Inflater();
        inf.setInput(zlib);
        byte[] want = new byte[1 << 20];
        int n = inf.inflate(want);
        assertTrue(inf.finished());
        inf.end();
        byte[] got = new byte[n];
        LibdeflateInflater d = new LibdeflateInflater();
        assertTrue(d.inflate(zlib, 0, zlib.length, got));
        assertArrayEquals(java.util.Arrays.copyOf(want, n), got);
        assertFalse(d.inflate(zlib, 0, zlib.length, new byte[n - 1]), "longer than the room");
        assertFalse(d.inflate(zlib, 0, zlib.length, new byte[n + 1]), "shorter than the room");
        assertFalse(d.inflate(zlib, 0, zlib.length / 2, new byte[n]), "cut");
        byte[] bad = zlib.clone();
        bad[bad.length / 2] ^= 0x55;
        assertFalse(d.inflate(bad, 0, bad.length, new byte[n]), "corrupt");
    }

    @Test
    void everyPngGivesImageIosPixels() throws Exception {
        // skipped where the library is missing, except under CI (.ci/run installs it)
        Assumptions.assumeTrue(LibdeflateInflater.available() || "true".equals(System.getenv("CI")), "libdeflate is not installed (Debian: libdeflate0)");
        int files = 0;
        for (String folder : List.of("png", "labeled", "watermark", "visible", "c2pa", "conflict", "faces", "bad")) {
            for (Path p : Fixtures.list(folder)) {
                if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
                    samePixels(Files.readAllBytes(p), folder + "/" + p.getFileName());
                    files++;
                }
            }
        }
        assertTrue(files > 15, files + " PNGs");
        // a 1920x1080 photo as the bench sends it (ImageIO's encoder) and as the sdk writes it (a filter a row)
        BufferedImage photo = ImageIO.read(Fixtures.path("photos/31-colorful-cups.jpg").toFile());
        BufferedImage frame = new BufferedImage(1920, 1080, BufferedImage.TYPE_3BYTE_BGR);
        frame.createGraphics().drawImage(photo, 0, 0, 1920, 1080, null);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(frame, "png", bos);
        assertEquals(BufferedImage.TYPE_INT_RGB, samePixels(bos.toByteArray(), "imageio 1080p"));
        byte[] original = Fixtures.bytes("png/rgb.png");
        FormatHandler.PixelCodec codec = LABELER.handlerFor(original, "rgb.png").pixels().orElseThrow();
        assertEquals(BufferedImage.TYPE_INT_RGB, samePixels(codec.encode(frame, original, Limits.DEFAULT).bytes(), "sdk 1080p"));
    }

    /** decode's and decodeForChecks' getRGB agree (or both refuse, with the same reason); the type decodeForChecks gave. */
    private static int samePixels(byte[] file, String name) {
        FormatHandler.PixelCodec codec;
        try {
            codec = LABELER.handlerFor(file, name).pixels().orElse(null);
        } catch (AigcmarkException e) {
            return -1; // not a file the sdk takes (empty, another format under the name)
        }
        if (codec == null) {
            return -1;
        }
        BufferedImage before;
        try {
            before = codec.decode(file, Limits.DEFAULT);
        } catch (AigcmarkException e) {
            AigcmarkException again = assertThrows(AigcmarkException.class, () -> codec.decodeForChecks(file, Limits.DEFAULT), name);
            assertEquals(e.reason(), again.reason(), name);
            return -1;
        }
        BufferedImage now = codec.decodeForChecks(file, Limits.DEFAULT);
        int w = before.getWidth();
        int h = before.getHeight();
        assertEquals(w, now.getWidth(), name);
        assertEquals(h, now.getHeight(), name);
        assertArrayEquals(before.getRGB(0, 0, w, h, null, 0, w), now.getRGB(0, 0, w, h, null, 0, w), name);
        return now.getType();
    }

    /** The IDAT chunks' data, concatenated: the PNG's zlib stream. */
    private static byte[] zlibOfIdat(byte[] png) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        for (int p = 8; p + 8 <= png.length; ) {
            int len = (png[p] & 0xff) << 24 | (png[p + 1] & 0xff) << 16 | (png[p + 2] & 0xff) << 8 | (png[p + 3] & 0xff);
            if (new String(png, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("IDAT")) {
                z.write(png, p + 8, len);
            }
            p += 12 + len;
        }
        return z.toByteArray();
    }
}
