package org.aigcmark.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * A request that times out before its work has started: the work is cancelled and never runs, so what it would have
 * freed at its end (the worker slot, the admitted place, the body's share of the in-memory budget, its spooled file)
 * is freed by the exchange that gave up. Before, each such request kept them for good: the service lost a worker,
 * its memory budget shrank, and a drain waited for requests that would never end.
 */
class AbandonedWorkTest {
    @Test
    void workGivenUpBeforeItStartsFreesItsSlotMemoryAndFile() throws Exception {
        Detector d = Detector.create(Labeler.create(), AigcmarkServerTest.KEYS, List.of(), List.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // a time limit so short that every request times out as soon as its work is handed over, mostly before a
        // worker thread has picked it up
        ServeSettings settings = ServeSettings.defaults().withPort(0).withLimits(64L << 20, 2, 32, Duration.ofNanos(1));
        try (AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(d), settings,
                new PrintWriter(new java.io.OutputStreamWriter(log, StandardCharsets.UTF_8), true))) {
            byte[] small = Fixtures.bytes("labeled/xmp-element.jpg"); // read into memory
            byte[] large = new byte[(int) AigcmarkServer.IN_MEMORY_MAX_BYTES + 4096]; // spooled to the temp folder
            System.arraycopy(small, 0, large, 0, small.length);
            for (int i = 0; i < 12; i++) {
                var r = AigcmarkServerTest.post(s, "/v1/detect?name=x.jpg", i % 4 == 3 ? large : small);
                assertEquals(504, r.statusCode(), r.body());
            }
            // work that did start ends on its own (a detection of these files takes well under a second)
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((s.inFlight() > 0 || s.inMemoryBytesLeft() != AigcmarkServer.IN_MEMORY_BUDGET_BYTES
                    || spooled(s) > 0) && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals(0, s.inFlight(), "requests still counted in flight");
            assertEquals(AigcmarkServer.IN_MEMORY_BUDGET_BYTES, s.inMemoryBytesLeft(), "the in-memory budget came back");
            assertEquals(0, spooled(s), "spooled bodies deleted");
        }
    }

    private static long spooled(AigcmarkServer s) throws java.io.IOException {
        try (var files = Files.list(s.spoolFolder())) {
            return files.count();
        }
    }
}
