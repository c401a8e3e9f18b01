package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.PropagateRequest;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming path ({@link FormatHandler#streaming()}, used by the Path methods of {@link Labeler}) against the
 * in-memory one on the same files: byte-identical outputs, equal content digests, equal inspect reports, the same
 * refusals on damaged files.
 */
class StreamingEquivalenceTest {
    static final String CODE = "00119144030008867405X210002";
    static final Labeler LABELER = Labeler.create();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"video/sample-720p.mp4", "video/sample-360p-2s5.mp4", "video-labeled/ffmpeg-mdta.mp4",
            "video-labeled/doubao-moov-meta.mov", "video-labeled/mdir-freeform.m4a", "video-labeled/mdir-keyless.mp4",
            "video-labeled/xmp-uuid-and-mdta.mp4"})
    void mp4LabelPropagateAndDigestEqualTheInMemoryPath(String fixture) throws Exception {
        sameAsInMemory(Fixtures.path(fixture), fixture);
    }

    @ParameterizedTest
    @ValueSource(strings = {"video-labeled/ffmpeg-simpletag.mkv", "video-labeled/mkvmerge-tags-at-end.mkv",
            "video-labeled/ffmpeg-simpletag-audio.webm"})
    void matroskaLabelPropagateAndDigestEqualTheInMemoryPath(String fixture) throws Exception {
        sameAsInMemory(Fixtures.path(fixture), fixture);
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio/complete.wav", "audio/complete-rf64.wav", "audio/id3-chunk.wav", "audio/info-aigc.wav",
            "audio/ffmpeg-info-icmt.wav"})
    void wavLabelPropagateAndDigestEqualTheInMemoryPath(String fixture) throws Exception {
        assertTrue(LABELER.readUnlessStreaming(Fixtures.path(fixture)).isEmpty(), fixture + " streams from disk");
        sameAsInMemory(Fixtures.path(fixture), fixture);
    }

    @Test
    void anFfmpegMkvEqualsTheInMemoryPath() throws Exception {
        // ffmpeg puts Tags after the clusters: the label goes in front of them, moving every cluster (Cues remapped)
        org.aigcmark.TestSupport.requireTool("ffmpeg");
        Path mkv = dir.resolve("remuxed.mkv");
        org.aigcmark.TestSupport.run("ffmpeg", "-v", "error", "-i", Fixtures.path("video/sample-360p-2s5.mp4").toString(),
                "-c", "copy", mkv.toString());
        sameAsInMemory(mkv, "remuxed.mkv");
    }

    @Test
    void mp4WithMoovAfterTheMediaEqualsTheInMemoryPath() throws Exception {
        Path moovLast = dir.resolve("moov-last.mp4");
        Files.write(moovLast, moovAfterMdat(Fixtures.bytes("video/sample-360p-2s5.mp4")));
        assertTrue(LABELER.inspect(moovLast, List.of()).problems().isEmpty(), "the rebuilt file is a clean movie");
        sameAsInMemory(moovLast, "moov-last.mp4");
    }

    void sameAsInMemory(Path in, String name) throws Exception {
        byte[] bytes = Files.readAllBytes(in);
        LabelKeys.SigningKey ed25519 = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        LabelRequest request = LabelRequest.produced(CODE, "stream-1").withSigningKey(ed25519);

        byte[] inMemory = LABELER.label(bytes, name, request).bytes();
        Path out = dir.resolve("out-" + in.getFileName());
        LabelResult streamed = LABELER.label(in, out, request);
        assertEquals(0, streamed.bytes().length, "the streamed result holds no copy of the file");
        assertArrayEquals(inMemory, Files.readAllBytes(out), name + ": streamed label output differs from the in-memory one");

        PropagateRequest platform = PropagateRequest.of("platform-x", "p-1").withLabel("2").withSigningKey(ed25519);
        byte[] propagatedInMemory = LABELER.propagate(inMemory, name, platform).bytes();
        Path propagated = dir.resolve("prop-" + in.getFileName());
        LABELER.propagate(out, propagated, platform);
        assertArrayEquals(propagatedInMemory, Files.readAllBytes(propagated), name + ": streamed propagate output differs");

        for (String digestName : List.of("SHA-256")) { // SM3: Sm2SignaturesTest in aigcmark-sm2
            assertArrayEquals(inMemoryDigest(bytes, digestName), LABELER.contentDigest(in, digestName), name + " " + digestName);
        }
        assertEquals(ReportJson.toJson(LABELER.inspect(inMemory, out.toString(), List.of())),
                ReportJson.toJson(LABELER.inspect(out, List.of())), name + ": streamed inspect report differs");
    }

    static byte[] inMemoryDigest(byte[] bytes, String digestName) {
        FormatHandler h = LABELER.handlerFor(bytes, "x");
        MessageDigest md = LabelSignatures.newDigest(digestName);
        h.writer().orElseThrow().digestContent(bytes, md, Limits.DEFAULT);
        PresentationDigest.begin(md); // the version 2 digest new signatures bind to
        h.writer().orElseThrow().digestPresentation(bytes, md, Limits.DEFAULT);
        return md.digest();
    }

    /** Every damaged or hostile video fixture: the streamed inspect reports what the in-memory one does. */
    @ParameterizedTest
    @ValueSource(strings = {"bad-video/box-size-past-eof.mp4", "bad-video/chunk-offset-past-eof.mp4",
            "bad-video/corrupt-packets.mp4", "bad-video/nesting-bomb.mp4", "bad-video/no-moov.mp4",
            "bad-video/truncated-half.mp4", "bad-video/truncated-half.mkv"})
    void damagedFilesReportAndRefuseAlike(String fixture) {
        Path in = Fixtures.path(fixture);
        byte[] bytes = Fixtures.bytes(fixture);
        assertEquals(ReportJson.toJson(LABELER.inspect(bytes, in.toString(), List.of())),
                ReportJson.toJson(LABELER.inspect(in, List.of())), fixture);
        LabelRequest request = LabelRequest.produced(CODE, "bad-1");
        AigcmarkException inMemory = assertThrows(AigcmarkException.class, () -> LABELER.label(bytes, in.toString(), request));
        Path out = dir.resolve("out.mp4");
        AigcmarkException streamed = assertThrows(AigcmarkException.class, () -> LABELER.label(in, out, request));
        assertEquals(inMemory.reason(), streamed.reason(), fixture);
        assertEquals(inMemory.getMessage(), streamed.getMessage(), fixture);
        assertTrue(Files.notExists(out), "nothing is left behind");
    }

    /**
     * Seeded mutants (bytes overwritten in the metadata, or the file cut) of an MP4, an MKV and a WebM: the streamed
     * inspect reports exactly what the in-memory one does, and label gives the same bytes or the same refusal.
     */
    @ParameterizedTest
    @ValueSource(strings = {"video-labeled/xmp-uuid-and-mdta.mp4", "video-labeled/ffmpeg-simpletag.mkv",
            "video-labeled/ffmpeg-simpletag-audio.webm", "audio/id3-chunk.wav", "audio/info-aigc.wav",
            "audio/complete-rf64.wav"})
    void mutantsBehaveAlikeOnBothPaths(String fixture) throws IOException {
        byte[] original = Fixtures.bytes(fixture);
        java.util.Random random = new java.util.Random(fixture.hashCode());
        LabelRequest request = LabelRequest.produced(CODE, "mutant-1");
        Path in = dir.resolve("mutant");
        Path out = dir.resolve("mutant-out");
        for (int i = 0; i < Integer.getInteger("aigcmark.mutants", 60); i++) {
            byte[] m = original.clone();
            if (i % 5 == 4) {
                m = java.util.Arrays.copyOf(m, random.nextInt(m.length));
            } else {
                int head = Math.min(m.length, 6000); // the metadata sits at the front of these files
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    // a WAV's chunk headers are at the front, its metadata chunks may be last
                    int at = !fixture.endsWith(".wav") ? random.nextInt(head)
                            : random.nextBoolean() ? random.nextInt(96) : m.length - 1 - random.nextInt(Math.min(m.length, 320));
                    m[at] = (byte) random.nextInt(256);
                }
            }
            Files.write(in, m);
            String where = fixture + " mutant " + i;
            String memoryReport = outcome(() -> ReportJson.toJson(LABELER.inspect(Files.readAllBytes(in), in.toString(), List.of())));
            assertEquals(memoryReport, outcome(() -> ReportJson.toJson(LABELER.inspect(in, List.of()))), where);
            String memoryLabel = outcome(() -> java.util.HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(LABELER.label(Files.readAllBytes(in), in.toString(), request).bytes())));
            String streamedLabel = outcome(() -> {
                LABELER.label(in, out, request);
                return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out)));
            });
            assertEquals(memoryLabel, streamedLabel, where);
            Files.deleteIfExists(out);
        }
    }

    /** The result, or the exception's reason and message. */
    private static String outcome(java.util.concurrent.Callable<String> c) {
        try {
            return c.call();
        } catch (AigcmarkException e) {
            return e.reason() + ": " + e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aMoovOverTheMetadataLimitIsRefusedWithLimitExceeded() {
        Limits small = new Limits(Limits.DEFAULT.maxFileBytes(), Limits.DEFAULT.maxPixels(), 4096, Limits.DEFAULT.maxInflatedBytes());
        Labeler tight = Labeler.create(FormatRegistry.defaults(), small);
        Path in = Fixtures.path("video/sample-720p.mp4"); // its moov is 5159 bytes
        Path out = dir.resolve("out.mp4");
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> tight.label(in, out, LabelRequest.produced(CODE, "x")));
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("'moov' box at byte 32 holds 5159 bytes, over the limit of 4096"), e.getMessage());
        assertTrue(tight.inspect(in, List.of()).damaged());
        assertTrue(Files.notExists(out));
    }

    @Test
    void anMp4OverTheInMemoryLimitIsLabelledInspectedAndDigestedFromDisk() throws IOException {
        // The whole-file limit stands for "too big for memory": 100 KB here, so the 963 KB movie is over it.
        Limits small = new Limits(100_000, Limits.DEFAULT.maxPixels(), Limits.DEFAULT.maxSegmentBytes(), Limits.DEFAULT.maxInflatedBytes());
        Labeler tight = Labeler.create(FormatRegistry.defaults(), small);
        Path in = Fixtures.path("video/sample-720p.mp4");
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED,
                assertThrows(AigcmarkException.class, () -> tight.readInput(in)).reason(), "the in-memory path refuses it");
        assertTrue(tight.readUnlessStreaming(in).isEmpty(), "the movie streams: nothing of it is read into memory");
        Path out = dir.resolve("out.mp4");
        LabelRequest request = LabelRequest.produced(CODE, "big-1");
        tight.label(in, out, request);
        assertArrayEquals(LABELER.label(Fixtures.bytes("video/sample-720p.mp4"), "x.mp4", request).bytes(), Files.readAllBytes(out));
        assertEquals("big-1", tight.inspect(out, List.of()).labels().get(0).label().produceId());
        assertArrayEquals(LABELER.contentDigest(in, "SHA-256"), tight.contentDigest(out, "SHA-256"));
        // images have no streaming capability: the limit still applies to them
        Path jpeg = Fixtures.list("photos").stream().filter(p -> p.toString().endsWith(".jpg") && p.toFile().length() > 100_000).findFirst().orElseThrow();
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, assertThrows(AigcmarkException.class,
                () -> tight.label(jpeg, dir.resolve("o.jpg"), LabelRequest.produced(CODE, "x"))).reason());
    }

    @Test
    void labellingInPlaceReplacesTheFileAtomically() throws IOException {
        Path file = dir.resolve("in-place.mp4");
        Files.copy(Fixtures.path("video/sample-360p-2s5.mp4"), file);
        LabelRequest request = LabelRequest.produced(CODE, "in-place-1");
        LABELER.label(file, file, request);
        assertArrayEquals(LABELER.label(Fixtures.bytes("video/sample-360p-2s5.mp4"), "x.mp4", request).bytes(), Files.readAllBytes(file));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temp file is left beside it");
        }
    }

    @Test
    void hostileSizesAreDamageNotAllocations() throws IOException {
        // a moov declaring 3 GB (64-bit size) in a 60-byte file, and a box count bomb: typed, bounded, no OOM
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(java.util.HexFormat.of().parseHex("00000014667479706d703432000000006d703432")); // ftyp
        b.writeBytes(java.util.HexFormat.of().parseHex("000000016d6f6f7600000000c0000000")); // moov, largesize 3 GiB
        b.writeBytes(new byte[24]);
        Path bomb = dir.resolve("bomb.mp4");
        Files.write(bomb, b.toByteArray());
        var report = LABELER.inspect(bomb, List.of());
        assertTrue(report.damaged());
        assertTrue(report.problems().get(0).contains("box 'moov' at byte 20 declares 3221225472 bytes but only 40 remain"),
                report.problems().toString());
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> LABELER.label(bomb, dir.resolve("o.mp4"), LabelRequest.produced(CODE, "x")));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());

        Path many = dir.resolve("many.mp4");
        byte[] free = java.util.HexFormat.of().parseHex("0000000866726565");
        try (var out = Files.newOutputStream(many)) {
            out.write(java.util.HexFormat.of().parseHex("00000014667479706d703432000000006d703432"));
            for (int i = 0; i < 200_001; i++) {
                out.write(free);
            }
        }
        var r = LABELER.inspect(many, List.of());
        assertTrue(r.problems().contains("more than 200000 boxes (over the limit)"), r.problems().toString());
        assertEquals(ReportJson.toJson(LABELER.inspect(Files.readAllBytes(many), many.toString(), List.of())), ReportJson.toJson(r));
    }

    @Test
    void matroskaTagsOverTheMetadataLimitAreRefusedWithLimitExceeded() {
        Limits small = new Limits(Limits.DEFAULT.maxFileBytes(), Limits.DEFAULT.maxPixels(), 64, Limits.DEFAULT.maxInflatedBytes());
        Labeler tight = Labeler.create(FormatRegistry.defaults(), small);
        Path in = Fixtures.path("video-labeled/ffmpeg-simpletag.mkv");
        Path out = dir.resolve("out.mkv");
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> tight.label(in, out, LabelRequest.produced(CODE, "x")));
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("over the limit of 64 bytes of metadata held in memory"), e.getMessage());
        assertTrue(Files.notExists(out));
    }

    @Test
    void aFileThatShrinksWhileCopiedFailsAndLeavesNothing() throws IOException {
        // The walk sees the whole file; then the media is cut before the copy: a typed error, no output.
        Path in = dir.resolve("in.mp4");
        Files.write(in, Fixtures.bytes("video/sample-360p-2s5.mp4"));
        FormatHandler.Streaming s = LABELER.handlerFor(Fixtures.bytes("video/sample-360p-2s5.mp4"), "x").streaming().orElseThrow();
        try (FileChannel ch = FileChannel.open(in, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel out = FileChannel.open(dir.resolve("o.mp4"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            var shrinking = new java.nio.channels.SeekableByteChannel() {
                boolean cut;
                public int read(java.nio.ByteBuffer dst) throws IOException { return ch.read(dst); }
                public int write(java.nio.ByteBuffer src) { throw new UnsupportedOperationException(); }
                public long position() throws IOException { return ch.position(); }
                public java.nio.channels.SeekableByteChannel position(long p) throws IOException {
                    if (p > 100_000 && !cut) {
                        cut = true;
                        ch.truncate(100_000);
                    }
                    ch.position(p);
                    return this;
                }
                public long size() throws IOException { return cut ? 161_581 : ch.size(); }
                public java.nio.channels.SeekableByteChannel truncate(long size) { throw new UnsupportedOperationException(); }
                public boolean isOpen() { return ch.isOpen(); }
                public void close() { }
            };
            AigcmarkException e = assertThrows(AigcmarkException.class,
                    () -> s.writeLabel(shrinking, AigcLabel.produced(CODE, "x"), out, Limits.DEFAULT));
            assertEquals(AigcmarkException.Reason.INPUT_UNREADABLE, e.reason(), e.getMessage());
        }
    }

    /** The same movie with {@code moov} moved after {@code mdat} (how cameras write), chunk offsets adjusted. */
    static byte[] moovAfterMdat(byte[] faststart) {
        // ftyp(32) moov(3237) free(8) mdat(...): write ftyp, mdat, moov
        int moovAt = 32;
        int moovSize = 3237;
        int mdatAt = moovAt + moovSize + 8;
        byte[] moov = java.util.Arrays.copyOfRange(faststart, moovAt, moovAt + moovSize);
        int shift = 32 - mdatAt;
        // stco entries: find each 'stco' and shift its offsets
        for (int p = 0; p + 8 < moov.length; p++) {
            if (moov[p] == 's' && moov[p + 1] == 't' && moov[p + 2] == 'c' && moov[p + 3] == 'o') {
                int count = java.nio.ByteBuffer.wrap(moov, p + 8, 4).getInt();
                for (int i = 0; i < count; i++) {
                    int at = p + 12 + 4 * i;
                    java.nio.ByteBuffer.wrap(moov).putInt(at, java.nio.ByteBuffer.wrap(moov).getInt(at) + shift);
                }
            }
        }
        byte[] out = new byte[faststart.length - 8];
        System.arraycopy(faststart, 0, out, 0, 32);
        System.arraycopy(faststart, mdatAt, out, 32, faststart.length - mdatAt);
        System.arraycopy(moov, 0, out, 32 + faststart.length - mdatAt, moovSize);
        return out;
    }
}
