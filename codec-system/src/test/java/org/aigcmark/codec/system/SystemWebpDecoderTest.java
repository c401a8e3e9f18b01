package org.aigcmark.codec.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.TestSupport;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With the system's libwebp, detection's decode ({@code decodeForChecks}) of a WebP gives dwebp's pixels (the reference
 * decoder's own output, read back from a PAM) on every WebP of testdata and on a photo-sized lossy WebP made by cwebp,
 * the pure-Java decoder's pixels on the lossless ones (lossless has one decoding; on lossy files the pure-Java VP8
 * decoder is a few levels off, docs/SERVICE.md), and refuses a damaged file as before.
 */
class SystemWebpDecoderTest {
    private static final Labeler LABELER = Labeler.create();

    @BeforeEach
    void needsTheLibrary() {
        // skipped where the library is missing, except under CI (.ci/run installs it)
        Assumptions.assumeTrue(SystemWebpDecoder.available() || "true".equals(System.getenv("CI")), "libwebp is not installed (Debian: libwebp7)");
    }

    @Test
    void everyWebpGivesDwebpsPixels() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("webp", "labeled")) {
            Fixtures.list(folder).stream().filter(p -> p.toString().endsWith(".webp")).forEach(files::add);
        }
        Path photo = Files.createTempDirectory("system-webp").resolve("photo.webp");
        TestSupport.run("cwebp", "-quiet", "-q", "75", Fixtures.path("photos/14-evening-boats-lake.jpg").toString(), "-o", photo.toString());
        files.add(photo);
        int alpha = 0;
        for (Path p : files) {
            byte[] webp = Files.readAllBytes(p);
            BufferedImage direct = new SystemWebpDecoder().decode(webp);
            assertNotNull(direct, p + ": libwebp declined it");
            BufferedImage img = codec(webp).decodeForChecks(webp, Limits.DEFAULT);
            int w = img.getWidth();
            int h = img.getHeight();
            assertArrayEquals(direct.getRGB(0, 0, w, h, null, 0, w), img.getRGB(0, 0, w, h, null, 0, w), p + ": detection reads another decoder");
            int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
            boolean hasAlpha = img.getColorModel().hasAlpha();
            alpha += hasAlpha ? 1 : 0;
            assertEquals(hasAlpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB, img.getType(), p.toString());
            Dwebp want = Dwebp.of(p);
            assertEquals(want.width, w, p.toString());
            assertEquals(want.height, h, p.toString());
            int differ = 0;
            for (int i = 0; i < w * h; i++) {
                int a = want.rgba[4 * i + 3] & 0xFF;
                int colour = (want.rgba[4 * i] & 0xFF) << 16 | (want.rgba[4 * i + 1] & 0xFF) << 8 | want.rgba[4 * i + 2] & 0xFF;
                // a fully transparent pixel's colour is not defined the same way by both: compare where it is seen
                if (a != 0 && (rgb[i] & 0xFFFFFF) != colour || (rgb[i] >>> 24) != (hasAlpha ? a : 0xFF)) {
                    differ++;
                }
            }
            assertEquals(0, differ, p + ": pixels that differ from dwebp's");
        }
        assertTrue(alpha > 0, "no WebP with alpha was checked");
    }

    @Test
    void losslessWebpsGiveThePureJavaDecodersPixels() throws Exception {
        Path withAlpha = Files.createTempDirectory("system-webp").resolve("rgba.webp");
        TestSupport.run("cwebp", "-quiet", "-lossless", "-exact", Fixtures.path("png/rgba.png").toString(), "-o", withAlpha.toString());
        for (Path fixture : List.of(Fixtures.path("webp/lossless.webp"), withAlpha)) {
            byte[] webp = Files.readAllBytes(fixture);
            FormatHandler.PixelCodec codec = codec(webp);
            BufferedImage java = codec.decode(webp, Limits.DEFAULT); // TwelveMonkeys: labelling's decode
            BufferedImage lib = codec.decodeForChecks(webp, Limits.DEFAULT);
            int w = java.getWidth();
            int h = java.getHeight();
            int[] a = java.getRGB(0, 0, w, h, null, 0, w);
            int[] b = lib.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < a.length; i++) {
                if ((a[i] >>> 24) == 0 && (b[i] >>> 24) == 0) {
                    a[i] = b[i] = 0; // invisible: its colour is each decoder's own
                }
            }
            assertArrayEquals(a, b, fixture.toString());
        }
    }

    @Test
    void aDamagedWebpIsDeclinedAndRefusedWithTheSameReasonAsWithoutTheLibrary() throws Exception {
        byte[] webp = Fixtures.bytes("webp/lossy.webp");
        byte[] cut = Arrays.copyOf(webp, webp.length / 2);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> codec(cut).decodeForChecks(cut, Limits.DEFAULT));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason(), e.getMessage());
        assertNull(new SystemWebpDecoder().decode(cut), "libwebp read half a file"); // the next decoder decides
        assertNull(new SystemWebpDecoder().decode(new byte[0]));
    }

    private static FormatHandler.PixelCodec codec(byte[] webp) {
        return LABELER.handlerFor(webp, "x.webp").pixels().orElseThrow();
    }

    /** dwebp's RGBA output (a PAM file). */
    private record Dwebp(int width, int height, byte[] rgba) {
        static Dwebp of(Path webp) throws Exception {
            Path pam = Files.createTempDirectory("dwebp").resolve("out.pam");
            TestSupport.run("dwebp", "-quiet", webp.toString(), "-pam", "-o", pam.toString());
            byte[] b = Files.readAllBytes(pam);
            String head = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
            int end = head.indexOf("ENDHDR\n") + "ENDHDR\n".length();
            int w = Integer.parseInt(head.replaceAll("(?s).*WIDTH (\\d+).*", "$1"));
            int h = Integer.parseInt(head.replaceAll("(?s).*HEIGHT (\\d+).*", "$1"));
            return new Dwebp(w, h, Arrays.copyOfRange(b, end, end + 4 * w * h));
        }
    }
}
