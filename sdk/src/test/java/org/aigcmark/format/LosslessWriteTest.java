package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Metadata labels on real files: one record reads back, and the image content is byte-identical. */
class LosslessWriteTest {
    static final Labeler LABELER = Labeler.create();
    static final AigcLabel LABEL = AigcLabel.produced("001191110102MACQD9K64010000", "lossless-1");

    static Stream<Path> images() {
        List<Path> l = new ArrayList<>();
        l.addAll(Fixtures.list("jpeg"));
        l.addAll(Fixtures.list("png"));
        l.addAll(Fixtures.list("webp"));
        return l.stream();
    }

    static Stream<Path> jpegs() {
        return Fixtures.list("jpeg").stream();
    }

    static Stream<Path> pngs() {
        return Fixtures.list("png").stream();
    }

    @ParameterizedTest
    @MethodSource("images")
    void exactlyOneRecordReadsBack(Path file) {
        LabelResult r = LABELER.label(LABELER.readInput(file), new LabelRequest(LABEL, null, null, null));
        assertFalse(r.pixelsChanged());
        InspectReport rep = LABELER.inspect(r.bytes(), file.toString(), List.of());
        assertEquals(1, rep.labels().size(), rep.toString());
        assertEquals(LABEL, rep.labels().get(0).label());
        assertEquals("xmp", rep.labels().get(0).source());
        assertEquals(List.of(), rep.labels().get(0).problems());
        assertFalse(rep.damaged());
        assertTrue(rep.hints().stream().anyMatch(h -> h.kind().id().equals("iptc-digital-source-type")
                && h.value().endsWith("/trainedAlgorithmicMedia")));
        // Relabelling replaces, never appends.
        AigcLabel second = AigcLabel.produced("001191110102MACQD9K64010000", "lossless-2");
        byte[] again = LABELER.label(r.bytes(), new LabelRequest(second, null, null, null)).bytes();
        InspectReport rep2 = LABELER.inspect(again, file.toString(), List.of());
        assertEquals(1, rep2.labels().size());
        assertEquals(second, rep2.labels().get(0).label());
    }

    @ParameterizedTest
    @MethodSource("jpegs")
    void jpegScanAndOtherSegmentsAreByteIdentical(Path file) {
        byte[] in = LABELER.readInput(file);
        byte[] out = LABELER.label(in, new LabelRequest(LABEL, null, null, null)).bytes();
        assertArrayEquals(TestSupport.jpegScan(in), TestSupport.jpegScan(out));
        List<byte[]> before = TestSupport.jpegSegments(in).stream().filter(s -> !isXmp(s)).toList();
        List<byte[]> after = TestSupport.jpegSegments(out).stream().filter(s -> !isXmp(s)).toList();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "segment " + i + " changed");
        }
    }

    @ParameterizedTest
    @MethodSource("pngs")
    void pngPixelsAndOtherChunksAreIdentical(Path file) throws Exception {
        byte[] in = LABELER.readInput(file);
        byte[] out = LABELER.label(in, new LabelRequest(LABEL, null, null, null)).bytes();
        BufferedImage a = ImageIO.read(new ByteArrayInputStream(in));
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(out));
        assertEquals(a.getWidth(), b.getWidth());
        assertArrayEquals(a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()),
                b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()));
        // Every original chunk (type+data+CRC) is still there, in order.
        List<String> before = chunks(in);
        List<String> after = chunks(out);
        after.removeIf(c -> c.startsWith("iTXt:XML:com.adobe.xmp"));
        assertEquals(before, after);
    }

    static boolean isXmp(byte[] seg) {
        return (seg[1] & 0xFF) == 0xE1 && new String(seg, 4, Math.min(28, seg.length - 4), java.nio.charset.StandardCharsets.ISO_8859_1)
                .startsWith("http://ns.adobe.com/xap/1.0/");
    }

    static List<String> chunks(byte[] b) {
        List<String> l = new ArrayList<>();
        int p = 8;
        while (p + 12 <= b.length) {
            int len = (int) (((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF));
            String type = new String(b, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            String head = type.equals("iTXt") ? new String(b, p + 8, Math.min(17, len), java.nio.charset.StandardCharsets.ISO_8859_1) : "";
            l.add(type + ":" + head + ":" + java.util.HexFormat.of().formatHex(java.util.Arrays.copyOfRange(b, p + 8, p + 12 + len)).hashCode());
            p += 12 + len;
        }
        return l;
    }
}
