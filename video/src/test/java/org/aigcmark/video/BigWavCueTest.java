package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.audio.CuePosition;
import org.aigcmark.audio.CueInsertion;
import org.aigcmark.audio.RhythmCue;
import org.aigcmark.audio.RhythmCueDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.aigcmark.testdata.Allocations;

/**
 * The rhythm cue into a WAV past the in-memory limit ({@link Limits#maxFileBytes()}, 512 MiB): {@link AudioCueMediaLabeler}
 * splices it from disk to disk ({@link org.aigcmark.audio.WavCueSplicer}) and the record is then written by the
 * streaming WAV handler, so the heap this thread allocates stays far below the file's size. The input's 600 MiB of
 * samples are sparse zeros with a block of random samples in the middle of the file (to see the content moved
 * intact); the outputs are written for real in the temp folder.
 */
class BigWavCueTest {
    static final int RATE = 44_100;
    static final int FRAME = 4; // 16-bit stereo

    @TempDir
    Path dir;

    @Test
    void aCueGoesIntoAWavOverTheInMemoryLimitInBoundedMemory() throws Exception {
        long dataBytes = 600L << 20;
        Path in = dir.resolve("big.wav");
        byte[] marker = new byte[64 * 1024];
        new Random(15).nextBytes(marker);
        long markerAt = 44 + (300L << 20);
        try (RandomAccessFile f = new RandomAccessFile(in.toFile(), "rw")) {
            f.write(header(dataBytes));
            f.setLength(44 + dataBytes);
            f.seek(markerAt);
            f.write(marker);
        }
        assertTrue(Files.size(in) > Limits.DEFAULT.maxFileBytes(), "the WAV is past the in-memory limit");

        Path out = dir.resolve("cued.wav");
        LabelRequest request = LabelRequest.produced("00119144030008867405X210002", "big-cue").withCue(CuePosition.START)
                .withCue(CuePosition.END);
        long allocated = Allocations.allocated(() -> Labeler.create().label(in, out, request));
        assertTrue(allocated < 64L << 20, "putting the cue into a " + Files.size(in) + "-byte WAV allocated " + allocated + " bytes");

        int cueBytes = RhythmCue.standard().synthesize(RATE).length * FRAME;
        int padBytes = (int) Math.round(CueInsertion.PAD_SECONDS * RATE) * FRAME;
        long newData = dataBytes + 2L * (cueBytes + padBytes);
        try (FileChannel o = FileChannel.open(out)) {
            ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            o.read(h, 0);
            assertEquals("data", new String(h.array(), 36, 4, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(newData, h.getInt(40) & 0xFFFF_FFFFL, "data grew by two cues and their pauses");
            ByteBuffer moved = ByteBuffer.allocate(marker.length);
            o.read(moved, markerAt + cueBytes + padBytes);
            assertArrayEquals(marker, moved.array(), "the content follows the start cue, unchanged");
            RhythmCueDetector detector = RhythmCueDetector.standard();
            List<RhythmCueDetector.Found> atStart = detector.detect(mono(o, 44, 3 * RATE), RATE);
            assertEquals(1, atStart.size(), atStart.toString());
            assertEquals(0.0, atStart.get(0).startSeconds(), 0.02);
            long tail = 44 + newData - 3L * RATE * FRAME;
            List<RhythmCueDetector.Found> atEnd = detector.detect(mono(o, tail, 3 * RATE), RATE);
            assertEquals(1, atEnd.size(), atEnd.toString());
            assertEquals(3.0 - cueBytes / (double) FRAME / RATE, atEnd.get(0).startSeconds(), 0.02, "the end cue closes the file");
        }
        InspectReport report = Labeler.create().inspect(out, List.of());
        assertEquals(1, report.labels().size(), report.labels().toString());
        assertEquals("big-cue", report.labels().get(0).label().produceId());
        Tools.require("ffprobe");
        String probed = Tools.ffprobe(out, "stream=codec_name,sample_rate,channels,duration");
        assertTrue(probed.contains("pcm_s16le") && probed.contains("sample_rate=44100"), probed);
        double seconds = Double.parseDouble(probed.lines().filter(l -> l.startsWith("duration=")).findFirst().orElseThrow()
                .substring("duration=".length()));
        assertEquals(newData / (double) FRAME / RATE, seconds, 0.01, "ffprobe reads the grown length");
    }

    /** {@code frames} 16-bit stereo frames from {@code at}, averaged to mono floats. */
    private static float[] mono(FileChannel f, long at, int frames) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.allocate(frames * FRAME).order(ByteOrder.LITTLE_ENDIAN);
        f.read(b, at);
        b.flip();
        float[] m = new float[frames];
        for (int i = 0; i < frames; i++) {
            m[i] = (b.getShort() + b.getShort()) / 65536f;
        }
        return m;
    }

    /** A 44-byte PCM WAV header (44.1 kHz, 16-bit stereo) for {@code dataBytes} bytes of samples. */
    static byte[] header(long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 2).putInt(RATE).putInt(RATE * FRAME).putShort((short) FRAME)
                .putShort((short) 16).put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return b.array();
    }
}
