package org.aigcmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aigcmark.detect.DetectorSettings;
import org.aigcmark.testdata.Fixtures;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan of a folder on HDFS: a real NameNode and DataNode in this JVM (Hadoop's MiniDFSCluster), read by Spark in
 * local[2] through the {@code hdfs://} file system, as a cluster reads its uploads. The small files come through
 * binaryFile rows (the cluster's reader does the I/O), the one over {@code maxRowBytes} by path (copied from HDFS to a
 * local temporary file on the executor), the empty one from the listing; every row agrees with what the detector
 * says of the same bytes on local disk.
 */
class HdfsScanTest {
    private static final List<String> FIXTURES = List.of("labeled/xmp-element.png", "labeled/xmp-element.jpg",
            "jpeg/plain.jpg", "c2pa/signed.jpg", "docs/front-matter.md", "video-labeled/ffmpeg-mdta.mp4",
            "bad/empty.jpg", "bad/wrong-magic.jpg");
    /** ffmpeg-mdta.mp4 (208,438 bytes) goes by path, the others in rows. */
    private static final long MAX_ROW_BYTES = 200_000;

    /** Under /hidden: a name, and the fixture copied there. */
    private static final String[][] HIDDEN = {{"_upload.jpg", "labeled/xmp-element.jpg"}, {".upload.png", "labeled/xmp-element.png"},
            {"_temporary/plain.jpg", "jpeg/plain.jpg"}, {"visible.jpg", "jpeg/plain.jpg"}};

    @TempDir
    static Path tmp;
    static MiniDFSCluster hdfs;
    static String root;
    static SparkSession spark;
    static DetectorSettings detector;

    @BeforeAll
    static void start() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        root = "hdfs://localhost:" + hdfs.getNameNodePort();
        FileSystem fs = hdfs.getFileSystem();
        for (String f : FIXTURES) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Fixtures.path(f).toUri()),
                    new org.apache.hadoop.fs.Path("/uploads/" + f));
        }
        // names Spark's listing leaves out (its outputs' markers), which scan checks like any other file
        for (String[] hidden : HIDDEN) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Fixtures.path(hidden[1]).toUri()),
                    new org.apache.hadoop.fs.Path("/hidden/" + hidden[0]));
        }
        detector = DetectorSettings.defaults().withNoOcr(true)
                .withKeys(List.of(Fixtures.path("keys/test-watermark.key").toString()))
                .withWatermarkSearch("quick");
        // fs.defaultFS only in the job's spark.hadoop.* settings: a path without its NameNode resolves on the
        // executor only through the job's Hadoop configuration
        spark = SparkSession.builder().master("local[2]").appName("HdfsScanTest").config("spark.ui.enabled", "false")
                .config("spark.hadoop.fs.defaultFS", root).getOrCreate();
    }

    @AfterAll
    static void stop() {
        AigcScan.closeDetectors();
        if (spark != null) {
            spark.stop();
        }
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    @Test
    void everyFileOnHdfsIsARowThatAgreesWithTheLocalDetection() throws IOException {
        ScanSettings settings = ScanSettings.of(detector).withMaxRowBytes(MAX_ROW_BYTES);
        var rows = (org.apache.spark.sql.classic.Dataset<Row>) AigcScan.scan(spark, root + "/uploads", settings);
        Map<String, Row> byFixture = RemoteRows.assertAgreeWithLocalDetection(rows, root + "/uploads/", FIXTURES, detector);
        assertEquals("1", byFixture.get("labeled/xmp-element.png").getAs("label"));
        assertEquals("1", byFixture.get("video-labeled/ffmpeg-mdta.mp4").getAs("label"), "the file read by path from HDFS");
    }

    @Test
    void filesThatSparksListingLeavesOutAreRowsToo() {
        // Spark's file index skips names beginning with _ or . (and folders so named): before, only visible.jpg had a row
        List<Row> rows = AigcScan.scan(spark, root + "/hidden", ScanSettings.of(detector)).collectAsList();
        Map<String, Row> byName = new HashMap<>();
        for (Row r : rows) {
            String path = r.getAs("path");
            byName.put(path.substring(path.indexOf("/hidden/") + "/hidden/".length()), r);
        }
        assertEquals(HIDDEN.length, rows.size(), "one row per file, none twice: " + byName.keySet());
        assertEquals(java.util.Set.of("_upload.jpg", ".upload.png", "_temporary/plain.jpg", "visible.jpg"), byName.keySet());
        assertEquals("1", byName.get("_upload.jpg").getAs("label"));
        assertEquals("1", byName.get(".upload.png").getAs("label"));
        assertEquals("none", byName.get("_temporary/plain.jpg").getAs("rule"));
    }

    @Test
    void thePathRouteReadsHdfsThroughTheJobsHadoopConfiguration() {
        // no NameNode in the path: only spark.hadoop.fs.defaultFS says where it is (a bare new Configuration() on the
        // executor read these as local files, and every row was INPUT_UNREADABLE)
        List<String> paths = List.of("/uploads/labeled/xmp-element.jpg", "hdfs:///uploads/jpeg/plain.jpg", "/uploads/missing.jpg");
        var ds = spark.createDataset(paths, org.apache.spark.sql.Encoders.STRING()).toDF("path");
        Map<String, Row> byPath = new HashMap<>();
        for (Row r : AigcScan.detectPaths(ds, ScanSettings.of(detector)).collectAsList()) {
            byPath.put(r.getAs("path"), r);
        }
        assertEquals("1", byPath.get(paths.get(0)).getAs("label"), String.valueOf(byPath.get(paths.get(0))));
        assertEquals("none", byPath.get(paths.get(1)).getAs("rule"), String.valueOf(byPath.get(paths.get(1))));
        assertEquals("INPUT_UNREADABLE", byPath.get(paths.get(2)).getAs("errorReason"));
    }
}
