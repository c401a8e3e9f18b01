package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile and broken files (testdata/fixtures/bad/README.md): typed errors, clear messages, nothing written. */
class BadInputTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "bad-1");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bad/bad-crc.png|CORRUPT_INPUT|chunk IDAT at byte 33 has a bad CRC",
        "bad/bomb-100000x100000.png|LIMIT_EXCEEDED|IHDR declares 100000x100000 pixels, over the limit",
        "bad/oversized-chunk.png|CORRUPT_INPUT|chunk tEXt at byte 33 declares 2147483632 bytes, past the end of the file",
        "bad/truncated-mid-idat.png|CORRUPT_INPUT|past the end of the file",
        "bad/truncated-mid-scan.jpg|CORRUPT_INPUT|no end-of-image marker after the scan data",
        "bad/sof-65000x65000.jpg|LIMIT_EXCEEDED|declares 65000x65000 pixels, over the limit",
        "bad/riff-size-lies.webp|CORRUPT_INPUT|the RIFF header declares 16787004 bytes but the file holds",
    })
    void damagedFilesAreReportedByInspectAndRefusedByLabel(String file, Reason reason, String message) {
        Path p = Fixtures.path(file);
        InspectReport r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> LABELER.inspect(p, List.of()));
        assertTrue(r.damaged());
        assertTrue(r.problems().get(0).contains(message), r.problems().toString());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(p, tempOut(file), REQ));
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bad/empty.jpg|CORRUPT_INPUT|is empty (0 bytes)",
        "bad/wrong-magic.jpg|UNSUPPORTED_FORMAT|match no known format",
    })
    void unreadableFilesThrowTypedErrors(String file, Reason reason, String message) {
        Path p = Fixtures.path(file);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.inspect(p, List.of()));
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains(p.toString()), e.getMessage());
        Path out = tempOut(file);
        assertThrows(AigcmarkException.class, () -> LABELER.label(p, out, REQ));
        assertFalse(Files.exists(out), "no output left behind");
    }

    @Test
    void aFailedWriteLeavesNoOutputAndTheInputUntouched() throws Exception {
        Path in = TestSupport.temp("in.jpg", Fixtures.bytes("jpeg/plain.jpg"));
        byte[] before = Files.readAllBytes(in);
        Path blocker = Files.createTempFile("blocker", ".txt");
        Path out = blocker.resolve("out.jpg"); // parent is a file: cannot be created
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(in, out, REQ));
        assertEquals(Reason.OUTPUT_NOT_WRITABLE, e.reason());
        assertFalse(Files.exists(out));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)));
        try (var s = Files.list(in.getParent())) {
            assertEquals(List.of(in), s.toList(), "no temp file left beside the input");
        }
    }

    @Test
    void truncationAtEveryTenthOfTheFileIsCaughtQuickly() {
        for (String f : List.of("jpeg/exif-icc-xmp.jpg", "png/with-text.png", "webp/with-exif.webp", "labeled/xmp-element.png",
                "labeled/xmp-element.gif")) {
            byte[] b = Fixtures.bytes(f);
            for (int i = 1; i < 10; i++) {
                byte[] cut = java.util.Arrays.copyOf(b, b.length * i / 10);
                InspectReport r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> LABELER.inspect(cut, f, List.of()));
                assertTrue(r.damaged(), f + " cut at " + i + "/10 should be damaged");
                assertFalse(r.problems().stream().anyMatch(p -> p.contains("parser error")));
                assertThrows(AigcmarkException.class, () -> LABELER.label(cut, REQ));
            }
        }
    }

    @Test
    void randomByteFlipsNeverCrashTheReader() {
        java.util.Random rnd = new java.util.Random(42);
        for (String f : List.of("labeled/xmp-element.jpg", "labeled/duplicate-xmp-and-text.png", "labeled/xmp-element.webp",
                "labeled/exif-usercomment-wrapped.jpg", "labeled/xmp-element.tif", "labeled/xmp-element.gif")) {
            byte[] orig = Fixtures.bytes(f);
            for (int n = 0; n < 200; n++) {
                byte[] b = orig.clone();
                for (int k = 0; k < 4; k++) {
                    // Flip bytes in the metadata-bearing head of the file, where the parsers work.
                    b[4 + rnd.nextInt(Math.min(b.length - 4, 8192))] ^= (byte) (1 + rnd.nextInt(255));
                }
                try {
                    LABELER.inspect(b, f, List.of());
                } catch (AigcmarkException expected) {
                    // A typed error is fine, but not the safety net that hides a parser bug.
                    org.junit.jupiter.api.Assertions.assertFalse(expected.getMessage().contains("parser error"), expected.getMessage());
                }
            }
        }
    }

    private static Path tempOut(String file) {
        try {
            return Files.createTempDirectory("aigcmark-bad").resolve(Path.of(file).getFileName());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
