package org.aigcmark.format.mkv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fuzzing found a truncated MKV on which {@code label} ended in an internal error (exit 1) instead of refusing it (exit 3). */
class MkvDamagedInputTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "cut-1");

    /** Labels through the file API (MKV streams from disk, as the CLI does); the records the output holds. */
    static int labelFromDisk(byte[] input) {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mkvcut");
            java.nio.file.Path in = java.nio.file.Files.write(dir.resolve("in.mkv"), input);
            java.nio.file.Path out = dir.resolve("out.mkv");
            try {
                LABELER.label(in, out, REQ);
                return LABELER.inspect(out, List.of()).labels().size();
            } finally {
                java.nio.file.Files.deleteIfExists(in);
                java.nio.file.Files.deleteIfExists(out);
                java.nio.file.Files.deleteIfExists(dir);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"video-labeled/ffmpeg-simpletag.mkv", "video-labeled/mkvmerge-tags-at-end.mkv",
            "video-labeled/ffmpeg-simpletag-audio.webm"})
    void everyTruncationIsLabelledOrRefusedAsInput(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        List<String> internal = new ArrayList<>();
        for (int cut = 16; cut < in.length; cut += Math.max(1, in.length / 97)) {
            byte[] damaged = Arrays.copyOf(in, cut);
            try {
                assertEquals(1, labelFromDisk(damaged), "cut at " + cut);
            } catch (AigcmarkException e) {
                if (e.reason() == AigcmarkException.Reason.INTERNAL) {
                    internal.add(cut + ": " + e.getMessage());
                }
                assertNotEquals(null, e.reason());
            }
        }
        assertEquals(List.of(), internal, "internal errors on truncated input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"video-labeled/ffmpeg-simpletag.mkv", "video-labeled/mkvmerge-tags-at-end.mkv"})
    void mutatedBytesAreLabelledOrRefusedAsInput(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        java.util.Random rnd = new java.util.Random(16);
        List<String> internal = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] damaged = in.clone();
            for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                damaged[rnd.nextInt(Math.min(damaged.length, 4096))] = (byte) rnd.nextInt(256);
            }
            try {
                assertEquals(1, labelFromDisk(damaged), "mutation " + i);
            } catch (AigcmarkException e) {
                if (e.reason() == AigcmarkException.Reason.INTERNAL) {
                    internal.add(i + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), internal, "internal errors on mutated input");
    }
}
