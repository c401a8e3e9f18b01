package org.aigcmark.spark;

import org.aigcmark.detect.DetectorFlags;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.ExitCodes;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aigcmark spark-scan bench DIR...}: files/s of the Spark job at local[1] and local[2] against {@code scan}'s
 * own loop (a fixed pool of 1 and 2 threads over one Detector: detect, the JSON report, one journal line per file),
 * metadata-only and full, all in one JVM and one run, so the ratios compare like with like on a shared machine.
 * The Spark job writes Parquet, as {@code spark-scan} does; start-up is not timed (untimed passes of each run first, {@code --warmup}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures files/s of the Spark job (local[1], local[2]) against scan's loop (1 and 2 threads) on"
                + " the files under DIR..., metadata-only and full, in one run; prints the ratios (docs/SCALE.md).")
final class SparkBenchCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "The corpus: every file under these folders.")
    List<Path> dirs;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "Timed passes of each configuration, scan's loop and the Spark job taking turns (the median counts).")
    int rounds;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
            description = "Untimed passes of each configuration before its timed ones (default: ${DEFAULT-VALUE}). The JIT"
                    + " compiles Spark's code paths for minutes: with one pass the compiler threads still took a core's"
                    + " worth of CPU during the first timed passes, beside the 1-core runs (docs/SCALE.md).")
    int warmup;

    @Option(names = "--modes", paramLabel = "M", split = ",", defaultValue = "metadata-only,full",
            description = "Which to measure: metadata-only, full (default: both).")
    List<String> modes;

    @Option(names = "--copies", paramLabel = "N", defaultValue = "1",
            description = "Copy the corpus N times (a job's fixed cost, listing and scheduling, then weighs as it does on a big folder).")
    int copies;

    @Option(names = "--route", paramLabel = "scan|command|bytes|paths", defaultValue = "scan",
            description = "scan (default): AigcScan.scan (a local folder from its listing, by path) to Parquet; command: all"
                    + " that spark-scan does (Parquet, then JSON from it, then the summary's counts); bytes: binaryFile rows"
                    + " with the files' bytes (AigcScan.detect); paths: the file source's listing only, each file read by the"
                    + " executor (detectPaths).")
    String route;

    @Option(names = "--no-report", description = "Leave the report column empty (as spark-scan --no-report).")
    boolean noReport;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the corpus copy and outputs go (default: a temp folder).")
    Path work;

    @Mixin
    DetectorFlags detector = new DetectorFlags();

    @Override
    public Integer call() throws Exception {
        Path tmp = work != null ? Files.createDirectories(work) : Files.createTempDirectory("aigcmark-spark-bench");
        Path corpus = tmp.resolve("corpus");
        if (Files.exists(corpus)) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, corpus + " exists: give another --work");
        }
        copyCorpus(corpus);
        List<Path> files;
        try (Stream<Path> s = Files.walk(corpus)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        System.out.printf("corpus: %d files, %.1f MB (%s); %d cores seen by the JVM%n", files.size(),
                files.stream().mapToLong(SparkBenchCommand::size).sum() / 1e6, dirs, Runtime.getRuntime().availableProcessors());
        Map<String, Double> fps = new LinkedHashMap<>();
        for (int cores : new int[] {1, 2}) {
            SparkSession spark = SparkScanCommand.session("local[" + cores + "]", "aigcmark bench");
            PassTimeline timeline = PassTimeline.on(spark.sparkContext());
            try {
                for (String mode : modes) {
                    ScanSettings settings = ScanSettings.of(SparkScanCommand.checked(
                            detector.settings().withMetadataOnly(mode.equals("metadata-only")))).withReport(!noReport);
                    Detector d = ExecutorDetector.get(settings.detector()); // the one the Spark tasks use too
                    // warm-up: untimed passes of each over the whole corpus (JIT of our code and of Spark's
                    // scan, encoder and Parquet paths; the session's generated code): start-up is not what is measured
                    for (int w = 0; w < warmup; w++) {
                        scanLoop(d, files, cores, tmp.resolve("journal.jsonl"));
                        sparkJob(spark, corpus, settings, route, tmp.resolve("out"));
                    }
                    double[] scanFps = new double[rounds];
                    double[] sparkFps = new double[rounds];
                    double[] scanCpus = new double[rounds];
                    double[] sparkCpus = new double[rounds];
                    double[] scanJits = new double[rounds];
                    double[] sparkJits = new double[rounds];
                    PassTimeline.Pass[] passes = new PassTimeline.Pass[rounds];
                    for (int r = 0; r < rounds; r++) {
                        long cpu = cpuNanos();
                        long jit = jitMillis();
                        scanFps[r] = files.size() / scanLoop(d, files, cores, tmp.resolve("journal.jsonl"));
                        scanCpus[r] = (cpuNanos() - cpu) / 1e6 / files.size();
                        scanJits[r] = (double) (jitMillis() - jit) / files.size();
                        cpu = cpuNanos();
                        jit = jitMillis();
                        timeline.reset();
                        long startMillis = System.currentTimeMillis();
                        long driverCpu = THREADS.getCurrentThreadCpuTime();
                        sparkFps[r] = files.size() / sparkJob(spark, corpus, settings, route, tmp.resolve("out"));
                        passes[r] = timeline.pass(spark.sparkContext(), startMillis, builtMillis, System.currentTimeMillis(),
                                THREADS.getCurrentThreadCpuTime() - driverCpu, cores, files.size());
                        sparkCpus[r] = (cpuNanos() - cpu) / 1e6 / files.size();
                        sparkJits[r] = (double) (jitMillis() - jit) / files.size();
                    }
                    double bestScan = median(scanFps);
                    double bestSpark = median(sparkFps);
                    double scanCpu = median(scanCpus);
                    double sparkCpu = median(sparkCpus);
                    double scanJit = median(scanJits);
                    double sparkJit = median(sparkJits);
                    fps.put(mode + " scan " + cores, bestScan);
                    fps.put(mode + " spark " + cores, bestSpark);
                    fps.put(mode + " scan cpu " + cores, scanCpu);
                    fps.put(mode + " spark cpu " + cores, sparkCpu);
                    System.out.printf("%-13s cores=%d  scan loop %7.1f files/s %7.2f CPU ms/file   spark local[%d] %7.1f files/s"
                            + " %7.2f CPU ms/file   wall ratio %.2f, CPU ratio %.2f   of which JIT: scan %.2f, spark %.2f ms/file;"
                            + " CPU ratio without JIT %.2f%n", mode, cores, bestScan, scanCpu, cores, bestSpark, sparkCpu,
                            bestSpark / bestScan, scanCpu / sparkCpu, scanJit, sparkJit, (scanCpu - scanJit) / (sparkCpu - sparkJit));
                    PassTimeline.Pass p = medianPass(passes);
                    System.out.printf("%-13s cores=%d  spark pass (median) %.2f s: driver before the first task %.2f s (the dataset"
                            + " built at %.2f, the job submitted at %.2f), tasks"
                            + " %.2f s (%d tasks, %d jobs; slots busy %.0f%%, tail with a core idle %.2f s), driver after the"
                            + " last task %.2f s; the driver thread's CPU %.3f s; tasks' CPU %.2f ms/file (deserializing them %.3f more;"
                            + " GC %.3f ms/file of wall), process CPU %.2f ms/file%n",
                            mode, cores, p.seconds(), p.beforeTasks(), p.datasetBuilt(), p.jobSubmitted(), p.taskPhase(), p.tasks(), p.jobs(), 100 * p.slotsBusy(),
                            p.tail(), p.afterTasks(), p.driverCpuSeconds(), p.taskCpuMsPerFile(), p.deserializeMsPerFile(),
                            p.gcMsPerFile(), sparkCpu);
                }
            } finally {
                spark.stop();
            }
        }
        for (String mode : modes) {
            System.out.printf("%-13s spark/scan per core: %.2f at 1 core, %.2f at 2 cores; spark scaling 1->2 cores: %.2fx"
                    + " (scan loop: %.2fx)%n", mode,
                    fps.get(mode + " spark 1") / fps.get(mode + " scan 1"), fps.get(mode + " spark 2") / fps.get(mode + " scan 2"),
                    fps.get(mode + " spark 2") / fps.get(mode + " spark 1"), fps.get(mode + " scan 2") / fps.get(mode + " scan 1"));
        }
        System.out.println("CPU ratio: scan's CPU per file / the Spark job's (process CPU time, every thread: Spark's"
                + " scheduler, Parquet writer and GC included), the per-core cost on a machine shared with other work");
        AigcScan.closeDetectors();
        return ExitCodes.OK;
    }

    /** The corpus in one folder (Spark reads one path), file names kept unique by their source folder. */
    private void copyCorpus(Path into) throws IOException {
        Files.createDirectories(into);
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, dir + " is not a folder");
            }
            for (int copy = 0; copy < copies; copy++) {
                Path target = into.resolve(copy + "-" + dir.toAbsolutePath().normalize().getFileName());
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        Path t = target.resolve(dir.relativize(f).toString());
                        Files.createDirectories(t.getParent());
                        Files.copy(f, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    /** scan's per-file work on {@code threads} workers: detect, the report as JSON, one journal line; seconds. */
    private static double scanLoop(Detector d, List<Path> files, int threads, Path journal) throws Exception {
        var oneLine = ReportJson.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try (BufferedWriter w = Files.newBufferedWriter(journal, StandardCharsets.UTF_8)) {
            List<Future<?>> all = new ArrayList<>();
            for (Path f : files) {
                all.add(pool.submit(() -> {
                    String line;
                    try {
                        line = oneLine.writeValueAsString(ReportJson.toNode(d.detect(f, false)));
                    } catch (AigcmarkException e) {
                        line = "{\"error\":" + ReportJson.MAPPER.writeValueAsString(e.getMessage()) + "}";
                    }
                    synchronized (w) {
                        w.write(line);
                        w.newLine();
                        w.flush();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** When {@link #sparkJob} had its dataset (epoch ms; for {@code command}: when it started). */
    private static long builtMillis;

    /** The Spark job (to Parquet; {@code command}: all that spark-scan writes); seconds. */
    private static double sparkJob(SparkSession spark, Path corpus, ScanSettings settings, String route, Path out) {
        long start = System.nanoTime();
        builtMillis = System.currentTimeMillis();
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows = switch (route) {
            case "paths" -> AigcScan.detectPaths(AigcScan.read(spark, corpus.toString()).select("path", "length"), settings);
            case "bytes" -> AigcScan.detect(AigcScan.read(spark, corpus.toString()), settings);
            case "scan" -> AigcScan.scan(spark, corpus.toString(), settings);
            case "command" -> {
                SparkScanCommand.run(spark, corpus.toString(), out.toString(), settings, true);
                yield null;
            }
            default -> throw AigcmarkException.invalid("--route is scan, command, bytes or paths, not " + route);
        };
        if (rows == null) {
            return (System.nanoTime() - start) / 1e9;
        }
        builtMillis = System.currentTimeMillis();
        rows.write().mode(SaveMode.Overwrite).parquet(out.toString());
        return (System.nanoTime() - start) / 1e9;
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** The pass of the median wall time (the faster of the middle two for an even count). */
    private static PassTimeline.Pass medianPass(PassTimeline.Pass[] passes) {
        PassTimeline.Pass[] p = passes.clone();
        java.util.Arrays.sort(p, java.util.Comparator.comparingDouble(PassTimeline.Pass::seconds));
        return p[(p.length - 1) / 2];
    }

    /** The median (the mean of the middle two for an even count). */
    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * CPU time of the JIT compiler threads so far (part of the process CPU), ms: Linux's per-thread counters in
     * {@code /proc/self/task}, 0 elsewhere. (The JVM's own compilation time is wall time, which a loaded machine
     * inflates.) A compiler thread that ended took its time with it, so this is a lower bound.
     */
    private static long jitMillis() {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String stat = Files.readString(t.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 10; // clock ticks of 10 ms (USER_HZ 100)
    }

    /** CPU time of this process, every thread. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
