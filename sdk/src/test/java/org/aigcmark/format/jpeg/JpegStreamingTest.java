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
