package org.aigcmark.format.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.PropagateRequest;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.testdata.Allocations;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JPEG labelled from file to file (issue 19) reads its head and has the OS copy its scan data: the output is the
 * very bytes the in-memory label makes (metadata only, signed, propagated; every JPEG fixture, and one with data
 * after the end of the image), the input is untouched, and the call does not hold the file in memory.
 */
class JpegStreamingTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelKeys.SigningKey KEY = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
    static final LabelRequest PLAIN = LabelRequest.produced("001191110102MACQD9K64010000", "stream-1");

    @TempDir
    Path dir;

    static Stream<String> jpegs() {
        List<String> names = new ArrayList<>();
        for (String folder : List.of("jpeg", "labeled", "photos")) {
            Fixtures.list(folder).stream().filter(p -> p.toString().endsWith(".jpg"))
                    .forEach(p -> names.add(folder + "/" + p.getFileName()));
        }
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("jpegs")
    void fileToFileEqualsInMemory(String fixture) throws Exception {
        for (LabelRequest req : List.of(PLAIN, PLAIN.withSigningKey(KEY))) {
            same(Fixtures.bytes(fixture), fixture, req);
        }
    }

    @ParameterizedTest
    @MethodSource("jpegs")
    void propagateFileToFileEqualsInMemory(String fixture) throws Exception {
        byte[] in = Fixtures.bytes(fixture);
        PropagateRequest req = PropagateRequest.of("platform-1", "p-1").withLabel("2").withSigningKey(KEY);
        Path src = Files.write(dir.resolve("in.jpg"), in);
        Path out = dir.resolve("out.jpg");
        Object expected = outcome(() -> LABELER.propagate(in, fixture, req).bytes());
        Object actual = outcome(() -> {
            LABELER.propagate(src, out, req);
            return Files.readAllBytes(out);
        });
        assertOutcome(expected, actual, fixture);
        assertArrayEquals(in, Files.readAllBytes(src), "the input is untouched");
    }

    /** Bytes after the end of the image (a trailer) are kept as the in-memory label keeps them. */
    @Test
    void dataAfterTheEndOfTheImage() throws Exception {
        byte[] photo = Fixtures.bytes("jpeg/plain.jpg");
        byte[] trailer = "trailing data, no end marker".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] in = java.util.Arrays.copyOf(photo, photo.length + trailer.length);
        System.arraycopy(trailer, 0, in, photo.length, trailer.length);
        same(in, "trailer", PLAIN.withSigningKey(KEY));
    }

    /** A truncated file is refused as the in-memory label refuses it, and nothing is written. */
    @Test
    void truncatedIsRefusedAlike() throws Exception {
        byte[] in = Fixtures.bytes("bad/truncated-mid-scan.jpg");
        Path src = Files.write(dir.resolve("t.jpg"), in);
        AigcmarkException mem = assertThrows(AigcmarkException.class, () -> LABELER.label(in, src.toString(), PLAIN));
        AigcmarkException file = assertThrows(AigcmarkException.class, () -> LABELER.label(src, dir.resolve("o.jpg"), PLAIN));
        assertEquals(mem.reason(), file.reason());
        assertEquals(mem.getMessage(), file.getMessage());
        assertTrue(Files.notExists(dir.resolve("o.jpg")));
    }

    /** The scan data is copied by the OS, not read into the JVM: the call allocates a fraction of the file. */
    @Test
    void theScanDataIsNotReadIntoMemory() throws Exception {
        Path src = Fixtures.path("photos/18-mountain-trail-peaks.jpg");
        Path out = dir.resolve("big.jpg");
        for (int i = 0; i < 3; i++) {
            LABELER.label(src, out, PLAIN);
        }
        long allocated = Allocations.allocated(() -> LABELER.label(src, out, PLAIN));
        long size = Files.size(src);
        assertTrue(allocated < size / 4, "allocated " + allocated + " bytes to label a " + size + "-byte file");
        assertArrayEquals(LABELER.label(Files.readAllBytes(src), "photo", PLAIN).bytes(), Files.readAllBytes(out));
    }

    /** Every damaged JPEG fixture is refused from disk as in memory, with the same message, and nothing is written. */
    @ParameterizedTest
    @MethodSource("badJpegs")
    void damagedFixturesAreRefusedAlike(String fixture) throws Exception {
        byte[] in = Fixtures.bytes(fixture);
        refusedAlike(in);
    }

    static Stream<String> badJpegs() {
        return Fixtures.list("bad").stream().filter(p -> p.toString().endsWith(".jpg")).map(p -> "bad/" + p.getFileName());
    }

    /**
     * Hostile heads: a bad byte where a marker belongs, an end-of-image marker before the scan, a segment whose length
     * runs past the end (just after the first read's 16 KiB, and far past the file), a header across the first read's
     * end; each refused as in memory, and a head damaged early is not read on in doubling pieces (nor the file whole).
     */
    @Test
    void hostileHeadsAreRefusedAlike() throws Exception {
        byte[] photo = Fixtures.bytes("photos/18-mountain-trail-peaks.jpg");
        // a big COM segment pushes the SOS past the first read
        byte[] padded = withSegmentAfterSoi(photo, 0xFE, 30_000);
        same(padded, "padded", PLAIN);
        byte[] badMarker = padded.clone();
        badMarker[2 + 4 + 30_000] = 0x12; // where the next marker's FF belongs
        refusedAlike(badMarker);
        byte[] earlyEoi = padded.clone();
        earlyEoi[2 + 4 + 30_000 + 1] = (byte) 0xD9;
        refusedAlike(earlyEoi);
        byte[] longSegment = withSegmentAfterSoi(photo, 0xFE, 16_000);
        longSegment[2 + 2] = (byte) 0xFF; // the COM declares 65,535 bytes: past the 16 KiB read, inside the file
        longSegment[2 + 3] = (byte) 0xFF;
        refusedAlike(longSegment);
        byte[] pastEnd = java.util.Arrays.copyOf(withSegmentAfterSoi(photo, 0xFE, 20_000), 2 + 4 + 10_000);
        refusedAlike(pastEnd);
        // the next segment's header straddles the first read's end: read on, labelled as in memory
        same(withSegmentAfterSoi(photo, 0xFE, 16_384 - 2 - 4 - 3), "straddling", PLAIN);

        byte[] big = java.util.Arrays.copyOf(badMarker, 8 << 20); // a bad byte at 30 kB of an 8 MB file
        Path src = Files.write(dir.resolve("big-bad.jpg"), big);
        for (int i = 0; i < 3; i++) {
            assertThrows(AigcmarkException.class, () -> LABELER.label(src, dir.resolve("o.jpg"), PLAIN));
        }
        long allocated = Allocations.allocated(() -> {
            try {
                LABELER.label(src, dir.resolve("o.jpg"), PLAIN);
            } catch (AigcmarkException expected) {
                // refused
            }
        });
        assertTrue(allocated < big.length / 8, "allocated " + allocated + " bytes to refuse a " + big.length + "-byte file");
    }

    /**
     * A named pipe (as {@code <(...)} or a piped /dev/stdin give) cannot be read at positions: it is read whole, once,
     * and labelled as in memory (the streamed path would have consumed its head and then waited for a second writer).
     */
    @Test
    void aNamedPipeIsReadWhole() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 makes the FIFO");
        byte[] in = Fixtures.bytes("jpeg/plain.jpg");
        Path fifo = dir.resolve("pipe.jpg");
        Process mk = new ProcessBuilder("/usr/bin/python3", "-c", "import os,sys; os.mkfifo(sys.argv[1])", fifo.toString())
                .inheritIO().start();
        assertEquals(0, mk.waitFor());
        Path out = dir.resolve("from-pipe.jpg");
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, in);
            } catch (java.io.IOException e) {
                // the reader closed early: the assertion below fails
            }
        });
        writer.setDaemon(true);
        writer.start();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> LABELER.label(fifo, out, PLAIN));
        assertArrayEquals(LABELER.label(in, "pipe", PLAIN).bytes(), Files.readAllBytes(out));
    }

    /** A refused label leaves an existing output as it was and no temp file beside it. */
    @Test
    void aRefusedLabelLeavesTheOutputAlone() throws Exception {
        Path out = Files.write(dir.resolve("keep.jpg"), new byte[] {1, 2, 3});
        Path src = Files.write(dir.resolve("trunc.jpg"), Fixtures.bytes("bad/truncated-mid-scan.jpg"));
        assertThrows(AigcmarkException.class, () -> LABELER.label(src, out, PLAIN));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("keep.jpg", "trunc.jpg"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** {@code photo} with a marker segment of {@code payload} zero bytes right after its SOI. */
    private static byte[] withSegmentAfterSoi(byte[] photo, int marker, int payload) {
        byte[] out = new byte[photo.length + 4 + payload];
        out[0] = photo[0];
        out[1] = photo[1];
        out[2] = (byte) 0xFF;
        out[3] = (byte) marker;
        out[4] = (byte) ((payload + 2) >> 8);
        out[5] = (byte) (payload + 2);
        System.arraycopy(photo, 2, out, 6 + payload, photo.length - 2);
        return out;
    }

    /** Refused from disk as in memory: the same reason and message (the input named alike), nothing written. */
    private void refusedAlike(byte[] in) throws Exception {
        Path src = Files.write(dir.resolve("bad.jpg"), in);
        Path out = dir.resolve("bad-out.jpg");
        AigcmarkException mem = assertThrows(AigcmarkException.class, () -> LABELER.label(in, src.toString(), PLAIN));
        AigcmarkException file = assertThrows(AigcmarkException.class, () -> LABELER.label(src, out, PLAIN));
        assertEquals(mem.reason(), file.reason());
        assertEquals(mem.getMessage(), file.getMessage());
        assertTrue(Files.notExists(out));
    }

    private void same(byte[] in, String name, LabelRequest req) throws Exception {
        Path src = Files.write(dir.resolve("in.jpg"), in);
        Path out = dir.resolve("out.jpg");
        Files.deleteIfExists(out);
        Object expected = outcome(() -> LABELER.label(in, name, req).bytes());
        Object actual = outcome(() -> {
            LABELER.label(src, out, req);
            return Files.readAllBytes(out);
        });
        assertOutcome(expected, actual, name);
        assertArrayEquals(in, Files.readAllBytes(src), "the input is untouched");
    }

    /** The output's bytes, or the refusal's reason (messages name the input differently in the two calls). */
    private static Object outcome(java.util.concurrent.Callable<byte[]> call) throws Exception {
        try {
            return call.call();
        } catch (AigcmarkException e) {
            return e.reason();
        }
    }

    private static void assertOutcome(Object expected, Object actual, String name) {
        if (expected instanceof byte[] e && actual instanceof byte[] a) {
            assertArrayEquals(e, a, name + ": the streamed output differs from the in-memory one");
        } else {
            assertEquals(expected, actual, name);
        }
    }
}
