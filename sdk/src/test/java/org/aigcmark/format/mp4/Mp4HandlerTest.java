package org.aigcmark.format.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.Limits;
import org.aigcmark.PropagateRequest;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.label.LabelParser;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Mp4HandlerTest {
    static final String CODE = "00119144030008867405X210002";
    static final Mp4Handler MP4 = new Mp4Handler();
    static final Labeler LABELER = Labeler.create();

    static byte[] sample() {
        return Fixtures.bytes("video/sample-720p.mp4");
    }

    static byte[] label(byte[] in, String produceId) {
        return LABELER.label(in, "test.mp4", LabelRequest.produced(CODE, produceId)).bytes();
    }

    static ContainerScan scan(byte[] b) {
        return MP4.scan(b, Limits.DEFAULT);
    }

    static List<AigcLabel> labels(ContainerScan s) {
        return s.slots().stream().map(x -> LabelParser.parse(x.text()).orElseThrow().label()).toList();
    }

    static JsonNode ffprobeTags(Path f) throws Exception {
        String json = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "json", f.toString());
        return new ObjectMapper().readTree(json).path("format").path("tags");
    }

    /** Per-packet hashes and timestamps of every stream, read by ffmpeg without decoding. */
    static String packetHashes(Path f) {
        String out = TestSupport.run("ffmpeg", "-v", "error", "-i", f.toString(), "-map", "0", "-c", "copy", "-f", "framemd5", "-");
        assertTrue(out.lines().filter(l -> !l.startsWith("#")).count() > 10, out);
        return out;
    }

    static String decodeErrors(Path f) {
        return TestSupport.run("ffmpeg", "-v", "error", "-i", f.toString(), "-f", "null", "-");
    }

    static String sha256(FormatHandler.MetadataWriter w, byte[] b) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        w.digestContent(b, md, Limits.DEFAULT);
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void sniffedAndRegistered() {
        assertEquals(MediaType.MP4, MediaType.sniff(sample()));
        assertTrue(LABELER.registry().handlerFor(MediaType.MP4).orElseThrow() instanceof Mp4Handler);
    }

    @Test
    void unlabeledFixtureScansClean() {
        ContainerScan s = scan(sample());
        assertEquals(1280, s.width());
        assertEquals(720, s.height());
        assertTrue(s.slots().isEmpty());
        assertFalse(s.damaged(), s.damage().toString());
    }

    @Test
    void labelIsReadByFfprobeAndExiftoolAndTheMediaIsUntouched() throws Exception {
        byte[] in = sample();
        byte[] out = label(in, "video-0001");
        AigcLabel expected = AigcLabel.produced(CODE, "video-0001");
        ContainerScan s = scan(out);
        assertFalse(s.damaged(), s.damage().toString());
        assertEquals(List.of("mp4-mdta"), s.slots().stream().map(ContainerScan.Slot::source).toList());
        assertEquals(expected.toBareJson(), s.slots().get(0).text());
        assertEquals(sha256(MP4, in), sha256(MP4, out));

        Path before = TestSupport.temp("before.mp4", in);
        Path after = TestSupport.temp("after.mp4", out);
        assertEquals(expected.toBareJson(), ffprobeTags(after).path("AIGC").asText());
        String exif = TestSupport.run("exiftool", "-G1", "-a", "-s", "-AIGC", after.toString());
        assertTrue(exif.contains("[Keys]") && exif.contains(expected.toBareJson()), exif);
        assertEquals(packetHashes(before), packetHashes(after));
        assertEquals("", decodeErrors(after));
    }

    @Test
    void relabelReplacesTheRecordAndShorterRecordsKeepTheMediaInPlace() throws Exception {
        byte[] first = label(sample(), "a-rather-long-production-identifier-0001");
        byte[] second = label(first, "id2");
        ContainerScan s = scan(second);
        assertEquals(List.of(AigcLabel.produced(CODE, "id2")), labels(s));
        assertEquals(1, count(second, "mdtaAIGC"));
        // The record shrank: a free box takes the difference, so the media did not move.
        assertEquals(mdatOffset(first), mdatOffset(second));
        assertEquals(first.length, second.length);
        Path p = TestSupport.temp("relabeled.mp4", second);
        assertEquals(AigcLabel.produced(CODE, "id2").toBareJson(), ffprobeTags(p).path("AIGC").asText());
        assertEquals(packetHashes(TestSupport.temp("orig.mp4", sample())), packetHashes(p));
    }

    @Test
    void growingRecordMovesTheMediaAndItsChunkOffsets() throws Exception {
        byte[] first = label(sample(), "id1");
        byte[] second = label(first, "a-much-longer-production-identifier-than-before-0002");
        assertTrue(mdatOffset(second) > mdatOffset(first), "the media must have moved for this test to mean anything");
        Path p = TestSupport.temp("grown.mp4", second);
        assertEquals(packetHashes(TestSupport.temp("orig.mp4", sample())), packetHashes(p));
        assertEquals("", decodeErrors(p));
    }

    @Test
    void readsWhatFfmpegWritesWithUseMetadataTagsAndKeepsOtherKeys() throws Exception {
        byte[] in = Fixtures.bytes("video-labeled/ffmpeg-mdta.mp4");
        ContainerScan s = scan(in);
        assertEquals(List.of("mp4-mdta"), s.slots().stream().map(ContainerScan.Slot::source).toList());
        assertEquals("sample-001", labels(s).get(0).produceId());
        assertEquals(LabelParser.Form.BARE, LabelParser.parse(s.slots().get(0).text()).orElseThrow().form());

        byte[] out = label(in, "relabelled-7");
        assertEquals(List.of(AigcLabel.produced(CODE, "relabelled-7")), labels(scan(out)));
        JsonNode tags = ffprobeTags(TestSupport.temp("out.mp4", out));
        assertEquals("aigcmark fixture", tags.path("title").asText());
        assertEquals(AigcLabel.produced(CODE, "relabelled-7").toBareJson(), tags.path("AIGC").asText());
        assertEquals(1, count(out, "mdtaAIGC"));
    }

    @Test
    void readsAFileFfmpegLabelsNow() throws Exception {
        Path out = Files.createTempDirectory("aigcmark-ff").resolve("ff.mp4");
        String json = AigcLabel.produced(CODE, "ffmpeg-now").toBareJson();
        TestSupport.run("ffmpeg", "-v", "error", "-y", "-i", Fixtures.path("video/sample-720p.mp4").toString(),
                "-t", "0.4", "-map", "0", "-c", "copy", "-metadata", "AIGC=" + json, "-movflags", "use_metadata_tags",
                out.toString());
        InspectReport r = LABELER.inspect(out, List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("mp4-mdta", r.labels().get(0).source());
        assertEquals("ffmpeg-now", r.labels().get(0).label().produceId());
    }

    @Test
    void readsTheDoubaoMetaUnderMoovAndReplacesTheRecordInThatKeysTable() throws Exception {
        byte[] in = Fixtures.bytes("video-labeled/doubao-moov-meta.mov");
        ContainerScan s = scan(in);
        assertFalse(s.damaged(), s.damage().toString());
        assertEquals(List.of("mp4-moov-meta"), s.slots().stream().map(ContainerScan.Slot::source).toList());
        assertEquals("doubao", labels(s).get(0).contentProducer());
        assertEquals(LabelParser.Form.WRAPPED, LabelParser.parse(s.slots().get(0).text()).orElseThrow().form());

        byte[] out = label(in, "p-1");
        ContainerScan o = scan(out);
        // One keys table per file: ffmpeg honours only the first it meets, so the record stays in that one.
        assertEquals(List.of("mp4-moov-meta"), o.slots().stream().map(ContainerScan.Slot::source).toList());
        assertEquals(1, count(out, "keys"));
        Path p = TestSupport.temp("doubao-out.mov", out);
        JsonNode tags = ffprobeTags(p);
        assertEquals("doubao export", tags.path("title").asText()); // the other key of that meta survives
        assertEquals(AigcLabel.produced(CODE, "p-1").toBareJson(), tags.path("AIGC").asText());
        assertEquals(packetHashes(TestSupport.temp("doubao-in.mov", in)), packetHashes(p));
    }

    @Test
    void orphanItemsAreDroppedAndMalformedKeysRefused() {
        byte[] in = Fixtures.bytes("video-labeled/doubao-moov-meta.mov");
        Boxes.Node meta = Boxes.parse(in).firstTop("moov").first("meta");
        Boxes.Node titleItem = meta.first("ilst").children().get(1);
        byte[] orphan = in.clone();
        Boxes.putU32(orphan, titleItem.box().start() + 4, 9); // item 9 of a 2-key table
        assertTrue(scan(orphan).notes().stream().anyMatch(n -> n.contains("no entry in 'keys'")));
        byte[] out = label(orphan, "o-1");
        ContainerScan o = scan(out);
        assertEquals(List.of(AigcLabel.produced(CODE, "o-1")), labels(o));
        assertTrue(o.notes().stream().noneMatch(n -> n.contains("no entry")), o.notes().toString());

        byte[] badKeys = in.clone();
        Boxes.Node keys = meta.first("keys");
        Boxes.putU32(badKeys, keys.box().payloadStart() + 4, 7); // 7 entries declared, 2 present
        assertFalse(scan(badKeys).damaged());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> label(badKeys, "k"));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
        assertTrue(e.getMessage().contains("'keys'"), e.getMessage());
    }

    /** Variants written by third-party tools, each checked against exiftool's reading of the same bytes. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        // ffmpeg without faststart: moov (with the mdta record) after mdat
        "video-labeled/ffmpeg-mdta-moov-last.mp4, mp4-mdta, -AIGC",
        // exiftool -UserData:Comment: a QuickTime (c)cmt text atom in udta, no meta box
        "video-labeled/exiftool-udta-cmt.mov, mp4-udta:\u00A9cmt, -UserData:Comment",
    })
    void readsTheRecordWhereThirdPartyToolsPutIt(String fixture, String source, String exiftoolTag) throws Exception {
        byte[] in = Fixtures.bytes(fixture);
        ContainerScan s = scan(in);
        assertEquals(List.of(source), s.slots().stream().map(ContainerScan.Slot::source).toList());
        String json = TestSupport.run("exiftool", "-s3", exiftoolTag, Fixtures.path(fixture).toString()).strip();
        assertEquals(json, s.slots().get(0).text());
        assertEquals("variant-001", LabelParser.parse(json).orElseThrow().label().produceId());
        assertFalse(s.damaged(), s.damage().toString());
    }

    @Test
    void readsAKeylessMdirItemAndTheEncoderHint() throws Exception {
        byte[] in = Fixtures.bytes("video-labeled/mdir-keyless.mp4");
        ContainerScan s = scan(in);
        assertEquals(List.of("mp4-ilst:\u00A9cmt"), s.slots().stream().map(ContainerScan.Slot::source).toList());
        assertTrue(s.hints().stream().anyMatch(h -> h.kind().id().equals("generator") && h.value().equals("Doubao")), s.hints().toString());

        byte[] out = label(in, "k-1");
        ContainerScan o = scan(out);
        assertEquals(List.of("mp4-mdta"), o.slots().stream().map(ContainerScan.Slot::source).toList());
        JsonNode tags = ffprobeTags(TestSupport.temp("keyless-out.mp4", out));
        assertEquals("Doubao", tags.path("encoder").asText());
        assertTrue(tags.path("comment").isMissingNode(), tags.toString());
    }

    @Test
    void readsAFreeformItemInAnAudioOnlyM4a() throws Exception {
        byte[] in = Fixtures.bytes("video-labeled/mdir-freeform.m4a");
        ContainerScan s = scan(in);
        assertEquals(List.of("mp4-ilst"), s.slots().stream().map(ContainerScan.Slot::source).toList());
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("no video track")), s.notes().toString());
        assertFalse(s.damaged());

        byte[] out = label(in, "m-1");
        assertEquals(List.of(AigcLabel.produced(CODE, "m-1")), labels(scan(out)));
        Path p = TestSupport.temp("out.m4a", out);
        String exif = TestSupport.run("exiftool", "-G1", "-a", "-s", p.toString());
        assertFalse(exif.contains("[iTunes]"), exif);
        assertTrue(exif.contains("[Keys]") && exif.contains("m-1"), exif);
        assertEquals(packetHashes(TestSupport.temp("in.m4a", in)), packetHashes(p));
    }

    @Test
    void anXmpRecordBesideTheMdtaOneIsRemovedKeepingTheRestOfThePacket() throws Exception {
        byte[] in = Fixtures.bytes("video-labeled/xmp-uuid-and-mdta.mp4");
        ContainerScan s = scan(in);
        assertEquals(List.of("mp4-mdta", "xmp"), s.slots().stream().map(ContainerScan.Slot::source).toList());
        assertEquals(List.of("sample-001", "xmp-002"), labels(s).stream().map(AigcLabel::produceId).toList());

        byte[] out = label(in, "one-record");
        ContainerScan o = scan(out);
        assertEquals(List.of("mp4-mdta"), o.slots().stream().map(ContainerScan.Slot::source).toList());
        Path p = TestSupport.temp("xmp-out.mp4", out);
        String exif = TestSupport.run("exiftool", "-G1", "-a", "-s", p.toString());
        assertTrue(exif.contains("[XMP-dc]") && exif.contains("kept"), exif);
        assertFalse(exif.contains("xmp-002") || exif.contains("[XMP-TC260]"), exif);
        assertEquals(packetHashes(TestSupport.temp("xmp-in.mp4", in)), packetHashes(p));
    }

    @Test
    void signedAndPropagatedRecordsVerifyAgainstTheMediaDigest() {
        LabelKeys.SigningKey producer = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        LabelKeys.SigningKey platform = producer; // an SM2 platform key: Sm2SignaturesTest in aigcmark-sm2
        List<java.security.PublicKey> trusted = List.of(LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub")));
        byte[] signed = LABELER.label(sample(), "s.mp4", LabelRequest.produced(CODE, "signed-1").withSigningKey(producer)).bytes();
        byte[] propagated = LABELER.propagate(signed, "s.mp4",
                PropagateRequest.of("00913100000000000000XPLAT01", "plat-9").withSigningKey(platform)).bytes();
        InspectReport r = LABELER.inspect(propagated, "p.mp4", trusted);
        assertEquals(1, r.labels().size(), r.toString());
        InspectReport.FoundLabel f = r.labels().get(0);
        assertEquals("plat-9", f.label().propagateId());
        assertEquals("signed-1", f.label().produceId());
        assertEquals(LabelSignatures.Status.VALID, f.signature(), f.signatures().toString());
        assertTrue(f.signatures().stream().allMatch(c -> c.status() == LabelSignatures.Status.VALID), f.signatures().toString());

        // A changed media byte breaks both signatures: the digest covers the samples.
        byte[] tampered = propagated.clone();
        int at = Boxes.parse(tampered).firstTop("mdat").box().payloadStart() + 100;
        tampered[at] ^= 1;
        InspectReport t = LABELER.inspect(tampered, "t.mp4", trusted);
        assertEquals(LabelSignatures.Status.INVALID, t.labels().get(0).signature());
    }

    @Test
    void moovAfterTheMediaIsRewrittenWithoutMovingIt() throws Exception {
        Path tail = Files.createTempDirectory("aigcmark-tail").resolve("tail.mp4");
        TestSupport.run("ffmpeg", "-v", "error", "-y", "-i", Fixtures.path("video/sample-720p.mp4").toString(),
                "-t", "0.4", "-map", "0", "-c", "copy", tail.toString());
        byte[] in = Files.readAllBytes(tail);
        if (in.length == 0) {
            return; // ffmpeg absent (skipped above) or failed: nothing to check
        }
        Boxes t = Boxes.parse(in);
        assertTrue(t.top.indexOf(t.firstTop("mdat")) < t.top.indexOf(t.firstTop("moov")), "moov must follow mdat here");
        byte[] out = label(in, "tail-1");
        assertEquals(mdatOffset(in), mdatOffset(out));
        Path p = TestSupport.temp("tail-out.mp4", out);
        assertEquals(packetHashes(tail), packetHashes(p));
    }

    @Test
    void fragmentedFilesKeepTheirAbsoluteFragmentOffsets() throws Exception {
        Path frag = Files.createTempDirectory("aigcmark-frag").resolve("frag.mp4");
        TestSupport.run("ffmpeg", "-v", "error", "-y", "-i", Fixtures.path("video/sample-720p.mp4").toString(),
                "-t", "1", "-map", "0", "-c", "copy", "-movflags", "frag_keyframe+empty_moov", frag.toString());
        byte[] in = Files.readAllBytes(frag);
        Boxes t = Boxes.parse(in);
        Boxes.Node tfhd = t.firstTop("moof").path("traf", "tfhd");
        assertTrue((in[tfhd.box().payloadStart() + 3] & 1) != 0, "ffmpeg writes explicit base data offsets");
        assertTrue(t.firstTop("mfra") != null);
        byte[] out = label(in, "frag-1");
        assertNotEquals(mdatOffset(in), mdatOffset(out));
        Path p = TestSupport.temp("frag-out.mp4", out);
        assertEquals(packetHashes(frag), packetHashes(p));
        assertEquals("", decodeErrors(p));
        assertEquals(sha256(MP4, in), sha256(MP4, out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated-half.mp4", "box-size-past-eof.mp4", "nesting-bomb.mp4", "no-moov.mp4",
            "chunk-offset-past-eof.mp4", "corrupt-packets.mp4"})
    void damagedFilesAreReportedAndNeverRelabelled(String name) {
        byte[] in = Fixtures.bytes("bad-video/" + name);
        ContainerScan s = scan(in);
        assertTrue(s.damaged(), name + " should be damaged");
        InspectReport r = LABELER.inspect(in, name, List.of());
        assertTrue(r.damaged());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> label(in, "x"));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("damaged mp4"), e.getMessage());
        assertThrows(AigcmarkException.class, () -> MP4.writeLabel(in, AigcLabel.produced(CODE, "x"), Limits.DEFAULT));
    }

    @Test
    void damageMessagesSayWhatIsWrong() {
        assertTrue(scan(Fixtures.bytes("bad-video/truncated-half.mp4")).damage().get(0).contains("truncated"));
        assertTrue(scan(Fixtures.bytes("bad-video/nesting-bomb.mp4")).damage().get(0).contains("nested deeper"));
        assertTrue(scan(Fixtures.bytes("bad-video/no-moov.mp4")).damage().get(0).contains("no 'moov'"));
        assertTrue(scan(Fixtures.bytes("bad-video/chunk-offset-past-eof.mp4")).damage().get(0).contains("past the end"));
        String packets = scan(Fixtures.bytes("bad-video/corrupt-packets.mp4")).damage().get(0);
        assertTrue(packets.startsWith("track 1: sample 6 ") && packets.contains("corrupt packet"), packets);
        // ffmpeg sees the same packet as broken
        String ff = TestSupport.run("ffmpeg", "-v", "error", "-i", Fixtures.path("bad-video/corrupt-packets.mp4").toString(), "-f", "null", "-");
        assertTrue(ff.contains("Invalid NAL unit size"), ff);
    }

    @Test
    void zeroByteInputIsCorrupt() {
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> label(Fixtures.bytes("bad-video/zero-byte.mp4"), "x"));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
    }

    @Test
    void deepNestingAndTinyBoxFloodsAreBounded() {
        byte[] ftyp = java.util.Arrays.copyOf(sample(), 32);
        byte[] nest = new byte[0];
        for (int i = 0; i < 5000; i++) {
            nest = Boxes.box("udta", nest);
        }
        ContainerScan deep = scan(TestSupport.concat(ftyp, Boxes.box("moov", nest)));
        assertTrue(deep.damage().stream().anyMatch(d -> d.contains("nested deeper")), deep.damage().toString());

        byte[] flood = new byte[8 * (Boxes.MAX_BOXES + 10)];
        for (int p = 0; p < flood.length; p += 8) {
            Boxes.putU32(flood, p, 8);
            System.arraycopy("free".getBytes(StandardCharsets.ISO_8859_1), 0, flood, p + 4, 4);
        }
        ContainerScan many = scan(TestSupport.concat(ftyp, Boxes.box("moov", flood)));
        assertTrue(many.damage().stream().anyMatch(d -> d.contains("more than")), many.damage().toString());
    }

    @Test
    void largesizeAndSizeZeroAreUnderstood() {
        byte[] in = sample();
        Boxes t = Boxes.parse(in);
        Boxes.Box mdat = t.firstTop("mdat").box();
        // mdat as a 64-bit largesize box: 8 more header bytes, same payload
        byte[] large = new byte[in.length + 8];
        System.arraycopy(in, 0, large, 0, mdat.start());
        Boxes.putU32(large, mdat.start(), 1);
        System.arraycopy("mdat".getBytes(StandardCharsets.ISO_8859_1), 0, large, mdat.start() + 4, 4);
        Boxes.putU64(large, mdat.start() + 8, mdat.size() + 8L);
        System.arraycopy(in, mdat.payloadStart(), large, mdat.start() + 16, in.length - mdat.payloadStart());
        // chunk offsets now point 8 bytes early; the framing is what this test checks
        Boxes lt = Boxes.parse(large);
        assertTrue(lt.damage.isEmpty(), lt.damage.toString());
        assertEquals(16, lt.firstTop("mdat").box().headerSize());
        assertEquals(large.length, lt.firstTop("mdat").box().end());
        // size 0: the last box runs to the end of the file
        byte[] zero = in.clone();
        Boxes.putU32(zero, mdat.start(), 0);
        Boxes zt = Boxes.parse(zero);
        assertTrue(zt.damage.isEmpty(), zt.damage.toString());
        assertEquals(zero.length, zt.firstTop("mdat").box().end());
        assertFalse(scan(zero).damaged());
    }

    @Test
    void corruptedHeadersNeverEscapeAsAnythingButAigcmarkException() {
        byte[] in = Fixtures.bytes("video-labeled/doubao-moov-meta.mov");
        int moovEnd = Boxes.parse(in).firstTop("moov").box().end();
        java.util.Random random = new java.util.Random(45438);
        int iterations = Integer.getInteger("aigcmark.fuzzIterations", 300);
        int written = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] m = java.util.Arrays.copyOf(in, random.nextInt(4) == 0 ? moovEnd + random.nextInt(in.length - moovEnd) : in.length);
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                int at = random.nextInt(moovEnd);
                m[at] = random.nextInt(3) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            try {
                ContainerScan s = scan(m);
                if (!s.damaged()) {
                    byte[] out = MP4.writeLabel(m, AigcLabel.produced(CODE, "fuzz"), Limits.DEFAULT);
                    written++;
                    assertEquals(List.of(AigcLabel.produced(CODE, "fuzz")), labels(scan(out)), "iteration " + i);
                }
            } catch (AigcmarkException expected) {
                // a typed refusal is fine
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + i + " escaped with " + e, e);
            }
        }
        assertTrue(written > iterations / 10, "only " + written + " of " + iterations + " mutants were clean enough to write");
    }

    static int mdatOffset(byte[] b) {
        return Boxes.parse(b).firstTop("mdat").box().start();
    }

    static int count(byte[] b, String s) {
        byte[] n = s.getBytes(StandardCharsets.ISO_8859_1);
        int c = 0;
        outer:
        for (int i = 0; i + n.length <= b.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (b[i + j] != n[j]) {
                    continue outer;
                }
            }
            c++;
        }
        return c;
    }
}
