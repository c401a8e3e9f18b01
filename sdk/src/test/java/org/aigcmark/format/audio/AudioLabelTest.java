package org.aigcmark.format.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.ExitCodes;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.MediaType;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audio containers on real files (a Debian sound converted by ffmpeg, testdata/tools/make_audio_fixtures.sh):
 * the record written, read back by exiftool and ffprobe, the audio payload byte-identical by ffmpeg's own demuxer,
 * one record after relabelling, the variants other tools write, and damaged files refused with a typed error.
 */
class AudioLabelTest {
    static final Labeler LABELER = Labeler.create();
    static final String PRODUCER = "00119144030008867405X210002";
    static final LabelRequest REQUEST = LabelRequest.produced(PRODUCER, "tts-0001");

    /** MD5 of the audio packets as ffmpeg's demuxer reads them (stream copy: no decoding, every payload byte). */
    static String audioMd5(Path f) {
        String out = TestSupport.run("ffmpeg", "-v", "error", "-i", f.toString(), "-map", "0:a", "-c", "copy", "-f", "md5", "-");
        assertTrue(out.strip().startsWith("MD5="), out);
        return out.strip();
    }

    /** The stream as ffprobe describes it (codec, rate, channels, duration in its time base). */
    static String stream(Path f) {
        return TestSupport.run("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                "stream=codec_name,sample_rate,channels,duration_ts", "-of", "compact", f.toString()).strip();
    }

    static Path labelled(String fixture, LabelRequest request) {
        LabelResult r = LABELER.label(Fixtures.bytes(fixture), fixture, request);
        return TestSupport.temp(Path.of(fixture).getFileName().toString(), r.bytes());
    }

    @ParameterizedTest
    @CsvSource({
        "audio/complete.wav, wav, wav-aigc",
        "audio/complete-rf64.wav, wav, wav-aigc",
        "audio/complete.mp3, mp3, id3:TXXX:AIGC",
        "audio/complete-bare.mp3, mp3, id3:TXXX:AIGC",
        "unsupported/clip-frames.mp3, mp3, id3:TXXX:AIGC",
        "audio/complete.flac, flac, flac-comment:AIGC",
        "audio/complete.oga, ogg, ogg-comment:AIGC",
        "audio/complete.opus, ogg, ogg-comment:AIGC",
        "unsupported/clip-opus.ogg, ogg, ogg-comment:AIGC",
        "audio/complete.m4a, mp4, mp4-mdta",
    })
    void labelWritesOneRecordAndKeepsTheAudioByteIdentical(String fixture, String format, String source) {
        Path in = Fixtures.path(fixture);
        Path out = labelled(fixture, REQUEST);
        InspectReport r = LABELER.inspect(out, List.of());
        assertEquals(format, r.format().id());
        assertFalse(r.damaged(), r.problems().toString());
        assertEquals(1, r.labels().size(), r.labels().toString());
        assertEquals(REQUEST.label(), r.labels().get(0).label());
        assertTrue(r.labels().get(0).source().startsWith(source), r.labels().get(0).source());
        // ffmpeg's demuxer reads the same audio packets, byte for byte, and ffprobe the same stream
        assertEquals(audioMd5(in), audioMd5(out));
        assertEquals(stream(in), stream(out));
        assertTrue(TestSupport.run("ffprobe", "-v", "error", out.toString()).isBlank(), "ffprobe reports no error");
    }

    /** exiftool shows the record under these tags (WAV: exiftool reads no unknown RIFF chunk; its verbose dump lists it). */
    @ParameterizedTest
    @CsvSource({
        "audio/complete.mp3, -UserDefinedText",
        "audio/complete-bare.mp3, -UserDefinedText",
        "audio/complete.flac, -Aigc",
        "audio/complete.oga, -Aigc",
        "audio/complete.opus, -Aigc",
    })
    void exiftoolReadsTheRecord(String fixture, String tag) {
        Path out = labelled(fixture, REQUEST);
        String shown = TestSupport.run("exiftool", "-s", "-a", tag, out.toString());
        assertTrue(shown.contains("\"ProduceID\":\"tts-0001\""), shown);
    }

    @Test
    void exiftoolReadsTheWavChunkAsAnUnknownTag() {
        Path out = labelled("audio/complete.wav", REQUEST);
        // exiftool names an unknown RIFF chunk Unknown_<id> when asked for unknown tags (-U); -b prints its data
        String shown = TestSupport.run("exiftool", "-U", "-b", "-Unknown_AIGC", out.toString());
        assertTrue(shown.startsWith(REQUEST.label().toBareJson()), shown);
    }

    /** ffprobe reads the tags it knows: ID3 TXXX and Vorbis comments. */
    @ParameterizedTest
    @CsvSource({
        "audio/complete.mp3, format_tags",
        "audio/complete.flac, format_tags",
        "audio/complete.oga, stream_tags",
        "audio/complete.opus, stream_tags",
    })
    void ffprobeReadsTheTag(String fixture, String section) {
        Path out = labelled(fixture, REQUEST);
        String tag = TestSupport.run("ffprobe", "-v", "error", "-show_entries", section + "=AIGC", "-of",
                "default=nw=1:nk=1", out.toString()).strip();
        assertEquals(REQUEST.label().toBareJson(), tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio/complete.wav", "audio/complete-rf64.wav", "audio/complete.mp3", "audio/complete-bare.mp3",
        "audio/complete.flac", "audio/complete.oga", "audio/complete.opus"})
    void labellingTwiceLeavesOneRecord(String fixture) {
        byte[] once = LABELER.label(Fixtures.bytes(fixture), fixture, REQUEST).bytes();
        LabelRequest second = LabelRequest.produced(PRODUCER, "tts-0002");
        byte[] twice = LABELER.label(once, fixture, second).bytes();
        InspectReport r = LABELER.inspect(twice, fixture, List.of());
        assertEquals(1, r.labels().size(), r.labels().toString());
        assertEquals("tts-0002", r.labels().get(0).label().produceId());
        // the same size: the record replaced in place (WAV, FLAC, Ogg) or in the tag's padding (MP3)
        assertEquals(once.length, twice.length);
        assertEquals(audioMd5(Fixtures.path(fixture)), audioMd5(TestSupport.temp("twice-" + Path.of(fixture).getFileName(), twice)));
    }

    /** Records written by other tools are read; a file with two comes out with one. */
    @ParameterizedTest
    @CsvSource({
        "audio/ffmpeg-txxx-v23.mp3, id3:TXXX:AIGC",
        "audio/ffmpeg-two-records.mp3, id3:TXXX:aigc id3:TXXX:comment",
        "audio/ffmpeg-info-icmt.wav, wav-info:ICMT",
        "audio/info-aigc.wav, wav-info:AIGC",
        "audio/id3-chunk.wav, wav-id3:TXXX:AIGC",
        "audio/ffmpeg-two-records.flac, flac-comment:AIGC flac-comment:DESCRIPTION",
        "audio/ffmpeg-aigc.oga, ogg-comment:AIGC",
        "audio/ffmpeg-two-records.opus, ogg-comment:AIGC ogg-comment:DESCRIPTION",
    })
    void variantsInTheWildAreReadAndReplacedByOneRecord(String fixture, String sources) {
        InspectReport in = LABELER.inspect(Fixtures.bytes(fixture), fixture, List.of());
        assertFalse(in.damaged(), in.problems().toString());
        List<String> expected = List.of(sources.split(" "));
        List<String> found = in.labels().stream().map(InspectReport.FoundLabel::source).map(s -> s.replaceFirst(":eng", "")).toList();
        assertEquals(expected.size(), found.size(), found.toString());
        for (String e : expected) {
            assertTrue(found.stream().anyMatch(f -> f.equalsIgnoreCase(e) || f.startsWith(e)), e + " in " + found);
        }
        assertTrue(in.labels().stream().anyMatch(l -> l.label().produceId().equals("sample-001")));
        byte[] out = LABELER.label(Fixtures.bytes(fixture), fixture, REQUEST).bytes();
        InspectReport r = LABELER.inspect(out, fixture, List.of());
        assertEquals(1, r.labels().size(), r.labels().toString());
        assertEquals(REQUEST.label(), r.labels().get(0).label());
        Path o = TestSupport.temp("relabel-" + Path.of(fixture).getFileName(), out);
        assertEquals(audioMd5(Fixtures.path(fixture)), audioMd5(o));
    }

    /**
     * A COMM frame described "aigc" in an ID3v2.3 tag (built here: no Debian tool writes a COMM with a description;
     * the frame layout is ID3v2.3 §4.11), before ffmpeg's frames: read, then replaced by the one TXXX record.
     */
    @Test
    void aCommFrameInAnotherCaseIsReadAndReplaced() {
        byte[] json = "{\"Label\":\"2\",\"ContentProducer\":\"\",\"ProduceID\":\"\",\"ReservedCode1\":\"\",\"ContentPropagator\":\"001191110102MACQD9K64010000\",\"PropagateID\":\"p-9\",\"ReservedCode2\":\"\"}"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] data = TestSupport.concat(new byte[] {0, 'e', 'n', 'g', 'a', 'i', 'g', 'c', 0}, json);
        byte[] frame = TestSupport.concat(new byte[] {'C', 'O', 'M', 'M', 0, 0, (byte) (data.length >>> 8), (byte) data.length, 0, 0}, data);
        byte[] tag = TestSupport.concat(new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, (byte) (frame.length >>> 7), (byte) (frame.length & 0x7F)}, frame);
        byte[] in = TestSupport.concat(tag, Fixtures.bytes("audio/complete-bare.mp3"));
        InspectReport r = LABELER.inspect(in, "comm.mp3", List.of());
        assertEquals(List.of("id3:COMM:aigc"), r.labels().stream().map(InspectReport.FoundLabel::source).toList());
        assertEquals("p-9", r.labels().get(0).label().propagateId());
        byte[] out = LABELER.label(in, "comm.mp3", REQUEST).bytes();
        InspectReport o = LABELER.inspect(out, "comm.mp3", List.of());
        assertEquals(List.of("id3:TXXX:AIGC"), o.labels().stream().map(InspectReport.FoundLabel::source).toList());
        assertEquals(audioMd5(Fixtures.path("audio/complete-bare.mp3")), audioMd5(TestSupport.temp("comm.mp3", out)));
    }

    /**
     * An ID3v2.2 tag (3-byte frame ids; built here from the ID3v2.2 spec's layout: the tools at hand write 2.3/2.4) gets
     * a {@code TXX} frame described AIGC in the same version, its other frames kept; exiftool (an independent ID3
     * reader) reads the record and the title back, and ffmpeg's demuxer the same audio packets.
     */
    @Test
    void anId3v22TagTakesTheRecordInItsOwnVersion() {
        byte[] title = TestSupport.concat(new byte[] {'T', 'T', '2', 0, 0, 9, 0}, "Complete".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        byte[] artist = TestSupport.concat(new byte[] {'T', 'P', '1', 0, 0, 12, 0}, "freedesktop".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        byte[] frames = TestSupport.concat(title, artist, new byte[64]);
        byte[] tag = TestSupport.concat(new byte[] {'I', 'D', '3', 2, 0, 0, 0, 0, (byte) (frames.length >>> 7), (byte) (frames.length & 0x7F)}, frames);
        byte[] in = TestSupport.concat(tag, Fixtures.bytes("audio/complete-bare.mp3"));
        byte[] out = LABELER.label(in, "v22.mp3", REQUEST).bytes();
        assertEquals(2, out[3], "the tag stays ID3v2.2");
        InspectReport o = LABELER.inspect(out, "v22.mp3", List.of());
        assertEquals(List.of("id3:TXX:AIGC"), o.labels().stream().map(InspectReport.FoundLabel::source).toList());
        assertEquals(REQUEST.label(), o.labels().get(0).label());
        assertTrue(o.problems().isEmpty(), o.problems().toString());
        Path written = TestSupport.temp("v22.mp3", out);
        TestSupport.requireTool("exiftool");
        String exif = TestSupport.run("exiftool", "-a", "-G1", "-s", "-UserDefinedText", "-Title", "-Artist", written.toString());
        assertTrue(exif.contains("[ID3v2_2]") && exif.contains("(AIGC) " + REQUEST.label().toBareJson()), exif);
        assertTrue(exif.contains("Complete") && exif.contains("freedesktop"), "the other frames are kept: " + exif);
        assertEquals(audioMd5(Fixtures.path("audio/complete-bare.mp3")), audioMd5(written));
        byte[] again = LABELER.label(out, "v22.mp3", LabelRequest.produced(PRODUCER, "tts-0002")).bytes();
        InspectReport twice = LABELER.inspect(again, "v22.mp3", List.of());
        assertEquals(List.of("tts-0002"), twice.labels().stream().map(l -> l.label().produceId()).toList(), "relabelling leaves one record");
    }

    /**
     * A chained Ogg Vorbis file (two files one after the other, as {@code cat} or a stream dump makes them): every link's
     * comment header gets the record, so each link played or cut out alone is labelled. ogginfo (libogg/libvorbis, an
     * independent reader) parses both links without a warning and shows the record in each; each link's audio data
     * keeps its length and the content digest (headers but the comment, granules, lacing, bodies) is unchanged.
     */
    @Test
    void everyLinkOfAChainedOggGetsTheRecord() {
        TestSupport.requireTool("ogginfo");
        byte[] in = TestSupport.concat(Fixtures.bytes("audio/complete.oga"), Fixtures.bytes("audio-cue/freedesktop-bell.oga"));
        Path inFile = TestSupport.temp("chain.oga", in);
        byte[] out = LABELER.label(in, "chain.oga", REQUEST).bytes();
        Path outFile = TestSupport.temp("chain-labelled.oga", out);
        String info = TestSupport.run("ogginfo", outFile.toString());
        assertEquals(2, count(info, "AIGC=" + REQUEST.label().toBareJson()), info);
        assertFalse(info.toLowerCase(java.util.Locale.ROOT).contains("warning") || info.contains("ERROR"), info);
        assertEquals(dataLengths(TestSupport.run("ogginfo", inFile.toString())), dataLengths(info));
        InspectReport o = LABELER.inspect(out, "chain.oga", List.of());
        assertEquals(List.of("ogg-comment:AIGC"), o.labels().stream().map(InspectReport.FoundLabel::source).toList());
        assertTrue(o.problems().stream().anyMatch(n -> n.contains("the other 1 Vorbis/Opus stream(s) carry the same record")),
                o.problems().toString());
        assertFalse(o.damaged(), o.problems().toString());
        assertEquals(java.util.HexFormat.of().formatHex(LABELER.contentDigest(inFile, "SHA-256")),
                java.util.HexFormat.of().formatHex(LABELER.contentDigest(outFile, "SHA-256")));
        byte[] again = LABELER.label(out, "chain.oga", LabelRequest.produced(PRODUCER, "tts-0002")).bytes();
        String twice = TestSupport.run("ogginfo", TestSupport.temp("chain-twice.oga", again).toString());
        assertEquals(2, count(twice, "\"ProduceID\":\"tts-0002\""), twice);
        assertEquals(0, count(twice, "tts-0001"), "relabelling replaces the record in every link: " + twice);
    }

    /** A multiplexed Ogg (a Vorbis and an Opus stream side by side, muxed by ffmpeg): both comment headers get it. */
    @Test
    void everyStreamOfAMultiplexedOggGetsTheRecord() {
        TestSupport.requireTool("ffmpeg");
        TestSupport.requireTool("ffprobe");
        Path mux = TestSupport.temp("mux.ogg", new byte[0]);
        TestSupport.run("ffmpeg", "-v", "error", "-y", "-i", Fixtures.path("audio/complete.oga").toString(), "-i",
                Fixtures.path("audio/complete.opus").toString(), "-map", "0:a", "-map", "1:a", "-c", "copy", mux.toString());
        Path written = mux.resolveSibling("mux-labelled.ogg");
        LABELER.label(mux, written, REQUEST);
        String tags = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name:stream_tags=AIGC", "-of",
                "compact", written.toString());
        assertEquals(2, count(tags, "tag:AIGC=" + REQUEST.label().toBareJson()), tags);
        assertTrue(tags.contains("vorbis") && tags.contains("opus"), tags);
        assertEquals(audioMd5(mux), audioMd5(written), "every audio packet of both streams is unchanged");
    }

    private static int count(String hay, String needle) {
        int n = 0;
        for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<String> dataLengths(String ogginfo) {
        return ogginfo.lines().filter(l -> l.contains("Total data length")).map(String::strip).toList();
    }

    @Test
    void theMp3TagKeepsItsOtherFramesAndTheAudioDoesNotMove() {
        byte[] in = Fixtures.bytes("audio/ffmpeg-txxx-v23.mp3");
        byte[] out = LABELER.label(in, "v23.mp3", REQUEST).bytes();
        // v2.3 stays v2.3 and its record is replaced inside the same tag
        assertEquals(3, out[3]);
        String frames = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "default=nw=1",
                TestSupport.temp("v23.mp3", out).toString());
        assertTrue(frames.contains("TAG:AIGC=" + REQUEST.label().toBareJson()), frames);
        Mp3Handler.Layout before = Mp3Handler.layout(in, new org.aigcmark.format.ContainerScan(MediaType.MP3), org.aigcmark.Limits.DEFAULT);
        Mp3Handler.Layout after = Mp3Handler.layout(out, new org.aigcmark.format.ContainerScan(MediaType.MP3), org.aigcmark.Limits.DEFAULT);
        assertEquals(java.util.Arrays.copyOfRange(in, before.audioStart(), in.length).length,
                out.length - after.audioStart());
        assertTrue(java.util.Arrays.equals(in, before.audioStart(), in.length, out, after.audioStart(), out.length));
    }

    @Test
    void flacPaddingAbsorbsTheRecordSoTheFramesStayPut() {
        byte[] in = Fixtures.bytes("audio/complete.flac");
        byte[] out = LABELER.label(in, "a.flac", REQUEST).bytes();
        var scan = new org.aigcmark.format.ContainerScan(MediaType.FLAC);
        int start = FlacHandler.layout(in, scan).audioStart();
        assertEquals(in.length, out.length, "ffmpeg's FLAC has a PADDING block that takes the record");
        assertTrue(java.util.Arrays.equals(in, start, in.length, out, start, out.length));
    }

    @Test
    void oggPagesAreRenumberedWithValidCrcs() {
        for (String f : List.of("audio/complete.oga", "audio/complete.opus")) {
            byte[] in = Fixtures.bytes(f);
            byte[] out = LABELER.label(in, f, REQUEST).bytes();
            var scan = new org.aigcmark.format.ContainerScan(MediaType.OGG);
            List<OggHandler.Page> pages = OggHandler.pages(out, scan);
            assertFalse(scan.damaged(), scan.damage().toString());
            for (int i = 0; i < pages.size(); i++) {
                assertEquals(i, pages.get(i).seq(), "page sequence numbers run 0, 1, 2, ...");
            }
        }
    }

    /** The platform step on audio: one record, the producer's fields kept, the platform's added, audio untouched. */
    @ParameterizedTest
    @ValueSource(strings = {"audio/ffmpeg-info-icmt.wav", "audio/ffmpeg-two-records.mp3", "audio/ffmpeg-two-records.flac",
        "audio/ffmpeg-two-records.opus"})
    void propagateKeepsOneRecordWithTheProducersFields(String fixture) {
        byte[] out = LABELER.propagate(Fixtures.bytes(fixture), fixture,
                org.aigcmark.PropagateRequest.of("001191110102MACQD9K64010000", "upload-77")).bytes();
        InspectReport r = LABELER.inspect(out, fixture, List.of());
        assertEquals(1, r.labels().size(), r.labels().toString());
        assertEquals("sample-001", r.labels().get(0).label().produceId());
        assertEquals("upload-77", r.labels().get(0).label().propagateId());
        assertEquals(audioMd5(Fixtures.path(fixture)), audioMd5(TestSupport.temp("p-" + Path.of(fixture).getFileName(), out)));
    }

    /** A video's audio track is covered by the container's one record: labelling leaves its packets as they were. */
    @Test
    void theAudioTrackOfAnMp4KeepsItsPackets() {
        Path in = Fixtures.path("video/sample-720p.mp4");
        Path out = TestSupport.temp("v.mp4", LABELER.label(Fixtures.bytes("video/sample-720p.mp4"), "v.mp4", REQUEST).bytes());
        assertEquals(1, LABELER.inspect(out, List.of()).labels().size());
        assertEquals(audioMd5(in), audioMd5(out));
    }

    @Test
    void signedRecordsVerify() {
        LabelKeys.SigningKey key = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        var pub = LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"));
        for (String f : List.of("audio/complete.wav", "audio/complete.mp3", "audio/complete.flac", "audio/complete.opus")) {
            byte[] out = LABELER.label(Fixtures.bytes(f), f, REQUEST.withSigningKey(key)).bytes();
            InspectReport r = LABELER.inspect(out, f, List.of(pub));
            assertEquals(LabelSignatures.Status.VALID, r.labels().get(0).signature(), f);
            // relabelled by the same producer with the same key: still one record, still valid
            byte[] again = LABELER.label(out, f, REQUEST.withSigningKey(key)).bytes();
            assertEquals(LabelSignatures.Status.VALID, LABELER.inspect(again, f, List.of(pub)).labels().get(0).signature(), f);
        }
    }

    @Test
    void detectGivesTheRecordsVerdict() {
        Detector d = Detector.create(LABELER, List.of(), List.of(), List.of());
        for (String f : List.of("audio/ffmpeg-info-icmt.wav", "audio/ffmpeg-txxx-v23.mp3", "audio/ffmpeg-aigc.oga")) {
            DetectionReport r = d.detect(Fixtures.path(f), false);
            assertEquals("1", r.verdict().labelCode(), f + ": " + r.verdict());
            assertEquals(org.aigcmark.detection.Verdict.Rule.METADATA, r.verdict().rule(), f);
        }
        DetectionReport clean = d.detect(Fixtures.path("audio/complete.wav"), false);
        assertTrue(clean.verdict().label().isEmpty(), clean.verdict().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio/complete.wav", "audio/complete.mp3", "audio/complete.flac", "audio/complete.opus"})
    void aVisibleLabelOrWatermarkOnAudioIsAUsageErrorNamingWhatAudioTakes(String fixture) {
        var e = assertThrows(AigcmarkException.class, () -> LABELER.label(Fixtures.bytes(fixture), fixture,
                REQUEST.withVisible(new VisibleLabelOptions(null, null, VisibleLabelOptions.DEFAULT_FRACTION))));
        assertEquals(ExitCodes.USAGE, ExitCodes.of(e.reason()), e.getMessage());
        assertTrue(e.getMessage().contains("metadata record") && e.getMessage().contains("--cue"), e.getMessage());
    }

    /** Cut at the header, in the metadata, in the middle and one byte short: refused with a typed bad-input error. */
    @ParameterizedTest
    @ValueSource(strings = {"audio/complete.wav", "audio/complete-rf64.wav", "audio/complete.mp3", "audio/complete-bare.mp3",
        "audio/complete.flac", "audio/complete.oga", "audio/complete.opus"})
    void truncatedFilesAreRefusedWithBadInput(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        for (int cut : new int[] {12, 40, in.length / 2 + 7, in.length - 1}) {
            byte[] t = java.util.Arrays.copyOf(in, cut);
            var e = assertThrows(AigcmarkException.class, () -> LABELER.label(t, fixture, REQUEST), fixture + " cut at " + cut);
            assertEquals(ExitCodes.BAD_INPUT, ExitCodes.of(e.reason()), e.getMessage());
            assertTrue(LABELER.inspect(t, fixture, List.of()).damaged(), fixture + " cut at " + cut);
        }
    }

    /** The magic bytes kept, the rest random: a typed error or a damaged scan, never a crash or a hang. */
    @ParameterizedTest
    @ValueSource(strings = {"audio/complete.wav", "audio/complete.mp3", "audio/complete.flac", "audio/complete.opus"})
    void garbageAfterTheMagicIsBadInput(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        java.util.Random random = new java.util.Random(15);
        for (int round = 0; round < 20; round++) {
            byte[] g = new byte[in.length];
            random.nextBytes(g);
            // the magic bytes kept: RIFF....WAVE, ID3 and its version, fLaC, OggS and its version
            int keep = fixture.endsWith(".wav") ? 12 : fixture.endsWith(".mp3") ? 4 : 5;
            System.arraycopy(in, 0, g, 0, keep);
            if (fixture.endsWith(".wav")) {
                System.arraycopy(g, 40, g, 4, 4); // a random RIFF size
            }
            if (MediaType.sniff(g) == MediaType.sniff(in)) {
                var e = assertThrows(AigcmarkException.class, () -> LABELER.label(g, fixture, REQUEST));
                assertEquals(ExitCodes.BAD_INPUT, ExitCodes.of(e.reason()), e.getMessage());
            }
        }
    }

    /** Random byte changes in real files: a label written and read back, or a typed error; never another throwable. */
    @ParameterizedTest
    @ValueSource(strings = {"audio/complete.wav", "audio/complete-rf64.wav", "audio/ffmpeg-txxx-v23.mp3", "audio/complete-bare.mp3",
        "audio/ffmpeg-two-records.flac", "audio/ffmpeg-aigc.oga", "audio/ffmpeg-two-records.opus", "audio/id3-chunk.wav",
        "audio/info-aigc.wav"})
    void mutatedFilesNeverCrashTheHandlers(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        java.util.Random random = new java.util.Random(fixture.hashCode());
        for (int round = 0; round < 150; round++) {
            byte[] m = in.clone();
            // mostly the metadata at the front, where the parsers work
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                int at = random.nextInt(random.nextBoolean() ? Math.min(m.length, 600) : m.length);
                m[at] = (byte) random.nextInt(256);
            }
            try {
                LABELER.inspect(m, fixture, List.of());
                LABELER.label(m, fixture, REQUEST);
            } catch (AigcmarkException e) {
                assertFalse(e.getMessage().contains("did not expect"), e.getMessage());
            }
        }
    }

    @Test
    void m4aWithAVisibleLabelIsAUsageErrorToo() {
        var e = assertThrows(AigcmarkException.class, () -> LABELER.label(Fixtures.bytes("audio/complete.m4a"), "a.m4a",
                REQUEST.withVisible(new VisibleLabelOptions(null, null, VisibleLabelOptions.DEFAULT_FRACTION))));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("M4A audio"), e.getMessage());
        assertTrue(MediaType.isAudio(Fixtures.bytes("audio/complete.m4a")));
        assertFalse(MediaType.isAudio(Fixtures.bytes("video/sample-720p.mp4")));
    }

    @Test
    void audioSniffsByMagicBytes() {
        assertEquals(MediaType.WAV, MediaType.sniff(Fixtures.bytes("audio/complete-rf64.wav")));
        assertNotEquals(MediaType.WAV, MediaType.sniff("RF64xxxxAVI ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    }
}
