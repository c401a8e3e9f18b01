package org.aigcmark.format.mkv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.MediaType;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class MkvHandlerTest {
    static final MkvHandler MKV = new MkvHandler();
    static final String CODE = "00119144030008867405X210002";
    static final String JSON = "{\"Label\":\"1\",\"ContentProducer\":\"00119144030008867405X210002\",\"ProduceID\":\"sample-001\","
            + "\"ReservedCode1\":\"\",\"ContentPropagator\":\"\",\"PropagateID\":\"\",\"ReservedCode2\":\"\"}";

    static ContainerScan scan(byte[] b) {
        return MKV.scan(b, Limits.DEFAULT);
    }

    static List<String> sources(ContainerScan s) {
        return s.slots().stream().map(ContainerScan.Slot::source).toList();
    }

    @Test
    void readsTheSimpleTagFfmpegWrites() {
        byte[] b = Fixtures.bytes("video-labeled/ffmpeg-simpletag.mkv");
        assertEquals(MediaType.MKV, MediaType.sniff(b));
        ContainerScan s = scan(b);
        assertFalse(s.damaged(), s.damage().toString());
        assertEquals(List.of("mkv-simpletag"), sources(s));
        assertEquals(JSON, s.slots().get(0).text());
        assertEquals(1280, s.width());
        assertEquals(720, s.height());
        assertTrue(s.hints().stream().anyMatch(h -> h.source().equals("mkv-info:MuxingApp")), s.hints().toString());
    }

    @Test
    void readsWebmAudioThroughTheLabeler() {
        InspectReport r = Labeler.create().inspect(Fixtures.bytes("video-labeled/ffmpeg-simpletag-audio.webm"), "a.webm", List.of());
        assertEquals("mkv", r.format().id());
        assertEquals(1, r.labels().size());
        assertEquals("sample-001", r.labels().get(0).label().produceId());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("no video track")), r.problems().toString());
        assertFalse(r.damaged());
    }

    @Test
    void readsAFileFfmpegLabelsNowIncludingALiveStreamWithUnknownSizes() throws Exception {
        Path dir = Files.createTempDirectory("aigcmark-mkv");
        String json = AigcLabel.produced("00119144030008867405X210002", "mkv-now").toBareJson();
        for (boolean live : new boolean[] {false, true}) {
            Path out = dir.resolve(live ? "live.mkv" : "plain.mkv");
            TestSupport.run("ffmpeg", "-v", "error", "-y", "-i", Fixtures.path("video/sample-720p.mp4").toString(),
                    "-t", "0.4", "-map", "0", "-c", "copy", "-metadata", "AIGC=" + json, "-live", live ? "1" : "0",
                    "-f", "matroska", out.toString());
            byte[] b = Files.readAllBytes(out);
            if (live) {
                int seg = org.aigcmark.TestSupport.indexOf(b, new byte[] {0x18, 0x53, (byte) 0x80, 0x67});
                assertEquals((byte) 0x01, b[seg + 4]); // 8-byte size field ...
                assertEquals((byte) 0xFF, b[seg + 11]); // ... all ones: unknown size
            }
            ContainerScan s = scan(b);
            assertFalse(s.damaged(), live + " " + s.damage());
            assertEquals(List.of(json), s.slots().stream().map(ContainerScan.Slot::text).toList(), "live=" + live);
        }
    }

    static String packetHashes(Path f) {
        String out = TestSupport.run("ffmpeg", "-v", "error", "-i", f.toString(), "-map", "0", "-c", "copy", "-f", "framemd5", "-");
        assertTrue(out.lines().filter(l -> !l.startsWith("#")).count() > 5, out);
        return out;
    }

    static final int TAGS = MkvHandler.TAGS;
    static final int CLUSTER = MkvHandler.CLUSTER;

    static int firstOf(byte[] b, int id) {
        return MkvWriter.firstLevel1(b, id);
    }

    static String seekHash(Path f, String at) {
        String out = TestSupport.run("ffmpeg", "-v", "error", "-ss", at, "-i", f.toString(), "-map", "0", "-c", "copy",
                "-t", "0.1", "-f", "framemd5", "-");
        assertTrue(out.lines().anyMatch(l -> !l.startsWith("#")), "no packets after seeking to " + at + ": " + out);
        return out;
    }

    static String ffprobeTag(Path f, String tag) {
        return TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format_tags=" + tag, "-of",
                "default=noprint_wrappers=1:nokey=1", f.toString()).strip();
    }

    static String sha256(byte[] b) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        MKV.digestContent(b, md, Limits.DEFAULT);
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    @Test
    void labelReplacesTheSimpleTagKeepsOtherTagsAndTheMedia() throws Exception {
        byte[] in = Fixtures.bytes("video-labeled/ffmpeg-simpletag.mkv");
        Labeler labeler = Labeler.create();
        String originalPackets = packetHashes(Fixtures.path("video-labeled/ffmpeg-simpletag.mkv"));
        for (String id : List.of("mkv-1", "a-much-longer-production-identifier-for-the-second-write", "s")) {
            byte[] out = labeler.label(in, "x.mkv", LabelRequest.produced(CODE, id)).bytes();
            String json = AigcLabel.produced(CODE, id).toBareJson();
            ContainerScan s = scan(out);
            assertFalse(s.damaged(), s.damage().toString());
            assertEquals(List.of(json), s.slots().stream().map(ContainerScan.Slot::text).toList());
            assertEquals(sha256(in), sha256(out));
            assertEquals(List.of(), MkvWriter.positionProblems(out));
            assertTrue(firstOf(out, TAGS) < firstOf(out, CLUSTER), "Tags before the first Cluster");
            Path p = TestSupport.temp("out.mkv", out);
            if (id.equals("s")) {
                assertEquals("", TestSupport.run("ffmpeg", "-v", "error", "-i", p.toString(), "-f", "null", "-"));
            }
            assertEquals(json, ffprobeTag(p, "AIGC"));
            assertEquals("isom", ffprobeTag(p, "MAJOR_BRAND"));
            // exiftool stops at the first Cluster: the Tags must come before the media.
            String exif = TestSupport.run("exiftool", "-G1", "-a", "-s", "-Aigc", p.toString());
            assertTrue(exif.contains("[Matroska]") && exif.contains(json), exif);
            assertEquals(originalPackets, packetHashes(p));
            in = out; // the next round relabels the labeled file
        }
    }

    @Test
    void mkvmergeTagsAtTheEndMoveInFrontOfTheMedia() throws Exception {
        Path f = Fixtures.path("video-labeled/mkvmerge-tags-at-end.mkv");
        byte[] in = Files.readAllBytes(f);
        ContainerScan s = scan(in);
        assertEquals(List.of(JSON), s.slots().stream().map(ContainerScan.Slot::text).toList());
        assertTrue(firstOf(in, TAGS) > firstOf(in, CLUSTER), "mkvmerge writes Tags after the media");
        byte[] out = Labeler.create().label(in, "mm.mkv", LabelRequest.produced(CODE, "mm-1")).bytes();
        assertEquals(in.length, out.length, "the Tags went into the Void before the clusters: nothing moved");
        assertTrue(firstOf(out, TAGS) < firstOf(out, CLUSTER));
        assertEquals(List.of(), MkvWriter.positionProblems(out));
        Path p = TestSupport.temp("mm-out.mkv", out);
        String json = AigcLabel.produced(CODE, "mm-1").toBareJson();
        assertEquals(json, ffprobeTag(p, "AIGC"));
        assertEquals("kept", ffprobeTag(p, "COMMENT"));
        assertTrue(TestSupport.run("exiftool", "-G1", "-a", "-s", "-Aigc", p.toString()).contains(json));
        assertEquals(packetHashes(f), packetHashes(p));
    }

    @Test
    void labelsLiveFilesWebmAndFilesWithoutTags() throws Exception {
        Path dir = Files.createTempDirectory("aigcmark-mkvw");
        Path src = Fixtures.path("video/sample-720p.mp4");
        Path live = dir.resolve("live.mkv");
        TestSupport.run("ffmpeg", "-v", "error", "-y", "-i", src.toString(), "-t", "0.4", "-map", "0", "-c", "copy", "-live", "1", live.toString());
        Path bare = dir.resolve("bare.mkv");
        TestSupport.run("ffmpeg", "-v", "error", "-y", "-i", src.toString(), "-t", "0.4", "-map", "0", "-c", "copy",
                "-map_metadata", "-1", "-fflags", "+bitexact", bare.toString());
        // Cues in front of the clusters (their size depends on the positions they hold), several clusters.
        Path front = dir.resolve("front.mkv");
        TestSupport.run("ffmpeg", "-v", "error", "-y", "-i", src.toString(), "-t", "3", "-map", "0", "-c", "copy",
                "-cluster_time_limit", "100", "-cues_to_front", "1", "-metadata", "AIGC=old", front.toString());
        // Space reserved for the index: a Void before the clusters.
        Path reserved = dir.resolve("reserved.mkv");
        TestSupport.run("ffmpeg", "-v", "error", "-y", "-i", src.toString(), "-t", "3", "-map", "0", "-c", "copy",
                "-cluster_time_limit", "100", "-reserve_index_space", "2000", reserved.toString());
        for (Path f : List.of(live, bare, front, reserved, Fixtures.path("video-labeled/ffmpeg-simpletag-audio.webm"))) {
            byte[] in = Files.readAllBytes(f);
            byte[] out = Labeler.create().label(in, f.toString(), LabelRequest.produced(CODE, "w-1")).bytes();
            String json = AigcLabel.produced(CODE, "w-1").toBareJson();
            assertEquals(List.of(json), scan(out).slots().stream().map(ContainerScan.Slot::text).toList(), f.toString());
            Path p = dir.resolve("out-" + f.getFileName());
            Files.write(p, out);
            assertEquals(json, ffprobeTag(p, "AIGC"), f.toString());
            assertEquals(List.of(), MkvWriter.positionProblems(out));
            assertTrue(TestSupport.run("exiftool", "-G1", "-a", "-s", "-Aigc", p.toString()).contains(json), f.toString());
            if (f == front || f == reserved) {
                // seeking uses the Cues (remapped for front): the packets after a seek must be those of the input
                assertEquals(seekHash(f, "2.5"), seekHash(p, "2.5"), f.toString()); // past the second cue point
            }
            assertEquals(packetHashes(f), packetHashes(p), f.toString());
        }
    }

    @Test
    void truncatedFileIsDamaged() {
        ContainerScan s = scan(Fixtures.bytes("bad-video/truncated-half.mkv"));
        assertTrue(s.damaged());
        assertTrue(s.damage().get(0).contains("truncated"), s.damage().toString());
        byte[] headerOnly = java.util.Arrays.copyOf(Fixtures.bytes("video-labeled/ffmpeg-simpletag.mkv"), 30);
        assertTrue(scan(headerOnly).damaged());
    }

    @Test
    void deepNestingIsBoundedAndMalformedTagsAreNotes() {
        // Tags/Tag/SimpleTag nested 5000 deep: must stop at the depth cap, not overflow the stack.
        byte[] inner = element(0x45A3, "AIGC".getBytes());
        for (int i = 0; i < 5000; i++) {
            inner = element(0x67C8, inner);
        }
        byte[] file = cat(element(0x1A45DFA3, element(0x4282, "matroska".getBytes())),
                element(0x18538067, element(0x1254C367, element(0x7373, inner))));
        ContainerScan s = scan(file);
        assertTrue(s.damage().stream().anyMatch(d -> d.contains("nested deeper")), s.damage().toString());

        byte[] bad = cat(element(0x1A45DFA3, element(0x4282, "webm".getBytes())),
                element(0x18538067, cat(element(0x1654AE6B, element(0xAE, element(0x83, new byte[] {1}))),
                        element(0x1254C367, element(0x7373, element(0x67C8,
                                cat(element(0x45A3, "AIGC".getBytes()), element(0x4487, "not json".getBytes()))))))));
        ContainerScan n = scan(bad);
        assertFalse(n.damaged(), n.damage().toString());
        assertTrue(n.slots().isEmpty());
        assertTrue(n.notes().stream().anyMatch(x -> x.contains("not a readable AIGC record")), n.notes().toString());
        assertTrue(LabelParser.parse("not json").isEmpty());
    }

    @Test
    void corruptedFilesNeverEscapeAsAnExceptionAndWritesReadBack() {
        byte[] in = Fixtures.bytes("video-labeled/ffmpeg-simpletag.mkv");
        java.util.Random random = new java.util.Random(45438);
        int iterations = Integer.getInteger("aigcmark.fuzzIterations", 300);
        int written = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] m = java.util.Arrays.copyOf(in, random.nextInt(4) == 0 ? random.nextInt(in.length) + 1 : in.length);
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                // the header and track area, and the Tags near the end where ffmpeg puts them
                int at = random.nextBoolean() ? random.nextInt(Math.min(m.length, 4096)) : Math.max(0, m.length - 1 - random.nextInt(Math.min(m.length, 2048)));
                m[at] = random.nextInt(3) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            try {
                ContainerScan s = scan(m);
                if (!s.damaged()) {
                    try {
                        byte[] out = MKV.writeLabel(m, AigcLabel.produced(CODE, "fuzz"), Limits.DEFAULT);
                        written++;
                        assertEquals(List.of(AigcLabel.produced(CODE, "fuzz").toBareJson()),
                                scan(out).slots().stream().map(ContainerScan.Slot::text).toList(), "iteration " + i);
                    } catch (org.aigcmark.AigcmarkException refused) {
                        // a typed refusal is fine
                    }
                }
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + i + " escaped with " + e, e);
            }
        }
        assertTrue(written > iterations / 10, "only " + written + " of " + iterations + " mutants were clean enough to write");
    }

    /** An EBML element with an 8-byte size field. */
    static byte[] element(int id, byte[] data) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int idLen = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        for (int i = idLen - 1; i >= 0; i--) {
            o.write(id >>> (8 * i));
        }
        o.write(0x01);
        long n = data.length;
        for (int i = 6; i >= 0; i--) {
            o.write((int) (n >>> (8 * i)));
        }
        o.writeBytes(data);
        return o.toByteArray();
    }

    static byte[] cat(byte[]... parts) {
        return TestSupport.concat(parts);
    }

}
