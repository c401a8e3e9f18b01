package org.aigcmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aigcmark.detect.DetectorSettings;
import org.aigcmark.testdata.Fixtures;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scan of a bucket through {@code s3a://}: an S3 API server in this JVM (s3proxy over a local temporary folder,
 * listening on 127.0.0.1 only), read by Spark in local[2] through Hadoop's S3A connector, configured as a job
 * configures it ({@code spark.hadoop.fs.s3a.*}: endpoint, path-style access, credentials). The small files come
 * through binaryFile rows, the one over {@code maxRowBytes} by path (copied from S3 to a local temporary file on the
 * executor, with the job's Hadoop configuration), the empty one from the listing; every row agrees with what the
 * detector says of the same bytes on local disk. The objects are put with the AWS SDK, not with the connector under
 * test.
 */
class S3ScanTest {
    private static final List<String> FIXTURES = List.of("labeled/xmp-element.png", "labeled/xmp-element.jpg",
            "jpeg/plain.jpg", "c2pa/signed.jpg", "docs/front-matter.md", "video-labeled/ffmpeg-mdta.mp4",
            "bad/empty.jpg", "bad/wrong-magic.jpg");
    /** ffmpeg-mdta.mp4 (208,438 bytes) goes by path, the others in rows. */
    private static final long MAX_ROW_BYTES = 200_000;
    private static final String BUCKET = "uploads";

    static S3ProxyJunitCore s3;
    static SparkSession spark;
    static DetectorSettings detector;

    @BeforeAll
    static void start() throws Exception {
        // test-only credentials of a server that lives as long as this class, on the loopback interface
        s3 = new S3ProxyJunitCore.Builder().withCredentials("aigcmark-test", "aigcmark-test-secret").build();
        s3.beforeEach();
        URI endpoint = s3.getUri();
        assertEquals("127.0.0.1", endpoint.getHost(), "loopback only");
        try (S3Client client = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.getAccessKey(), s3.getSecretKey())))
                .build()) {
            client.createBucket(b -> b.bucket(BUCKET));
            for (String f : FIXTURES) {
                client.putObject(b -> b.bucket(BUCKET).key("in/" + f), RequestBody.fromFile(Fixtures.path(f)));
            }
        }
        detector = DetectorSettings.defaults().withNoOcr(true)
                .withKeys(List.of(Fixtures.path("keys/test-watermark.key").toString()))
                .withWatermarkSearch("quick");
        spark = SparkSession.builder().master("local[2]").appName("S3ScanTest").config("spark.ui.enabled", "false")
                .config("spark.hadoop.fs.s3a.endpoint", endpoint.toString())
                .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
                .config("spark.hadoop.fs.s3a.path.style.access", "true")
                .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
                .config("spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
                .config("spark.hadoop.fs.s3a.access.key", s3.getAccessKey())
                .config("spark.hadoop.fs.s3a.secret.key", s3.getSecretKey())
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        AigcScan.closeDetectors();
        if (spark != null) {
            spark.stop();
        }
        if (s3 != null) {
            s3.afterEach();
        }
    }

    @Test
    void everyObjectIsARowThatAgreesWithTheLocalDetection() throws IOException {
        ScanSettings settings = ScanSettings.of(detector).withMaxRowBytes(MAX_ROW_BYTES);
        var rows = (org.apache.spark.sql.classic.Dataset<Row>) AigcScan.scan(spark, "s3a://" + BUCKET + "/in/", settings);
        Map<String, Row> byFixture = RemoteRows.assertAgreeWithLocalDetection(rows, "s3a://" + BUCKET + "/in/", FIXTURES, detector);
        assertEquals("1", byFixture.get("labeled/xmp-element.png").getAs("label"));
        assertEquals("1", byFixture.get("video-labeled/ffmpeg-mdta.mp4").getAs("label"), "the object read by path from S3");
    }

    @Test
    void thePathRouteReadsS3ThroughTheJobsHadoopConfiguration() {
        // the endpoint and credentials are only in the job's spark.hadoop.* settings: the executor's copy of an object
        // to a local file must open it with them
        List<String> paths = List.of("s3a://" + BUCKET + "/in/labeled/xmp-element.jpg", "s3a://" + BUCKET + "/in/jpeg/plain.jpg",
                "s3a://" + BUCKET + "/in/missing.jpg");
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
