package org.aigcmark.stream;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Events per second through the topology with 1 and 2 threads: each thread drives its own {@link TopologyTestDriver}
 * (a stream thread owning its tasks), all sharing one {@link Detector}, as a {@code KafkaStreams} instance with
 * {@code num.stream.threads=2} does. Not a test (never run by CI): a bench program, bounded by its event count.
 * What it leaves out: the broker (fetch, produce, replication), exactly-once transactions and their commits, and the
 * rebalance; the processing (JSON, object read, detection, verdict JSON, propagation) is the real code. The
 * baseline is scan's per-file work on the same files, read the same way (detect and the report as one JSON line, what {@code aigcmark scan}
 * does per file). Per-thread CPU time is reported beside the wall clock, since a shared machine's wall clock mixes in
 * other people's work. Run it as docs/STREAM.md says.
 *
 * <p>Three measures of the topology: the processor alone, driven through Kafka's {@link MockProcessorContext} (the
 * topology's own per-record work: event JSON, object read, detection, verdict JSON, metrics); the whole topology in
 * {@link TopologyTestDriver}, which also runs the engine's per-record path but commits after every record (a real
 * application commits every {@code commit.interval.ms}, so this overstates the engine's share); and the driver with
 * two threads.
 *
 * <p>Arguments: {@code [events-full] [events-metadata] [rounds]} (defaults 120, 3000 and 3; 0 skips that mode).
 */
public final class StreamThroughputBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final com.fasterxml.jackson.databind.ObjectWriter ONE_LINE = ReportJson.MAPPER.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    private static final List<String> FOLDERS = List.of("photos", "jpeg", "png", "labeled", "webp");

    private StreamThroughputBench() {
    }

    /** @param args {@code [events-full] [events-metadata] [rounds]} */
    public static void main(String[] args) throws Exception {
        int full = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        int meta = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path root = Fixtures.root().resolve("fixtures");
        List<String> corpus = new ArrayList<>();
        long bytes = 0;
        for (String folder : FOLDERS) {
            for (Path p : Fixtures.list(folder)) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (n.matches(".*\\.(jpe?g|png|webp|gif|tiff?)$")) {
                    corpus.add(root.relativize(p).toString());
                    bytes += Files.size(p);
                }
            }
        }
        System.out.printf(Locale.ROOT, "corpus: %d images, %.1f MB (testdata/fixtures/{%s}); %d cores; java %s%n",
                corpus.size(), bytes / 1e6, String.join(",", FOLDERS), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        for (boolean metadataOnly : new boolean[] {true, false}) {
            int events = metadataOnly ? meta : full;
            if (events == 0) {
                continue;
            }
            Detector base = Detector.create(Labeler.create(), List.of(), List.of(), List.of());
            Detector detector = metadataOnly ? base.metadataOnly() : base;
            StreamScanTopology topology = new StreamScanTopology(StreamScanSettings.defaults(), () -> detector,
                    new LocalObjectStore(root), Labeler.create());
            // like for like with scan, which computes no digest: the same topology with --no-sha256
            StreamScanTopology noDigest = new StreamScanTopology(StreamScanSettings.defaults().withSha256(false), () -> detector,
                    new LocalObjectStore(root), Labeler.create());
            String mode = metadataOnly ? "metadata-only" : "full";
            // warm-up: the JIT, ImageIO's readers, the Vector API kernels (as many events as a measured run)
            run(topology, corpus, events, 1);
            run(noDigest, corpus, events, 2);
            processor(noDigest, corpus, events);
            baseline(detector, root, corpus, events, true);
            List<Double> procRatio = new ArrayList<>();
            List<Double> procHashedRatio = new ArrayList<>();
            List<Double> driverRatio = new ArrayList<>();
            // rounds alternate the configurations, so none gets the warmer JVM; the ratios are within a round
            for (int round = 1; round <= rounds; round++) {
                Result b = baseline(detector, root, corpus, events, false);
                Result hashed = baseline(detector, root, corpus, events, true);
                Result proc = processor(noDigest, corpus, events);
                Result procHashed = processor(topology, corpus, events);
                Result oneNo = run(noDigest, corpus, events, 1);
                Result two = run(noDigest, corpus, events, 2);
                System.out.printf(Locale.ROOT, "round %d, load average %.1f%n", round,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                print(mode, "scan's per-file work", 1, events, b);
                print(mode, "scan + SHA-256", 1, events, hashed);
                print(mode, "processor --no-sha256", 1, events, proc);
                print(mode, "processor", 1, events, procHashed);
                print(mode, "driver --no-sha256", 1, events, oneNo);
                print(mode, "driver --no-sha256", 2, events, two);
                procRatio.add(proc.perCpuSecond(events) / b.perCpuSecond(events));
                procHashedRatio.add(procHashed.perCpuSecond(events) / hashed.perCpuSecond(events));
                driverRatio.add(oneNo.perCpuSecond(events) / b.perCpuSecond(events));
                // CPU seconds summed over the threads: a ratio near 1 means two threads cost no more CPU per event
                // than one, so on two free cores the wall-clock scaling would be about twice it
                System.out.printf(Locale.ROOT, "%s: per CPU-second, processor --no-sha256 / scan %.2fx, processor / (scan + SHA-256) %.2fx,"
                                + " driver --no-sha256 / scan %.2fx; wall, processor / scan %.2fx; driver 1 -> 2 threads %.2fx (wall),"
                                + " per-event CPU efficiency at 2 threads %.2f%n",
                        mode, procRatio.getLast(), procHashedRatio.getLast(), driverRatio.getLast(),
                        proc.perSecond(events) / b.perSecond(events),
                        two.perSecond(events) / oneNo.perSecond(events), two.perCpuSecond(events) / oneNo.perCpuSecond(events));
            }
            System.out.printf(Locale.ROOT, "%s, median of %d rounds, per CPU-second: processor --no-sha256 / scan %.2fx,"
                            + " processor / (scan + SHA-256) %.2fx, driver --no-sha256 / scan %.2fx%n",
                    mode, rounds, median(procRatio), median(procHashedRatio), median(driverRatio));
            noDigest.close();
            topology.close();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The processor alone, on this thread, through Kafka's mock context: the topology's work without the engine. */
    private static Result processor(StreamScanTopology topology, List<String> corpus, int events) {
        MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>();
        Processor<byte[], byte[], byte[], byte[]> processor = topology.newProcessor();
        processor.init(context);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            values.add(event(i, corpus));
        }
        long verdicts = 0;
        long dead = 0;
        long cpu0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < events; i++) {
            processor.process(new Record<>(null, values.get(i % values.size()), i));
            for (var forwarded : context.forwarded()) {
                if (StreamScanTopology.VERDICTS.equals(forwarded.childName().orElse(""))) {
                    verdicts++;
                } else {
                    dead++;
                }
            }
            context.resetForwards();
        }
        Result r = new Result(System.nanoTime() - t0, CPU.getCurrentThreadCpuTime() - cpu0, verdicts, dead);
        processor.close();
        return r;
    }

    private static byte[] event(int i, List<String> corpus) {
        var e = ReportJson.MAPPER.createObjectNode();
        e.put("eventId", "b-" + i);
        e.put("tenant", "bench");
        e.put("object", corpus.get(i % corpus.size()));
        return ScanProcessor.compact(e);
    }

    record Result(long wallNanos, long cpuNanos, long verdicts, long deadLetters) {
        double perSecond(int events) {
            return events / (wallNanos / 1e9);
        }

        double perCpuSecond(int events) {
            return events / (cpuNanos / 1e9);
        }
    }

    private static void print(String mode, String what, int threads, int events, Result r) {
        System.out.printf(Locale.ROOT, "%-13s %-22s threads=%d events=%d verdicts=%d deadLetters=%d  %.1f events/s wall, %.1f events per CPU-second%n",
                mode, what, threads, events, r.verdicts, r.deadLetters, r.perSecond(events), r.perCpuSecond(events));
    }

    /**
     * scan's per-file work: read the file, detect, the report as one line of JSON (scan's journal line); {@code hash}:
     * also the SHA-256 a verdict carries by default (scan computes none).
     */
    private static Result baseline(Detector detector, Path root, List<String> corpus, int events, boolean hash) throws Exception {
        long cpu0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long n = 0;
        for (int i = 0; i < events; i++) {
            byte[] b = Files.readAllBytes(root.resolve(corpus.get(i % corpus.size())));
            n += ONE_LINE.writeValueAsBytes(ReportJson.toNode(detector.detect(b, corpus.get(i % corpus.size()), false))).length > 0 ? 1 : 0;
            if (hash) {
                n += org.aigcmark.io.Sha256.hex(b).isEmpty() ? 1 : 0;
            }
        }
        return new Result(System.nanoTime() - t0, CPU.getCurrentThreadCpuTime() - cpu0, n, 0);
    }

    private static Result run(StreamScanTopology topology, List<String> corpus, int events, int threads) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        AtomicLong cpu = new AtomicLong();
        AtomicLong verdicts = new AtomicLong();
        AtomicLong dead = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                Properties props = StreamScanApp.streamsConfig(StreamScanApp.configure("--application-id", "bench-" + id));
                try (TopologyTestDriver driver = new TopologyTestDriver(topology.topology(), props)) {
                    StreamScanSettings s = topology.settings();
                    TestInputTopic<byte[], byte[]> in = driver.createInputTopic(s.uploadsTopic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
                    TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(s.verdictsTopic(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
                    TestOutputTopic<byte[], byte[]> dlt = driver.createOutputTopic(s.deadLettersTopic(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
                    List<byte[]> values = new ArrayList<>();
                    for (int i = 0; i < corpus.size(); i++) {
                        values.add(event(i, corpus));
                    }
                    start.await();
                    long cpu0 = CPU.getCurrentThreadCpuTime();
                    for (int i = id; i < events; i += threads) {
                        in.pipeInput(values.get(i % values.size()));
                        verdicts.addAndGet(out.readValuesToList().size());
                        dead.addAndGet(dlt.readValuesToList().size());
                    }
                    cpu.addAndGet(CPU.getCurrentThreadCpuTime() - cpu0);
                    end.await();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }, "bench-stream-thread-" + t);
            w.start();
            workers.add(w);
        }
        start.await();
        long t0 = System.nanoTime();
        end.await();
        long wall = System.nanoTime() - t0;
        for (Thread w : workers) {
            w.join();
        }
        return new Result(wall, cpu.get(), verdicts.get(), dead.get());
    }
}
