package org.aigcmark.format.audio;

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
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.aigcmark.testdata.Allocations;

/**
 * A WAV past the in-memory limit ({@link Limits#maxFileBytes()}, 512 MiB by default) is labelled from disk
 * ({@link WavHandler#streaming()}): only the chunk headers and metadata are read, {@code data} is copied by range, so
 * the heap this thread allocates stays far below the file's size. The 600 MiB of samples are sparse zeros
 * ({@link RandomAccessFile#setLength}); the labelled copy is written for real and deleted with the temp folder.
 */
class BigWavTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQUEST = LabelRequest.produced("00119144030008867405X210002", "big-wav-1");

    @TempDir
    Path dir;

    @Test
    void aWavOverTheInMemoryLimitIsLabelledFromDiskInBoundedMemory() throws Exception {
        long samples = 600L << 20;
        Path in = dir.resolve("big.wav");
        byte[] header = header(samples);
        try (RandomAccessFile f = new RandomAccessFile(in.toFile(), "rw")) {
            f.write(header);
            f.setLength(header.length + samples);
        }
        assertTrue(Files.size(in) > Limits.DEFAULT.maxFileBytes(), "the WAV is past the in-memory limit");

        Path out = dir.resolve("labelled.wav");
        long allocated = Allocations.allocated(() -> LABELER.label(in, out, REQUEST));
        assertTrue(allocated < 32L << 20, "labelling a " + Files.size(in) + "-byte WAV allocated " + allocated + " bytes");

        byte[] json = REQUEST.label().toBareJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long chunk = 8 + json.length + (json.length & 1);
        assertEquals(Files.size(in) + chunk, Files.size(out), "the output is the input plus the AIGC chunk");
        try (FileChannel o = FileChannel.open(out)) {
            ByteBuffer head = ByteBuffer.allocate(header.length);
            o.read(head, 0);
            byte[] expected = header.clone();
            ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN).putInt(4, (int) (Files.size(out) - 8));
            assertArrayEquals(expected, head.array(), "fmt and data stay where they were; the RIFF size grows");
            ByteBuffer tail = ByteBuffer.allocate(json.length);
            o.read(tail, header.length + samples + 8);
            assertArrayEquals(json, tail.array(), "the AIGC chunk follows data");
        }
        long[] inspected = new long[1];
        InspectReport[] report = new InspectReport[1];
        inspected[0] = Allocations.allocated(() -> report[0] = LABELER.inspect(out, List.of()));
        assertTrue(inspected[0] < 32L << 20, "inspecting allocated " + inspected[0] + " bytes");
        assertEquals(1, report[0].labels().size(), report[0].labels().toString());
        assertEquals(REQUEST.label(), report[0].labels().get(0).label());
        assertEquals("wav-aigc", report[0].labels().get(0).source());
        assertTrue(report[0].problems().isEmpty(), report[0].problems().toString());
        assertArrayEquals(LABELER.contentDigest(in, "SHA-256"), LABELER.contentDigest(out, "SHA-256"),
                "fmt and data are the same bytes");
    }

    /** A 44-byte PCM WAV header (44.1 kHz, 16-bit stereo) for {@code samples} bytes of data. */
    static byte[] header(long samples) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + samples))
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 2).putInt(44_100).putInt(44_100 * 4).putShort((short) 4).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) samples);
        return b.array();
    }
}
