package org.aigcmark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module ships without {@code rocksdbjni} (tens of MB of natives for state stores): the topology keeps no state
 * store, and exactly-once (Kafka's transactions) needs none, so the runtime class path has no RocksDB and the
 * topology and a real {@link KafkaStreams} instance run without it.
 */
class NoStateStoreTest {
    @TempDir
    Path dir;

    @Test
    void rocksDbIsNotOnTheRuntimeClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.rocksdb.RocksDB"),
                "rocksdbjni is excluded from kafka-streams in stream/pom.xml");
    }

    @Test
    void theTopologyHasNoStateStore() {
        StreamScanTopology topology = topology();
        for (TopologyDescription.Subtopology sub : topology.topology().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    assertTrue(p.stores().isEmpty(), node.name() + " has stores " + p.stores());
                }
            }
        }
        assertTrue(topology.topology().describe().globalStores().isEmpty());
    }

    /** The test driver under the shipped default (exactly_once_v2) commits verdicts with no RocksDB on the class path. */
    @Test
    void exactlyOnceProcessingRunsWithoutRocksDb() throws Exception {
        Files.write(dir.resolve("a.jpg"), Fixtures.bytes("labeled/xmp-element.jpg"));
        Properties props = StreamScanApp.streamsConfig(StreamScanApp.configure("--application-id", "no-rocksdb"));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        StreamScanTopology topology = topology();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology.topology(), props)) {
            var uploads = driver.createInputTopic("aigcmark.uploads", Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            var verdicts = driver.createOutputTopic("aigcmark.verdicts", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            ObjectNode event = ReportJson.MAPPER.createObjectNode().put("eventId", "e-1").put("tenant", "acme").put("object", "a.jpg");
            uploads.pipeInput("k".getBytes(StandardCharsets.UTF_8), ScanProcessor.compact(event));
            assertEquals("1", ReportJson.MAPPER.readTree(verdicts.readValue()).at("/verdict/label").asText());
            assertTrue(verdicts.isEmpty());
        } finally {
            topology.close();
        }
    }

    /**
     * A real streams instance under exactly-once starts its threads and closes cleanly without RocksDB (no broker: it
     * waits in REBALANCING for one; a missing class would kill a thread and show here as an uncaught exception).
     */
    @Test
    void aStreamsInstanceStartsAndClosesWithoutRocksDb() throws Exception {
        Properties props = StreamScanApp.streamsConfig(StreamScanApp.configure("--application-id", "no-rocksdb",
                "--bootstrap-servers", "127.0.0.1:1", "--threads", "2"));
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        List<KafkaStreams.State> states = new CopyOnWriteArrayList<>();
        StreamScanTopology topology = topology();
        try (KafkaStreams streams = new KafkaStreams(topology.topology(), props)) {
            streams.setUncaughtExceptionHandler(e -> {
                uncaught.add(e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.setStateListener((now, before) -> states.add(now));
            streams.start();
            for (int i = 0; i < 100 && !states.contains(KafkaStreams.State.REBALANCING); i++) {
                Thread.sleep(50);
            }
            assertTrue(states.contains(KafkaStreams.State.REBALANCING), "states " + states);
            assertTrue(streams.close(Duration.ofSeconds(20)), "closed in time");
            assertEquals(KafkaStreams.State.NOT_RUNNING, streams.state());
        } finally {
            topology.close();
        }
        assertTrue(uncaught.isEmpty(), "uncaught " + uncaught);
        assertFalse(states.contains(KafkaStreams.State.ERROR), "states " + states);
    }

    private StreamScanTopology topology() {
        return new StreamScanTopology(StreamScanSettings.defaults(),
                () -> Detector.create(Labeler.create(), List.of(), List.of(), List.of()), new LocalObjectStore(dir), Labeler.create());
    }
}
