package org.aigcmark.bench.video;

import org.aigcmark.ExitCodes;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.aigcmark.LabelRequest;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.video.VideoDetection;
import org.aigcmark.video.VideoDetector;
import org.aigcmark.video.VideoLabelResult;
import org.aigcmark.video.VideoLabeler;
import org.aigcmark.video.VideoOptions;
import org.aigcmark.visible.VisibleLabelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark bench video-robustness}: watermark survival on video. Labels IN (visible label + watermark), runs
 * the platform-style edits with an ffmpeg CLI (x264 CRF 28 re-encode, downscale to 720p, 10% crop, 30→25 fps, first
 * 2 s cut, all at once), and reports the 2-s segments in which the payload decoded; the unlabelled IN is the
 * false-positive control. Not a unit test: see docs/VIDEO.md for the command.
 */
@Command(name = "video-robustness", mixinStandardHelpOptions = true,
        description = "Labels IN (visible label + watermark), edits it with an ffmpeg program as platforms do (x264 CRF 28"
                + " re-encode, 720p, 10%% crop, 25 fps, first 2 s cut, all at once) and prints, as a Markdown table, the"
                + " 2-s segments in which the payload decoded; the unlabelled IN is the false-positive control.")
public final class VideoRobustnessCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The video to label and edit (an MP4 with H.264).")
    Path in;

    @Option(names = "--ffmpeg", defaultValue = "ffmpeg", paramLabel = "PROGRAM",
            description = "The ffmpeg program that makes the edits; it needs libx264 (default ${DEFAULT-VALUE}).")
    String ffmpeg;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("aigcmark-robust");
        WatermarkKey key = WatermarkKey.fromPassphrase("robustness");
        Path marked = dir.resolve("marked.mp4");
        VideoLabelResult r = VideoLabeler.create().label(in, marked, LabelRequest.produced("00119144030008867405X210002", "robust")
                .withVisible(VisibleLabelOptions.defaults()).withWatermark(key), VideoOptions.defaults());
        out.printf(Locale.ROOT, "marked %s: %dx%d, %d frames, %s, payload %s%n", in.getFileName(), r.width(), r.height(),
                r.frames(), r.encoder(), r.watermarkPayload().orElse(""));
        String x264 = "-c:v libx264 -preset veryfast";
        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("none (as labelled)", null);
        attacks.put("re-encode H.264 CRF 28", x264 + " -crf 28");
        attacks.put("downscale to 720p (CRF 23)", "-vf scale=-2:720 " + x264 + " -crf 23");
        attacks.put("crop 10% (centre, CRF 23)", "-vf crop=iw*0.9:ih*0.9 " + x264 + " -crf 23");
        attacks.put("frame rate to 25 fps (CRF 23)", "-vf fps=25 " + x264 + " -crf 23");
        attacks.put("first 2 s cut (CRF 23)", "-ss 2 " + x264 + " -crf 23");
        attacks.put("all of the above at CRF 28", "-ss 2 -vf crop=iw*0.9:ih*0.9,scale=-2:720,fps=25 " + x264 + " -crf 28");
        VideoDetector det = VideoDetector.create(List.of(key));
        out.println("| edit | segments detected | payload | false-positive bound |");
        out.println("|---|---:|---|---:|");
        int i = 0;
        for (var e : attacks.entrySet()) {
            Path target = marked;
            if (e.getValue() != null) {
                target = dir.resolve("attack" + (i++) + ".mp4");
                List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-v", "error", "-y"));
                String spec = e.getValue();
                if (spec.startsWith("-ss 2 ")) {
                    cmd.addAll(List.of("-ss", "2"));
                    spec = spec.substring(6);
                }
                cmd.addAll(List.of("-i", marked.toString()));
                cmd.addAll(List.of(spec.split(" ")));
                cmd.addAll(List.of("-c:a", "copy", target.toString()));
                if (new ProcessBuilder(cmd).inheritIO().start().waitFor() != 0) {
                    throw new IllegalStateException("ffmpeg failed: " + cmd);
                }
            }
            print(out, e.getKey(), det.detect(target));
        }
        print(out, "control: the unlabelled input", det.detect(in));
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, String name, VideoDetection d) {
        VideoDetection.WatermarkFindings w = d.watermark().orElseThrow();
        out.printf(Locale.ROOT, "| %s | %d/%d | %s | %.1e |%n", name, w.segmentsDetected(), w.segmentsTotal(),
                w.payloadHex().orElse("none"), w.falsePositiveProbability());
    }
}
