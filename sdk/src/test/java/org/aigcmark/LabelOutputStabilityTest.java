package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.Test;

/**
 * The speed work on {@code label(bytes)} (issue 19: pixels read from the raster's arrays, cached label fonts and
 * stamps, one output buffer for the JPEG record) must not change one output byte: every JPEG, PNG and WebP fixture,
 * labelled metadata-only (signed and not), with a visible label, and with visible label + watermark + signature,
 * gives exactly the bytes the code before it gave (their SHA-256 in {@code label-output-sha256.txt}, made at commit
 * 77ec8a5 with these requests). Two derived PNGs (RGB and RGBA, 640x400 from a photo) reach the interleaved-byte
 * paths of PNG decoding. And labelling from 4 threads at once gives the serial bytes. The full mode's lines are
 * re-recorded only for deliberate embedding changes, each named in the file's header (the last: issue 17, the flat
 * floor's target counted per pixel and after resampling, 7 lines).
 */
class LabelOutputStabilityTest {
    private static final Labeler LABELER = Labeler.create();
    private static final LabelKeys.SigningKey SIGN = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
    private static final WatermarkKey MARK = WatermarkKey.read(Fixtures.path("keys/test-watermark.key"));

    private record Case(String input, String mode, String expected) {}

    private static List<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = LabelOutputStabilityTest.class.getResourceAsStream("label-output-sha256.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                cases.add(new Case(f[0], f[1], f[2]));
            }
        }
        return cases;
    }

    private static Map<String, LabelRequest> modes() {
        LabelRequest base = LabelRequest.produced("stability-producer", "stability-0001");
        Map<String, LabelRequest> m = new LinkedHashMap<>();
        m.put("meta", base);
        m.put("meta-sign", base.withSigningKey(SIGN));
        m.put("visible", base.withVisible(VisibleLabelOptions.defaults()));
        m.put("full", base.withVisible(VisibleLabelOptions.defaults()).withWatermark(MARK).withSigningKey(SIGN));
        return m;
    }

    private static final Map<String, byte[]> INPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static byte[] input(String name) {
        return INPUTS.computeIfAbsent(name, n -> {
            try {
                return n.startsWith("derived/") ? derived(n) : Fixtures.bytes(n);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A 640x400 PNG from a photo's corner, RGB or RGBA (alpha 128..255 across), written by ImageIO. */
    static byte[] derived(String name) throws Exception {
        BufferedImage src = ImageIO.read(Fixtures.path("photos/02-sky-kite.jpg").toFile());
        int w = 640;
        int h = 400;
        boolean alpha = name.contains("rgba");
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = alpha ? 128 + (x * 127 / w) : 255;
                img.setRGB(x, y, a << 24 | (src.getRGB(x, y) & 0xFFFFFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static String outcome(Case c) {
        try {
            byte[] out = LABELER.label(input(c.input()), c.input(), modes().get(c.mode())).bytes();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out));
        } catch (AigcmarkException e) {
            return "error:" + e.reason();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyOutputIsByteIdenticalToTheCodeBeforeTheSpeedWork() throws Exception {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 150, "the recorded outputs: " + cases.size());
        assertTrue(cases.stream().filter(c -> c.mode().equals("full") && !c.expected().startsWith("error")).count() >= 20);
        List<String> differ = new ArrayList<>();
        for (Case c : cases) {
            String got = outcome(c);
            if (!got.equals(c.expected())) {
                differ.add(c.input() + " " + c.mode() + ": " + got + " (was " + c.expected() + ")");
            }
        }
        assertEquals(List.of(), differ);
    }

    @Test
    void fourThreadsLabellingAtOnceGiveTheSerialBytes() throws Exception {
        List<Case> cases = cases().stream().filter(c -> !c.expected().startsWith("error")
                && (c.input().startsWith("derived/") || c.input().startsWith("jpeg/") || c.input().startsWith("webp/"))).toList();
        Map<Case, String> serial = new LinkedHashMap<>();
        for (Case c : cases) {
            serial.put(c, outcome(c));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int round = 0; round < 1; round++) {
                for (Case c : cases) {
                    futures.add(pool.submit(() -> outcome(c)));
                }
            }
            String[] got = new String[futures.size()];
            for (int i = 0; i < got.length; i++) {
                got[i] = futures.get(i).get();
            }
            String[] want = new String[got.length];
            for (int i = 0; i < want.length; i++) {
                want[i] = serial.get(cases.get(i % cases.size()));
            }
            assertArrayEquals(want, got);
        } finally {
            pool.shutdownNow();
        }
    }
}
