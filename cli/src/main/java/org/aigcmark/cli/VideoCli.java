package org.aigcmark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.aigcmark.LabelRequest;
import org.aigcmark.format.MediaType;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;
import org.aigcmark.video.VideoDetection;
import org.aigcmark.video.VideoDetector;
import org.aigcmark.video.VideoLabelResult;
import org.aigcmark.video.VideoLabeler;
import org.aigcmark.video.VideoOptions;

/** Routes video files to the video module for the work that needs pixels (visible label, watermark). */
final class VideoCli {
    private VideoCli() {}

    /** MP4/MOV/MKV by magic bytes (never by extension). */
    static boolean isVideo(Path file) {
        byte[] head = new byte[64];
        try (var in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            MediaType t = MediaType.sniff(java.util.Arrays.copyOf(head, n));
            return t == MediaType.MP4 || t == MediaType.MKV;
        } catch (IOException e) {
            return false; // the normal path reports the read error
        }
    }

    static VideoLabelResult label(Path in, Path out, LabelRequest req, VideoOptions options, PrintWriter o) {
        boolean bar = System.console() != null;
        try (ProgressBar pb = bar ? new ProgressBarBuilder().setTaskName("label").setStyle(ProgressBarStyle.ASCII)
                .setUnit(" frames", 1).continuousUpdate().build() : null) {
            VideoOptions opts = pb == null ? options : options.withProgress((done, expected) -> {
                if (expected > 0 && pb.getMax() != expected) {
                    pb.maxHint(Math.max(expected, done));
                }
                pb.stepTo(done);
            });
            VideoLabelResult r = VideoLabeler.create().label(in, out, req, opts);
            o.println("wrote " + out + " (" + r.format() + ", " + r.width() + "x" + r.height() + ", " + r.frames()
                    + " frames, " + r.encoder() + "): AIGC record " + r.label().toBareJson());
            r.visible().ifPresent(p -> o.printf(Locale.ROOT, "  visible label at %s, glyph height %d px = %.1f%% of the shortest side, %s%n",
                    p.position().name().toLowerCase(Locale.ROOT), p.glyphBox().height, p.heightRatio() * 100,
                    Double.isInfinite(r.visibleSeconds()) ? "on every frame" : "for the first " + r.visibleSeconds() + " s"));
            r.watermarkPayload().ifPresent(p -> o.println("  watermark payload " + p + " in every frame's luma"));
            o.println("  audio: " + r.audioPackets() + " packets copied bit-exact (not re-encoded)");
            var t = r.timing();
            o.printf(Locale.ROOT, "  %.1f frames/s; busy time (stages overlap): decode %.0f%%, label %.0f%%, encode+mux %.0f%%,"
                    + " container record %.0f%%; labelling = %.0f%% of the CPU time%n",
                    t.framesPerSecond(r.frames()), pct(t.decodeNanos(), t), pct(t.labelNanos(), t), pct(t.encodeNanos(), t),
                    pct(t.containerNanos(), t), 100 * t.labelCpuShare());
            r.notes().forEach(n -> o.println("  note: " + n));
            return r;
        }
    }

    private static double pct(long part, VideoLabelResult.Timing t) {
        return t.totalNanos() == 0 ? 0 : 100.0 * part / t.totalNanos();
    }

    static VideoDetection detect(Path file, List<WatermarkKey> keys) {
        return VideoDetector.create(keys).detect(file);
    }

    /** The video findings as JSON: {@code watermark.segments} "detected/total" and the visible-label findings. */
    static ObjectNode toJson(VideoDetection d) {
        ObjectNode n = ReportJson.MAPPER.createObjectNode();
        n.put("width", d.width());
        n.put("height", d.height());
        n.put("durationSeconds", round(d.durationSeconds()));
        n.put("framesSampled", d.framesSampled());
        d.watermark().ifPresent(w -> {
            ObjectNode wn = n.putObject("watermark");
            wn.put("detected", w.detected());
            w.payloadHex().ifPresent(p -> wn.put("payload", p));
            wn.put("segments", w.segmentsDetected() + "/" + w.segmentsTotal());
            wn.put("segmentsDetected", w.segmentsDetected());
            wn.put("segmentsTotal", w.segmentsTotal());
            wn.put("framesDetected", w.framesDetected());
            wn.put("falsePositiveProbability", w.falsePositiveProbability());
            wn.put("bestScore", round(w.bestScore()));
        });
        var arr = n.putArray("visibleLabels");
        for (VideoDetection.VisibleLabelFinding f : d.visibleLabels()) {
            ObjectNode fn = arr.addObject();
            fn.put("position", f.position());
            fn.put("firstSeconds", round(f.firstSeconds()));
            fn.put("lastSeconds", round(f.lastSeconds()));
            fn.put("approxDurationSeconds", round(f.approxDurationSeconds()));
            fn.put("heightRatio", round(f.heightRatio()));
            fn.put("correlation", round(f.bestCorrelation()));
            fn.put("method", "correlation with aigcmark's rendered label (not OCR)");
        }
        var notes = n.putArray("notes");
        d.notes().forEach(notes::add);
        return n;
    }

    static String toText(VideoDetection d) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "  video: %dx%d, %.2f s, %d frames sampled%n", d.width(), d.height(),
                d.durationSeconds(), d.framesSampled()));
        d.watermark().ifPresent(w -> b.append(String.format(Locale.ROOT, "  video watermark: %s, segments %d/%d%s%n",
                w.detected() ? "DETECTED" : "not found", w.segmentsDetected(), w.segmentsTotal(),
                w.payloadHex().map(p -> String.format(Locale.ROOT, ", payload %s, false-positive probability <= %.1e", p,
                        w.falsePositiveProbability())).orElse(""))));
        if (d.visibleLabels().isEmpty()) {
            b.append("  visible label: none like aigcmark's found\n");
        }
        for (VideoDetection.VisibleLabelFinding f : d.visibleLabels()) {
            b.append(String.format(Locale.ROOT, "  visible label at %s from %.1f s for about %.1f s, height %.1f%% of the shortest side%n",
                    f.position(), f.firstSeconds(), f.approxDurationSeconds(), f.heightRatio() * 100));
        }
        d.notes().forEach(n -> b.append("  note: ").append(n).append('\n'));
        return b.toString();
    }

    /** The verdict once the frames are counted: a record in the container wins (sdk rule), then the watermark. */
    static org.aigcmark.detection.Verdict verdict(org.aigcmark.detection.DetectionReport base, VideoDetection v) {
        boolean fromMetadata = base.verdict().rule().equals("metadata");
        boolean wm = v.watermark().map(VideoDetection.WatermarkFindings::detected).orElse(false);
        if (!fromMetadata && wm) {
            return new org.aigcmark.detection.Verdict("1", "watermark", "the aigcmark watermark (a content implicit label) was found in "
                    + v.watermark().get().segmentsDetected() + " of " + v.watermark().get().segmentsTotal() + " 2-s segments");
        }
        return base.verdict();
    }

    static java.util.Optional<Boolean> matchesLabel(org.aigcmark.detection.DetectionReport base, VideoDetection v, List<WatermarkKey> keys) {
        var payload = v.watermark().flatMap(VideoDetection.WatermarkFindings::payloadHex);
        if (payload.isEmpty() || base.metadata().labels().isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(base.metadata().labels().stream().anyMatch(l -> keys.stream().anyMatch(k ->
                org.aigcmark.watermark.WatermarkPayload.fromLabel(k, l.label().contentProducer(), l.label().produceId())
                        .hex().equals(payload.get()))));
    }

    /** The sdk's detection JSON with the frame findings merged in (watermark from the frames, visible labels). */
    static ObjectNode toJson(org.aigcmark.detection.DetectionReport base, VideoDetection v, List<WatermarkKey> keys) {
        ObjectNode o = ReportJson.toNode(base);
        var verdict = verdict(base, v);
        ObjectNode vn = o.putObject("verdict");
        vn.put("label", verdict.label());
        vn.put("rule", verdict.rule());
        vn.put("reason", verdict.reason());
        ObjectNode video = toJson(v);
        ObjectNode w = o.putObject("watermark");
        w.put("checked", v.watermark().isPresent());
        if (video.has("watermark")) {
            w.setAll((ObjectNode) video.get("watermark"));
            matchesLabel(base, v, keys).ifPresent(m -> w.put("matchesLabel", m));
        } else {
            w.put("detected", false);
            w.put("note", keys.isEmpty() ? "not checked: give --key to look for the aigcmark watermark" : "frames too small");
        }
        video.remove("watermark");
        o.set("visibleLabels", video.remove("visibleLabels"));
        o.set("video", video);
        return o;
    }

    static String toText(org.aigcmark.detection.DetectionReport base, VideoDetection v, List<WatermarkKey> keys) {
        var verdict = verdict(base, v);
        StringBuilder sb = new StringBuilder(ReportJson.toText(base).replaceAll("(?m)^  aigcmark watermark: .*\\R", ""));
        if (verdict != base.verdict()) {
            sb.append("  verdict (with the frames): Label ").append(verdict.label()).append(" [").append(verdict.rule())
                    .append("] ").append(verdict.reason()).append('\n');
        }
        sb.append(toText(v));
        matchesLabel(base, v, keys).ifPresent(m -> sb.append(m ? "  the watermark matches the label\n" : "  the watermark does NOT match the label\n"));
        return sb.toString();
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
