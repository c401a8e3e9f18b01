package org.aigcmark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology end to end on a real broker: one KRaft node (controller and broker in one) from Kafka's own test kit,
 * in this JVM on loopback, and a {@link KafkaStreams} instance with two stream threads under the shipped
 * configuration (exactly-once v2). Bounded: 40 events, and the test fails after three minutes whatever happens.
 */
class BrokerRunTest {
    private static final int EVENTS = 40;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void everyEventGetsOneCommittedVerdictOrDeadLetterThroughARealBroker() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBaseDirectory(dir.resolve("kafka")).build();
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String bootstrap = cluster.bootstrapServers();
            assertTrue(bootstrap.startsWith("localhost:") || bootstrap.startsWith("127.0.0.1:"), "loopback only: " + bootstrap);

            Properties props = StreamScanApp.configure("--bootstrap-servers", bootstrap, "--application-id", "broker-run",
                    "--threads", "2");
            props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
            StreamScanSettings settings = StreamScanSettings.from(props);
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(settings.uploadsTopic(), 2, (short) 1),
                        new NewTopic(settings.verdictsTopic(), 2, (short) 1),
                        new NewTopic(settings.deadLettersTopic(), 1, (short) 1))).all().get();
            }
            Path root = Fixtures.root().resolve("fixtures");
            List<String> objects = List.of("labeled/xmp-element.jpg", "jpeg/plain.jpg", "png/rgb.png", "labeled/xmp-element.png");
            Map<String, String> expectedObject = new HashMap<>();
            try (StreamScanTopology topology = new StreamScanTopology(settings,
                    () -> Detector.create(Labeler.create(), List.of(), List.of(), List.of()).metadataOnly(), new LocalObjectStore(root), Labeler.create());
                 KafkaStreams streams = new KafkaStreams(topology.topology(), StreamScanApp.streamsConfig(props))) {
                streams.start();
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                    for (int i = 0; i < EVENTS; i++) {
                        String id = "e-" + i;
                        byte[] value;
                        if (i % 10 == 9) {
                            value = ("{not json " + i).getBytes(StandardCharsets.UTF_8); // a dead letter
                        } else {
                            String object = objects.get(i % objects.size());
                            expectedObject.put(id, object);
                            value = ("{\"eventId\":\"" + id + "\",\"tenant\":\"t\",\"object\":\"" + object + "\"}").getBytes(StandardCharsets.UTF_8);
                        }
                        producer.send(new ProducerRecord<>(settings.uploadsTopic(), id.getBytes(StandardCharsets.UTF_8), value));
                    }
                    producer.flush();
                }
                Map<String, JsonNode> verdicts = new HashMap<>();
                int deadLetters = 0;
                int duplicates = 0;
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG, "broker-run-check",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
                    consumer.subscribe(List.of(settings.verdictsTopic(), settings.deadLettersTopic()));
                    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    while (verdicts.size() + deadLetters < EVENTS && System.nanoTime() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                            if (r.topic().equals(settings.deadLettersTopic())) {
                                deadLetters++;
                                assertEquals("bad-json", new String(r.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8));
                            } else {
                                JsonNode v = ReportJson.MAPPER.readTree(r.value());
                                if (verdicts.put(v.path("eventId").asText(), v) != null) {
                                    duplicates++;
                                }
                            }
                        }
                    }
                }
                assertEquals(EVENTS / 10, deadLetters, "one dead letter per bad event");
                assertEquals(expectedObject.keySet(), verdicts.keySet(), "one verdict per good event");
                assertEquals(0, duplicates, "exactly once: no event has two committed verdicts");
                for (var e : verdicts.entrySet()) {
                    String object = expectedObject.get(e.getKey());
                    assertEquals(object, e.getValue().path("object").asText());
                    assertEquals(object.startsWith("labeled/") ? "1" : null,
                            e.getValue().path("verdict").path("label").isNull() ? null : e.getValue().path("verdict").path("label").asText(), object);
                }
                streams.close(Duration.ofSeconds(30));
            }
        }
    }
}
