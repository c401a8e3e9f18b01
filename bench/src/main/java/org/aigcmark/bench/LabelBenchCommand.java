package org.aigcmark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aigcmark.AigcmarkException;
import org.aigcmark.ExitCodes;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelTimings;
import org.aigcmark.Labeler;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.SignatureAlgorithm;
import org.aigcmark.visible.VisibleLabelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark bench label FILE}: the end-to-end {@code Labeler.label(bytes)} call, stage by stage, against the
 * floor of its own codec (decode + encode of the same image at the same quality, timed in the same run) and, for the
 * metadata-only label, against a plain copy of the bytes. One JSON line per run, then a summary line.
 */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = "Times Labeler.label(bytes) on FILE, in process: one JSON line per run with the stages (decode,"
                + " watermark, visible, sign, encode, metadata, total, and the checks before drawing within watermark and"
                + " visible: watermark_check, visible_check; ms) and the codec floor (decode + encode of the"
                + " same image with the same codec and quality, in the same run; for a metadata-only label, a copy of the"
                + " bytes, and the call again without stage timings: plain), then a summary line per FILE: the first"
                + " call, the warm medians and, with --threads, the throughput.")
final class LabelBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JPEG, PNG or WebP images, benchmarked one after the"
            + " other in this JVM (one summary line each; only the first file's first call is a new JVM's).")
    List<Path> inputs;

    /** The file being benchmarked. */
    private Path file;

    @Option(names = "--visible", description = "Draw the visible label.")
    boolean visible;

    @Option(names = "--watermark", description = "Embed the invisible watermark.")
    boolean watermark;

    @Option(names = "--sign", description = "Sign ReservedCode1 (Ed25519, a key made for the run).")
    boolean sign;

    @Option(names = "--runs", defaultValue = "10", description = "Timed calls per thread, the first included (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "3", description = "Calls left out of the warm medians (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", defaultValue = "1", description = "Threads labelling at once, each its own runs, one"
            + " Labeler shared (default ${DEFAULT-VALUE}); the summary gives calls per second.")
    int threads;

    @Option(names = "--clock", defaultValue = "wall", description = "What the stages and the floor measure: wall"
            + " (elapsed) or cpu (this thread's CPU time, steadier on a shared machine); default ${DEFAULT-VALUE}.")
    String clock;

    @Option(names = "--warm-up", description = "Call Labeler.warmUp() before the first timed call (its time is in the"
            + " summary as warmUpMs, by --clock), to measure a first call after a provider's start-up warm-up.")
    boolean warmUp;

    @Option(names = "--no-floor", description = "Skip the codec floor (for profiling the label call alone).")
    boolean noFloor;

    @Option(names = "--files", description = "Metadata only: also time the file-to-file call label(Path, Path) (its"
            + " output written atomically, fsync included) against Files.copy of FILE, plain (fileCopy, what cp does)"
            + " and with the same fsync (fileCopySync), and as an atomic copy (fileCopyAtomic: Files.copy to a temp"
            + " file beside the target, fsync, rename: the fair floor of an atomic output), each into a new folder in"
            + " java.io.tmpdir.")
    boolean files;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    @Override
    public Integer call() throws Exception {
        if (!clock.equals("wall") && !clock.equals("cpu")) {
            throw AigcmarkException.invalid("--clock is wall or cpu");
        }
        if (runs < 1 || runs > 100_000 || warmup < 0 || threads < 1 || threads > 64) {
            throw AigcmarkException.invalid("--runs must be 1..100000, --warmup at least 0, --threads 1..64");
        }
        for (Path f : inputs) {
            file = f;
            bench();
        }
        return ExitCodes.OK;
    }

    private void bench() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long setup = System.nanoTime();
        Labeler labeler = Labeler.create();
        byte[] input = labeler.readInput(file);
        LabelRequest request = LabelRequest.produced("bench-producer", "bench-0001");
        if (visible) {
            request = request.withVisible(VisibleLabelOptions.defaults());
        }
        if (watermark) {
            request = request.withWatermark(WatermarkKey.fromPassphrase("bench"));
        }
        if (sign) {
            var pair = LabelKeys.generate(SignatureAlgorithm.ED25519);
            request = request.withSigningKey(new LabelKeys.SigningKey(SignatureAlgorithm.ED25519, pair.getPrivate(), pair.getPublic()));
        }
        double setupMs = (System.nanoTime() - setup) / 1e6;
        double warmUpMs = 0;
        if (warmUp) {
            java.util.function.LongSupplier now = clock.equals("cpu") ? CPU::getCurrentThreadCpuTime : System::nanoTime;
            long w = now.getAsLong();
            labeler.warmUp();
            warmUpMs = (now.getAsLong() - w) / 1e6;
        }
        if (watermark) {
            // a process labelling many images: the AUTO kernels' vector warm-up starts with the first call, as it did
            // before it waited for a second image (so warm medians compare with earlier runs; a one-image process's
            // first call is measured by bench/tools/FirstLabelCost.java and the CLI, docs/BENCHMARKS.md label-first)
            org.aigcmark.watermark.ImageWatermarker.startKernelWarmUp();
        }
        boolean pixels = visible || watermark;
        FormatHandler.PixelCodec codec = pixels ? labeler.handlerFor(input, file.toString()).pixels().orElseThrow(
                () -> AigcmarkException.invalid(file + " has no pixel codec")) : null;
        final LabelRequest req = request;
        List<List<ObjectNode>> perThread = new ArrayList<>();
        long wallStart = System.nanoTime();
        if (threads == 1) {
            perThread.add(runs(labeler, codec, input, req, 0, out));
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<ObjectNode>>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    fs.add(pool.submit(() -> runs(labeler, codec, input, req, id, out)));
                }
                for (Future<List<ObjectNode>> f : fs) {
                    perThread.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
        double wallMs = (System.nanoTime() - wallStart) / 1e6;
        // A new Labeler's first call in this warm process: what a Labeler sets up itself (watermark tables, fonts).
        LabelTimings fresh = new LabelTimings(clock.equals("cpu") ? CPU::getCurrentThreadCpuTime : System::nanoTime);
        Labeler.create().label(input, file.toString(), req, fresh);
        ObjectNode summary = JSON.createObjectNode();
        summary.put("summary", true);
        summary.put("file", file.toString());
        summary.put("bytes", input.length);
        summary.put("visible", visible).put("watermark", watermark).put("sign", sign);
        summary.put("clock", clock);
        summary.put("threads", threads).put("runs", runs).put("warmup", warmup);
        summary.put("setupMs", round(setupMs));
        if (warmUp) {
            summary.put("warmUpMs", round(warmUpMs));
        }
        summary.set("first", perThread.get(0).get(0));
        List<ObjectNode> warm = new ArrayList<>();
        for (List<ObjectNode> l : perThread) {
            warm.addAll(l.subList(Math.min(warmup, l.size()), l.size()));
        }
        if (!warm.isEmpty()) {
            ObjectNode med = JSON.createObjectNode();
            for (String k : new String[] {"decode", "watermark", "watermark_check", "visible", "visible_check", "encode",
                    "sign", "metadata", "total",
                    "floorDecode", "floorEncode", "floor", "copy", "totalCpu", "floorCpu", "copyCpu", "plain",
                    "fileLabel", "fileCopy", "fileCopySync", "fileCopyAtomic"}) {
                if (warm.get(0).has(k)) {
                    med.put(k, round(median(warm.stream().mapToDouble(n -> n.get(k).asDouble()).toArray())));
                }
            }
            if (med.has("floor") && med.get("floor").asDouble() > 0) {
                med.put("totalOverFloor", round(med.get("total").asDouble() / med.get("floor").asDouble()));
            }
            if (med.has("floorCpu") && med.get("floorCpu").asDouble() > 0) {
                med.put("cpuOverFloorCpu", round(med.get("totalCpu").asDouble() / med.get("floorCpu").asDouble()));
            }
            if (med.has("copy") && med.get("copy").asDouble() > 0) {
                med.put("totalOverCopy", round(med.get("total").asDouble() / med.get("copy").asDouble()));
                // The same call without the stage timings (whose clock reads cost microseconds each): the ratio to use.
                med.put("plainOverCopy", round(med.get("plain").asDouble() / med.get("copy").asDouble()));
            }
            if (med.has("fileCopy") && med.get("fileCopy").asDouble() > 0) {
                med.put("fileLabelOverFileCopy", round(med.get("fileLabel").asDouble() / med.get("fileCopy").asDouble()));
                med.put("fileLabelOverFileCopySync", round(med.get("fileLabel").asDouble() / med.get("fileCopySync").asDouble()));
                med.put("fileLabelOverFileCopyAtomic", round(med.get("fileLabel").asDouble() / med.get("fileCopyAtomic").asDouble()));
            }
            summary.set("warmMedian", med);
            summary.put("firstOverWarm", round(perThread.get(0).get(0).get("total").asDouble() / med.get("total").asDouble()));
        }
        summary.put("newLabelerFirstTotal", round(fresh.millis(LabelTimings.Stage.TOTAL)));
        summary.put("wallMs", round(wallMs));
        summary.put("callsPerSecond", round(threads * runs / (wallMs / 1000)));
        out.println(JSON.writeValueAsString(summary));
    }

    private List<ObjectNode> runs(Labeler labeler, FormatHandler.PixelCodec codec, byte[] input, LabelRequest req,
                                  int thread, PrintWriter out) throws Exception {
        List<ObjectNode> lines = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            java.util.function.LongSupplier now = clock.equals("cpu") ? CPU::getCurrentThreadCpuTime : System::nanoTime;
            LabelTimings t = new LabelTimings(now);
            long cpu0 = CPU.getCurrentThreadCpuTime();
            labeler.label(input, file.toString(), req, t);
            long cpu1 = CPU.getCurrentThreadCpuTime();
            ObjectNode line = JSON.createObjectNode();
            line.put("run", i);
            if (threads > 1) {
                line.put("thread", thread);
            }
            line.put("first", i == 0);
            line.put("clock", clock);
            for (LabelTimings.Stage s : LabelTimings.Stage.values()) {
                line.put(s.name().toLowerCase(java.util.Locale.ROOT), round(t.millis(s)));
            }
            line.put("totalCpu", round((cpu1 - cpu0) / 1e6));
            if (!noFloor) {
                if (codec != null) {
                    long cpuA = CPU.getCurrentThreadCpuTime();
                    long a = now.getAsLong();
                    BufferedImage img = codec.decode(input, labeler.limits());
                    long b = now.getAsLong();
                    codec.encode(img, input, labeler.limits());
                    long c = now.getAsLong();
                    line.put("floorCpu", round((CPU.getCurrentThreadCpuTime() - cpuA) / 1e6));
                    line.put("floorDecode", round((b - a) / 1e6));
                    line.put("floorEncode", round((c - b) / 1e6));
                    line.put("floor", round((c - a) / 1e6));
                } else {
                    long cpuA = CPU.getCurrentThreadCpuTime();
                    long a = now.getAsLong();
                    byte[] copy = input.clone();
                    long b = now.getAsLong();
                    line.put("copyCpu", round((CPU.getCurrentThreadCpuTime() - cpuA) / 1e6));
                    if (copy.length != input.length) {
                        throw new IllegalStateException();
                    }
                    line.put("copy", round((b - a) / 1e6));
                    // The label call again, without stage timings: one clock read before and one after, as the copy.
                    a = now.getAsLong();
                    int n = labeler.label(input, file.toString(), req).bytes().length;
                    b = now.getAsLong();
                    line.put("plain", round((b - a) / 1e6));
                    if (n <= input.length) {
                        throw new IllegalStateException();
                    }
                    if (files) {
                        fileRuns(labeler, req, thread, now, line);
                    }
                }
            }
            synchronized (out) {
                out.println(JSON.writeValueAsString(line));
            }
            lines.add(line);
        }
        return lines;
    }

    /**
     * label(Path, Path) against Files.copy, plain, with an fsync, and atomic (temp, fsync, rename: what AtomicFiles
     * adds), into a scratch folder.
     */
    private void fileRuns(Labeler labeler, LabelRequest req, int thread, java.util.function.LongSupplier now,
                          ObjectNode line) throws java.io.IOException {
        // one output folder for the whole run, as a provider labels into one folder (AtomicFiles lists a folder's temp
        // files once per 10 minutes per process, so a new folder per call would time a listing each call)
        Path dir = scratch.computeIfAbsent(thread, t -> {
            try {
                Path d = java.nio.file.Files.createTempDirectory("aigcmark-bench-label-");
                d.toFile().deleteOnExit();
                return d;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            Path labelled = dir.resolve("labelled-" + thread);
            Path copied = dir.resolve("copied-" + thread);
            java.nio.file.Files.deleteIfExists(labelled);
            java.nio.file.Files.deleteIfExists(copied);
            java.nio.file.Files.deleteIfExists(dir.resolve("atomic-" + thread));
            long a = now.getAsLong();
            labeler.label(file, labelled, req);
            long b = now.getAsLong();
            java.nio.file.Files.copy(file, copied);
            long c = now.getAsLong();
            java.nio.file.Files.delete(copied);
            long d = now.getAsLong();
            java.nio.file.Files.copy(file, copied);
            try (var ch = java.nio.channels.FileChannel.open(copied, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            long e = now.getAsLong();
            // the fair floor of an atomic output: a copy into a temp file beside the target, fsync, rename over it
            Path atomic = dir.resolve("atomic-" + thread);
            long f = now.getAsLong();
            Path temp = dir.resolve(".atomic-" + thread + ".tmp");
            java.nio.file.Files.copy(file, temp);
            try (var ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            java.nio.file.Files.move(temp, atomic, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            long g = now.getAsLong();
            line.put("fileLabel", round((b - a) / 1e6));
            line.put("fileCopy", round((c - b) / 1e6));
            line.put("fileCopySync", round((e - d) / 1e6));
            line.put("fileCopyAtomic", round((g - f) / 1e6));
        } finally {
            if (line.get("run").asInt() == runs - 1) {
                try (var l = java.nio.file.Files.list(dir)) {
                    for (Path f : l.toList()) {
                        java.nio.file.Files.deleteIfExists(f);
                    }
                }
                java.nio.file.Files.deleteIfExists(dir);
                scratch.remove(thread);
            }
        }
    }

    /** Each thread's output folder for --files. */
    private final java.util.Map<Integer, Path> scratch = new java.util.concurrent.ConcurrentHashMap<>();

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
