package org.aigcmark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.aigcmark.LabelRequest;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Evidence;
import org.aigcmark.detection.Verdict;
import org.aigcmark.format.MediaType;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;
import org.aigcmark.video.VideoDetection;
import org.aigcmark.video.VideoDetector;
import org.aigcmark.video.VideoLabelResult;
import org.aigcmark.video.VideoLabeler;
import org.aigcmark.video.VideoOptions;

/** Routes video files to the video module for the work that needs pixels (visible labels, watermark, pixel checks). */
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

    /** {@code shownOut}: what the message calls OUT ("standard output" for -, whose bytes go through a temp file). */
    static VideoLabelResult label(Path in, Path out, String shownOut, LabelRequest req, VideoOptions options, PrintWriter o) {
        boolean bar = Terminal.stderrIsTerminal();
        try (ProgressBar pb = bar ? new ProgressBarBuilder().setTaskName("label").setStyle(ProgressBarStyle.ASCII)
                .setUnit(" frames", 1).continuousUpdate().build() : null) {
            VideoOptions opts = pb == null ? options : options.withProgress((done, expected) -> {
                if (expected > 0 && pb.getMax() != expected) {
                    pb.maxHint(Math.max(expected, done));
                }
                pb.stepTo(done);
            });
            VideoLabelResult r = VideoLabeler.create().label(in, out, req, opts);
            if (!r.reencoded()) {
                o.println("wrote " + shownOut + " (" + r.format() + "): AIGC record " + r.label().toBareJson());
                r.watermarkPayload().ifPresent(p -> o.println("  watermark: already in the frames, payload " + p + "; kept"));
                o.println("  content untouched: only the container record changed (the frames and audio are byte-identical)");
                r.notes().forEach(n -> o.println("  note: " + n));
                return r;
            }
            o.println("wrote " + shownOut + " (" + r.format() + ", " + r.width() + "x" + r.height() + ", " + r.frames()
                    + " frames, " + r.encoder() + "): AIGC record " + r.label().toBareJson());
            r.visible().ifPresent(p -> o.printf(Locale.ROOT, "  visible label at %s, glyph height %d px = %.1f%% of the shortest side, %s%n",
                    p.position().name().toLowerCase(Locale.ROOT), p.glyphBox().height, p.heightRatio() * 100,
                    visibleSpan(r)));
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

    /** How long the visible label shows: a span asked for longer than the video is the whole video, and says so. */
    static String visibleSpan(VideoLabelResult r) {
        if (Double.isInfinite(r.visibleSeconds())) {
            return "on every frame";
        }
        if (r.durationSeconds() > 0 && r.visibleSeconds() >= r.durationSeconds()) {
            return String.format(Locale.ROOT, "on every frame: the whole %.1f s video (shorter than the %.1f s asked)",
                    r.durationSeconds(), r.visibleSeconds());
        }
        return String.format(Locale.ROOT, "for the first %.1f s", r.visibleSeconds());
    }

    private static double pct(long part, VideoLabelResult.Timing t) {
        return t.totalNanos() == 0 ? 0 : 100.0 * part / t.totalNanos();
    }

    /** Frames through the video module: watermark per 2-s segment, visible labels, and the pixel checks given. */
    static VideoDetection detect(Path file, List<WatermarkKey> keys, List<org.aigcmark.detection.EvidenceCheck> checks) {
        return VideoDetector.create(keys).withChecks(checks).detect(file);
    }

    /** The video findings as JSON: {@code watermark.segments} "detected/total", visible labels, per-check summaries. */
    static ObjectNode toJson(VideoDetection d) {
        ObjectNode n = ReportJson.MAPPER.createObjectNode();
        n.put("width", d.width());
        n.put("height", d.height());
        n.put("durationSeconds", round(d.durationSeconds()));
        n.put("framesSampled", d.framesSampled());
        n.put("framesChecked", d.framesChecked());
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
            fn.put("method", "template");
            fn.put("position", f.position());
            fn.put("firstSeconds", round(f.firstSeconds()));
            fn.put("lastSeconds", round(f.lastSeconds()));
            fn.put("approxDurationSeconds", round(f.approxDurationSeconds()));
            fn.put("heightRatio", round(f.heightRatio()));
            fn.put("correlation", round(f.bestCorrelation()));
            fn.put("note", "correlation with aigcmark's own rendered label (not OCR)");
        }
        for (VideoDetection.LabelAppearance a : d.labelAppearances()) {
            ObjectNode fn = arr.addObject();
            fn.put("method", "ocr");
            fn.put("check", a.check());
            fn.put("text", a.text());
            fn.put("position", a.position());
            var box = fn.putArray("box");
            a.box().forEach(box::add);
            fn.put("heightRatio", round(a.heightRatio()));
            fn.put("sizeCompliant", a.sizeCompliant());
            fn.put("firstSeconds", round(a.firstSeconds()));
            fn.put("lastSeconds", round(a.lastSeconds()));
            if (Double.isNaN(a.goneSeconds())) {
                fn.putNull("goneSeconds");
            } else {
                fn.put("goneSeconds", round(a.goneSeconds()));
            }
            fn.put("minDurationSeconds", round(a.minDurationSeconds()));
            fn.put("maxDurationSeconds", round(a.maxDurationSeconds()));
            fn.put("framesSeen", a.framesSeen());
            fn.put("framesMissed", a.framesMissed());
            fn.put("endRefined", a.endRefined());
            fn.put("startRule", a.startRule().name().toLowerCase(Locale.ROOT));
        }
        var checks = n.putArray("checks");
        for (VideoDetection.CheckSummary c : d.checks()) {
            ObjectNode cn = checks.addObject();
            cn.put("check", c.check());
            cn.put("framesChecked", c.framesChecked());
            cn.put("framesWithEvidence", c.framesWithEvidence());
            ObjectNode kinds = cn.putObject("evidenceKinds");
            new java.util.TreeMap<>(c.evidenceKinds()).forEach(kinds::put);
            c.score().ifPresent(sc -> {
                ObjectNode sn = cn.putObject("score");
                sn.put("framesScored", sc.framesScored());
                sn.put("mean", round(sc.mean()));
                sn.put("max", round(sc.max()));
                sn.put("videoScore", round(sc.videoScore()));
                sn.put("topFrames", sc.topFrames());
                if (!Double.isNaN(sc.threshold())) {
                    sn.put("threshold", sc.threshold());
                    sn.put("framesAtOrAbove", sc.framesAtOrAbove());
                    sn.put("shareAtOrAbove", round(sc.shareAtOrAbove()));
                }
                sn.put("caveat", sc.caveat());
            });
        }
        var notes = n.putArray("notes");
        d.notes().forEach(notes::add);
        return n;
    }

    static String toText(VideoDetection d) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "  video: %dx%d, %.2f s, %d frames sampled, %d run through the pixel checks%n",
                d.width(), d.height(), d.durationSeconds(), d.framesSampled(), d.framesChecked()));
        d.watermark().ifPresent(w -> b.append(String.format(Locale.ROOT, "  video watermark: %s, segments %d/%d%s%n",
                w.detected() ? "DETECTED" : "not found", w.segmentsDetected(), w.segmentsTotal(),
                w.payloadHex().map(p -> String.format(Locale.ROOT, ", payload %s, false-positive probability <= %.1e", p,
                        w.falsePositiveProbability())).orElse(""))));
        if (d.visibleLabels().isEmpty() && d.labelAppearances().isEmpty()) {
            b.append(d.framesChecked() > 0 ? "  visible label: none found\n" : "  visible label: none like aigcmark's found (no OCR)\n");
        }
        for (VideoDetection.VisibleLabelFinding f : d.visibleLabels()) {
            b.append(String.format(Locale.ROOT, "  visible label at %s from %.1f s for about %.1f s, height %.1f%% of the shortest side%n",
                    f.position(), f.firstSeconds(), f.approxDurationSeconds(), f.heightRatio() * 100));
        }
        // the OCR label appearances are printed as evidence lines above
        for (VideoDetection.CheckSummary c : d.checks()) {
            b.append(String.format(Locale.ROOT, "  check %s: evidence in %d of %d checked frames%s%n", c.check(),
                    c.framesWithEvidence(), c.framesChecked(), c.score().map(sc -> String.format(Locale.ROOT,
                            "; video score %.2f (mean %.2f, max %.2f over %d frames) - weak evidence, not proof",
                            sc.videoScore(), sc.mean(), sc.max(), sc.framesScored())).orElse("")));
        }
        d.notes().forEach(n -> b.append("  note: ").append(n).append('\n'));
        return b.toString();
    }

    static String describe(VideoDetection.LabelAppearance a) {
        String when;
        if (Double.isNaN(a.goneSeconds())) {
            when = String.format(Locale.ROOT, "from %.2f s to the end (last checked sighting %.2f s)", a.firstSeconds(), a.lastSeconds());
        } else if (a.maxDurationSeconds() - a.minDurationSeconds() < 1e-6) {
            when = String.format(Locale.ROOT, "from %.2f s to %.2f s (%.2f s%s)", a.firstSeconds(), a.goneSeconds(),
                    a.minDurationSeconds(), a.endRefined() ? ", end found frame by frame" : "");
        } else {
            when = String.format(Locale.ROOT, "from %.2f s, last seen %.2f s, gone by %.2f s (%.2f-%.2f s)", a.firstSeconds(),
                    a.lastSeconds(), a.goneSeconds(), a.minDurationSeconds(), a.maxDurationSeconds());
        }
        String rule = switch (a.startRule()) {
            case MET -> "meets the start-frame >= 2 s rule";
            case NOT_MET -> "does not meet the start-frame >= 2 s rule";
            case UNCERTAIN -> "start-frame >= 2 s rule uncertain (it ends between two samples around 2 s)";
        };
        return String.format(Locale.ROOT, "visible label \"%s\" at %s %s, text height %.1f%% of the shortest side (%s); %s",
                a.text(), a.position(), when, a.heightRatio() * 100,
                a.sizeCompliant() ? "compliant" : "not compliant with GB 45438 §5.2", rule);
    }

    /** The frame findings as evidence items, in the form the image checks give them. */
    static List<Evidence> evidence(VideoDetection v) {
        List<Evidence> out = new ArrayList<>();
        for (VideoDetection.VisibleLabelFinding f : v.visibleLabels()) {
            out.add(new Evidence("pixels:aigcmark-label", "visible-label", Evidence.Strength.TRACE, String.format(Locale.ROOT,
                    "visible label like aigcmark's at %s from %.1f s for about %.1f s", f.position(), f.firstSeconds(),
                    f.approxDurationSeconds()), Map.of("position", f.position(), "firstSeconds", round(f.firstSeconds()),
                    "approxDurationSeconds", round(f.approxDurationSeconds()), "heightRatio", round(f.heightRatio()))));
        }
        for (VideoDetection.LabelAppearance a : v.labelAppearances()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("text", a.text());
            d.put("box", a.box());
            d.put("heightRatio", round(a.heightRatio()));
            d.put("position", a.position());
            d.put("compliant", a.sizeCompliant());
            d.put("firstSeconds", round(a.firstSeconds()));
            d.put("lastSeconds", round(a.lastSeconds()));
            d.put("minDurationSeconds", round(a.minDurationSeconds()));
            d.put("maxDurationSeconds", round(a.maxDurationSeconds()));
            d.put("startRule", a.startRule().name().toLowerCase(Locale.ROOT));
            out.add(new Evidence(a.check().equals("ocr-visible-label") ? "pixels:ocr" : "pixels:" + a.check(), "visible-label",
                    Evidence.Strength.TRACE, describe(a), d));
        }
        for (VideoDetection.CheckSummary c : v.checks()) {
            if (c.score().isPresent()) {
                VideoDetection.ScoreSummary sc = c.score().get();
                boolean suspected = !Double.isNaN(sc.threshold()) && sc.videoScore() >= sc.threshold();
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("framesScored", sc.framesScored());
                d.put("framesChecked", c.framesChecked());
                d.put("mean", round(sc.mean()));
                d.put("max", round(sc.max()));
                d.put("videoScore", round(sc.videoScore()));
                if (!Double.isNaN(sc.threshold())) {
                    d.put("threshold", sc.threshold());
                    d.put("shareAtOrAbove", round(sc.shareAtOrAbove()));
                }
                d.put("caveat", sc.caveat());
                out.add(new Evidence(c.check(), suspected ? "model-score" : "model-score-low", Evidence.Strength.WEAK,
                        String.format(Locale.ROOT, "%s scores the video %.2f AI/fake (top-quarter mean of %d frame scores; mean %.2f,"
                                + " max %.2f; %s) - weak evidence, not proof", c.check().startsWith("model:") ? "model "
                                + c.check().substring("model:".length()) : c.check(), sc.videoScore(), sc.framesScored(), sc.mean(), sc.max(),
                                suspected ? "suspected" : "low"), d));
            } else if (c.framesWithEvidence() > 0 && !c.evidenceKinds().keySet().equals(java.util.Set.of("visible-label"))) {
                // a check with no score and no box (e.g. the forensic signals): how often it spoke
                out.add(new Evidence("pixels:" + c.check(), String.join("+", new java.util.TreeSet<>(c.evidenceKinds().keySet())),
                        c.strongest().orElse(Evidence.Strength.WEAK), String.format(Locale.ROOT, "%s gave evidence in %d of %d checked frames",
                                c.check(), c.framesWithEvidence(), c.framesChecked()),
                        Map.of("framesWithEvidence", c.framesWithEvidence(), "framesChecked", c.framesChecked(),
                                "evidenceKinds", new java.util.TreeMap<>(c.evidenceKinds()))));
            }
        }
        return out;
    }

    /**
     * The verdict once the frames are counted: a record in the container wins (sdk rule), then the watermark, then
     * the uploader's declaration, then traces (the file's own, or a visible label found in the frames).
     */
    static Verdict verdict(DetectionReport base, VideoDetection v) {
        String rule = base.verdict().rule();
        boolean wm = v.watermark().map(VideoDetection.WatermarkFindings::detected).orElse(false);
        if (!rule.equals("metadata") && wm) {
            return new Verdict("1", "watermark", "the aigcmark watermark (a content implicit label) was found in "
                    + v.watermark().get().segmentsDetected() + " of " + v.watermark().get().segmentsTotal() + " 2-s segments");
        }
        if (rule.equals("none")) {
            List<Evidence> traces = evidence(v).stream().filter(e -> e.strength() == Evidence.Strength.TRACE).toList();
            if (!traces.isEmpty()) {
                return new Verdict("3", "traces", "no implicit label, but generation traces in the frames: "
                        + String.join("; ", traces.stream().map(Evidence::summary).toList()));
            }
        }
        return base.verdict();
    }

    /** The sdk's report for the file with the frame findings added (evidence, problems, verdict). */
    static DetectionReport merged(DetectionReport base, VideoDetection v) {
        List<Evidence> evidence = new ArrayList<>(base.evidence());
        evidence.addAll(evidence(v));
        List<String> problems = new ArrayList<>(base.problems());
        problems.addAll(v.problems());
        return new DetectionReport(base.metadata(), verdict(base, v), evidence, base.watermark(), base.watermarkMatchesLabel(),
                base.thirdPartyWatermarks(), problems, base.pixelsUnchecked());
    }

    static java.util.Optional<Boolean> matchesLabel(DetectionReport base, VideoDetection v, List<WatermarkKey> keys) {
        var payload = v.watermark().flatMap(VideoDetection.WatermarkFindings::payloadHex);
        if (payload.isEmpty() || base.metadata().labels().isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(base.metadata().labels().stream().anyMatch(l -> keys.stream().anyMatch(k ->
                org.aigcmark.watermark.WatermarkPayload.fromLabel(k, l.label().contentProducer(), l.label().produceId())
                        .hex().equals(payload.get()))));
    }

    /** The sdk's detection JSON with the frame findings merged in (watermark from the frames, visible labels, checks). */
    static ObjectNode toJson(DetectionReport base, VideoDetection v, List<WatermarkKey> keys) {
        ObjectNode o = ReportJson.toNode(merged(base, v));
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

    static String toText(DetectionReport base, VideoDetection v, List<WatermarkKey> keys) {
        DetectionReport m = merged(base, v);
        StringBuilder sb = new StringBuilder(ReportJson.toText(m).replaceAll("(?m)^  aigcmark watermark: .*\\R", ""));
        sb.append(toText(v));
        matchesLabel(base, v, keys).ifPresent(x -> sb.append(x ? "  the watermark matches the label\n" : "  the watermark does NOT match the label\n"));
        return sb.toString();
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
