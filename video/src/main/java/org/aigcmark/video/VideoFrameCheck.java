package org.aigcmark.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.aigcmark.detection.Evidence;
import org.aigcmark.detection.MediaCheck;
import org.aigcmark.detection.MediaFindings;
import org.aigcmark.format.MediaType;

/**
 * The frames of MP4/MOV and Matroska/WebM files for the sdk's {@link org.aigcmark.detection.Detector} (registered in
 * {@code META-INF/services}): {@link VideoDetector} reads them (the watermark per 2-s segment, a visible label like
 * ours, the detector's pixel checks on frames sampled densely in the first 5 s), and this class turns what it found
 * into evidence (label appearances with times and the ≥ 2 s start rule, per-video model scores), the watermark
 * summary, and the report's {@code visibleLabels[]} and {@code video} section. The sound track is searched for the
 * audio rhythm cue ({@link AudioCueCheck}, in {@code video.audio}); an MP4/M4A or WebM without video gets only that
 * search, in an {@code audio} section. Stateless and thread-safe.
 */
public final class VideoFrameCheck implements MediaCheck {
    @Override
    public String name() {
        return "video-frames";
    }

    @Override
    public boolean handles(MediaType format) {
        return format == MediaType.MP4 || format == MediaType.MKV;
    }

    @Override
    public MediaFindings check(Path file, Context context) {
        boolean[] streams;
        try {
            streams = AudioTrack.streams(file);
        } catch (org.aigcmark.AigcmarkException e) {
            streams = new boolean[] {true, false}; // the video reader says what is wrong with the file, as before
        }
        if (!streams[0] && streams[1]) {
            // audio-only MP4/M4A or WebM: the rhythm cue is all there is to look for
            return new AudioCueCheck().check(file, context);
        }
        VideoDetection d = VideoDetector.create(context.watermarkKeys()).withChecks(context.checks()).detect(file);
        MediaFindings video = findings(d, !context.watermarkKeys().isEmpty());
        return streams[1] ? withSoundTrack(video, file) : video;
    }

    /** The video's findings with the rhythm cue search over its sound track added (evidence, {@code video.audio}). */
    private static MediaFindings withSoundTrack(MediaFindings video, Path file) {
        List<Evidence> evidence = new ArrayList<>(video.evidence());
        Map<String, Object> details = new LinkedHashMap<>(video.details());
        List<String> summary = new ArrayList<>(video.summary());
        List<String> problems = new ArrayList<>(video.problems());
        try {
            AudioCueCheck.Search s = AudioCueCheck.search(file);
            evidence.addAll(AudioCueCheck.evidence(s));
            details.put("audio", AudioCueCheck.details(s));
            summary.addAll(AudioCueCheck.summary(s));
        } catch (org.aigcmark.AigcmarkException e) {
            problems.add("audio-cue: " + e.getMessage());
        }
        return new MediaFindings(video.section(), evidence, video.watermark(), video.visibleLabels(), details, summary, problems);
    }

    /** The findings of a video detection in the sdk's form; {@code keyGiven}: whether a watermark key was searched. */
    static MediaFindings findings(VideoDetection d, boolean keyGiven) {
        return new MediaFindings("video", evidence(d), watermark(d, keyGiven), visibleLabels(d), details(d), summary(d),
                d.problems());
    }

    private static MediaFindings.Watermark watermark(VideoDetection d, boolean keyGiven) {
        if (d.watermark().isEmpty()) {
            return new MediaFindings.Watermark(false, false, Optional.empty(), "", Map.of("note", keyGiven
                    ? "frames too small" : "not checked: give --key to look for the aigcmark watermark"));
        }
        VideoDetection.WatermarkFindings w = d.watermark().get();
        Map<String, Object> m = new LinkedHashMap<>();
        w.payloadHex().ifPresent(p -> m.put("payload", p));
        m.put("segments", w.segmentsDetected() + "/" + w.segmentsTotal());
        m.put("segmentsDetected", w.segmentsDetected());
        m.put("segmentsTotal", w.segmentsTotal());
        m.put("framesDetected", w.framesDetected());
        m.put("falsePositiveProbability", w.falsePositiveProbability());
        m.put("bestScore", round(w.bestScore()));
        return new MediaFindings.Watermark(true, w.detected(), w.payloadHex(),
                "in " + w.segmentsDetected() + " of " + w.segmentsTotal() + " 2-s segments", m);
    }

    private static Map<String, Object> details(VideoDetection d) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("width", d.width());
        n.put("height", d.height());
        n.put("durationSeconds", round(d.durationSeconds()));
        n.put("framesSampled", d.framesSampled());
        n.put("framesChecked", d.framesChecked());
        List<Map<String, Object>> checks = new ArrayList<>();
        for (VideoDetection.CheckSummary c : d.checks()) {
            Map<String, Object> cn = new LinkedHashMap<>();
            cn.put("check", c.check());
            cn.put("framesChecked", c.framesChecked());
            cn.put("framesWithEvidence", c.framesWithEvidence());
            cn.put("evidenceKinds", new TreeMap<>(c.evidenceKinds()));
            c.score().ifPresent(sc -> {
                Map<String, Object> sn = new LinkedHashMap<>();
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
                cn.put("score", sn);
            });
            checks.add(cn);
        }
        n.put("checks", checks);
        n.put("notes", d.notes());
        return n;
    }

    private static List<Map<String, Object>> visibleLabels(VideoDetection d) {
        List<Map<String, Object>> arr = new ArrayList<>();
        for (VideoDetection.VisibleLabelFinding f : d.visibleLabels()) {
            Map<String, Object> fn = new LinkedHashMap<>();
            fn.put("method", "template");
            fn.put("position", f.position());
            fn.put("firstSeconds", round(f.firstSeconds()));
            fn.put("lastSeconds", round(f.lastSeconds()));
            fn.put("approxDurationSeconds", round(f.approxDurationSeconds()));
            fn.put("heightRatio", round(f.heightRatio()));
            fn.put("correlation", round(f.bestCorrelation()));
            fn.put("note", "correlation with aigcmark's own rendered label (not OCR)");
            arr.add(fn);
        }
        for (VideoDetection.LabelAppearance a : d.labelAppearances()) {
            Map<String, Object> fn = new LinkedHashMap<>();
            fn.put("method", "ocr");
            fn.put("check", a.check());
            fn.put("text", a.text());
            fn.put("position", a.position());
            fn.put("box", a.box());
            fn.put("heightRatio", round(a.heightRatio()));
            fn.put("sizeCompliant", a.sizeCompliant());
            fn.put("firstSeconds", round(a.firstSeconds()));
            fn.put("lastSeconds", round(a.lastSeconds()));
            fn.put("goneSeconds", Double.isNaN(a.goneSeconds()) ? null : round(a.goneSeconds()));
            fn.put("minDurationSeconds", round(a.minDurationSeconds()));
            fn.put("maxDurationSeconds", round(a.maxDurationSeconds()));
            fn.put("framesSeen", a.framesSeen());
            fn.put("framesMissed", a.framesMissed());
            fn.put("endRefined", a.endRefined());
            fn.put("startRule", a.startRule().name().toLowerCase(Locale.ROOT));
            arr.add(fn);
        }
        return arr;
    }

    private static List<String> summary(VideoDetection d) {
        List<String> b = new ArrayList<>();
        b.add(String.format(Locale.ROOT, "video: %dx%d, %.2f s, %d frames sampled, %d run through the pixel checks",
                d.width(), d.height(), d.durationSeconds(), d.framesSampled(), d.framesChecked()));
        d.watermark().ifPresent(w -> b.add(String.format(Locale.ROOT, "video watermark: %s, segments %d/%d%s",
                w.detected() ? "DETECTED" : "not found", w.segmentsDetected(), w.segmentsTotal(),
                w.payloadHex().map(p -> String.format(Locale.ROOT, ", payload %s, false-positive probability <= %.1e", p,
                        w.falsePositiveProbability())).orElse(""))));
        if (d.visibleLabels().isEmpty() && d.labelAppearances().isEmpty()) {
            b.add(d.framesChecked() > 0 ? "visible label: none found" : "visible label: none like aigcmark's found (no OCR)");
        }
        for (VideoDetection.VisibleLabelFinding f : d.visibleLabels()) {
            b.add(String.format(Locale.ROOT, "visible label at %s from %.1f s for about %.1f s, height %.1f%% of the shortest side",
                    f.position(), f.firstSeconds(), f.approxDurationSeconds(), f.heightRatio() * 100));
        }
        // the OCR label appearances are report evidence lines
        for (VideoDetection.CheckSummary c : d.checks()) {
            b.add(String.format(Locale.ROOT, "check %s: evidence in %d of %d checked frames%s", c.check(),
                    c.framesWithEvidence(), c.framesChecked(), c.score().map(sc -> String.format(Locale.ROOT,
                            "; video score %.2f (mean %.2f, max %.2f over %d frames) - weak evidence, not proof",
                            sc.videoScore(), sc.mean(), sc.max(), sc.framesScored())).orElse("")));
        }
        d.notes().forEach(n -> b.add("note: " + n));
        return b;
    }

    /** One OCR label appearance in words: where, when, its size against GB 45438 §5.2 and the ≥ 2 s start rule. */
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

    /** The frame findings as evidence items, in the form the image checks give them (the watermark aside). */
    static List<Evidence> evidence(VideoDetection v) {
        List<Evidence> out = new ArrayList<>();
        for (VideoDetection.VisibleLabelFinding f : v.visibleLabels()) {
            out.add(new Evidence("pixels:aigcmark-label", Evidence.Kind.VISIBLE_LABEL, Evidence.Strength.TRACE, String.format(Locale.ROOT,
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
            out.add(new Evidence(a.check().equals("ocr-visible-label") ? "pixels:ocr" : "pixels:" + a.check(), Evidence.Kind.VISIBLE_LABEL,
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
                out.add(new Evidence(c.check(), suspected ? Evidence.Kind.MODEL_SCORE : Evidence.Kind.MODEL_SCORE_LOW, Evidence.Strength.WEAK,
                        String.format(Locale.ROOT, "%s scores the video %.2f AI/fake (top-quarter mean of %d frame scores; mean %.2f,"
                                + " max %.2f; %s) - weak evidence, not proof", c.check().startsWith("model:") ? "model "
                                + c.check().substring("model:".length()) : c.check(), sc.videoScore(), sc.framesScored(), sc.mean(), sc.max(),
                                suspected ? "suspected" : "low"), d));
            } else if (c.framesWithEvidence() > 0 && !c.evidenceKinds().keySet().equals(java.util.Set.of("visible-label"))) {
                // a check with no score and no box (e.g. the forensic signals): how often it spoke
                // its kind: the first the check gave, by name (the counts of every kind are in the details)
                out.add(new Evidence("pixels:" + c.check(), Evidence.Kind.ofId(new java.util.TreeSet<>(c.evidenceKinds().keySet()).first()),
                        c.strongest().orElse(Evidence.Strength.WEAK), String.format(Locale.ROOT, "%s gave evidence in %d of %d checked frames",
                                c.check(), c.framesWithEvidence(), c.framesChecked()),
                        Map.of("framesWithEvidence", c.framesWithEvidence(), "framesChecked", c.framesChecked(),
                                "evidenceKinds", new TreeMap<>(c.evidenceKinds()))));
            }
        }
        return out;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
