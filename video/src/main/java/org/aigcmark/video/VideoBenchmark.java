package org.aigcmark.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aigcmark.LabelRequest;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.visible.VisibleLabelOptions;
import org.bytedeco.javacpp.Loader;

/**
 * Throughput, side by side in one run on one file: the ffmpeg CLI that ships with the same FFmpeg build
 * (JavaCPP's bundled {@code ffmpeg} program) transcoding with the same encoder and settings and no labels, then
 * aigcmark labelling (visible label + watermark), then aigcmark re-encoding with no labels. Best of N alternating
 * runs each. Not a unit test: see docs/VIDEO.md for the command.
 *
 * <p>Usage: {@code VideoBenchmark IN [runs] [x264|openh264|vp9|vp8|av1]} (IN: MP4/MOV/MKV/WebM; the encoder must
 * be one the input's container holds, WebM: vp9, vp8, av1)
 */
public final class VideoBenchmark {
    private VideoBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: VideoBenchmark IN [runs=2] [x264|openh264|vp9|vp8|av1]");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        VideoOptions.Encoder enc = args.length > 2 ? VideoOptions.Encoder.valueOf(args[2].toUpperCase(Locale.ROOT))
                : VideoContainer.of(in).chooseEncoder(VideoOptions.Encoder.AUTO, VideoLabeler::buildHas);
        VideoOptions opts = VideoOptions.defaults().withEncoder(enc);
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Path dir = Files.createTempDirectory("aigcmark-bench");
        String ext = VideoContainer.of(in).extension();
        Path cliOut = dir.resolve("cli." + ext);
        Path labOut = dir.resolve("labelled." + ext);
        Path plainOut = dir.resolve("plain." + ext);
        LabelRequest labelled = LabelRequest.produced("00119144030008867405X210002", "bench")
                .withVisible(VisibleLabelOptions.defaults()).withWatermark(WatermarkKey.fromPassphrase("bench"));
        LabelRequest plain = LabelRequest.produced("00119144030008867405X210002", "bench");

        // warm-up: JIT, native loading, font
        VideoLabelResult first = VideoLabeler.create().label(in, labOut, labelled, opts);
        long frames = first.frames();
        double fps;
        try (VideoInput v = new VideoInput(in)) {
            fps = v.fps() > 0 ? v.fps() : 30;
        }
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-v", "error", "-y", "-i", in.toString(),
                "-map", "0:v:0", "-map", "0:a?", "-c:a", "copy"));
        cmd.addAll(cliEncoderArgs(enc, opts, first.encoder()));
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
        System.out.printf(Locale.ROOT, "input: %s, %dx%d, %d frames, encoder: %s, cores: %d, best of %d%n", in.getFileName(),
                bestLab.width(), bestLab.height(), frames, bestLab.encoder(), Runtime.getRuntime().availableProcessors(), runs);
        System.out.printf(Locale.ROOT, "ffmpeg CLI (same build, same encoder settings, audio copied): %.1f fps%n", cliFps);
        System.out.printf(Locale.ROOT, "aigcmark, visible label + watermark: %.1f fps (%.2fx the CLI)%n", labFps, labFps / cliFps);
        System.out.printf(Locale.ROOT, "aigcmark, no labels (same pipeline): %.1f fps (%.2fx the CLI)%n", plainFps, plainFps / cliFps);
        System.out.printf(Locale.ROOT, "labelled run, busy time as %% of wall time (stages overlap): decode+demux %.1f%%, label (plane copies + overlay"
                        + " + watermark) %.1f%%, encode+mux (own thread) %.1f%%, container record %.1f%%%n",
                100.0 * t.decodeNanos() / t.totalNanos(), 100.0 * t.labelNanos() / t.totalNanos(),
                100.0 * t.encodeNanos() / t.totalNanos(), 100.0 * t.containerNanos() / t.totalNanos());
        System.out.printf(Locale.ROOT, "label work per frame: %.2f ms wall, %.2f ms CPU; SDK per-frame work = %.1f%% of the"
                + " pass's CPU time (process, FFmpeg threads included)%n", t.labelNanos() / 1e6 / frames,
                t.labelCpuNanos() / 1e6 / frames, 100 * t.labelCpuShare());
        var tp = bestPlain.timing();
        // CPU time per frame hardly depends on what else runs on the machine (wall time does): on a machine whose
        // cores these jobs keep busy, its ratio is the throughput ratio to expect when the machine is otherwise idle
        double cliCpu = bestCliCpu == Long.MAX_VALUE ? Double.NaN : bestCliCpu / 1e6 / frames;
        double labCpu = t.processCpuNanos() / 1e6 / frames;
        double plainCpu = tp.processCpuNanos() / 1e6 / frames;
        System.out.printf(Locale.ROOT, "CPU per frame (all threads): ffmpeg CLI %.1f ms, labelled %.1f ms (CLI/labelled %.2f),"
                + " no labels %.1f ms (CLI/no labels %.2f)%n", cliCpu, labCpu, cliCpu / labCpu, plainCpu, cliCpu / plainCpu);
        for (Path p : List.of(cliOut, labOut, plainOut)) {
            Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    /** The ffmpeg CLI arguments for the settings VideoLabeler uses (see VideoLabeler.configureRate). */
    static List<String> cliEncoderArgs(VideoOptions.Encoder enc, VideoOptions opts, String description) {
        String crf = Integer.toString(enc.hasCrf() ? enc.crf(opts.crf()) : 0);
        String[] words = description.split(" ");
        return switch (enc) {
            case X264 -> List.of("-c:v", "libx264", "-preset", opts.preset(), "-crf", crf);
            case OPENH264 -> List.of("-c:v", "libopenh264", "-rc_mode", "bitrate", "-b:v", words[1] + "k");
            case VP9 -> List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-crf", crf, "-b:v", "0");
            // "libvpx crf C realtime, at most N kb/s"
            case VP8 -> List.of("-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-crf", crf, "-b:v", words[words.length - 2] + "k");
            case AV1 -> List.of("-c:v", "libsvtav1", "-preset", "10", "-crf", crf);
            case AUTO -> throw new IllegalArgumentException("resolved above");
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
