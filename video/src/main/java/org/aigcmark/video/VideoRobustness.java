package org.aigcmark.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aigcmark.LabelRequest;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.visible.VisibleLabelOptions;

/**
 * Watermark survival on video: labels IN (visible label + watermark), runs the platform-style edits with an ffmpeg
 * CLI (x264 CRF 28 re-encode, downscale to 720p, 10% crop, 30→25 fps, first 2 s cut, all at once), and reports the
 * 2-s segments in which the payload decoded; the unlabelled IN is the false-positive control. Not a unit test: see
 * docs/VIDEO.md for the command.
 *
 * <p>Usage: {@code VideoRobustness IN.mp4 [ffmpeg-cli=ffmpeg]} (the CLI needs libx264).
 */
public final class VideoRobustness {
    private VideoRobustness() {}

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        String ffmpeg = args.length > 1 ? args[1] : "ffmpeg";
        Path dir = Files.createTempDirectory("aigcmark-robust");
        WatermarkKey key = WatermarkKey.fromPassphrase("robustness");
        Path marked = dir.resolve("marked.mp4");
        VideoLabelResult r = VideoLabeler.create().label(in, marked, LabelRequest.produced("00119144030008867405X210002", "robust")
                .withVisible(VisibleLabelOptions.defaults()).withWatermark(key), VideoOptions.defaults());
        System.out.printf(Locale.ROOT, "marked %s: %dx%d, %d frames, %s, payload %s%n", in.getFileName(), r.width(), r.height(),
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
        System.out.println("| edit | segments detected | payload | false-positive bound |");
        System.out.println("|---|---:|---|---:|");
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
            print(e.getKey(), det.detect(target));
        }
        print("control: the unlabelled input", det.detect(in));
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static void print(String name, VideoDetection d) {
        VideoDetection.WatermarkFindings w = d.watermark().orElseThrow();
        System.out.printf(Locale.ROOT, "| %s | %d/%d | %s | %.1e |%n", name, w.segmentsDetected(), w.segmentsTotal(),
                w.payloadHex().orElse("none"), w.falsePositiveProbability());
    }
}
