package org.aigcmark.format.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.TestSupport;
import org.aigcmark.format.MediaType;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelFinder;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TIFF writing: the record in tag 700 of an appended IFD0, strips and tiles untouched; the visible label via the JDK. */
class TiffWriteTest {
    static final Labeler LABELER = Labeler.create();
    static final String PRODUCER = "001191110102MACQD9K64010000";

    /** The bytes of every strip and tile of every IFD, in order. */
    static byte[] imageData(byte[] tiff) {
        TiffStructure t = TiffStructure.parse(tiff);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TiffStructure.Ifd ifd : t.ifds) {
            for (int[] pair : new int[][] {{273, 279}, {324, 325}}) {
                TiffStructure.Entry offsets = ifd.get(pair[0]);
                TiffStructure.Entry counts = ifd.get(pair[1]);
                for (int i = 0; offsets != null && i < offsets.count(); i++) {
                    out.write(tiff, (int) t.value(offsets, i), (int) t.value(counts, i));
                }
            }
        }
        return out.toByteArray();
    }

    static String exiftool(byte[] tiff, String... tags) {
        String[] cmd = new String[6 + tags.length];
        cmd[0] = "exiftool";
        cmd[1] = "-config";
        cmd[2] = Fixtures.root().resolve("tools/tc260.exiftool.config").toString();
        cmd[3] = "-a";
        cmd[4] = "-s3";
        System.arraycopy(tags, 0, cmd, 5, tags.length);
        cmd[cmd.length - 1] = TestSupport.temp("out.tif", tiff).toString();
        return TestSupport.run(cmd).strip();
    }

    static String identify(byte[] tiff) {
        // size, and ImageMagick's hash of the decoded pixels: equal hashes mean equal images
        return TestSupport.run("identify", "-format", "%W %H %#\n", TestSupport.temp("id.tif", tiff).toString()).strip();
    }

    @ParameterizedTest
    @ValueSource(strings = {"labeled/xmp-element.tif", "containers/big-endian.tif", "containers/tiled.tif", "containers/bigtiff-xmp.tif"})
    void theRecordGoesIntoTag700AndTheImageDataStaysByteIdentical(String fixture) throws Exception {
        byte[] in = Fixtures.bytes(fixture);
        assertEquals(MediaType.TIFF, MediaType.sniff(in));
        AigcLabel label = AigcLabel.produced(PRODUCER, "tif-1");
        byte[] out = LABELER.label(in, fixture, new LabelRequest(label, null, null, null)).bytes();
        assertArrayEquals(Arrays.copyOf(in, 4), Arrays.copyOf(out, 4), "byte order and magic kept");
        assertArrayEquals(imageData(in), imageData(out));
        InspectReport r = LABELER.inspect(out, "out.tif", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals(label, r.labels().get(0).label());
        assertEquals(label.toBareJson(), exiftool(out, "-XMP-TC260:AIGC"));
        assertEquals(identify(in), identify(out));
        assertEquals("", exiftool(out, "-Warning"), "exiftool finds nothing wrong");
        for (boolean presentation : new boolean[] {false, true}) {
            MessageDigest a = MessageDigest.getInstance("SHA-256");
            MessageDigest b = MessageDigest.getInstance("SHA-256");
            TiffHandler h = new TiffHandler();
            if (presentation) {
                h.digestPresentation(in, a, Limits.DEFAULT);
                h.digestPresentation(out, b, Limits.DEFAULT);
            } else {
                h.digestContent(in, a, Limits.DEFAULT);
                h.digestContent(out, b, Limits.DEFAULT);
            }
            assertArrayEquals(a.digest(), b.digest());
        }
    }

    @Test
    void relabellingLeavesOneRecordAndNoStaleCopyOfTheOld() {
        byte[] in = Fixtures.bytes("labeled/xmp-element.tif");
        assertTrue(new String(in, StandardCharsets.ISO_8859_1).contains("doubao-20250901-0001"));
        byte[] out = LABELER.label(in, "x.tif", LabelRequest.produced(PRODUCER, "tif-2")).bytes();
        byte[] again = LABELER.label(out, "x.tif", LabelRequest.produced(PRODUCER, "tif-3")).bytes();
        String text = new String(again, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("doubao-20250901-0001"));
        assertFalse(text.contains("tif-2"));
        assertEquals(1, LABELER.inspect(again, "x.tif", List.of()).labels().size());
        assertEquals("tif-3", LABELER.inspect(again, "x.tif", List.of()).labels().get(0).label().produceId());
        assertArrayEquals(imageData(in), imageData(again));
    }

    @ParameterizedTest
    @ValueSource(strings = {"labeled/xmp-element.tif", "containers/big-endian.tif"})
    void theVisibleLabelKeepsByteOrderCompressionAndSize(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        var result = LABELER.label(in, fixture, LabelRequest.produced(PRODUCER, "v").withVisible(VisibleLabelOptions.defaults()));
        byte[] out = result.bytes();
        assertTrue(result.pixelsChanged());
        assertArrayEquals(Arrays.copyOf(in, 4), Arrays.copyOf(out, 4));
        assertEquals(exiftool(in, "-Compression", "-ImageSize"), exiftool(out, "-Compression", "-ImageSize"));
        assertEquals(1, LABELER.inspect(out, "v.tif", List.of()).labels().size());
        var img = new TiffPixels().decode(out, Limits.DEFAULT);
        assertTrue(VisibleLabelFinder.find(img, 1, VisibleLabelFinder.templatesFor(VisibleLabelOptions.defaults())).isPresent());
        assertEquals("v", exiftool(out, "-XMP-TC260:AIGC").replaceAll(".*\"ProduceID\":\"([^\"]*)\".*", "$1"));
    }

    @Test
    void aBigTiffTakesTheRecordButNotPixels() {
        byte[] in = Fixtures.bytes("containers/bigtiff-xmp.tif");
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(in, "b.tif",
                LabelRequest.produced(PRODUCER, "b").withVisible(VisibleLabelOptions.defaults())));
        assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("BigTIFF"), e.getMessage());
        assertEquals("doubao-20250901-0001", LABELER.inspect(in, "b.tif", List.of()).labels().get(0).label().produceId());
    }

    @Test
    void damagedIfdChainsAreRefusedWithATypedError() {
        byte[] in = Fixtures.bytes("containers/big-endian.tif");
        byte[] outside = in.clone();
        TiffStructure.put(outside, 4, in.length + 100L, 4, false); // IFD0 past the end
        byte[] loop = in.clone();
        TiffStructure t = TiffStructure.parse(in);
        TiffStructure.put(loop, t.ifds.get(0).nextField(), t.ifds.get(0).offset(), 4, false); // IFD0 -> IFD0
        for (byte[] bad : List.of(outside, loop, Arrays.copyOf(in, 6))) {
            AigcmarkException e = assertThrows(AigcmarkException.class,
                    () -> new TiffHandler().writeLabel(bad, AigcLabel.produced(PRODUCER, "d"), Limits.DEFAULT));
            assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason(), e.getMessage());
        }
        assertTrue(LABELER.inspect(outside, "o.tif", List.of()).damaged());
    }
}
