package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scan's exit status (one policy a cron job can rely on) and "--json -" (standard output, as "-" means elsewhere). */
class ScanOutputTest {
    @TempDir
    Path tmp;

    /** Unreadable, damaged-but-read and undecodable files: per-file results in the report, the scan exits 0. */
    private Path mixedUploads() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("uploads"));
        for (String f : new String[] {"bad/empty.jpg", "bad/wrong-magic.jpg", "bad/truncated-mid-scan.jpg",
                "bad/truncated-mid-idat.png", "labeled/xmp-element.jpg", "png/rgb.png"}) {
            Files.copy(Fixtures.path(f), dir.resolve(Path.of(f).getFileName()));
        }
        return dir;
    }

    @Test
    void aCompletedScanExitsZeroWhateverTheFilesHeldAndCountsUncheckedFilesApart() throws Exception {
        Path json = tmp.resolve("scan.json");
        CliTest.Run r = CliTest.run("scan", mixedUploads().toString(), "--json", json.toString(), "--no-ocr", "--threads", "1");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        JsonNode summary = new ObjectMapper().readTree(Files.readString(json)).get("summary");
        assertEquals(2, summary.path("error").asInt(), summary.toString()); // empty.jpg, wrong-magic.jpg
        assertEquals(1, summary.path("unchecked").asInt(), summary.toString()); // truncated-mid-idat.png
        assertEquals(1, summary.path("label1").asInt(), summary.toString());
        assertEquals(2, summary.path("none").asInt(), summary.toString()); // rgb.png, truncated-mid-scan.jpg (decoded)
    }

    /**
     * A file that grows while the scan runs (an upload still arriving; here the scan's own standard error, written
     * into the scanned folder) is a result like any other, not an internal error (it was exit 1, a null result).
     */
    @Test
    void aFileThatChangesDuringTheScanIsStillReported() throws Exception {
        Path dir = mixedUploads();
        Path log = dir.resolve("scan.log");
        Path json = tmp.resolve("grow.json");
        int code;
        try (java.io.PrintWriter err = new java.io.PrintWriter(Files.newBufferedWriter(log), true)) {
            code = Main.getCommandLine(new java.io.PrintWriter(new java.io.StringWriter(), true), err)
                    .execute("scan", dir.toString(), "--json", json.toString(), "--no-ocr", "--threads", "1", "--progress-every", "1");
        }
        assertEquals(ExitCodes.OK, code, Files.readString(log));
        JsonNode report = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(7, report.get("results").size());
        for (JsonNode n : report.get("results")) {
            assertTrue(n.has("file"), report.toString());
        }
    }

    @Test
    void aScanThatCannotWriteItsReportExitsFour() throws Exception {
        CliTest.Run r = CliTest.run("scan", mixedUploads().toString(), "--json", tmp.resolve("missing/scan.json").toString());
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, r.code(), r.err());
    }

    @Test
    void theHelpStatesTheExitStatusPolicy() {
        String help = CliTest.run("scan", "--help").out();
        assertTrue(help.contains("Exit status: 0 when the scan completed"), help);
        assertEquals(ExitCodes.BAD_INPUT, CliTest.run("scan", tmp.resolve("no-such-folder").toString()).code());
    }

    @Test
    void jsonDashWritesTheReportToStandardOutputAndTheJournalToTheCache() throws Exception {
        Path dir = mixedUploads();
        Path cache = tmp.resolve("cache");
        System.setProperty(CacheDirs.PROPERTY, cache.toString());
        try {
            StdStreamsTest.Piped r = StdStreamsTest.pipe(new byte[0], "scan", dir.toString(), "--json", "-", "--no-ocr",
                    "--threads", "1", "--progress-every", "1");
            assertEquals(ExitCodes.OK, r.code(), r.err());
            assertEquals("", r.text(), "standard output carries the JSON: no message may go there");
            JsonNode report = new ObjectMapper().readTree(r.stdout());
            assertEquals(6, report.get("results").size());
            assertTrue(r.err().contains("scanned 6 files"), r.err());
            assertFalse(Files.exists(Path.of("-")), "no file named -");
            assertFalse(Files.exists(Path.of("-.journal.jsonl")), "no journal named -.journal.jsonl");
            Path journal = cache.resolve("scan-journals").resolve(CacheDirs.keyOf(dir) + ".jsonl");
            assertTrue(Files.isRegularFile(journal), r.err());
            assertTrue(r.err().contains("journal: " + journal), r.err());
        } finally {
            System.clearProperty(CacheDirs.PROPERTY);
        }
    }
}
