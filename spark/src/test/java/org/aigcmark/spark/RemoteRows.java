package org.aigcmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aigcmark.detect.DetectorSettings;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.apache.spark.sql.Row;

/**
 * The check HdfsScanTest and S3ScanTest share: a scan of a remote folder holding copies of the fixtures has one row per
 * file (none twice), and each row says what the local detection of the same fixture says.
 */
final class RemoteRows {
    private RemoteRows() {}

    /**
     * Asserts that {@code rows} (a scan of {@code folder}, a remote copy of {@code fixtures}) agree with the local
     * detection, and returns them by fixture name.
     */
    static Map<String, Row> assertAgreeWithLocalDetection(org.apache.spark.sql.classic.Dataset<Row> rows, String folder,
            List<String> fixtures, DetectorSettings detector) throws IOException {
        // not a local folder: the binaryFile reader, once; the big and the empty file come from its listing
        String plan = rows.queryExecution().executedPlan().toString();
        assertEquals(1, plan.split("FileScan binaryFile", -1).length - 1, plan);
        List<Row> all = rows.collectAsList();
        assertEquals(fixtures.size(), all.size(), "one row per file, none twice");
        Map<String, Row> byFixture = new HashMap<>();
        for (Row r : all) {
            String path = r.getAs("path");
            assertTrue(path.startsWith(folder), path);
            byFixture.put(path.substring(folder.length()), r);
        }
        assertEquals(fixtures.size(), byFixture.size(), byFixture.keySet().toString());
        try (Detector d = detector.build(note -> { })) {
            for (String f : fixtures) {
                Row r = byFixture.get(f);
                assertEquals(Files.size(Fixtures.path(f)), (long) r.getAs("size"), f);
                if (f.startsWith("bad/")) {
                    assertEquals(f.equals("bad/empty.jpg") ? "CORRUPT_INPUT" : "UNSUPPORTED_FORMAT", r.getAs("errorReason"), f);
                    continue;
                }
                assertNull(r.getAs("error"), f + ": " + r.getAs("error"));
                JsonNode want = ReportJson.toNode(d.detect(Fixtures.path(f), false));
                JsonNode got = ReportJson.MAPPER.readTree((String) r.getAs("report"));
                for (String field : List.of("verdict", "labels", "evidence", "watermark", "format")) {
                    assertEquals(want.path(field), got.path(field), f + " " + field);
                }
            }
        }
        return byFixture;
    }
}
