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
            // has marked 600 frames, then the Vector API ones (VideoLabeler.embedKernels), compiled here
            for (long marked = first.frames(); marked < 900 && first.frames() > 0; marked += first.frames()) {
                VideoLabeler.create().label(in, warmOut, labelled, opts);
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
            out.printf(Locale.ROOT, "input: %s, %dx%d, %d frames, encoder: %s, cores: %d, best of %d%n", in.getFileName(),
                    bestLab.width(), bestLab.height(), frames, bestLab.encoder(), Runtime.getRuntime().availableProcessors(), runs);
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
