package org.aigcmark.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.SdxlWatermarkDecoder;
import org.aigcmark.watermark.WatermarkDetection;
import org.aigcmark.watermark.WatermarkOptions;
import org.aigcmark.watermark.WatermarkPayload;
import org.junit.jupiter.api.Test;

/**
 * The detector decodes with {@code decodeForChecks} (a WebP without decode's copy into an int image, a PNG from
 * memory): what every check reads must be exactly what {@code decode} gives, on every real image of testdata and on
 * marked and attacked images, so no verdict or evidence can move.
 */
class DecodeForChecksTest {
    private static final Labeler LABELER = Labeler.create();

    /** The packed RGB the watermark and SDXL checks read, and the image the other checks read, from both decodes. */
    private static int samePixels(byte[] file, String name) {
        FormatHandler.PixelCodec codec = LABELER.handlerFor(file, name).pixels().orElseThrow();
        BufferedImage before;
        try {
            before = codec.decode(file, Limits.DEFAULT);
        } catch (AigcmarkException e) {
            // decode refuses it (CMYK, damaged): decodeForChecks must refuse it the same way
            AigcmarkException again = org.junit.jupiter.api.Assertions.assertThrows(AigcmarkException.class,
                    () -> codec.decodeForChecks(file, Limits.DEFAULT), name);
            assertEquals(e.reason(), again.reason(), name);
            return -1;
        }
        BufferedImage now = codec.decodeForChecks(file, Limits.DEFAULT);
        int w = before.getWidth();
        int h = before.getHeight();
        assertEquals(w, now.getWidth(), name);
        assertEquals(h, now.getHeight(), name);
        int[] old = DecodedPixels.of(before).rgb();
        DecodedPixels decoded = DecodedPixels.of(now);
        assertArrayEquals(old, decoded.rgb(), name + ": the packed RGB the watermark checks read");
        assertArrayEquals(before.getRGB(0, 0, w, h, null, 0, w), now.getRGB(0, 0, w, h, null, 0, w),
                name + ": the image the other checks read");
        return now.getType();
    }

    @Test
    void everyImageOfTestdataDecodesToTheSamePixels() throws Exception {
        int files = 0;
        int webp = 0;
        List<String> folders = List.of("photos", "jpeg", "labeled", "watermark", "visible", "c2pa", "conflict", "png", "webp", "faces");
        for (String folder : folders) {
            for (Path p : Fixtures.list(folder)) {
                String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                if (!(n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".webp"))) {
                    continue;
                }
                int type = samePixels(Files.readAllBytes(p), folder + "/" + p.getFileName());
                files++;
                if (n.endsWith(".webp") && type == BufferedImage.TYPE_3BYTE_BGR) {
                    webp++; // the reader's own image, not decode's int copy
                }
            }
        }
        assertTrue(files > 100, files + " files");
        assertTrue(webp >= 2, webp + " WebPs given to the checks as the reader decoded them");
    }

    /**
     * Marked, then attacked (re-encoded, cropped, scaled), as JPEG, PNG and lossless WebP: both decodes give the same watermark
     * and SDXL results, and the marks are still found (so the comparison is on detections, not only on misses).
     */
    @Test
    void markedAndAttackedImagesGiveTheSameDetections() throws Exception {
        WatermarkKey key = WatermarkKey.fromPassphrase("decode-for-checks");
        ImageWatermarker wm = ImageWatermarker.create(key, WatermarkOptions.defaults().withSearch(WatermarkOptions.Search.QUICK));
        WatermarkPayload payload = WatermarkPayload.fromLabel(key, "001191110102MACQD9K64010000", "decode-test");
        BufferedImage photo = ImageIO.read(Fixtures.path("photos/09-pale-wood-planks.jpg").toFile());
        BufferedImage base = scaled(photo, 1280, 1280 * photo.getHeight() / photo.getWidth());
        ImageWatermarker.create(key).embed(base, payload);
        Map<String, byte[]> attacked = new java.util.LinkedHashMap<>();
        attacked.put("marked q92", jpeg(base, 0.92f));
        attacked.put("marked q70", jpeg(base, 0.70f));
        attacked.put("crop 80% q85", jpeg(base.getSubimage(128, 72, 1024, 576), 0.85f));
        attacked.put("scaled 0.6 q85", jpeg(scaled(base, 768, base.getHeight() * 768 / base.getWidth()), 0.85f));
        attacked.put("png", png(base));
        // a marked WebP (lossless: the sdk's own encoder; libwebp's lossy one is in codec-webp), whole and cropped
        byte[] webp = Files.readAllBytes(Fixtures.path("webp/with-exif.webp"));
        FormatHandler.PixelCodec webpCodec = LABELER.handlerFor(webp, "w.webp").pixels().orElseThrow();
        BufferedImage webpImage = webpCodec.decode(webp, Limits.DEFAULT);
        ImageWatermarker.create(key).embed(webpImage, payload);
        attacked.put("marked webp", webpCodec.encode(webpImage, webp, Limits.DEFAULT).bytes());
        attacked.put("cropped webp", webpCodec.encode(copy(webpImage.getSubimage(60, 40, 640, 420)), webp, Limits.DEFAULT).bytes());
        attacked.put("unmarked webp", webp);
        attacked.put("unmarked photo", Files.readAllBytes(Fixtures.path("photos/09-pale-wood-planks.jpg")));
        int found = 0;
        for (Map.Entry<String, byte[]> e : attacked.entrySet()) {
            byte[] file = e.getValue();
            FormatHandler.PixelCodec codec = LABELER.handlerFor(file, e.getKey()).pixels().orElseThrow();
            BufferedImage before = codec.decode(file, Limits.DEFAULT);
            BufferedImage now = codec.decodeForChecks(file, Limits.DEFAULT);
            int w = before.getWidth();
            int h = before.getHeight();
            int[] oldRgb = DecodedPixels.of(before).rgb();
            int[] newRgb = DecodedPixels.of(now).rgb();
            WatermarkDetection was = wm.detectRgb(oldRgb, w, h);
            WatermarkDetection is = wm.detectRgb(newRgb, w, h);
            assertEquals(was, is, e.getKey());
            assertEquals(SdxlWatermarkDecoder.detectRgb(oldRgb, w, h), SdxlWatermarkDecoder.detectRgb(newRgb, w, h), e.getKey());
            if (is.detected()) {
                assertEquals(payload, is.payload().orElseThrow(), e.getKey());
                found++;
            }
            // and the whole report, through the Detector that decodes with decodeForChecks
            Detector d = Detector.create(LABELER, List.of(key), List.of(), List.of())
                    .withWatermarkSearch(WatermarkOptions.Search.QUICK).withMediaChecks(List.of());
            DetectionReport r = d.detect(file, e.getKey(), false);
            assertEquals(is.detected(), r.watermark().map(WatermarkDetection::detected).orElse(false), e.getKey());
            assertEquals(is, r.watermark().orElseThrow(), e.getKey());
        }
        assertTrue(found >= 5, found + " of the marked files detected");
    }

    /**
     * 8-bit true-colour PNGs are read by the PNG codec's own row reader: written by the sdk's encoder (a filter chosen
     * per row, so Sub, Up, Average and Paeth rows all occur) and by ImageIO (filter None, IDAT split in 8 KiB chunks),
     * with and without alpha, cut short: the same pixels as ImageIO's reader, and the cut file refused as decode refuses it.
     */
    @Test
    void trueColourPngsReadByTheRowReaderGiveImageIosPixels() throws Exception {
        BufferedImage photo = ImageIO.read(Fixtures.path("photos/22-red-flower-garden.jpg").toFile());
        BufferedImage rgb = scaled(photo, 640, 640 * photo.getHeight() / photo.getWidth());
        BufferedImage argb = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                argb.setRGB(x, y, (x * 7 + y * 3) % 256 << 24 | rgb.getRGB(x, y) & 0xffffff);
            }
        }
        byte[] original = Fixtures.bytes("png/rgb.png");
        FormatHandler.PixelCodec codec = LABELER.handlerFor(original, "rgb.png").pixels().orElseThrow();
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("sdk encoder rgb", codec.encode(rgb, original, Limits.DEFAULT).bytes());
        files.put("sdk encoder rgba", codec.encode(argb, Fixtures.bytes("png/rgba.png"), Limits.DEFAULT).bytes());
        files.put("imageio rgb", png(rgb));
        files.put("imageio rgba", png(argb));
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            int type = samePixels(e.getValue(), e.getKey() + ".png");
            assertTrue(type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB, e.getKey() + ": type " + type);
            byte[] cut = java.util.Arrays.copyOf(e.getValue(), e.getValue().length * 2 / 3);
            samePixels(cut, e.getKey() + " cut.png");
        }
    }

    private static BufferedImage copy(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(img, 0, 0, null);
        return out;
    }

    private static BufferedImage scaled(BufferedImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        var g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static byte[] jpeg(BufferedImage img, float quality) throws Exception {
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        rgb.getGraphics().drawImage(img, 0, 0, null);
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.setOutput(out);
            w.write(null, new IIOImage(rgb, null, null), p);
        } finally {
            w.dispose();
        }
        return bos.toByteArray();
    }

    private static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bos);
        return bos.toByteArray();
    }

    /** The JPEG with an Adobe APP14 segment (transform 1: YCbCr) after its SOI. */
    private static byte[] withAdobeMarker(byte[] jpeg) {
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1};
        byte[] out = new byte[jpeg.length + app14.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app14, 0, out, 2, app14.length);
        System.arraycopy(jpeg, 2, out, 2 + app14.length, jpeg.length - 2);
        return out;
    }
}
