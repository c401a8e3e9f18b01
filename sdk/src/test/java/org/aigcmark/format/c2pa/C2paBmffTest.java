package org.aigcmark.format.c2pa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.InspectReport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * C2PA manifests in MP4/MOV: a top-level C2PA {@code uuid} box after {@code ftyp}, bound by
 * {@code c2pa.hash.bmff.v3}; the chunk offsets move with the media, which stays byte-identical; our validator and
 * c2pa-ts say valid, and both say invalid after a media byte or a record byte changes; ffmpeg decodes the same frames.
 */
class C2paBmffTest {
    private static final Labeler LABELER = Labeler.create();
    static final String MP4 = "video/sample-360p-2s5.mp4";

    private static byte[] labelled(String fixture) {
        return LABELER.label(Fixtures.bytes(fixture), C2paSignerTest.REQUEST).bytes();
    }

    private static C2paValidator.Result validate(byte[] file) {
        ContainerScan scan = LABELER.handlerFor(file, "out.mp4").scan(file, LABELER.limits());
        assertEquals(List.of("mp4-uuid"), scan.c2pa());
        assertEquals(1, scan.c2paStores().size(), "one C2PA store");
        return C2paSignerTest.TRUST_CA.validate(scan.c2paStores().get(0), file);
    }

    /** Top-level boxes as [type, start, end]. */
    private static List<Object[]> top(byte[] b) {
        List<Object[]> out = new ArrayList<>();
        for (BmffHash.Top t : BmffHash.topLevel(b)) {
            out.add(new Object[] {t.type(), t.start(), t.end()});
        }
        return out;
    }

    private static byte[] payloadOf(byte[] b, String type) {
        for (BmffHash.Top t : BmffHash.topLevel(b)) {
            if (t.type().equals(type)) {
                return java.util.Arrays.copyOfRange(b, (int) t.start() + t.header(), (int) t.end());
            }
        }
        throw new AssertionError("no " + type);
    }

    @Test
    void anMp4GetsAC2paUuidBoxAfterFtypThatValidatesWithTheTestCa() {
        byte[] in = Fixtures.bytes(MP4);
        byte[] out = labelled(MP4);
        C2paValidator.Result r = validate(out);
        assertEquals(C2paValidator.Status.VALID, r.status(), r.reason());
        assertTrue(r.codes().containsAll(List.of("claimSignature.validated", "assertion.bmffHash.match",
                "signingCredential.trusted")), r.codes().toString());
        List<Object[]> boxes = top(out);
        assertEquals("ftyp", boxes.get(0)[0]);
        assertEquals("uuid", boxes.get(1)[0]);
        int uuidAt = (int) (long) (Long) boxes.get(1)[1];
        // size, 'uuid', the C2PA extended type, version 0 + flags 0, "manifest\0", auxiliary offset 0, then JUMBF
        assertEquals("d8fec3d61b0e483c92975828877ec481", HexFormat.of().formatHex(out, uuidAt + 8, uuidAt + 24));
        assertEquals(0, ByteBuffer.wrap(out, uuidAt + 24, 4).getInt());
        assertEquals("manifest\0", new String(out, uuidAt + 28, 9, StandardCharsets.ISO_8859_1));
        assertEquals(0L, ByteBuffer.wrap(out, uuidAt + 37, 8).getLong());
        assertEquals("jumb", new String(out, uuidAt + 49, 4, StandardCharsets.ISO_8859_1));
        assertArrayEquals(payloadOf(in, "mdat"), payloadOf(out, "mdat"), "the media data is byte-identical");
        String store = new String(validateStore(out), StandardCharsets.ISO_8859_1);
        assertTrue(store.contains("c2pa.hash.bmff.v3") && store.contains(C2paManifestBuilder.GB45438_LABEL)
                && store.contains("c2pa-writer-test-0001"), "bmff v3 binding and the GB 45438 assertion");
        assertEquals(C2paValidator.Status.UNTRUSTED, C2paValidator.NO_ANCHORS.validate(validateStore(out), out).status());
    }

    private static byte[] validateStore(byte[] out) {
        return LABELER.handlerFor(out, "out.mp4").scan(out, LABELER.limits()).c2paStores().get(0);
    }

    @Test
    void aChangedMediaByteOrRecordByteMakesItInvalid() {
        byte[] out = labelled(MP4);
        long[] mdat = BmffHash.topLevel(out).stream().filter(t -> t.type().equals("mdat"))
                .map(t -> new long[] {t.start(), t.end()}).findFirst().orElseThrow();
        byte[] media = out.clone();
        media[(int) ((mdat[0] + mdat[1]) / 2)] ^= 0x01;
        C2paValidator.Result r = validate(media);
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.reason().startsWith("binding:") && r.codes().contains("assertion.bmffHash.mismatch"), r.codes().toString());

        String text = new String(out, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("c2pa-writer-test-0001", text.indexOf("moov")); // the record in moov/udta/meta
        assertTrue(at > text.indexOf("moov"), "the record is in moov, after the C2PA box");
        byte[] record = out.clone();
        record[at + "c2pa-writer-test-000".length()] = '2';
        assertEquals(C2paValidator.Status.INVALID, validate(record).status());

        byte[] ftypBrand = out.clone();
        ftypBrand[8] ^= 0x01; // ftyp is excluded: its brands may change
        assertEquals(C2paValidator.Status.VALID, validate(ftypBrand).status(), "ftyp is excluded from the binding");
    }

    /**
     * A hand-computed vector: ftyp (16 bytes, excluded), the C2PA box (53 bytes at 16, excluded), free (8 bytes at
     * 69), mdat (12 bytes at 77). Expected: SHA-256(u64 69 || free || u64 77 || mdat), computed outside Java
     * (Python hashlib) as 0962070115f4…dbf7c.
     */
    @Test
    void theBmffHashMatchesAHandComputedVector() throws Exception {
        ByteBuffer f = ByteBuffer.allocate(89);
        f.putInt(16).put("ftypisom".getBytes(StandardCharsets.ISO_8859_1)).putInt(0);
        f.put(C2paSigner.bmffBox("jumbjumb".getBytes(StandardCharsets.ISO_8859_1)));
        f.putInt(8).put("free".getBytes(StandardCharsets.ISO_8859_1));
        f.putInt(12).put("mdat".getBytes(StandardCharsets.ISO_8859_1)).put(new byte[] {1, 2, 3, 4});
        byte[] file = f.array();
        assertEquals(89, f.position());
        var exclusions = new CBORMapper().valueToTree(BmffHash.standardExclusions());
        BmffHash.Either h = BmffHash.hash(file, exclusions, MessageDigest.getInstance("SHA-256"));
        assertEquals("0962070115f48932558a338de39ca685c186f11e72d9119df1c19cf96a8dbf7c", HexFormat.of().formatHex(h.hash()));
        // another uuid box (not C2PA) is hashed, not excluded: the data condition tells them apart
        byte[] other = file.clone();
        other[16 + 8] ^= 0x01;
        assertNotEquals(HexFormat.of().formatHex(h.hash()),
                HexFormat.of().formatHex(BmffHash.hash(other, exclusions, MessageDigest.getInstance("SHA-256")).hash()));
        // an exclusion list that skips the media binds nothing, and is refused
        var skipMdat = new CBORMapper().readTree(new CBORMapper().writeValueAsBytes(List.of(java.util.Map.of("xpath", "/mdat"))));
        assertTrue(BmffHash.hash(file, skipMdat, MessageDigest.getInstance("SHA-256")).problem().contains("unbound"));
        var nested = new CBORMapper().readTree(new CBORMapper().writeValueAsBytes(List.of(java.util.Map.of("xpath", "/moov/pssh"))));
        assertTrue(BmffHash.hash(file, nested, MessageDigest.getInstance("SHA-256")).problem().startsWith("unsupported"));
    }

    @Test
    void ffmpegDecodesTheSameFramesAndExiftoolStillShowsTheRecord() throws Exception {
        byte[] in = Fixtures.bytes(MP4);
        byte[] out = labelled(MP4);
        Path inFile = TestSupport.temp("in.mp4", in);
        Path outFile = TestSupport.temp("c2pa.mp4", out);
        // every stream's packets decoded and hashed: the chunk offsets were moved with the media
        String before = TestSupport.run("ffmpeg", "-v", "error", "-i", inFile.toString(), "-map", "0", "-f", "framemd5", "-");
        String after = TestSupport.run("ffmpeg", "-v", "error", "-i", outFile.toString(), "-map", "0", "-f", "framemd5", "-");
        assertTrue(before.lines().filter(l -> !l.startsWith("#")).count() > 50, before);
        assertEquals(before.lines().filter(l -> !l.startsWith("#")).toList(),
                after.lines().filter(l -> !l.startsWith("#")).toList());
        String probe = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "default", outFile.toString());
        assertTrue(probe.contains("c2pa-writer-test-0001"), probe);
        String exif = TestSupport.run("exiftool", "-G1", "-a", outFile.toString());
        assertTrue(exif.contains("c2pa-writer-test-0001"), exif);
    }

    @Test
    void c2paTsValidatesTheMp4AndRejectsATamperedOne() throws Exception {
        TestSupport.requireTool("node");
        Path dir = C2paSignerTest.c2paTs();
        boolean installed = Files.isDirectory(dir.resolve("node_modules/@trustnxt/c2pa-ts"));
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("@trustnxt/c2pa-ts is required in CI: npm install @trustnxt/c2pa-ts@0.9.4 in " + dir);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installed, "@trustnxt/c2pa-ts not installed in " + dir);
        Path script = C2paSignerTest.c2paTsScript();
        byte[] out = labelled(MP4);
        String ok = TestSupport.run("node", script.toString(), TestSupport.temp("c2pa.mp4", out).toString());
        assertTrue(ok.contains("isValid true") && ok.contains("assertion.bmffHash.match")
                && ok.contains("claimSignature.validated"), ok);
        byte[] media = out.clone();
        media[out.length - 1000] ^= 0x01; // inside mdat (the last box)
        String bad = TestSupport.run("node", script.toString(), TestSupport.temp("tampered.mp4", media).toString());
        assertTrue(bad.contains("isValid false") && bad.contains("assertion.bmffHash.mismatch"), bad);
    }

    @Test
    void aMovAndAFileWithAnXmpUuidBoxValidateToo() {
        for (String fixture : List.of("video-labeled/doubao-moov-meta.mov", "video-labeled/xmp-uuid-and-mdta.mp4",
                "video/sample-720p.mp4")) {
            byte[] out = LABELER.label(Fixtures.bytes(fixture), C2paSignerTest.REQUEST).bytes();
            C2paValidator.Result r = validate(out);
            assertEquals(C2paValidator.Status.VALID, r.status(), fixture + ": " + r.reason());
        }
    }

    @Test
    void fromFilesTheMp4IsSignedAndTheStreamedInspectValidatesIt(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path out = tmp.resolve("out.mp4");
        LABELER.label(Fixtures.path(MP4), out, C2paSignerTest.REQUEST);
        InspectReport r = LABELER.inspect(out, List.of(), C2paSignerTest.TRUST_CA);
        assertEquals(List.of("mp4-uuid"), r.c2pa());
        assertEquals(C2paValidator.Status.VALID, r.c2paManifests().get(0).validation().status());
        assertEquals("c2pa-writer-test-0001", r.labels().get(0).label().produceId());
        // once signed, a second label with C2PA continues the manifest (C2paParentTest): two manifests, valid
        Path again = tmp.resolve("again.mp4");
        LABELER.label(out, again, C2paSignerTest.REQUEST);
        InspectReport r2 = LABELER.inspect(again, List.of(), C2paSignerTest.TRUST_CA);
        assertEquals(2, r2.c2paManifests().get(0).manifests());
        assertEquals(C2paValidator.Status.VALID, r2.c2paManifests().get(0).validation().status());
    }
}
