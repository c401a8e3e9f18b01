package org.aigcmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detect.DetectorSettings;
import org.aigcmark.detection.Detector;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark transformation in local[2] over a folder of real fixtures (labelled and unlabelled images, C2PA, two
 * videos, a PDF, a Markdown text, truncated, hostile, empty and unsupported files): every row agrees with what {@code
 * scan --json} reports for the same file ({@code ReportJson.toNode(detector.detect(path))}, the one rendering scan
 * uses), failures are rows, and the job completes. One SparkSession for the class: its start dominates.
 */
class AigcScanTest {
    /** Files of this size or less go through binaryFile rows, larger ones through the path route: both are tested. */
    private static final long MAX_ROW_BYTES = 208_000; // ffmpeg-simpletag.mkv (207,544) in a row, ffmpeg-mdta.mp4 (208,438) by path

    private static final List<String> FIXTURES = List.of(
            "labeled/xmp-element.png", "labeled/a1111-parameters.png", "labeled/xmp-element.jpg",
            "labeled/iptc-trained-algorithmic.jpg", "jpeg/plain.jpg", "c2pa/signed.jpg", "webp/lossy.webp",
            "video-labeled/ffmpeg-mdta.mp4", "video-labeled/ffmpeg-simpletag.mkv", "docs/ghostscript-visible-label.pdf",
            "docs/front-matter.md", "bad/truncated-mid-scan.jpg", "bad/bomb-100000x100000.png", "bad/empty.jpg",
            "bad/wrong-magic.jpg", "unsupported/still.bmp");

    @TempDir
    static Path tmp;
    static Path corpus;
    static SparkSession spark;
    static DetectorSettings detector;

    @BeforeAll
    static void start() throws IOException {
        corpus = tmp.resolve("corpus");
        for (String f : FIXTURES) {
            Path to = corpus.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(Fixtures.path(f), to);
        }
        detector = DetectorSettings.defaults().withNoOcr(true)
                .withKeys(List.of(Fixtures.path("keys/test-watermark.key").toString()))
                .withPublicKeys(List.of(Fixtures.path("keys/test-ed25519.pub").toString()))
                .withWatermarkSearch("quick");
        spark = SparkSession.builder().master("local[2]").appName("AigcScanTest").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        AigcScan.closeDetectors();
        if (spark != null) {
            spark.stop();
        }
    }

    /** What scan --json says of each file: its report, or its error reason (as ScanCommand.scanOne writes them). */
    private static Map<String, JsonNode> scanReports() throws IOException {
        Map<String, JsonNode> expected = new HashMap<>();
        try (Detector d = detector.build(note -> { }); Stream<Path> files = Files.walk(corpus)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                ObjectNode node;
                try {
                    node = ReportJson.toNode(d.detect(f, false));
                } catch (AigcmarkException e) {
                    node = ReportJson.MAPPER.createObjectNode();
                    node.put("error", e.getMessage());
                    node.put("reason", e.reason().name());
                }
                expected.put(corpus.relativize(f).toString(), node);
            }
        }
        return expected;
    }

    private static String relative(Row r) {
        String path = r.getAs("path");
        int at = path.indexOf("/corpus/");
        return path.substring(at + "/corpus/".length());
    }

    /** In local[2] two tasks detect at once: each OCR session of the executor's detector gets half the cores. */
    @Test
    void theExecutorsDetectorSizesItsOnnxSessionsToTheTaskSlots() {
        assertEquals(DetectorSettings.onnxThreadsFor(Runtime.getRuntime().availableProcessors(), 2),
                ExecutorDetector.effective(detector).onnxThreads());
    }

    @Test
    void everyRowAgreesWithScanJson() throws IOException {
        ScanSettings settings = ScanSettings.of(detector).withMaxRowBytes(MAX_ROW_BYTES);
        List<Row> rows = AigcScan.scan(spark, corpus.toString(), settings).collectAsList();
        Map<String, JsonNode> expected = scanReports();
        assertEquals(FIXTURES.size(), rows.size(), "one row per file");
        assertEquals(expected.keySet(), rows.stream().map(AigcScanTest::relative).collect(java.util.stream.Collectors.toSet()));
        int labelled = 0;
        int errors = 0;
        for (Row r : rows) {
            String name = relative(r);
            JsonNode want = expected.get(name);
            assertEquals(Files.size(corpus.resolve(name)), (long) r.getAs("size"), name);
            if (want.has("error")) {
                errors++;
                assertEquals(want.get("reason").asText(), r.getAs("errorReason"), name + ": " + r.getAs("error"));
                assertNotNull(r.getAs("error"), name);
                assertNull(r.getAs("rule"), name);
                continue;
            }
            assertNull(r.getAs("error"), name + " was checked: " + r.getAs("error"));
            assertEquals(want.path("format").asText(), r.getAs("format"), name);
            JsonNode verdict = want.path("verdict");
            assertEquals(verdict.path("label").isNull() ? null : verdict.path("label").asText(), r.getAs("label"), name);
            assertEquals(verdict.path("rule").asText(), r.getAs("rule"), name);
            assertEquals(verdict.path("reason").asText(), r.getAs("reason"), name);
            List<String> kinds = new ArrayList<>();
            want.path("evidence").forEach(e -> kinds.add(e.path("kind").asText()));
            assertEquals(kinds, r.getList(r.fieldIndex("evidenceKinds")), name);
            List<Row> records = r.getList(r.fieldIndex("records"));
            assertEquals(want.path("labels").size(), records.size(), name);
            for (int i = 0; i < records.size(); i++) {
                JsonNode l = want.path("labels").get(i);
                for (String key : AigcLabel.KEYS) {
                    assertEquals(l.path(key).asText(), records.get(i).getAs(key), name + " " + key);
                }
                assertEquals(l.path("signature").asText(), records.get(i).getAs("signature"), name);
            }
            labelled += records.isEmpty() ? 0 : 1;
            Row w = r.getAs("watermark");
            assertEquals(want.path("watermark").path("checked").asBoolean(), w.getAs("checked"), name);
            assertEquals(want.path("watermark").path("detected").asBoolean(), w.getAs("detected"), name);
            List<String> problems = new ArrayList<>();
            want.path("problems").forEach(p -> problems.add(p.asText()));
            assertEquals(problems, r.getList(r.fieldIndex("problems")), name);
            // the whole report too: a local file is named by its path, as scan names it
            assertEquals(want, ReportJson.MAPPER.readTree((String) r.getAs("report")), name);
        }
        assertEquals(4, labelled, "AIGC records in the two XMP images and the two videos");
        assertTrue(errors >= 3, "the empty, random and BMP files are error rows: " + errors);
    }

    @Test
    void aLocalFolderIsScannedFromItsListingByPath() {
        // each executor reads a local file once, as scan does (binaryFile's content column copied every file three
        // times: Hadoop's checksummed stream, Spark's row buffer, the byte[] the detector gets), and the listing Spark
        // already made is the job's input: no file source packing small files into many small tasks, no second
        // getFileStatus of every file on the executor (docs/SCALE.md)
        var local = (org.apache.spark.sql.classic.Dataset<Row>) AigcScan.scan(spark, corpus.toString(),
                ScanSettings.of(detector).withMaxRowBytes(MAX_ROW_BYTES));
        String plan = local.queryExecution().executedPlan().toString();
        assertFalse(plan.contains("FileScan"), "no file source: " + plan);
        assertFalse(plan.contains("content"), "no content column: " + plan);
        // local[2]: four tasks a core when pixels are checked, two for metadata-only, each up to FILES_PER_TASK files
        assertEquals(8, local.rdd().getNumPartitions());
        assertEquals(4, AigcScan.scan(spark, corpus.toString(), ScanSettings.of(detector.withMetadataOnly(true)))
                .rdd().getNumPartitions());
        // a team's own binaryFile dataset keeps its rows' bytes
        var own = (org.apache.spark.sql.classic.Dataset<Row>) AigcScan.detect(AigcScan.read(spark, corpus.toString()), ScanSettings.of(detector));
        assertTrue(own.queryExecution().executedPlan().toString().contains("content"));
    }

    @Test
    void filesThatSparksListingHidesAreScannedAsScanScansThem() throws IOException {
        // Spark's file index leaves out names that begin with "_" or "." (its outputs' markers): an upload named so had
        // no row, where scan checks every regular file under the folder, its subfolders of such names included
        Path dir = tmp.resolve("hidden-names");
        Map<String, String> copies = Map.of("_upload.jpg", "labeled/xmp-element.jpg", ".upload.png", "labeled/xmp-element.png",
                "_staging/plain.jpg", "jpeg/plain.jpg", ".cache/lossy.webp", "webp/lossy.webp", "visible.jpg", "jpeg/plain.jpg");
        for (Map.Entry<String, String> c : copies.entrySet()) {
            Files.createDirectories(dir.resolve(c.getKey()).getParent());
            Files.copy(corpus.resolve(c.getValue()), dir.resolve(c.getKey()));
        }
        Map<String, Row> byName = new HashMap<>();
        for (Row r : AigcScan.scan(spark, dir.toString(), ScanSettings.of(detector)).collectAsList()) {
            String path = r.getAs("path");
            byName.put(path.substring(path.indexOf("/hidden-names/") + "/hidden-names/".length()), r);
        }
        assertEquals(copies.keySet(), byName.keySet(), "one row per file, as scan has");
        try (Detector d = detector.build(note -> { })) {
            for (String name : copies.keySet()) {
                Path f = dir.resolve(name);
                assertEquals(ReportJson.toNode(d.detect(f, false)), ReportJson.MAPPER.readTree((String) byName.get(name).getAs("report")),
                        name);
            }
        }
        assertEquals("1", byName.get("_upload.jpg").getAs("label"));
        assertEquals("1", byName.get(".upload.png").getAs("label"));
        // a glob of local files goes by path as well, from Spark's listing of what the glob names
        var globbed = (org.apache.spark.sql.classic.Dataset<Row>) AigcScan.scan(spark, dir.resolve("vis*.jpg").toString(),
                ScanSettings.of(detector));
        assertFalse(globbed.queryExecution().executedPlan().toString().contains("FileScan"));
        List<Row> rows = globbed.collectAsList();
        assertEquals(List.of("visible.jpg"), rows.stream().map(r -> ((String) r.getAs("path")).replaceAll(".*/", "")).toList());
        assertEquals(byName.get("visible.jpg").getAs("report"), (String) rows.get(0).getAs("report"));
    }

    @Test
    void hostileAndOversizedFilesAreErrorRowsAndTheJobCompletes() throws IOException {
        // a cap under the photo's size: that file is never read; the bomb is refused by the detector's own limit
        Path dir = tmp.resolve("hostile");
        Files.createDirectories(dir);
        for (String f : List.of("jpeg/plain.jpg", "bad/bomb-100000x100000.png", "bad/wrong-magic.jpg", "labeled/xmp-element.png")) {
            Files.copy(corpus.resolve(f), dir.resolve(f.replace('/', '-')));
        }
        ScanSettings settings = ScanSettings.of(detector).withMaxFileBytes(100_000).withReport(false);
        Map<String, Row> byName = new HashMap<>();
        for (Row r : AigcScan.scan(spark, dir.toString(), settings).collectAsList()) {
            String path = r.getAs("path");
            byName.put(path.substring(path.lastIndexOf('/') + 1).replaceFirst("-", "/"), r);
        }
        assertEquals(4, byName.size());
        Row big = byName.get("jpeg/plain.jpg");
        assertEquals("LIMIT_EXCEEDED", big.getAs("errorReason"));
        assertTrue(((String) big.getAs("error")).contains("over --max-file-bytes 100000"), (String) big.getAs("error"));
        Row bomb = byName.get("bad/bomb-100000x100000.png");
        assertEquals("LIMIT_EXCEEDED".equals(bomb.getAs("errorReason")) || "unchecked".equals(bomb.getAs("rule")), true,
                "the bomb is refused or left unchecked, never decoded: " + bomb);
        assertEquals("UNSUPPORTED_FORMAT", byName.get("bad/wrong-magic.jpg").getAs("errorReason"));
        assertNull(byName.get("labeled/xmp-element.png").getAs("report"), "withReport(false)");
        assertEquals("1", byName.get("labeled/xmp-element.png").getAs("label"));
    }

    @Test
    void aDetectorThatCannotBeBuiltMakesErrorRowsNotAFailedJob() {
        DetectorSettings missingKey = detector.withKeys(List.of(tmp.resolve("no-such.key").toString()));
        List<Row> rows = AigcScan.scan(spark, corpus.resolve("labeled").toString(), ScanSettings.of(missingKey)).collectAsList();
        assertEquals(4, rows.size());
        for (Row r : rows) {
            assertEquals("KEY_INVALID", r.getAs("errorReason"), (String) r.getAs("path"));
            assertTrue(((String) r.getAs("error")).startsWith("the detector could not be built on this executor"), (String) r.getAs("error"));
        }
    }

    @Test
    void thePathRouteTakesAColumnOfPaths() {
        List<String> paths = List.of(corpus.resolve("labeled/xmp-element.jpg").toString(), corpus.resolve("jpeg/plain.jpg").toUri().toString(),
                corpus.resolve("missing.jpg").toString());
        var ds = spark.createDataset(paths, org.apache.spark.sql.Encoders.STRING()).toDF("path");
        Map<String, Row> byPath = new HashMap<>();
        for (Row r : AigcScan.detectPaths(ds, ScanSettings.of(detector)).collectAsList()) {
            byPath.put(r.getAs("path"), r);
        }
        assertEquals("1", byPath.get(paths.get(0)).getAs("label"));
        assertEquals("none", byPath.get(paths.get(1)).getAs("rule"));
        assertEquals(Files.exists(corpus.resolve("missing.jpg")), false);
        assertEquals("INPUT_UNREADABLE", byPath.get(paths.get(2)).getAs("errorReason"));
        assertFalse(byPath.get(paths.get(0)).isNullAt(byPath.get(paths.get(0)).fieldIndex("report")));
    }
}
