package org.aigcmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-scan DIR --out OUT} end to end in local[2]: Parquet and JSON written, the summary printed, exit codes
 * as the CLI's. The command starts and stops its own SparkSession (one for this class).
 */
class SparkScanCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkScanCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writesParquetAndJsonRowsAndRefusesToOverwrite() throws IOException {
        Path dir = tmp.resolve("in");
        Files.createDirectories(dir);
        for (String f : List.of("labeled/xmp-element.png", "jpeg/plain.jpg", "bad/wrong-magic.jpg")) {
            Files.copy(Fixtures.path(f), dir.resolve(Path.of(f).getFileName()));
        }
        Path out = tmp.resolve("out");
        Run first = run(dir.toString(), "--out", out.toString(), "--master", "local[2]", "--no-ocr", "--metadata-only");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("scanned 3 files under " + dir), first.out());
        assertTrue(first.out().contains("{error=1, label1=1, none=1}"), first.out());

        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out.resolve("json"))) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    rows.add(ReportJson.MAPPER.readTree(line));
                }
            }
        }
        assertEquals(3, rows.size());
        JsonNode labelled = rows.stream().filter(r -> r.path("path").asText().endsWith("xmp-element.png")).findFirst().orElseThrow();
        assertEquals("1", labelled.path("label").asText());
        assertEquals("metadata", labelled.path("rule").asText());
        assertEquals("1", labelled.path("records").get(0).path("Label").asText());
        assertTrue(Files.exists(out.resolve("parquet/_SUCCESS")));
        assertFalse(labelled.has("error"), "JSON leaves null columns out");

        Run again = run(dir.toString(), "--out", out.toString(), "--master", "local[2]");
        assertEquals(4, again.code(), "an existing OUT is not replaced without --overwrite");
        assertTrue(again.err().contains("already holds results"), again.err());
    }

    @Test
    void theSummaryIsCountedAsTheParquetIsWrittenNotByAThirdJob() throws Exception {
        Path dir = tmp.resolve("in");
        for (String folder : List.of("labeled", "c2pa", "bad", "jpeg")) {
            Files.createDirectories(dir.resolve(folder));
            for (Path f : Fixtures.list(folder)) {
                Files.copy(f, dir.resolve(folder).resolve(Fixtures.root().resolve("fixtures").resolve(folder).relativize(f).toString().replace('/', '_')));
            }
        }
        org.apache.spark.sql.SparkSession spark = SparkScanCommand.session("local[2]", "summary test");
        java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();
        try {
            spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                    jobs.incrementAndGet();
                }
            });
            ScanSettings settings = ScanSettings.of(org.aigcmark.detect.DetectorSettings.defaults().withMetadataOnly(true));
            java.util.Map<String, Long> counts = SparkScanCommand.run(spark, dir.toString(), tmp.resolve("out").toString(),
                    settings, false);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(2, jobs.get(), "the rows to Parquet, the Parquet to JSON; no job for the counts");
            // the same counts from the rows written, category by category as scan's summary names them
            java.util.Map<String, Long> fromRows = new java.util.TreeMap<>();
            for (org.apache.spark.sql.Row r : spark.read().parquet(tmp.resolve("out/parquet").toString()).collectAsList()) {
                fromRows.merge(ResultRows.category(r), 1L, Long::sum);
            }
            assertEquals(fromRows, counts);
            assertTrue(counts.keySet().containsAll(List.of("error", "label1", "label3", "none")), counts.toString());
            try (Stream<Path> all = Files.walk(dir)) {
                assertEquals(all.filter(Files::isRegularFile).count(), counts.values().stream().mapToLong(Long::longValue).sum());
            }
        } finally {
            AigcScan.closeDetectors();
            spark.stop();
        }
    }

    @Test
    void aBadKeyIsAUsageErrorBeforeAnyJob() throws IOException {
        Path notAKey = Files.writeString(tmp.resolve("not.key"), "hello");
        Run r = run(tmp.toString(), "--out", tmp.resolve("out").toString(), "--key", notAKey.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("not a watermark key"), r.err());
    }
}
