package org.aigcmark.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.aigcmark.testdata.Allocations;

/**
 * Images that declare far more pixels than their bytes can carry (issue 16: a 292 KB PNG declaring 10000x10000 cost
 * {@code detect} 1.3 GB). Each is within {@code maxPixels}, so only the bytes-per-pixel bound refuses it, before the
 * decoder allocates its raster: detect reports the pixels unchecked, label with pixel work is LIMIT_EXCEEDED.
 */
class PixelBombTest {
    static final Labeler LABELER = Labeler.create();
    static final Detector DETECTOR = Detector.create(LABELER, List.of(WatermarkKey.fromPassphrase("bomb")), List.of(), List.of());
    static final long HEAP_BUDGET = 256L << 20;
    static final int SIDE = 10_000;

    static byte[] bomb(String format) throws Exception {
        return switch (format) {
            case "png" -> png();
            case "jpeg" -> jpeg();
            case "gif" -> gif();
            case "webp" -> webp();
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** 10000x10000 RGB, all rows zero: 300 MB of pixels deflated to about 300 KB. */
    static byte[] png() throws Exception {
        return zeroRowsPng(SIDE, Integer.MAX_VALUE);
    }

    /** A {@code side}-square RGB PNG of zero rows, its zlib data cut to {@code keepBytes} (chunk CRCs valid). */
    static byte[] zeroRowsPng(int side, int keepBytes) throws Exception {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
            byte[] row = new byte[1 + 3 * side];
            for (int y = 0; y < side; y++) {
                z.write(row);
            }
        }
        byte[] data = idat.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 8).put((byte) 2).array());
        chunk(out, "IDAT", java.util.Arrays.copyOf(data, Math.min(data.length, keepBytes)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A real 115 KB JPEG whose SOF0 is patched to 10000x10000 (the scan then ends early). */
    static byte[] jpeg() {
        return declaring(Fixtures.bytes("jpeg/plain.jpg"), SIDE);
    }

    /** {@code jpeg} with its first SOF0/SOF2 patched to declare a {@code side} square. */
    static byte[] declaring(byte[] jpeg, int side) {
        for (int i = 2; i + 9 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xFF;
            int len = (jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF);
            if (marker == 0xC0 || marker == 0xC2) {
                jpeg[i + 5] = (byte) (side >> 8);
                jpeg[i + 6] = (byte) side;
                jpeg[i + 7] = (byte) (side >> 8);
                jpeg[i + 8] = (byte) side;
                return jpeg;
            }
            i += 2 + len;
        }
        throw new AssertionError("no SOF in the JPEG");
    }

    /** A 10000x10000 GIF whose image data is one clear code and the end code: 40 bytes. */
    static byte[] gif() {
        return gif(SIDE);
    }

    /** A {@code side}-square GIF (screen and frame) whose image data is one clear code and the end code. */
    static byte[] gif(int side) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GIF89a".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {(byte) (side & 0xFF), (byte) (side >> 8), (byte) (side & 0xFF), (byte) (side >> 8),
                (byte) 0x80, 0, 0, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        out.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, (byte) (side & 0xFF), (byte) (side >> 8), (byte) (side & 0xFF),
                (byte) (side >> 8), 0, 2, 2, 0x44, 1, 0, 0x3B});
        return out.toByteArray();
    }

    /** The lossless WebP fixture with its VP8L header patched to 10000x10000 (14-bit fields, minus one). */
    static byte[] webp() {
        byte[] b = Fixtures.bytes("webp/lossless.webp");
        assertEquals("VP8L", new String(b, 12, 4, StandardCharsets.ISO_8859_1));
        int bits = (b[21] & 0xFF) | (b[22] & 0xFF) << 8 | (b[23] & 0xFF) << 16 | (b[24] & 0xFF) << 24;
        bits = (bits & ~((1 << 28) - 1)) | (SIDE - 1) | (SIDE - 1) << 14;
        for (int k = 0; k < 4; k++) {
            b[21 + k] = (byte) (bits >>> (8 * k));
        }
        return b;
    }


    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif", "webp"})
    void detectRefusesToDecodeADeclaredHugeImageBeforeAllocating(String format) throws Exception {
        byte[] file = bomb(format);
        assertEquals(SIDE, LABELER.inspect(file, "bomb." + format, List.of()).width(), "the bomb declares its size");
        DetectionReport[] r = new DetectionReport[1];
        long bytes = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Allocations.allocated(() -> r[0] = DETECTOR.detect(file, "bomb." + format, false)), "hang guard only");
        assertTrue(bytes < HEAP_BUDGET, format + ": detect allocated " + (bytes >> 20) + " MiB for a "
                + (file.length >> 10) + " KiB file");
        assertTrue(r[0].pixelsUnchecked().isPresent(), "the pixels are reported unchecked");
        assertTrue(r[0].problems().stream().anyMatch(p -> p.contains("bytes per pixel") || p.contains("per byte")),
                r[0].problems().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "webp"})
    void labelWithPixelWorkRefusesADeclaredHugeImage(String format) throws Exception {
        byte[] file = bomb(format);
        long[] bytes = new long[1];
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> bytes[0] = Allocations.allocated(() -> LABELER.label(file,
                LabelRequest.produced("001191310000000000000000000", "bomb").withVisible(VisibleLabelOptions.defaults()))));
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, e.reason(), e.getMessage());
    }

    /** Under the 16 Mpx any-file size, so only the format's coding ceiling tells that the bytes cannot carry it. */
    static final int SMALL_SIDE = 4000;

    /** A {@link #SMALL_SIDE} square whose bytes cannot hold its pixels, in a format with a coding ceiling. */
    static byte[] undersized(String format) throws Exception {
        return switch (format) {
            case "gif" -> gif(SMALL_SIDE);
            case "jpeg" -> { // a real 16x16 JPEG (about 600 bytes) whose SOF0 says 4000x4000
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_INT_RGB);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                javax.imageio.ImageIO.write(img, "jpeg", out);
                yield declaring(out.toByteArray(), SMALL_SIDE);
            }
            case "png" -> zeroRowsPng(SMALL_SIDE, 1024); // 4000x4000 RGB of zero rows, zlib data cut to 1 KB
            default -> throw new IllegalArgumentException(format);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif"})
    void detectDoesNotDecodeAnImageItsBytesCannotCarryAtAnySize(String format) throws Exception {
        byte[] file = undersized(format);
        assertEquals(SMALL_SIDE, LABELER.inspect(file, "small-bomb." + format, List.of()).width(), "it declares its size");
        DetectionReport[] r = new DetectionReport[1];
        long bytes = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Allocations.allocated(() -> r[0] = DETECTOR.detect(file, "small-bomb." + format, false)), "hang guard only");
        // A 4000x4000 raster alone is 48 MiB (3 bytes a pixel): decoding it at all would pass this budget.
        assertTrue(bytes < (32L << 20), format + ": detect allocated " + (bytes >> 20) + " MiB for a " + file.length + "-byte file");
        assertTrue(r[0].pixelsUnchecked().isPresent(), "the pixels are reported unchecked");
        assertTrue(r[0].problems().stream().anyMatch(p -> p.contains("more than its coding can carry")), r[0].problems().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif"})
    void labelWithPixelWorkRefusesAnImageItsBytesCannotCarryAsCorrupt(String format) throws Exception {
        byte[] file = undersized(format);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(file,
                LabelRequest.produced("001191310000000000000000000", "bomb").withVisible(VisibleLabelOptions.defaults())));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("pixels per byte at best"), e.getMessage());
    }
    /**
     * The labelled GIF fixture (160x100, one frame covering its screen, 11 KB) with its logical screen's height
     * patched from 100 to 65380 (fuzzing, session 7): 10.5 Mpx of empty screen around the same 16 Kpx frame. The
     * screen outside the frame is transparent (nothing is coded there), so detection analyses the frame; before,
     * the whole screen was composed and searched (210 MiB allocated, 0.4-1.3 s of CPU).
     */
    @org.junit.jupiter.api.Test
    void detectOnAGifWithAHugeEmptyScreenCostsWhatItsFrameCosts() {
        byte[] original = Fixtures.bytes("labeled/xmp-element.gif");
        byte[] hostile = original.clone();
        hostile[9] = (byte) 0xFF; // the screen's height, high byte: 160x65380
        DetectionReport[] r = new DetectionReport[2];
        long plain = Allocations.allocated(() -> r[0] = DETECTOR.detect(original, "plain.gif", false));
        long bytes = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Allocations.allocated(() -> r[1] = DETECTOR.detect(hostile, "screen.gif", false)), "hang guard only");
        assertEquals(65380, r[1].metadata().height(), "the screen is as declared");
        // A 160x65380 ARGB screen alone is 40 MiB: composing it at all fails this bound.
        assertTrue(bytes < plain + (16L << 20), "detect allocated " + (bytes >> 20) + " MiB against "
                + (plain >> 20) + " MiB for the same GIF with its true screen");
        assertTrue(r[1].pixelsUnchecked().isEmpty(), "the frame's pixels are checked: " + r[1].problems());
        assertEquals(r[0].verdict(), r[1].verdict());
    }

    /**
     * Labelling the same GIF with a visible label: before, the 160x65380 screen was composed (40 MiB of ARGB),
     * labelled in its bottom corner and quantised whole, the new frame covering the screen. Now the label is drawn on
     * the first frame, the picture a viewer sees, and the labelled frame takes that frame's place: the cost is the
     * frame's (allocated bytes as data, not time), and the output is what labelling the GIF with its true screen
     * writes, but for the screen it declares.
     */
    @org.junit.jupiter.api.Test
    void labelOnAGifWithAHugeEmptyScreenCostsWhatItsFrameCosts() {
        byte[] original = Fixtures.bytes("labeled/xmp-element.gif");
        byte[] hostile = original.clone();
        hostile[9] = (byte) 0xFF; // the screen's height, high byte: 160x65380
        LabelRequest request = LabelRequest.produced("001191310000000000000000000", "screen")
                .withVisible(VisibleLabelOptions.defaults());
        org.aigcmark.LabelResult[] r = new org.aigcmark.LabelResult[2];
        long plain = Allocations.allocated(() -> r[0] = LABELER.label(original, "plain.gif", request));
        long bytes = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Allocations.allocated(() -> r[1] = LABELER.label(hostile, "screen.gif", request)), "hang guard only");
        // The 160x65380 ARGB screen alone is 40 MiB: composing it at all fails this bound.
        assertTrue(bytes < plain + (16L << 20), "label allocated " + (bytes >> 20) + " MiB against "
                + (plain >> 20) + " MiB for the same GIF with its true screen");
        byte[] expected = r[0].bytes().clone();
        expected[9] = (byte) 0xFF;
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, r[1].bytes(),
                "the same labelled frame, at the same place, in the screen the file declares");
        assertEquals(65380, LABELER.inspect(r[1].bytes(), "out.gif", List.of()).height());
        assertEquals(1, LABELER.inspect(r[1].bytes(), "out.gif", List.of()).labels().size());
    }
}
