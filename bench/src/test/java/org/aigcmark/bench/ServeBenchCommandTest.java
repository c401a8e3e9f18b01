package org.aigcmark.bench;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class ServeBenchCommandTest {
    @Test
    void loadRunPrintsOneRowALevelWithTheAnswersByStatus() {
        BenchRun r = BenchRun.of("serve", "--requests", "30", "--concurrency", "1,4", "--seconds", "120", "--metadata-only",
                "--versus-sdk", "10", "--fixtures", Fixtures.root().resolve("fixtures").toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.matches("^(1|4) +30 .*")).toList();
        assertEquals(2, rows.size(), r.out());
        for (String row : rows) {
            // 27 uploads the sdk reads (the 11 of the mix in turn: the video is the 21st) and 3 hostile ones (1 in 10); the
            // hostile ones are refused (422) or reported (200);
            // never a 5xx, never a failed exchange
            assertTrue(row.contains("200:"), row);
            assertTrue(!row.contains("500:") && !row.contains("io:") && !row.contains("429:"), row);
            assertTrue(row.matches(".* \\d+ MiB +\\d+ MiB +\\d+ MiB$"), row);
        }
        assertTrue(r.out().contains("requests a level"), r.out());
        // the service against the same detection in-process: both timed, a ratio (the service adds work: above 1)
        String versus = r.out().lines().filter(l -> l.startsWith("versus the sdk in-process, 10 pairs")).findFirst().orElse(r.out());
        assertTrue(versus.matches(".* ratio \\d+\\.\\d{3};.*"), versus);
        assertTrue(r.out().contains("server process after the run: RSS "), r.out());
        // the server ran in its own JVM under the serve launcher's heap cap, and said its heap when it stopped
        assertTrue(r.out().contains("server process (-Xmx768m)"), r.out());
        assertTrue(r.out().matches("(?s).*server process after the run: RSS [1-9]\\d* MiB, heap used \\d+ MiB of \\d+ MiB max.*"), r.out());
        // where the time goes: p50/p99 by kind of file under each level, the hostile files among them
        List<String> byKind = r.out().lines().filter(l -> l.startsWith("  by kind")).toList();
        assertEquals(2, byKind.size(), r.out());
        assertTrue(byKind.get(0).contains(" jpeg ") && byKind.get(0).contains(" video ") && byKind.get(0).contains(" hostile 3 "), byKind.get(0));
        assertEquals(ExitCodes.USAGE, BenchRun.of("serve", "--concurrency", "0").code());
        assertEquals(ExitCodes.USAGE, BenchRun.of("serve", "--kinds", "movies", "--fixtures", Fixtures.root().resolve("fixtures").toString()).code());
    }

    @Test
    void imagesOnlySendsTheNine1080pPhotosAsJpegPngAndWebp() {
        BenchRun r = BenchRun.of("serve", "--requests", "12", "--concurrency", "2", "--metadata-only", "--kinds", "images",
                "--fixtures", Fixtures.root().resolve("fixtures").toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.endsWith("9 kinds of file + 0 hostile")), r.out());
        String files = r.out().lines().filter(l -> l.startsWith("files: ")).findFirst().orElse(r.out());
        assertTrue(files.startsWith("files: photos-1080p/01-sky-bridge-cables.jpg ") && files.contains("photos-1080p/15-dandelions-backlit.png ")
                && files.contains("photos-1080p/29-forest-path.webp "), files);
        String byKind = r.out().lines().filter(l -> l.startsWith("  by kind")).findFirst().orElse(r.out());
        // 12 requests over the 9 images in turn (3 JPEGs, 3 PNGs, 3 WebPs, then the 3 JPEGs again); nothing else
        assertEquals("  by kind (n p50/p99 ms): jpeg 6 png 3 webp 3", byKind.replaceAll(" [0-9.]+/[0-9.]+;", ""), byKind);
        String row = r.out().lines().filter(l -> l.matches("^2 +12 .*")).findFirst().orElse(r.out());
        assertTrue(row.contains("200:12"), row);
    }

    @Test
    void imagesLargeSendsTheOlderMixOfEightFixtures() {
        BenchRun r = BenchRun.of("serve", "--requests", "12", "--concurrency", "2", "--metadata-only", "--kinds", "images-large",
                "--fixtures", Fixtures.root().resolve("fixtures").toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.endsWith("8 kinds of file + 0 hostile")), r.out());
        String byKind = r.out().lines().filter(l -> l.startsWith("  by kind")).findFirst().orElse(r.out());
        // 12 requests over the 8 images in turn (4 JPEGs, 2 PNGs, 2 WebPs, then the 4 JPEGs again); nothing else
        assertEquals("  by kind (n p50/p99 ms): jpeg 8 png 2 webp 2", byKind.replaceAll(" [0-9.]+/[0-9.]+;", ""), byKind);
        String row = r.out().lines().filter(l -> l.matches("^2 +12 .*")).findFirst().orElse(r.out());
        assertTrue(row.contains("200:12"), row);
    }
}
