package org.aigcmark.codec.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkDetection;
import org.aigcmark.watermark.WatermarkOptions;
import org.aigcmark.watermark.WatermarkPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With libwebp on the class path detection reads a WebP's pixels as libwebp's reference decoder, dwebp, gives them
 * (checked against dwebp's own output), and the sdk's watermark in a lossy WebP is still found.
 */
class LibwebpDecoderTest {
    static final Labeler LABELER = Labeler.create();

    static FormatHandler.PixelCodec codec(byte[] webp) {
        return LABELER.handlerFor(webp, "x.webp").pixels().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"webp/lossy.webp", "webp/alpha.webp", "webp/with-exif.webp", "webp/lossless.webp", "labeled/xmp-element.webp"})
    void theChecksSeeDwebpsPixels(String fixture) throws Exception {
        byte[] webp = Fixtures.bytes(fixture);
        BufferedImage img = codec(webp).decodeForChecks(webp, LABELER.limits());
        Path pam = Files.createTempDirectory("dwebp").resolve("out.pam");
        TestSupport.run("dwebp", Fixtures.path(fixture).toString(), "-pam", "-o", pam.toString());
        byte[] b = Files.readAllBytes(pam);
        String head = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
        int end = head.indexOf("ENDHDR\n") + "ENDHDR\n".length();
        int w = Integer.parseInt(head.replaceAll("(?s).*WIDTH (\\d+).*", "$1"));
        int h = Integer.parseInt(head.replaceAll("(?s).*HEIGHT (\\d+).*", "$1"));
        assertEquals(w, img.getWidth(), fixture);
        assertEquals(h, img.getHeight(), fixture);
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        boolean alpha = img.getColorModel().hasAlpha();
        int differ = 0;
        for (int i = 0; i < w * h; i++) {
            int o = end + 4 * i;
            int want = (b[o] & 0xFF) << 16 | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF);
            int a = b[o + 3] & 0xFF;
            // a fully transparent pixel's colour is not defined the same way by both: compare where it is seen
            if (a != 0 && (rgb[i] & 0xFFFFFF) != want || alpha && (rgb[i] >>> 24) != a) {
                differ++;
            }
        }
        assertEquals(0, differ, fixture + ": pixels that differ from dwebp's");
    }

    @Test
    void aDamagedWebpIsRefusedWithTheSameReasonAsWithoutLibwebp() {
        byte[] webp = Fixtures.bytes("webp/lossy.webp");
        byte[] cut = java.util.Arrays.copyOf(webp, webp.length / 2);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> codec(cut).decodeForChecks(cut, LABELER.limits()));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason(), e.getMessage());
    }

    @Test
    void theWatermarkInALossyWebpIsFoundThroughLibwebp() throws Exception {
        WatermarkKey key = WatermarkKey.fromPassphrase("libwebp-decoder");
        WatermarkPayload payload = WatermarkPayload.fromLabel(key, "001191110102MACQD9K64010000", "libwebp-decode");
        BufferedImage photo = ImageIO.read(Fixtures.path("photos/01-sky-bridge-cables.jpg").toFile());
        BufferedImage base = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
        var g = base.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, 0, 0, 1280, 720, null);
        g.dispose();
        ImageWatermarker.create(key).embed(base, payload);
        byte[] marked = new LibwebpEncoder().encode(base, false, 80);
        byte[] unmarked;
        BufferedImage plain = ImageIO.read(Fixtures.path("photos/13-sunset-hilltop.jpg").toFile());
        BufferedImage small = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
        var g2 = small.createGraphics();
        g2.drawImage(plain, 0, 0, 1280, 720, null);
        g2.dispose();
        unmarked = new LibwebpEncoder().encode(small, false, 80);
        try (Detector d = Detector.create(LABELER, List.of(key), List.of(), List.of()).withWatermarkSearch(WatermarkOptions.Search.QUICK)
                .withMediaChecks(List.of())) {
            DetectionReport found = d.detect(marked, "marked.webp", false);
            assertTrue(found.watermark().map(WatermarkDetection::detected).orElse(false), found.toString());
            assertEquals(payload.hex(), found.watermark().flatMap(WatermarkDetection::payload).map(WatermarkPayload::hex).orElseThrow());
            DetectionReport none = d.detect(unmarked, "unmarked.webp", false);
            assertFalse(none.watermark().map(WatermarkDetection::detected).orElse(false), none.toString());
        }
    }
}
