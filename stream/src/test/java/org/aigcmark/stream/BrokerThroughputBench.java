package org.aigcmark.stream;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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

/**
 * Events per second through the topology on a real broker: the KRaft node of {@code BrokerRunTest} (Kafka's own test
 * kit, in this JVM on loopback), a {@link KafkaStreams} instance under the shipped configuration (exactly-once v2,
 * commits every second) with 1 and 2 stream threads, metadata-only, {@code --no-sha256} (like scan, which hashes
 * nothing). N events are produced once, before any run, to one uploads topic of 4 partitions; each run is a new
 * application id (so it reads them all from the start) with its own verdict and dead-letter topics, and ends when a
 * {@code read_committed} consumer has seen N committed verdicts and dead letters. Not a test (never run by CI): a
 * bench program, bounded by N and a two-minute deadline per run. Run it as docs/STREAM.md says.
 *
 * <p>Reported per run: events/s over the wall clock from {@code start()} (join, rebalance, the last commit included)
 * and from the first committed verdict to the last (the steady rate); events per CPU-second of the application's own
 * threads (stream threads, their producers' network threads, the consumer heartbeat: every thread whose name holds the
 * application id) and of the whole JVM (which also runs the broker and the checking consumer). The baseline is scan's
 * per-file work (read, detect metadata-only, the report as one JSON line) on this thread, on the same corpus.
 *
 * <p>Arguments: {@code [events] [rounds]} (defaults 5000 and 2).
 */
public final class BrokerThroughputBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final List<String> FOLDERS = List.of("photos", "jpeg", "png", "labeled", "webp");
    private static final int PARTITIONS = 4;
    private static final String UPLOADS = "uploads-bench";

    private BrokerThroughputBench() {
    }

    record Run(double wallFromStart, double wallSteady, double appCpu, double jvmCpu, long seen) {
    }

    /** @param args {@code [events] [rounds]} */
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path root = Fixtures.root().resolve("fixtures");
        List<String> corpus = new ArrayList<>();
        for (String folder : FOLDERS) {
            for (Path p : Fixtures.list(folder)) {
                if (p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png|webp|gif|tiff?)$")) {
                    corpus.add(root.relativize(p).toString());
                }
            }
        }
        Path dir = Files.createTempDirectory("aigcmark-broker-bench");
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBaseDirectory(dir.resolve("kafka")).build();
        Detector detector = Detector.create(Labeler.create(), List.of(), List.of(), List.of()).metadataOnly();
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String bootstrap = cluster.bootstrapServers();
            System.out.printf(Locale.ROOT, "corpus: %d images (testdata/fixtures/{%s}); %d events a run, metadata-only,"
                            + " --no-sha256, %d upload partitions; %d cores; java %s%n", corpus.size(), String.join(",", FOLDERS),
                    events, PARTITIONS, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            for (int r = 1; r <= 1 + 2 * rounds; r++) {
                prepare(cluster, bootstrap, corpus, events, r);
            }
            int[] serial = {0};
            // warm-up: the JIT, the broker's and clients' code paths (as many events as a measured run)
            run(cluster, bootstrap, dir, detector, root, corpus, events, 2, ++serial[0]);
            baseline(detector, root, corpus, events);
            List<Double> scaling = new ArrayList<>();
            List<Double> ratio1 = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double scan = baseline(detector, root, corpus, events);
                // alternate the order, so neither thread count always gets the warmer JVM
                Run one;
                Run two;
                if (round % 2 == 1) {
                    one = run(cluster, bootstrap, dir, detector, root, corpus, events, 1, ++serial[0]);
                    two = run(cluster, bootstrap, dir, detector, root, corpus, events, 2, ++serial[0]);
                } else {
                    two = run(cluster, bootstrap, dir, detector, root, corpus, events, 2, ++serial[0]);
                    one = run(cluster, bootstrap, dir, detector, root, corpus, events, 1, ++serial[0]);
                }
                System.out.printf(Locale.ROOT, "round %d, load average %.1f; scan's per-file work: %.0f events per CPU-second%n",
                        round, OS.getSystemLoadAverage(), scan);
                print(1, events, one);
                print(2, events, two);
                double s = (events / two.wallSteady) / (events / one.wallSteady);
                double r1 = (events / one.appCpu) / scan;
                scaling.add(s);
                ratio1.add(r1);
                System.out.printf(Locale.ROOT, "round %d: 1 -> 2 threads %.2fx (steady wall); app CPU per event, 2 threads vs 1: %.2f;"
                        + " 1 thread per app CPU-second / scan per CPU-second: %.2fx%n", round, s, two.appCpu / one.appCpu, r1);
            }
            System.out.printf(Locale.ROOT, "medians of %d rounds: 1 -> 2 threads %.2fx (steady wall), topology (1 thread) / scan per CPU-second %.2fx%n",
                    rounds, median(scaling), median(ratio1));
        } finally {
            detector.close();
        }
    }

    private static void print(int threads, int events, Run r) {
        System.out.printf(Locale.ROOT, "  threads=%d seen=%d  %.0f events/s wall from start, %.0f steady; %.0f per app CPU-second,"
                        + " %.0f per JVM CPU-second (broker included)%n", threads, r.seen, events / r.wallFromStart,
                events / r.wallSteady, events / r.appCpu, events / r.jvmCpu);
    }

    /**
     * The run's topics with their N events, made before any run starts: a topic made just before a run had a partition
     * whose leader the producer did not find for two minutes on this loaded machine, so every topic is made first and
     * its partitions' leaders awaited; every send is checked.
     */
    private static void prepare(KafkaClusterTestKit cluster, String bootstrap, List<String> corpus, int events, int serial)
            throws Exception {
        String tag = "r" + serial;
        StreamScanSettings settings = StreamScanSettings.from(StreamScanApp.configure("--uploads-topic", UPLOADS,
                "--verdicts-topic", "verdicts-" + tag, "--dead-letters-topic", "dlt-" + tag));
        try (Admin admin = cluster.admin()) {
            List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic(settings.verdictsTopic(), PARTITIONS, (short) 1),
                    new NewTopic(settings.deadLettersTopic(), 1, (short) 1)));
            if (serial == 1) {
                topics.add(new NewTopic(UPLOADS, PARTITIONS, (short) 1));
            }
            admin.createTopics(topics).all().get();
            List<String> names = topics.stream().map(NewTopic::name).toList();
            long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!led(admin, names)) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("the topics of " + tag + " have no leaders after two minutes");
                }
                Thread.sleep(100);
            }
        }
        if (serial != 1) {
            return;
        }
        // one uploads topic read by every run (each run's own application id reads it from the start), written by one
        // producer: a second producer's batches for a fresh topic's partition expired unsent here
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                var e = ReportJson.MAPPER.createObjectNode();
                e.put("eventId", tag + "-" + i);
                e.put("tenant", "bench");
                e.put("object", corpus.get(i % corpus.size()));
                sent.add(producer.send(new ProducerRecord<>(settings.uploadsTopic(), ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ScanProcessor.compact(e))));
            }
            producer.flush();
            int[] perPartition = new int[PARTITIONS];
            for (var f : sent) {
                perPartition[f.get().partition()]++; // a failed send throws here: the run would wait for events never sent
            }
            System.out.printf(Locale.ROOT, "  %d events produced to %s, per partition %s%n", events, UPLOADS,
                    java.util.Arrays.toString(perPartition));
        }
    }

    /** Whether every partition of {@code names} has a leader (a topic just made may not be known yet). */
    private static boolean led(Admin admin, List<String> names) throws InterruptedException {
        try {
            return admin.describeTopics(names).allTopicNames().get().values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(pi -> pi.leader() != null && !pi.leader().isEmpty()));
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    private static Run run(KafkaClusterTestKit cluster, String bootstrap, Path dir, Detector detector, Path root,
                           List<String> corpus, int events, int threads, int serial) throws Exception {
        String tag = "r" + serial;
        String app = "bench-" + tag + "-t" + threads;
        Properties props = StreamScanApp.configure("--bootstrap-servers", bootstrap, "--application-id", app,
                "--threads", Integer.toString(threads), "--no-sha256", "--uploads-topic", UPLOADS,
                "--verdicts-topic", "verdicts-" + tag, "--dead-letters-topic", "dlt-" + tag);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + tag).toString());
        StreamScanSettings settings = StreamScanSettings.from(props);
        try (StreamScanTopology topology = new StreamScanTopology(settings, () -> detector, new LocalObjectStore(root), Labeler.create());
             KafkaStreams streams = new KafkaStreams(topology.topology(), StreamScanApp.streamsConfig(props));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.GROUP_ID_CONFIG, app + "-check",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                     ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(settings.verdictsTopic(), settings.deadLettersTopic()));
            consumer.poll(Duration.ofMillis(200)); // join before the clock starts
            long jvm0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            streams.start();
            long first = 0;
            long seen = 0;
            long deadline = t0 + Duration.ofSeconds(120).toNanos();
            long report = t0 + Duration.ofSeconds(20).toNanos();
            while (seen < events && System.nanoTime() < deadline) {
                int n = consumer.poll(Duration.ofMillis(100)).count();
                if (n > 0 && first == 0) {
                    first = System.nanoTime();
                }
                seen += n;
                if (System.nanoTime() > report) {
                    report += Duration.ofSeconds(20).toNanos();
                    System.out.printf(Locale.ROOT, "  run %s: %s, %d processed, %d committed seen%n", app, streams.state(),
                            processed(streams), seen);
                }
            }
            long t1 = System.nanoTime();
            long jvm1 = OS.getProcessCpuTime();
            long appCpu = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().contains(app) && !t.getName().contains("-check")) {
                    long c = CPU.getThreadCpuTime(t.threadId());
                    appCpu += Math.max(0, c);
                }
            }
            streams.close(Duration.ofSeconds(30));
            if (seen < events) {
                System.out.printf(Locale.ROOT, "  run %s: only %d of %d events in two minutes%n", app, seen, events);
            }
            return new Run((t1 - t0) / 1e9, (t1 - first) / 1e9, appCpu / 1e9, (jvm1 - jvm0) / 1e9, seen);
        }
    }

    /** Verdicts and dead letters counted by the topology's own sensors (processed, not necessarily committed). */
    private static long processed(KafkaStreams streams) {
        double sum = 0;
        for (var e : streams.metrics().entrySet()) {
            String name = e.getKey().name();
            if (e.getKey().group().equals(ScanMetrics.GROUP) && name.endsWith("-total")
                    && (name.startsWith("verdict-") || name.startsWith("dead-letter-"))) {
                sum += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return (long) sum;
    }

    /** scan's per-file work on this thread: read, detect, the report as one JSON line; events per CPU-second. */
    private static double baseline(Detector detector, Path root, List<String> corpus, int events) throws Exception {
        var oneLine = ReportJson.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        long cpu0 = CPU.getCurrentThreadCpuTime();
        long n = 0;
        for (int i = 0; i < events; i++) {
            String ref = corpus.get(i % corpus.size());
            n += oneLine.writeValueAsBytes(ReportJson.toNode(detector.detect(Files.readAllBytes(root.resolve(ref)), ref, false))).length;
        }
        long cpu = CPU.getCurrentThreadCpuTime() - cpu0;
        if (n == 0) {
            throw new IllegalStateException("no report");
        }
        return events / (cpu / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
