package org.aigcmark.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
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
 * The topology over S3: an S3 API server in this JVM (s3proxy over a temporary folder, on 127.0.0.1 only), the store
 * configured as the application configures it (its {@code aigcmark.s3.*} settings), real fixtures put with the AWS
 * SDK, events naming {@code s3://} objects through Kafka Streams' test driver. The propagated copy is read back from
 * S3 by the sdk.
 */
class S3ObjectStoreTest {
    private static final String PLATFORM = "001191330106MA2CFLDG4R10001";
    private static final String BUCKET = "uploads";
    /** A bucket on the same server that the store is not given: events must not read it. */
    private static final String OTHER = "elsewhere";
    /** plain.jpg (115,487 bytes) fits; 06-storm-sky-road.jpg (222,588) does not. */
    private static final long LIMIT = 200_000;

    static S3ProxyJunitCore s3;
    static S3Client client;
    static Properties props;

    @BeforeAll
    static void start() throws Exception {
        // test-only credentials of a server that lives as long as this class, on the loopback interface
        s3 = new S3ProxyJunitCore.Builder().withCredentials("aigcmark-test", "aigcmark-test-secret").build();
        s3.beforeEach();
        URI endpoint = s3.getUri();
        assertEquals("127.0.0.1", endpoint.getHost(), "loopback only");
        client = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.getAccessKey(), s3.getSecretKey())))
                .build();
        client.createBucket(b -> b.bucket(BUCKET));
        client.createBucket(b -> b.bucket(OTHER));
        for (String f : List.of("labeled/xmp-element.jpg", "jpeg/plain.jpg", "photos/06-storm-sky-road.jpg")) {
            client.putObject(b -> b.bucket(BUCKET).key("in/" + f), RequestBody.fromBytes(Fixtures.bytes(f)));
        }
        client.putObject(b -> b.bucket(OTHER).key("secret.jpg"), RequestBody.fromBytes(Fixtures.bytes("jpeg/plain.jpg")));
        props = StreamScanApp.configure("--application-id", "s3-test", "--object-store", "s3", "--s3-bucket", BUCKET,
                "--s3-endpoint", endpoint.toString(), "--propagator", PLATFORM,
                "--set", "aigcmark.s3.path-style=true", "--set", "aigcmark.s3.access-key=" + s3.getAccessKey(),
                "--set", "aigcmark.s3.secret-key=" + s3.getSecretKey(), "--set", "aigcmark.object.max.bytes=" + LIMIT);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.afterEach();
        }
    }

    @Test
    void objectEventsAreScannedAndThePropagatedCopyIsWrittenBackToS3() throws Exception {
        ObjectStore store = StreamScanApp.objectStore(props);
        assertTrue(store instanceof S3ObjectStore, store.getClass().getName());
        StreamScanSettings settings = StreamScanSettings.from(props);
        try (StreamScanTopology topology = new StreamScanTopology(settings,
                () -> Detector.create(Labeler.create(), List.of(), List.of(), List.of()), store, Labeler.create());
                TopologyTestDriver driver = new TopologyTestDriver(topology.topology(), StreamScanApp.streamsConfig(props));
                S3ObjectStore closing = (S3ObjectStore) store) {
            TestInputTopic<byte[], byte[]> uploads = driver.createInputTopic(settings.uploadsTopic(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<byte[], byte[]> verdicts = driver.createOutputTopic(settings.verdictsTopic(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic(settings.deadLettersTopic(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());

            // a labelled image, by s3:// reference: the producer's Label 1
            send(uploads, event("e-1", "s3://" + BUCKET + "/in/labeled/xmp-element.jpg", false, false));
            JsonNode v1 = ReportJson.MAPPER.readTree(verdicts.readValue());
            assertEquals("1", v1.at("/verdict/label").asText(), v1.toString());
            assertEquals("metadata", v1.at("/verdict/rule").asText());
            assertEquals(23_835, v1.get("size").asLong());

            // an unlabelled image the uploader declared, by bare key in the store's bucket: Label 2, copy written back
            send(uploads, event("e-2", "in/jpeg/plain.jpg", true, true));
            assertFalse(verdicts.isEmpty(), dead.isEmpty() ? "no verdict" : deadMessage(dead.readRecord()));
            JsonNode v2 = ReportJson.MAPPER.readTree(verdicts.readValue());
            assertEquals("2", v2.at("/verdict/label").asText(), v2.toString());
            assertEquals("possibly", v2.at("/decision/id").asText());
            assertTrue(v2.at("/propagated/written").asBoolean(), v2.toString());
            assertEquals("s3://" + BUCKET + "/propagated/acme/e-2.jpg", v2.at("/propagated/object").asText());
            byte[] copy = client.getObjectAsBytes(b -> b.bucket(BUCKET).key("propagated/acme/e-2.jpg")).asByteArray();
            InspectReport back = Labeler.create().inspect(copy, "e-2.jpg", List.of());
            assertEquals("2", back.labels().get(0).label().label(), back.toString());
            assertEquals(PLATFORM, back.labels().get(0).label().contentPropagator());
            assertEquals("e-2", back.labels().get(0).label().propagateId());
            // the verdict's reference reads back through the store, and the upload itself is unchanged
            assertArrayEquals(copy, store.read(v2.at("/propagated/object").asText(), LIMIT));
            assertArrayEquals(Fixtures.bytes("jpeg/plain.jpg"),
                    client.getObjectAsBytes(b -> b.bucket(BUCKET).key("in/jpeg/plain.jpg")).asByteArray());

            // dead letters: missing, over the limit, a bucket not served, a key that climbs out
            send(uploads, event("e-3", "s3://" + BUCKET + "/in/no-such.jpg", false, false));
            assertDeadLetter(dead, "object-unreadable", "no such object");
            send(uploads, event("e-4", "s3://" + BUCKET + "/in/photos/06-storm-sky-road.jpg", false, false));
            assertDeadLetter(dead, "object-too-large", "larger than the limit of 200000 bytes");
            send(uploads, event("e-5", "s3://" + OTHER + "/secret.jpg", false, false));
            assertDeadLetter(dead, "object-unreadable", "is not one this store serves");
            send(uploads, event("e-6", "in/../../" + OTHER + "/secret.jpg", false, false));
            assertDeadLetter(dead, "object-unreadable", ". or .. segment");
            send(uploads, event("e-7", "file:///etc/passwd", false, false));
            assertDeadLetter(dead, "object-unreadable", "not an s3:// reference");
            assertTrue(verdicts.isEmpty());
        }
    }

    /** The limit holds at the byte: an object of exactly the limit is read, one byte more is refused. */
    @Test
    void theLimitIsExactAndWritesStayInTheStoresBucket() {
        try (S3ObjectStore store = S3ObjectStore.fromSettings(props)) {
            int size = Fixtures.bytes("labeled/xmp-element.jpg").length;
            assertEquals(size, store.read("in/labeled/xmp-element.jpg", size).length);
            AigcmarkException over = assertThrows(AigcmarkException.class, () -> store.read("in/labeled/xmp-element.jpg", size - 1));
            assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, over.reason());
            // propagated references are reduced to safe segments; a write elsewhere is refused
            assertEquals("propagated/__x/e_1.jpg", store.propagatedRef("in/a.jpg", "../x", "e/1", "jpg"));
            assertEquals(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE,
                    assertThrows(AigcmarkException.class, () -> store.write("propagated/../in/x.jpg", new byte[] {1})).reason());
            AigcmarkException elsewhere = assertThrows(AigcmarkException.class,
                    () -> store.write("s3://" + OTHER + "/x.jpg", new byte[] {1}));
            assertEquals(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, elsewhere.reason());
        }
        Properties noBucket = (Properties) props.clone();
        noBucket.setProperty("aigcmark.s3.bucket", "");
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT,
                assertThrows(AigcmarkException.class, () -> StreamScanApp.objectStore(noBucket)).reason());
    }

    private static void send(TestInputTopic<byte[], byte[]> uploads, ObjectNode event) {
        uploads.pipeInput(event.get("eventId").asText().getBytes(StandardCharsets.UTF_8), ScanProcessor.compact(event));
    }

    private static ObjectNode event(String id, String object, boolean declared, boolean propagate) {
        ObjectNode o = ReportJson.MAPPER.createObjectNode();
        o.put("eventId", id);
        o.put("tenant", "acme");
        o.put("object", object);
        o.put("declaredAi", declared);
        o.put("propagate", propagate);
        return o;
    }

    private static void assertDeadLetter(TestOutputTopic<byte[], byte[]> dead, String reason, String messagePart) {
        assertFalse(dead.isEmpty(), "a dead letter " + reason);
        TestRecord<byte[], byte[]> r = dead.readRecord();
        String message = deadMessage(r);
        assertEquals(reason, new String(r.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8), message);
        assertTrue(message.contains(messagePart), message);
    }

    private static String deadMessage(TestRecord<byte[], byte[]> r) {
        return new String(r.headers().lastHeader(DeadLetter.MESSAGE_HEADER).value(), StandardCharsets.UTF_8);
    }
}
