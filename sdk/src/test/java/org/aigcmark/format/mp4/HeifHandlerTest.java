package org.aigcmark.format.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.TestSupport;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.aigcmark.key.WatermarkKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HEIF/HEIC and AVIF: records read from XMP and Exif items written by libheif (heif-enc) and ImageMagick, labels
 * written losslessly (every coded item byte-identical, offsets moved) and checked by exiftool and libheif, the
 * content and presentation digests, pixel work refused, and hostile item tables refused with a typed error.
 */
class HeifHandlerTest {
    static final String PRODUCER = "001191110102MACQD9K64010000";
    static final Labeler LABELER = Labeler.create();
    static final HeifHandler HEIF = new HeifHandler();

    static byte[] label(byte[] in, String produceId) {
        return LABELER.label(in, "in.heic", LabelRequest.produced(PRODUCER, produceId)).bytes();
    }

    /** Every coded (non-metadata) item's type and data, by item ID, read through the item table. */
    static Map<Long, String> codedItems(byte[] b) {
        Boxes boxes = Boxes.parse(b);
        HeifMeta m = HeifMeta.read(b, boxes, boxes.firstTop("meta"));
        assertEquals(List.of(), m.damage);
        Map<Long, String> out = new LinkedHashMap<>();
        for (HeifMeta.Item item : m.items.values()) {
            if (!item.isMetadata()) {
                out.put(item.id(), item.type() + ":" + HexFormat.of().formatHex(m.data(item.id(), Integer.MAX_VALUE)));
            }
        }
        assertFalse(out.isEmpty());
        return out;
    }

    static byte[] xmpPacket(byte[] b) {
        Boxes boxes = Boxes.parse(b);
        HeifMeta m = HeifMeta.read(b, boxes, boxes.firstTop("meta"));
        List<HeifMeta.Item> xmp = m.items.values().stream().filter(HeifMeta.Item::isXmp).toList();
        assertEquals(1, xmp.size());
        return m.data(xmp.get(0).id(), Integer.MAX_VALUE);
    }

    static String digest(byte[] b, boolean presentation) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        if (presentation) {
            HEIF.digestPresentation(b, md, Limits.DEFAULT);
        } else {
            HEIF.digestContent(b, md, Limits.DEFAULT);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String exiftoolAigc(Path f) {
        return TestSupport.run("exiftool", "-config", Fixtures.root().resolve("tools/tc260.exiftool.config").toString(),
                "-a", "-s", "-s", "-XMP-TC260:AIGC", f.toString());
    }

    @ParameterizedTest
    @CsvSource({
        "heif/xmp-element.heic, HEIF, xmp, HEIC",
        "heif/xmp-element.avif, AVIF, xmp, AVIF",
        "heif/exif-usercomment-wrapped.heic, HEIF, exif-usercomment, HEIC",
    })
    void readsTheRecordsOtherToolsWrote(String fixture, MediaType type, String source, String exiftoolType) {
        byte[] in = Fixtures.bytes(fixture);
        assertEquals(exiftoolType, TestSupport.run("exiftool", "-s3", "-FileType", Fixtures.path(fixture).toString()).strip());
        InspectReport r = LABELER.inspect(in, fixture, List.of());
        assertEquals(type, r.format());
        assertEquals(512, r.width());
        assertEquals(320, r.height());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals(source, r.labels().get(0).source());
        assertEquals("doubao-20250901-0001", r.labels().get(0).label().produceId());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"heif/plain.heic", "heif/plain.avif", "heif/xmp-element.heic", "heif/xmp-element.avif",
        "heif/exif-usercomment-wrapped.heic", "unsupported/still.heic", "unsupported/still.avif"})
    void labelIsLosslessAndReadByExiftoolAndLibheif(String fixture) throws Exception {
        byte[] in = Fixtures.bytes(fixture);
        byte[] out = label(in, "heif-1");
        InspectReport r = LABELER.inspect(out, "out", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("heif-1", r.labels().get(0).label().produceId());
        assertEquals("xmp", r.labels().get(0).source());
        assertEquals(codedItems(in), codedItems(out));
        assertEquals(digest(in, false), digest(out, false));
        assertEquals(digest(in, true), digest(out, true));

        Path inFile = TestSupport.temp("in." + (MediaType.sniff(in) == MediaType.AVIF ? "avif" : "heic"), in);
        Path outFile = TestSupport.temp("out." + (MediaType.sniff(in) == MediaType.AVIF ? "avif" : "heic"), out);
        String exif = exiftoolAigc(outFile);
        assertEquals(1, exif.lines().count(), exif);
        assertTrue(exif.contains("\"ProduceID\":\"heif-1\""), exif);
        assertFalse(TestSupport.run("exiftool", "-s3", "-UserComment", outFile.toString()).contains("ProduceID"));
        String infoIn = TestSupport.run("heif-info", inFile.toString());
        String infoOut = TestSupport.run("heif-info", outFile.toString());
        String dims = infoIn.lines().filter(l -> l.startsWith("image:")).findFirst().orElseThrow();
        assertTrue(infoOut.contains(dims), infoOut);
        assertTrue(infoOut.contains("XMP:"), infoOut);
        // libheif decodes the output to the same pixels
        Path pngIn = inFile.resolveSibling(inFile.getFileName() + ".png");
        Path pngOut = outFile.resolveSibling(outFile.getFileName() + ".png");
        String conv = TestSupport.run("heif-convert", outFile.toString(), pngOut.toString());
        TestSupport.run("heif-convert", inFile.toString(), pngIn.toString());
        var a = javax.imageio.ImageIO.read(pngIn.toFile());
        var b = javax.imageio.ImageIO.read(pngOut.toFile());
        assertTrue(b != null, conv);
        assertEquals(a.getWidth(), b.getWidth());
        assertArrayEquals(a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()),
                b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()));
    }

    @Test
    void relabellingReplacesTheXmpPayloadWithoutGrowing() {
        byte[] once = label(Fixtures.bytes("heif/xmp-element.heic"), "first");
        byte[] twice = label(once, "second-label");
        InspectReport r = LABELER.inspect(twice, "x", List.of());
        assertEquals(1, r.labels().size());
        assertEquals("second-label", r.labels().get(0).label().produceId());
        // the old packet's bytes were removed, not left behind: the file grew by what the packet grew
        assertEquals(once.length + xmpPacket(twice).length - xmpPacket(once).length, twice.length);
        assertEquals(-1, TestSupport.indexOf(twice, "\"first\"".getBytes(StandardCharsets.UTF_8)));
        assertEquals(codedItems(once), codedItems(twice));
    }

    @Test
    void anImageSequenceKeepsItsTrackSamples() throws Exception {
        // ffmpeg's AVIF sequence: meta (the still), then moov and mdat; the grown meta moves the track's chunks
        byte[] in = Fixtures.bytes("heif/ffmpeg-sequence.avif");
        byte[] out = label(in, "sequence-1");
        assertTrue(out.length > in.length);
        InspectReport r = LABELER.inspect(out, "seq", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertFalse(r.damaged(), r.problems().toString());
        assertEquals(codedItems(in), codedItems(out));
        assertEquals(digest(in, false), digest(out, false));
        Path inFile = TestSupport.temp("seq-in.avif", in);
        Path outFile = TestSupport.temp("seq-out.avif", out);
        String frames = TestSupport.run("ffmpeg", "-v", "error", "-i", inFile.toString(), "-map", "0:v", "-c", "copy", "-f", "framemd5", "-");
        assertEquals(3, frames.lines().filter(l -> !l.startsWith("#")).count(), frames);
        assertEquals(frames, TestSupport.run("ffmpeg", "-v", "error", "-i", outFile.toString(), "-map", "0:v", "-c", "copy", "-f", "framemd5", "-"));
        assertTrue(exiftoolAigc(outFile).contains("sequence-1"));
        assertTrue(TestSupport.run("heif-info", outFile.toString()).contains("image: 64x48"));
    }

    @Test
    void aLastBoxRunningToTheEndDoesNotSwallowTheNewPayload() {
        // found by the Jazzer target 'heif': a top-level box of size 0 ("to the end of the file") at the end
        byte[] in = cat(Fixtures.bytes("heif/plain.avif"), u(0, 4), "free".getBytes(StandardCharsets.US_ASCII), new byte[20]);
        byte[] out = label(in, "size-0");
        InspectReport r = LABELER.inspect(out, "x", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertFalse(r.damaged());
        assertEquals(codedItems(in), codedItems(out));
        assertTrue(exiftoolAigc(TestSupport.temp("size0.avif", out)).contains("size-0"));
    }

    @Test
    void signaturesCoverTheCodedDataAndThePresentation() {
        LabelKeys.SigningKey key = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        List<java.security.PublicKey> trusted = List.of(LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub")));
        byte[] signed = LABELER.label(Fixtures.bytes("heif/plain.heic"), "p.heic",
                LabelRequest.produced(PRODUCER, "signed-1").withSigningKey(key)).bytes();
        assertEquals(LabelSignatures.Status.VALID, LABELER.inspect(signed, "s", trusted).labels().get(0).signature());

        Boxes boxes = Boxes.parse(signed);
        HeifMeta m = HeifMeta.read(signed, boxes, boxes.firstTop("meta"));
        byte[] coded = signed.clone();
        int at = m.ranges(m.primary).get(0).start() + 100;
        coded[at] ^= 1;
        assertEquals(LabelSignatures.Status.INVALID, LABELER.inspect(coded, "c", trusted).labels().get(0).signature());

        byte[] shown = signed.clone();
        Boxes.Box ispe = m.propertiesOf(m.primary).stream().filter(p -> p.type().equals("ispe")).findFirst().orElseThrow();
        shown[ispe.payloadStart() + 7] ^= 2; // the width
        assertEquals(LabelSignatures.Status.INVALID, LABELER.inspect(shown, "s", trusted).labels().get(0).signature());
    }

    @Test
    void pixelWorkIsRefusedWithTheReasonAndMetadataDetectionStillRuns() {
        byte[] in = Fixtures.bytes("heif/plain.avif");
        for (LabelRequest req : List.of(LabelRequest.produced(PRODUCER, "v").withVisible(VisibleLabelOptions.defaults()),
                LabelRequest.produced(PRODUCER, "w").withWatermark(WatermarkKey.fromPassphrase("heif")))) {
            var e = assertThrows(AigcmarkException.class, () -> LABELER.label(in, "in.avif", req));
            assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.reason());
            assertTrue(e.getMessage().contains("AVIF image") && e.getMessage().contains("convert it to PNG or JPEG"),
                    e.getMessage());
        }
        DetectionReport d = Detector.create(LABELER, List.of(), List.of(), List.of())
                .detect(Fixtures.bytes("heif/xmp-element.heic"), "x.heic", false);
        assertEquals("1", d.verdict().label().orElseThrow().code());
        assertTrue(d.pixelsUnchecked().isPresent());
        assertTrue(d.problems().stream().anyMatch(p -> p.contains("no decoder for heif")), d.problems().toString());
    }

    // ---------------------------------------------------------------- hand-built files

    /** A box with a 32-bit size. */
    static byte[] box(String type, byte[]... parts) {
        return Boxes.box(type, parts);
    }

    static byte[] bytes(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    static byte[] u(long v, int width) {
        byte[] out = new byte[width];
        for (int i = 0; i < width; i++) {
            out[i] = (byte) (v >>> (8 * (width - 1 - i)));
        }
        return out;
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] infe(int id, String type, String contentType) {
        return box("infe", bytes(2, 0, 0, 0), u(id, 2), u(0, 2), type.getBytes(StandardCharsets.ISO_8859_1), bytes(0),
                contentType == null ? new byte[0] : cat(contentType.getBytes(StandardCharsets.US_ASCII), bytes(0)));
    }

    static final byte[] CODED = new byte[300];
    static final byte[] GRID = "grid-descriptor-bytes".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int i = 0; i < CODED.length; i++) {
            CODED[i] = (byte) (i * 31 + 7);
        }
    }

    /**
     * ftyp, then (when {@code mdatFirst}) mdat, then meta: item 1 (hvc1) at file offsets through a base offset,
     * 8-byte offsets, two extents; item 2 an XMP packet in idat (construction method 1) followed by item 3 (grid
     * data) in idat; then mdat when not first. The iloc is version 1.
     */
    static byte[] handBuilt(String xmp, boolean mdatFirst) {
        byte[] xmpBytes = xmp.getBytes(StandardCharsets.UTF_8);
        byte[] ftyp = box("ftyp", "mif1".getBytes(StandardCharsets.US_ASCII), u(0, 4), "mif1heic".getBytes(StandardCharsets.US_ASCII));
        byte[] mdat = box("mdat", CODED);
        int metaSize = meta(xmpBytes, 0).length;
        long mdatPayload = mdatFirst ? ftyp.length + 8 : ftyp.length + metaSize + 8;
        byte[] meta = meta(xmpBytes, mdatPayload);
        return mdatFirst ? cat(ftyp, mdat, meta) : cat(ftyp, meta, mdat);
    }

    static byte[] meta(byte[] xmp, long mdatPayload) {
        byte[] hdlr = box("hdlr", u(0, 4), u(0, 4), "pict".getBytes(StandardCharsets.US_ASCII), u(0, 12), bytes(0));
        byte[] pitm = box("pitm", u(0, 4), u(1, 2));
        long base = mdatPayload + 10;
        byte[] iloc = box("iloc", bytes(1, 0, 0, 0), bytes(0x84, 0x80), u(3, 2),
                // item 1: method 0, base offset, two extents: CODED[10..110) and CODED[110..300)
                u(1, 2), u(0, 2), u(0, 2), u(base, 8), u(2, 2), u(0, 8), u(100, 4), u(100, 8), u(190, 4),
                // item 2: the XMP packet at idat[0..)
                u(2, 2), u(1, 2), u(0, 2), u(0, 8), u(1, 2), u(0, 8), u(xmp.length, 4),
                // item 3: grid data after it in idat
                u(3, 2), u(1, 2), u(0, 2), u(0, 8), u(1, 2), u(xmp.length, 8), u(GRID.length, 4));
        byte[] iinf = box("iinf", u(0, 4), u(3, 2), infe(1, "hvc1", null), infe(2, "mime", "application/rdf+xml"),
                infe(3, "grid", null));
        byte[] iref = box("iref", u(0, 4), box("cdsc", u(2, 2), u(1, 2), u(1, 2)), box("dimg", u(3, 2), u(1, 2), u(1, 2)));
        byte[] idat = box("idat", xmp, GRID);
        return box("meta", u(0, 4), hdlr, pitm, iloc, iinf, iref, idat);
    }

    static String packetWith(String produceId) {
        return Xmp.withLabel(null, "{\"Label\":\"1\",\"ContentProducer\":\"" + PRODUCER + "\",\"ProduceID\":\"" + produceId
                + "\",\"ReservedCode1\":\"\",\"ContentPropagator\":\"\",\"PropagateID\":\"\",\"ReservedCode2\":\"\"}");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void xmpInIdatIsReplacedAndEveryOffsetMoved(boolean mdatFirst) {
        byte[] in = handBuilt(packetWith("in-idat"), mdatFirst);
        assertEquals(MediaType.HEIF, MediaType.sniff(in));
        InspectReport before = LABELER.inspect(in, "h", List.of());
        assertEquals(1, before.labels().size(), before.toString());
        assertEquals("in-idat", before.labels().get(0).label().produceId());
        Map<Long, String> coded = codedItems(in);
        assertTrue(coded.get(1L).endsWith(HexFormat.of().formatHex(CODED, 10, 300)), coded.toString());
        assertEquals("grid:" + HexFormat.of().formatHex(GRID), coded.get(3L));

        byte[] out = label(in, "replaced");
        InspectReport after = LABELER.inspect(out, "h", List.of());
        assertEquals(1, after.labels().size(), after.toString());
        assertEquals("replaced", after.labels().get(0).label().produceId());
        assertEquals(coded, codedItems(out));
        assertEquals(-1, TestSupport.indexOf(out, "in-idat".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void hostileItemTablesAreRefusedWithATypedError() {
        byte[] good = handBuilt(packetWith("x"), false);
        int iloc = TestSupport.indexOf(good, "iloc".getBytes(StandardCharsets.US_ASCII)) - 4;
        int body = iloc + 12; // after the size, type, version and flags
        Map<String, byte[]> cases = new LinkedHashMap<>();
        // the extent count of item 1 says 60000 extents
        byte[] manyExtents = good.clone();
        System.arraycopy(u(60_000, 2), 0, manyExtents, body + 2 + 2 + 2 + 2 + 2 + 8, 2);
        cases.put("more than the remaining", manyExtents);
        // an item count of 65535
        byte[] manyItems = good.clone();
        System.arraycopy(u(0xFFFF, 2), 0, manyItems, body + 2, 2);
        cases.put("declares 65535 items", manyItems);
        // item 1's base offset points past the end of the file
        byte[] outside = good.clone();
        System.arraycopy(u(1L << 40, 8), 0, outside, body + 2 + 2 + 2 + 2 + 2, 8);
        cases.put("lies outside the file", outside);
        // the file cut inside mdat: iloc points past the end
        cases.put("truncated", java.util.Arrays.copyOf(good, good.length - 50));
        // the iloc box cut short (its size field says less than its entries need)
        int ilocSize = (int) Boxes.u32(good, iloc);
        byte[] cutIloc = cat(java.util.Arrays.copyOfRange(good, 0, iloc), u(ilocSize - 20, 4),
                java.util.Arrays.copyOfRange(good, iloc + 4, iloc + ilocSize - 20), java.util.Arrays.copyOfRange(good, iloc + ilocSize, good.length));
        int metaAt = TestSupport.indexOf(cutIloc, "meta".getBytes(StandardCharsets.US_ASCII)) - 4;
        System.arraycopy(u(Boxes.u32(cutIloc, metaAt) - 20, 4), 0, cutIloc, metaAt, 4);
        cases.put("'iloc' box at byte", cutIloc);
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            var e = assertThrows(AigcmarkException.class, () -> label(c.getValue(), "no"), c.getKey());
            assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(c.getKey()), c.getKey() + " / " + e.getMessage());
            InspectReport r = LABELER.inspect(c.getValue(), "h", List.of());
            assertTrue(r.damaged(), c.getKey());
        }
    }

    @Test
    void iinfWithAHugeCountIsDamage() {
        byte[] good = handBuilt(packetWith("x"), false);
        int iinf = TestSupport.indexOf(good, "iinf".getBytes(StandardCharsets.US_ASCII)) - 4;
        byte[] v1 = good.clone();
        // version 1 reads a 32-bit count: with the first infe's size as its low bytes, far over the limit
        v1[iinf + 8] = 1;
        var e = assertThrows(AigcmarkException.class, () -> label(v1, "no"));
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("items, over the limit"), e.getMessage());
    }
}
