package org.aigcmark.bench.video;

import org.aigcmark.ExitCodes;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.video.FrameLabeler;
import org.aigcmark.video.VideoLabelResult;
import org.aigcmark.video.VideoLabeler;
import org.aigcmark.video.VideoOptions;
import org.aigcmark.visible.VisibleLabelOptions;
import org.bytedeco.javacpp.Loader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark bench video}: throughput, side by side in one run on one file: the ffmpeg CLI that ships with the
 * same FFmpeg build (JavaCPP's bundled {@code ffmpeg} program) transcoding with the same encoder and settings and no
 * labels, then aigcmark labelling (visible label + watermark), then aigcmark re-encoding with no labels. Best of N
 * alternating runs each. Uses only the video module's public API: the encoder, its CRF and the container come from
 * what the warm-up run reports. See docs/VIDEO.md.
 */
@Command(name = "video", mixinStandardHelpOptions = true,
        description = "Video labelling throughput against the ffmpeg CLI of the same FFmpeg build (same encoder and"
                + " settings, no labels), then labelled (visible + watermark) and unlabelled runs of the pipeline; best"
                + " of N after a warm-up, with CPU time per frame.")
public final class VideoSpeedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The video to transcode (MP4, MOV, Matroska or WebM).")
    Path in;

    @Option(names = "--runs", defaultValue = "2", description = "Timed runs of each after the warm-up; the best counts (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "N", description = "Labelling runs before the timed ones;"
            + " 0 (the default): as many as it takes to mark 900 frames, as a service does past its first minute of video.")
    int warmup;

    @Option(names = "--frames", defaultValue = "12", paramLabel = "K", description = "Decoded frames the per-frame costs of"
            + " the label steps are measured on, in memory through FrameLabeler (0: skip; default ${DEFAULT-VALUE}).")
    int kernelFrames;

    @Option(names = "--encoder", defaultValue = "auto", paramLabel = "E",
            description = "The video encoder: auto, x264, openh264, vp9, vp8 or av1; one the input's container holds (default ${DEFAULT-VALUE}).")
    VideoOptions.Encoder encoder;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 100) {
            throw AigcmarkException.invalid("--runs must be between 1 and 100");
        }
        PrintWriter out = spec.commandLine().getOut();
        VideoOptions opts = VideoOptions.defaults().withEncoder(encoder);
        LabelRequest labelled = LabelRequest.produced("00119144030008867405X210002", "bench")
                .withVisible(VisibleLabelOptions.defaults()).withWatermark(WatermarkKey.fromPassphrase("bench"));
        LabelRequest plain = LabelRequest.produced("00119144030008867405X210002", "bench");
        Path dir = Files.createTempDirectory("aigcmark-bench");
        try {
            // warm-up: JIT, native loading, font; it also says which encoder, CRF and container the pipeline chose
            Path warmOut = dir.resolve("warm-up" + extensionOf(in));
            VideoLabelResult first = VideoLabeler.create().label(in, warmOut, labelled, opts);
            // a service past its first minute of video: the labeller takes the plain watermark loops until a process
            // has marked 250 frames, then the Vector API ones (VideoLabeler.embedKernels), compiled here
            int warmRuns = 1;
            for (long marked = first.frames(); warmup > 0 ? warmRuns < warmup : marked < 900 && first.frames() > 0;
                 marked += first.frames()) {
                VideoLabeler.create().label(in, warmOut, labelled, opts);
                warmRuns++;
            }
            String ext = first.format().equals("matroska") ? "mkv" : first.format();
            Path cliOut = dir.resolve("cli." + ext);
            Path labOut = dir.resolve("labelled." + ext);
            Path plainOut = dir.resolve("plain." + ext);
            long frames = first.frames();
            double fps = first.durationSeconds() > 0 ? frames / first.durationSeconds() : 30;
            String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
            List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-v", "error", "-y", "-i", in.toString(),
                    "-map", "0:v:0", "-map", "0:a?", "-c:a", "copy"));
            cmd.addAll(cliEncoderArgs(first.encoder(), opts));
            cmd.addAll(List.of("-g", Integer.toString((int) Math.round(2 * fps)), cliOut.toString()));

            long bestCli = Long.MAX_VALUE;
            long bestCliCpu = Long.MAX_VALUE;
            VideoLabelResult bestLab = null;
            VideoLabelResult bestPlain = null;
            List<VideoLabelResult> labRuns = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long cpu0 = waitedChildrenCpuNanos();
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).inheritIO().start();
                if (p.waitFor() != 0) {
                    throw new IOException("ffmpeg failed: " + String.join(" ", cmd));
                }
                bestCli = Math.min(bestCli, System.nanoTime() - t0);
                long cpu1 = waitedChildrenCpuNanos();
                if (cpu0 >= 0 && cpu1 >= 0) {
                    bestCliCpu = Math.min(bestCliCpu, cpu1 - cpu0);
                }
                VideoLabelResult l = VideoLabeler.create().label(in, labOut, labelled, opts);
                labRuns.add(l);
                if (bestLab == null || l.timing().totalNanos() < bestLab.timing().totalNanos()) {
                    bestLab = l;
                }
                VideoLabelResult n = VideoLabeler.create().label(in, plainOut, plain, opts);
                if (bestPlain == null || n.timing().totalNanos() < bestPlain.timing().totalNanos()) {
                    bestPlain = n;
                }
            }
            double cliFps = frames * 1e9 / bestCli;
            double labFps = bestLab.timing().framesPerSecond(frames);
            double plainFps = bestPlain.timing().framesPerSecond(frames);
            var t = bestLab.timing();
            out.printf(Locale.ROOT, "input: %s, %dx%d, %d frames, encoder: %s, cores: %d, load %s, %d warm-up runs, best of %d%n",
                    in.getFileName(), bestLab.width(), bestLab.height(), frames, bestLab.encoder(),
                    Runtime.getRuntime().availableProcessors(), loadAverage(), warmRuns, runs);
            out.printf(Locale.ROOT, "ffmpeg CLI (same build, same encoder settings, audio copied): %.1f fps%n", cliFps);
            out.printf(Locale.ROOT, "aigcmark, visible label + watermark: %.1f fps (%.2fx the CLI)%n", labFps, labFps / cliFps);
            out.printf(Locale.ROOT, "aigcmark, no labels (same pipeline): %.1f fps (%.2fx the CLI)%n", plainFps, plainFps / cliFps);
            out.printf(Locale.ROOT, "labelled run, busy time as %% of wall time (stages overlap): decode+demux %.1f%%, label (plane copies + overlay"
                            + " + watermark) %.1f%%, encode+mux (own thread) %.1f%%, container record %.1f%%%n",
                    100.0 * t.decodeNanos() / t.totalNanos(), 100.0 * t.labelNanos() / t.totalNanos(),
                    100.0 * t.encodeNanos() / t.totalNanos(), 100.0 * t.containerNanos() / t.totalNanos());
            out.printf(Locale.ROOT, "label work per frame: %.2f ms wall, %.2f ms CPU; SDK per-frame work = %.1f%% of the"
                    + " pass's CPU time (process, FFmpeg threads included)%n", t.labelNanos() / 1e6 / frames,
                    t.labelCpuNanos() / 1e6 / frames, 100 * t.labelCpuShare());
            var tp = bestPlain.timing();
            // CPU time per frame hardly depends on what else runs on the machine (wall time does): on a machine whose
            // cores these jobs keep busy, its ratio is the throughput ratio to expect when the machine is otherwise idle
            double cliCpu = bestCliCpu == Long.MAX_VALUE ? Double.NaN : bestCliCpu / 1e6 / frames;
            double labCpu = t.processCpuNanos() / 1e6 / frames;
            double plainCpu = tp.processCpuNanos() / 1e6 / frames;
            out.printf(Locale.ROOT, "CPU per frame (all threads): ffmpeg CLI %.1f ms, labelled %.1f ms (CLI/labelled %.2f),"
                    + " no labels %.1f ms (CLI/no labels %.2f)%n", cliCpu, labCpu, cliCpu / labCpu, plainCpu, cliCpu / plainCpu);
            // the label steps inside the pass, CPU of the labelling thread per frame, median over the timed runs
            double wm = median(labRuns, r -> r.timing().watermarkCpuNanos() / 1e6 / r.frames());
            double vis = median(labRuns, r -> r.timing().visibleFrames() == 0 ? 0
                    : r.timing().visibleCpuNanos() / 1e6 / r.timing().visibleFrames());
            double copies = median(labRuns, r -> r.timing().copyCpuNanos() / 1e6 / r.frames());
            double check = median(labRuns, r -> r.timing().startCheckCpuNanos() / 1e6 / r.frames());
            double labelWork = median(labRuns, r -> r.timing().labelCpuNanos() / 1e6 / r.frames());
            out.printf(Locale.ROOT, "in the pass, CPU per frame (median of %d runs): watermark %.3f ms, visible label %.3f ms"
                            + " (on the %d frames it is drawn on), plane copies %.3f ms, start check %.3f ms; all label work %.3f ms%n",
                    runs, wm, vis, bestLab.timing().visibleFrames(), copies, check, labelWork);
            FrameCosts k = kernelFrames > 0 ? frameCosts(ffmpeg, dir, bestLab, labelled) : null;
            if (k != null) {
                out.printf(Locale.ROOT, "FrameLabeler on %d decoded %dx%d frames in memory, CPU per frame (median): watermark %.3f ms,"
                                + " visible label %.3f ms, both %.3f ms (goal: <= 1 ms at 1080p)%n", k.frames, bestLab.width(),
                        bestLab.height(), k.watermarkMs, k.visibleMs, k.bothMs);
            }
            out.printf(Locale.ROOT, "{\"input\":\"%s\",\"width\":%d,\"height\":%d,\"frames\":%d,\"encoder\":\"%s\","
                            + "\"load\":\"%s\",\"warmup_runs\":%d,\"runs\":%d,\"cli_fps\":%.2f,\"labelled_fps\":%.2f,"
                            + "\"plain_fps\":%.2f,\"wall_ratio\":%.3f,\"cli_cpu_ms_per_frame\":%.3f,\"labelled_cpu_ms_per_frame\":%.3f,"
                            + "\"plain_cpu_ms_per_frame\":%.3f,\"cpu_ratio\":%.3f,\"pass_watermark_ms\":%.3f,\"pass_visible_ms\":%.3f,"
                            + "\"pass_copies_ms\":%.3f,\"pass_start_check_ms\":%.3f,\"pass_label_ms\":%.3f%s}%n",
                    in.getFileName(), bestLab.width(), bestLab.height(), frames, bestLab.encoder(), loadAverage(), warmRuns, runs,
                    cliFps, labFps, plainFps, labFps / cliFps, cliCpu, labCpu, plainCpu, cliCpu / labCpu, wm, vis, copies,
                    check, labelWork, k == null ? "" : String.format(Locale.ROOT,
                            ",\"frame_watermark_ms\":%.3f,\"frame_visible_ms\":%.3f,\"frame_both_ms\":%.3f",
                            k.watermarkMs, k.visibleMs, k.bothMs));
            return ExitCodes.OK;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** CPU per frame of the label steps through the in-memory API, on frames of the clip as decoded. */
    private record FrameCosts(int frames, double watermarkMs, double visibleMs, double bothMs) {}

    /**
     * The label steps on their own: {@code kernelFrames} frames decoded by the same build's ffmpeg (stored orientation,
     * yuv420p) are labelled by {@link FrameLabeler} with the watermark, the visible label (as on a start frame) and
     * both; each call starts from the decoded frame (the copy back is not timed). The watermark takes the Vector API
     * kernels, as the pipeline does once a process has marked its first 600 frames.
     */
    private FrameCosts frameCosts(String ffmpeg, Path dir, VideoLabelResult lab, LabelRequest request) throws IOException,
            InterruptedException {
        int w = lab.width();
        int h = lab.height();
        Path raw = dir.resolve("frames.yuv");
        List<String> cmd = List.of(ffmpeg, "-hide_banner", "-v", "error", "-y", "-noautorotate", "-i", in.toString(),
                "-frames:v", Integer.toString(kernelFrames), "-f", "rawvideo", "-pix_fmt", "yuv420p", raw.toString());
        if (new ProcessBuilder(cmd).inheritIO().start().waitFor() != 0) {
            throw new IOException("ffmpeg failed: " + String.join(" ", cmd));
        }
        byte[] all = Files.readAllBytes(raw);
        Files.delete(raw);
        int ySize = w * h;
        int cSize = (w / 2) * (h / 2);
        int n = all.length / (ySize + 2 * cSize);
        if (n == 0) {
            return null;
        }
        WatermarkKey key = request.watermarkKey().orElseThrow();
        var label = request.label();
        var payload = org.aigcmark.watermark.WatermarkPayload.fromLabel(key, label.contentProducer(), label.produceId());
        var wmOpts = org.aigcmark.watermark.WatermarkOptions.defaults()
                .withKernels(org.aigcmark.watermark.WatermarkOptions.Kernels.VECTOR);
        int rotation = lab.rotationDegrees();
        FrameLabeler watermark = FrameLabeler.builder(w, h).rotation(rotation).watermark(key, payload).watermarkOptions(wmOpts).build();
        FrameLabeler visible = FrameLabeler.builder(w, h).rotation(rotation).visible(request.visible().orElseThrow()).build();
        FrameLabeler both = FrameLabeler.builder(w, h).rotation(rotation).visible(request.visible().orElseThrow())
                .watermark(key, payload).watermarkOptions(wmOpts).build();
        byte[] y = new byte[ySize];
        byte[] u = new byte[cSize];
        byte[] v = new byte[cSize];
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        FrameLabeler[] labelers = {watermark, visible, both};
        double[] medians = new double[3];
        int calls = Math.max(300, 3 * n);
        for (int which = 0; which < 3; which++) {
            long[] cpu = new long[calls];
            for (int pass = 0; pass < 2; pass++) { // the first pass compiles, the second is timed
                for (int i = 0; i < calls; i++) {
                    int f = (i % n) * (ySize + 2 * cSize);
                    System.arraycopy(all, f, y, 0, ySize);
                    System.arraycopy(all, f + ySize, u, 0, cSize);
                    System.arraycopy(all, f + ySize + cSize, v, 0, cSize);
                    long c0 = threads.getCurrentThreadCpuTime();
                    labelers[which].label(y, w, u, v, w / 2, 0.0);
                    cpu[i] = threads.getCurrentThreadCpuTime() - c0;
                }
            }
            java.util.Arrays.sort(cpu);
            medians[which] = cpu[calls / 2] / 1e6;
        }
        return new FrameCosts(n, medians[0], medians[1], medians[2]);
    }

    private static double median(List<VideoLabelResult> runs, java.util.function.ToDoubleFunction<VideoLabelResult> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String extensionOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot).toLowerCase(Locale.ROOT) : "";
    }

    /**
     * The ffmpeg CLI arguments for the settings the labeller used, read from its encoder description
     * ({@code VideoLabelResult.encoder()}, e.g. "libx264 crf 18 preset veryfast"; see VideoLabeler.configureRate).
     */
    static List<String> cliEncoderArgs(String description, VideoOptions opts) {
        List<String> words = List.of(description.replace(",", "").split(" "));
        int at = words.indexOf("crf");
        String crf = at >= 0 && at + 1 < words.size() ? words.get(at + 1) : "0";
        return switch (words.get(0)) {
            case "libx264" -> List.of("-c:v", "libx264", "-preset", opts.preset(), "-crf", crf);
            case "libopenh264" -> List.of("-c:v", "libopenh264", "-rc_mode", "bitrate", "-b:v", words.get(1) + "k");
            case "libvpx-vp9" -> List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-crf", crf, "-b:v", "0");
            // "libvpx crf C realtime, at most N kb/s"
            case "libvpx" -> List.of("-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-crf", crf, "-b:v", words.get(words.size() - 2) + "k");
            case "libsvtav1" -> List.of("-c:v", "libsvtav1", "-preset", "10", "-crf", crf);
            default -> throw new IllegalStateException("no ffmpeg CLI settings for " + description);
        };
    }

    /** User + system CPU time of this process's terminated, waited-for children (Linux /proc), or -1. */
    private static long waitedChildrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime (fields 16 and 17)
            return ticks * 10_000_000L; // USER_HZ = 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
