package org.aigcmark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.aigcmark.InspectReport;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on Kafka Streams' own test driver (no broker): real fixture files in, verdict events and dead letters
 * out, the propagated copy read back by the sdk.
 */
class StreamScanTopologyTest {
    private static final String PLATFORM = "001191330106MA2CFLDG4R10001";

    @TempDir
    Path store;

    private final Detector reference = Detector.create(Labeler.create(), List.of(), List.of(), List.of());
    private int detectorsMade;
    private StreamScanTopology topology;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> uploads;
    private TestOutputTopic<byte[], byte[]> verdicts;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(store.resolve("in"));
        for (String f : List.of("labeled/xmp-element.jpg", "jpeg/plain.jpg", "bad/truncated-mid-idat.png", "bad/wrong-magic.jpg")) {
            Files.write(store.resolve("in").resolve(Path.of(f).getFileName()), Fixtures.bytes(f));
        }
        Supplier<Detector> detectors = () -> {
            detectorsMade++;
            return Detector.create(Labeler.create(), List.of(), List.of(), List.of());
        };
        StreamScanSettings settings = StreamScanSettings.defaults().withInlineMaxBytes(200_000).withPropagator(PLATFORM);
        topology = new StreamScanTopology(settings, detectors, new LocalObjectStore(store), Labeler.create());
        Properties props = StreamScanApp.streamsConfig(StreamScanApp.configure("--application-id", "scan-test"));
        driver = new TopologyTestDriver(topology.topology(), props);
        uploads = driver.createInputTopic(settings.uploadsTopic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        verdicts = driver.createOutputTopic(settings.verdictsTopic(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(settings.deadLettersTopic(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        topology.close();
        reference.close();
    }

    @Test
    void theDefaultConfigurationIsExactlyOnce() {
        Properties props = StreamScanApp.streamsConfig(StreamScanApp.configure());
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertFalse(props.stringPropertyNames().stream().anyMatch(k -> k.startsWith("aigcmark.")), "aigcmark.* keys stay ours");
        Properties flags = StreamScanApp.configure("--threads", "2", "--key", "a.key", "--key", "b.key", "--set", "commit.interval.ms=500");
        assertEquals("2", flags.getProperty("num.stream.threads"));
        assertEquals("a.key,b.key", flags.getProperty("aigcmark.keys"));
        assertEquals("500", flags.getProperty("commit.interval.ms"));
    }

    /** The detector options are scan's (DetectorSettings), from flags or properties; a bad choice is a usage error. */
    @Test
    void theDetectorOptionsAreScansOptions() {
        var defaults = StreamScanApp.detectorSettings(StreamScanApp.configure());
        assertEquals(org.aigcmark.detect.DetectorSettings.defaults(), defaults);
        var s = StreamScanApp.detectorSettings(StreamScanApp.configure("--key", "a.key", "--c2pa-trust", "ca.pem",
                "--metadata-only", "--models", "/m", "--no-ocr", "--watermark-search", "quick"));
        assertEquals(java.util.List.of("a.key"), s.keys());
        assertEquals(java.util.List.of("ca.pem"), s.c2paTrust());
        assertEquals("/m", s.models());
        assertEquals("quick", s.watermarkSearch());
        assertTrue(s.metadataOnly() && s.noOcr());
        var bad = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class,
                () -> StreamScanApp.detectorSettings(StreamScanApp.configure("--watermark-search", "fast")));
        assertEquals(org.aigcmark.AigcmarkException.Reason.INVALID_ARGUMENT, bad.reason());
    }

    /** N stream threads share the one detector: each OCR session gets cores / N threads, as serve's and scan's do. */
    @Test
    void theOcrSessionsGetTheStreamThreadsShareOfTheCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(0, StreamScanApp.detectorSettings(StreamScanApp.configure("--threads", "1")).onnxThreads(),
                "one stream thread: ONNX Runtime's own choice");
        assertEquals(org.aigcmark.detect.DetectorSettings.onnxThreadsFor(cores, 4),
                StreamScanApp.detectorSettings(StreamScanApp.configure("--threads", "4")).onnxThreads());
        assertEquals(2, StreamScanApp.onnxThreads(StreamScanApp.configure("--set", "num.stream.threads=4"), 8));
        assertEquals(1, StreamScanApp.onnxThreads(StreamScanApp.configure("--threads", "8"), 2));
        assertEquals(org.aigcmark.AigcmarkException.Reason.INVALID_ARGUMENT, org.junit.jupiter.api.Assertions.assertThrows(
                org.aigcmark.AigcmarkException.class, () -> StreamScanApp.onnxThreads(StreamScanApp.configure("--threads", "many"), 2)).reason());
    }

    /**
     * The shipped defaults are a configuration Kafka Streams accepts, down to the consumer and producer settings it
     * derives (a misspelt prefix or a bad value fails here, not at a platform's first start).
     */
    @Test
    void kafkaStreamsAcceptsTheDefaultConfiguration() {
        StreamsConfig config = new StreamsConfig(StreamScanApp.streamsConfig(StreamScanApp.configure()));
        // Kafka Streams sets the (de)serializers of its clients itself
        Map<String, Object> consumerMap = new java.util.HashMap<>(config.getMainConsumerConfigs("g", "c", 0));
        consumerMap.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        consumerMap.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        var consumer = new org.apache.kafka.clients.consumer.ConsumerConfig(consumerMap);
        assertEquals(50, consumer.getInt("max.poll.records"));
        assertEquals("read_committed", consumer.getString("isolation.level"), "exactly-once reads committed events only");
        Map<String, Object> producerMap = new java.util.HashMap<>(config.getProducerConfigs("p"));
        producerMap.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
        producerMap.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
        var producer = new org.apache.kafka.clients.producer.ProducerConfig(producerMap);
        assertTrue(producer.getBoolean("enable.idempotence"));
    }

    @Test
    void aLabelledImageGetsALabel1VerdictAndTheRecordIsKept() throws Exception {
        send("k1", event("e-1", "in/xmp-element.jpg", false, true));
        JsonNode v = verdict();
        assertEquals("e-1", v.get("eventId").asText());
        assertEquals("acme", v.get("tenant").asText());
        assertEquals("1", v.at("/verdict/label").asText());
        assertEquals("metadata", v.at("/verdict/rule").asText());
        assertEquals("keep", v.at("/decision/id").asText());
        assertEquals("1", v.at("/decision/recordLabel").asText());
        assertEquals(org.aigcmark.io.Sha256.hex(Fixtures.bytes("labeled/xmp-element.jpg")), v.get("sha256").asText());
        // the producer's record stays, with the platform's fields added
        assertTrue(v.at("/propagated/written").asBoolean(), v.toString());
        Path copy = store.resolve(v.at("/propagated/object").asText());
        InspectReport back = Labeler.create().inspect(copy, List.of());
        assertEquals(1, back.labels().size());
        var label = back.labels().get(0).label();
        assertEquals("1", label.label());
        assertEquals("001191110102MACQD9K64010000", label.contentProducer());
        assertEquals(PLATFORM, label.contentPropagator());
        assertEquals("e-1", label.propagateId());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void anUnlabelledImageTheUploaderDeclaredIsPossiblyAiAndItsPropagatedCopyCarriesLabel2() throws Exception {
        send("k2", event("e-2", "in/plain.jpg", true, true));
        JsonNode v = verdict();
        assertEquals("2", v.at("/verdict/label").asText());
        assertEquals("user-declared", v.at("/verdict/rule").asText());
        assertEquals("possibly", v.at("/decision/id").asText());
        assertEquals("2", v.at("/decision/recordLabel").asText());
        Path copy = store.resolve(v.at("/propagated/object").asText());
        assertEquals(store.resolve("propagated/acme/e-2.jpg"), copy);
        InspectReport back = Labeler.create().inspect(copy, List.of());
        assertEquals(1, back.labels().size());
        assertEquals("2", back.labels().get(0).label().label());
        assertEquals(PLATFORM, back.labels().get(0).label().contentPropagator());
        assertEquals("e-2", back.labels().get(0).label().propagateId());
        // the upload itself is never modified
        assertEquals(org.aigcmark.io.Sha256.hex(Fixtures.bytes("jpeg/plain.jpg")), org.aigcmark.io.Sha256.hex(store.resolve("in/plain.jpg")));
        // the same file undeclared: no label, nothing to propagate
        send("k2", event("e-3", "in/plain.jpg", false, true));
        JsonNode none = verdict();
        assertNull(none.at("/verdict/label").textValue());
        assertEquals("none", none.at("/decision/id").asText());
        assertFalse(none.at("/propagated/written").asBoolean());
        assertFalse(Files.exists(store.resolve("propagated/acme/e-3.jpg")));
    }

    @Test
    void theVerdictCarriesExactlyTheDetectorsReportOnTheSameBytes() throws Exception {
        byte[] bytes = Fixtures.bytes("labeled/xmp-element.jpg");
        ObjectNode inline = base("e-4");
        inline.put("inline", Base64.getEncoder().encodeToString(bytes));
        inline.put("name", "upload.jpg");
        inline.put("declaredAi", true);
        inline.put("propagate", true);
        send("k4", inline);
        JsonNode v = verdict();
        assertEquals(ReportJson.toNode(reference.detect(bytes, "upload.jpg", true)), v.get("report"));
        send("k5", event("e-5", "in/plain.jpg", true, false));
        assertEquals(ReportJson.toNode(reference.detect(Fixtures.bytes("jpeg/plain.jpg"), "in/plain.jpg", true)), verdict().get("report"));
        // the propagated copy of inline bytes comes back inline, and the sdk reads the platform's fields in it
        byte[] copy = Base64.getDecoder().decode(v.at("/propagated/inline").asText());
        InspectReport back = Labeler.create().inspect(copy, "copy.jpg", List.of());
        assertEquals(PLATFORM, back.labels().get(0).label().contentPropagator());
        assertEquals(1, detectorsMade, "one detector for the whole application");
    }

    /**
     * The SHA-256 is on by default and {@code --no-sha256} (or {@code aigcmark.verdict.sha256=false}) leaves it out of
     * the verdict, nothing else: the same verdict and report for the same upload.
     */
    @Test
    void theVerdictsDigestCanBeTurnedOff() throws Exception {
        assertTrue(StreamScanSettings.defaults().sha256());
        StreamScanSettings off = StreamScanSettings.from(StreamScanApp.configure("--no-sha256"));
        assertFalse(off.sha256());
        assertFalse(StreamScanSettings.from(StreamScanApp.configure("--set", "aigcmark.verdict.sha256=false")).sha256());
        var bad = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class,
                () -> StreamScanSettings.from(StreamScanApp.configure("--set", "aigcmark.verdict.sha256=no")));
        assertEquals(org.aigcmark.AigcmarkException.Reason.INVALID_ARGUMENT, bad.reason());

        send("k1", event("e-1", "in/xmp-element.jpg", false, false));
        ObjectNode withDigest = (ObjectNode) verdict();
        try (StreamScanTopology noDigest = new StreamScanTopology(off, () -> Detector.create(Labeler.create(), List.of(),
                List.of(), List.of()), new LocalObjectStore(store), Labeler.create());
             TopologyTestDriver d = new TopologyTestDriver(noDigest.topology(),
                     StreamScanApp.streamsConfig(StreamScanApp.configure("--application-id", "scan-test-2")))) {
            d.createInputTopic(off.uploadsTopic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                    .pipeInput("k1".getBytes(StandardCharsets.UTF_8), ProcessorBytes.of(event("e-1", "in/xmp-element.jpg", false, false)));
            JsonNode without = ReportJson.MAPPER.readTree(d.createOutputTopic(off.verdictsTopic(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).readValue());
            assertFalse(without.has("sha256"));
            assertEquals(withDigest.without("sha256"), without);
        }
    }

    @Test
    void inlineBytesOverTheLimitAreADeadLetter() {
        ObjectNode big = base("e-6");
        big.put("inline", Base64.getEncoder().encodeToString(new byte[200_001]));
        send("k6", big);
        assertDeadLetter("inline-too-large", "over the limit of 200000 (aigcmark.inline.max.bytes)");
        assertTrue(verdicts.isEmpty());
    }

    @Test
    void badJsonAndBadEventsAreDeadLettersWithTheReasonAndTheOriginalBytes() {
        byte[] junk = "{\"eventId\": \"e-7\", ".getBytes(StandardCharsets.UTF_8);
        uploads.pipeInput("k7".getBytes(StandardCharsets.UTF_8), junk);
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals("bad-json", header(dead.headers(), DeadLetter.REASON_HEADER));
        assertTrue(header(dead.headers(), DeadLetter.SOURCE_HEADER).startsWith("aigcmark.uploads/0@"));
        assertEquals(new String(junk, StandardCharsets.UTF_8), new String(dead.value(), StandardCharsets.UTF_8));
        assertEquals("k7", new String(dead.key(), StandardCharsets.UTF_8));

        ObjectNode both = base("e-8");
        both.put("object", "in/plain.jpg");
        both.put("inline", "AAAA");
        send("k8", both);
        assertDeadLetter("invalid-event", "exactly one of");
        send("k9", event("e-9", "in/no-such.jpg", false, false));
        assertDeadLetter("object-unreadable", "no such object");
        send("k10", event("e-10", "../../../../../../etc/passwd", false, false));
        assertDeadLetter("object-unreadable", "outside the object store");
        assertTrue(verdicts.isEmpty());
        assertEquals(1.0, metric("dead-letter-bad-json-total"));
        assertEquals(2.0, metric("dead-letter-object-unreadable-total"));
    }

    /**
     * A hostile file the detector refuses (random bytes named .jpg: no format) is a dead letter naming the reason; a
     * damaged one it can still read (a PNG cut mid-IDAT: its header and metadata are intact, its pixels are not) is a
     * verdict, "unchecked" rather than a clean "none", with the damage in the report's problems: the platform needs a
     * decision for every upload it can read at all, and the report says what could not be checked. Either way the
     * next event is scanned.
     */
    @Test
    void hostileFilesDoNotStopTheStream() throws Exception {
        send("k11", event("e-11", "in/wrong-magic.jpg", false, false));
        assertDeadLetter("detection-failed", "UNSUPPORTED_FORMAT");
        send("k12", event("e-12", "in/truncated-mid-idat.png", false, false));
        JsonNode damaged = verdict();
        assertFalse(damaged.at("/report/problems").isEmpty(), damaged.toString());
        assertEquals("unchecked", damaged.at("/verdict/rule").asText(), damaged.toString());
        assertEquals("none", damaged.at("/decision/id").asText());
        assertEquals(ReportJson.toNode(reference.detect(Fixtures.bytes("bad/truncated-mid-idat.png"), "in/truncated-mid-idat.png", false)),
                damaged.get("report"));
        send("k13", event("e-13", "in/xmp-element.jpg", false, false));
        assertEquals("1", verdict().at("/verdict/label").asText());
        assertEquals(1.0, metric("verdict-metadata-total"));
        assertEquals(1.0, metric("dead-letter-detection-failed-total"));
    }

    private void send(String key, ObjectNode event) {
        uploads.pipeInput(key.getBytes(StandardCharsets.UTF_8), ProcessorBytes.of(event));
    }

    private static ObjectNode base(String id) {
        ObjectNode o = ReportJson.MAPPER.createObjectNode();
        o.put("eventId", id);
        o.put("tenant", "acme");
        return o;
    }

    private static ObjectNode event(String id, String object, boolean declared, boolean propagate) {
        ObjectNode o = base(id);
        o.put("object", object);
        o.put("declaredAi", declared);
        o.put("propagate", propagate);
        return o;
    }

    private JsonNode verdict() throws Exception {
        assertFalse(verdicts.isEmpty(), "a verdict; dead letters: " + (deadLetters.isEmpty() ? "none"
                : header(deadLetters.readRecord().headers(), DeadLetter.MESSAGE_HEADER)));
        return ReportJson.MAPPER.readTree(verdicts.readValue());
    }

    private void assertDeadLetter(String reason, String messagePart) {
        assertFalse(deadLetters.isEmpty(), "a dead letter " + reason);
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        String message = header(dead.headers(), DeadLetter.MESSAGE_HEADER);
        assertEquals(reason, header(dead.headers(), DeadLetter.REASON_HEADER), message);
        if (messagePart != null) {
            assertTrue(message.contains(messagePart), message);
        }
    }

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private double metric(String name) {
        double sum = 0;
        boolean found = false;
        for (Map.Entry<MetricName, ? extends org.apache.kafka.common.Metric> e : driver.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals(ScanMetrics.GROUP)) {
                sum += ((Number) e.getValue().metricValue()).doubleValue();
                found = true;
            }
        }
        assertTrue(found, "metric " + name);
        return sum;
    }

    /** JSON bytes of a test event. */
    private static final class ProcessorBytes {
        static byte[] of(ObjectNode o) {
            return ScanProcessor.compact(o);
        }
    }
}
