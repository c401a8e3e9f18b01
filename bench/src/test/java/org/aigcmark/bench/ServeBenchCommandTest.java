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
        BenchRun r = BenchRun.of("serve", "--requests", "20", "--concurrency", "1,4", "--seconds", "120", "--metadata-only",
                "--versus-sdk", "10", "--fixtures", Fixtures.root().resolve("fixtures").toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.matches("^(1|4) +20 .*")).toList();
        assertEquals(2, rows.size(), r.out());
        for (String row : rows) {
            // 18 uploads the sdk reads and 2 hostile ones (1 in 10); the hostile ones are refused (422) or reported (200);
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
        assertEquals(ExitCodes.USAGE, BenchRun.of("serve", "--concurrency", "0").code());
    }
}
