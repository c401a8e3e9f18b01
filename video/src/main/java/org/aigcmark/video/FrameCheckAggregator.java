package org.aigcmark.video;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.Evidence;
import org.aigcmark.detection.EvidenceCheck;

/**
 * Runs the pluggable pixel checks on sampled frames and folds their per-frame evidence into video-level findings:
 * visible labels (evidence of kind {@code visible-label} with a {@code box}) become appearances with first/last
 * time seen and duration bounds; every check gets a summary (frames with evidence, evidence kinds, and for
 * evidence with a numeric {@code score}, the per-video score statistics). Keeps only counters and one small record
 * per distinct label, never a frame.
 */
final class FrameCheckAggregator {
    /** Two sightings are the same label when their boxes overlap this much (intersection over union)... */
    static final double SAME_BOX_IOU = 0.5;
    /** ...or when they read the same text and their boxes overlap at all (OCR boxes jitter with the content). */
    static final double SAME_TEXT_IOU = 0.0;
    static final String SCORE_CAVEAT = "per-video score = mean of the highest quarter of frame scores; frames of one "
            + "video are not independent samples, so it is no stronger than one frame's score: weak evidence, not proof";

    private final List<EvidenceCheck> checks;
    private final List<PerCheck> perCheck = new ArrayList<>();
    private final List<Track> tracks = new ArrayList<>();
    private double firstCheckSeconds = Double.NaN;
    private int framesChecked;

    FrameCheckAggregator(List<EvidenceCheck> checks) {
        this.checks = List.copyOf(checks);
        for (EvidenceCheck c : this.checks) {
            perCheck.add(new PerCheck(c.name()));
        }
    }

    int framesChecked() {
        return framesChecked;
    }

    /** Runs every check on one frame (shown at {@code seconds}); the image is not kept. */
    void frame(double seconds, BufferedImage image) {
        if (framesChecked == 0) {
            firstCheckSeconds = seconds;
        }
        framesChecked++;
        for (int i = 0; i < checks.size(); i++) {
            EvidenceCheck check = checks.get(i);
            PerCheck pc = perCheck.get(i);
            List<String> problems = new ArrayList<>();
            List<Evidence> found;
            try {
                found = check.check(image, problems);
            } catch (AigcmarkException e) {
                problems.add(e.getMessage());
                found = List.of();
            }
            for (String p : problems) {
                pc.problems.merge(p, 1, Integer::sum);
            }
            pc.record(seconds, found);
            List<Evidence> labels = found.stream().filter(FrameCheckAggregator::isVisibleLabel).toList();
            trackLabels(check.name(), seconds, labels);
        }
    }

    static boolean isVisibleLabel(Evidence e) {
        return e.kind() == Evidence.Kind.VISIBLE_LABEL && e.details().get("box") instanceof List<?> b && b.size() == 4;
    }

    private void trackLabels(String check, double seconds, List<Evidence> labels) {
        List<Track> matched = new ArrayList<>();
        for (Evidence e : labels) {
            Sighting s = Sighting.of(e);
            Track best = null;
            double bestIou = -1;
            for (Track t : tracks) {
                if (!t.check.equals(check) || matched.contains(t)) {
                    continue;
                }
                double iou = iou(t.box, s.box);
                boolean same = iou >= SAME_BOX_IOU || (iou > SAME_TEXT_IOU && t.texts.containsKey(s.text));
                if (same && iou > bestIou) {
                    best = t;
                    bestIou = iou;
                }
            }
            if (best == null) {
                best = new Track(check, seconds);
                tracks.add(best);
            }
            best.seen(seconds, s);
            matched.add(best);
        }
        for (Track t : tracks) {
            if (t.check.equals(check) && !matched.contains(t)) {
                t.missed(seconds);
            }
        }
    }

    /**
     * Labels seen at the start whose disappearance between two samples leaves the >= 2 s rule open: the window
     * (last sighting, first sample without it) in which a second pass should look at every frame. At most
     * {@code limit} of them, earliest first.
     */
    List<Refinement> uncertainEnds(double durationSeconds, double frameSeconds, int limit) {
        List<Refinement> out = new ArrayList<>();
        for (Track t : tracks) {
            if (out.size() < limit && !Double.isNaN(t.gone) && t.toAppearance(durationSeconds, frameSeconds, firstCheckSeconds)
                    .startRule() == VideoDetection.StartRule.UNCERTAIN) {
                out.add(new Refinement(t, checks.get(checkIndex(t.check))));
            }
        }
        return out;
    }

    private int checkIndex(String name) {
        for (int i = 0; i < checks.size(); i++) {
            if (checks.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no check " + name);
    }

    /** A frame-by-frame look at where one label ends, between its last sighting and the sample that missed it. */
    static final class Refinement {
        private final Track track;
        final EvidenceCheck check;
        final double from;
        final double to;
        private boolean done;
        private double lastSeen;
        private double goneAt;

        private Refinement(Track track, EvidenceCheck check) {
            this.track = track;
            this.check = check;
            this.from = track.last;
            this.to = track.gone;
            this.lastSeen = track.last;
            this.goneAt = track.gone;
        }

        boolean wants(double seconds) {
            return !done && seconds > from + 1e-9 && seconds < to - 1e-9;
        }

        boolean done() {
            return done;
        }

        /**
         * The evidence {@link #check} gave for one frame of the window: the label is there or, at the first frame
         * without it, the search ends.
         */
        void frame(double seconds, List<Evidence> found) {
            boolean present = false;
            for (Evidence e : found) {
                if (isVisibleLabel(e)) {
                    Sighting s = Sighting.of(e);
                    double iou = iou(track.box, s.box);
                    present |= iou >= SAME_BOX_IOU || (iou > SAME_TEXT_IOU && track.texts.containsKey(s.text));
                }
            }
            if (present) {
                lastSeen = seconds;
            } else {
                goneAt = seconds;
                done = true;
            }
        }

        /** Narrows the label's end to the frames found. */
        void apply() {
            track.last = lastSeen;
            track.gone = goneAt;
            track.endRefined = true;
        }
    }

    static double iou(int[] a, int[] b) {
        long ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
        long iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
        long inter = ix * iy;
        long union = (long) a[2] * a[3] + (long) b[2] * b[3] - inter;
        return union <= 0 ? 0 : (double) inter / union;
    }

    /** The findings once the whole video has been read. */
    Result finish(double durationSeconds, double frameSeconds) {
        List<VideoDetection.LabelAppearance> appearances = new ArrayList<>();
        for (Track t : tracks) {
            appearances.add(t.toAppearance(durationSeconds, frameSeconds, firstCheckSeconds));
        }
        List<VideoDetection.CheckSummary> summaries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (PerCheck pc : perCheck) {
            summaries.add(pc.summary());
            pc.problems.forEach((p, n) -> problems.add(pc.name + ": " + p + (n > 1 ? " (" + n + " frames)" : "")));
        }
        return new Result(appearances, summaries, problems);
    }

    record Result(List<VideoDetection.LabelAppearance> appearances, List<VideoDetection.CheckSummary> summaries,
                  List<String> problems) {}

    private record Sighting(String text, int[] box, double heightRatio, boolean compliant, String position, double confidence) {
        static Sighting of(Evidence e) {
            List<?> b = (List<?>) e.details().get("box");
            int[] box = new int[4];
            for (int i = 0; i < 4; i++) {
                box[i] = ((Number) b.get(i)).intValue();
            }
            Map<String, Object> d = e.details();
            return new Sighting(String.valueOf(d.getOrDefault("text", e.summary())), box, number(d.get("heightRatio")),
                    Boolean.TRUE.equals(d.get("compliant")), String.valueOf(d.getOrDefault("position", "")),
                    number(d.get("confidence")));
        }
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** One distinct label: where it is, when it was seen, and when it was first missed after being seen. */
    private static final class Track {
        final String check;
        final double first;
        final Map<String, Integer> texts = new LinkedHashMap<>();
        int[] box;
        double heightRatio = Double.NaN;
        String position = "";
        double confidence = Double.NEGATIVE_INFINITY;
        boolean compliantEverywhere = true;
        double last;
        double gone = Double.NaN;
        boolean endRefined;
        boolean present;
        int framesSeen;
        int framesMissed;
        int missedSinceLast;

        Track(String check, double first) {
            this.check = check;
            this.first = first;
        }

        void seen(double seconds, Sighting s) {
            texts.merge(s.text, 1, Integer::sum);
            double conf = Double.isNaN(s.confidence) ? 0 : s.confidence;
            if (box == null || conf > confidence) {
                box = s.box;
                heightRatio = s.heightRatio;
                position = s.position;
                confidence = conf;
            }
            compliantEverywhere &= s.compliant;
            last = seconds;
            gone = Double.NaN;
            present = true;
            framesSeen++;
            missedSinceLast = 0;
        }

        void missed(double seconds) {
            if (present) {
                gone = seconds;
                present = false;
            }
            framesMissed++;
            missedSinceLast++;
        }

        VideoDetection.LabelAppearance toAppearance(double duration, double frameSeconds, double firstCheck) {
            String text = texts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
            double until = Double.isNaN(gone) ? Math.max(duration, last + frameSeconds) : gone;
            double minDuration = last - first + frameSeconds;
            double maxDuration = Math.max(minDuration, until - first);
            boolean atStart = first <= firstCheck + 1e-6;
            VideoDetection.StartRule rule;
            if (!atStart || maxDuration < VideoDetection.START_LABEL_SECONDS - 1e-6) {
                rule = VideoDetection.StartRule.NOT_MET;
            } else if (minDuration >= VideoDetection.START_LABEL_SECONDS - 1e-6) {
                rule = VideoDetection.StartRule.MET;
            } else {
                rule = VideoDetection.StartRule.UNCERTAIN;
            }
            // frames missed after the last sighting are its disappearance, not gaps in it
            int gaps = framesMissed - missedSinceLast;
            return new VideoDetection.LabelAppearance(check, text, position, List.of(box[0], box[1], box[2], box[3]),
                    heightRatio, compliantEverywhere, first, last, Double.isNaN(gone) ? Double.NaN : gone,
                    minDuration, maxDuration, framesSeen, gaps, endRefined, rule);
        }
    }

    /** Counters for one check. */
    private static final class PerCheck {
        final String name;
        final Map<String, Integer> problems = new LinkedHashMap<>();
        final Map<String, Integer> kinds = new TreeMap<>();
        final List<Double> scores = new ArrayList<>();
        double threshold = Double.NaN;
        Evidence.Strength strongest;
        String caveat = "";
        int frames;
        int framesWithEvidence;

        PerCheck(String name) {
            this.name = name;
        }

        void record(double seconds, List<Evidence> found) {
            frames++;
            if (!found.isEmpty()) {
                framesWithEvidence++;
            }
            double frameScore = Double.NaN;
            for (Evidence e : found) {
                kinds.merge(e.kind().id(), 1, Integer::sum);
                if (strongest == null || e.strength().ordinal() < strongest.ordinal()) {
                    strongest = e.strength(); // the enum runs from PROOF down to WEAK
                }
                double s = number(e.details().get("score"));
                if (s >= 0 && s <= 1) {
                    frameScore = Double.isNaN(frameScore) ? s : Math.max(frameScore, s);
                    double t = number(e.details().get("threshold"));
                    if (Double.isNaN(threshold) && !Double.isNaN(t)) {
                        threshold = t;
                    }
                    if (caveat.isEmpty() && e.details().get("caveat") instanceof String c) {
                        caveat = c;
                    }
                }
            }
            if (!Double.isNaN(frameScore)) {
                scores.add(frameScore);
            }
        }

        VideoDetection.CheckSummary summary() {
            java.util.Optional<VideoDetection.ScoreSummary> score = java.util.Optional.empty();
            if (!scores.isEmpty()) {
                double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
                Arrays.sort(s);
                double sum = 0;
                for (double v : s) {
                    sum += v;
                }
                int top = (s.length + 3) / 4;
                double topSum = 0;
                for (int i = s.length - top; i < s.length; i++) {
                    topSum += s[i];
                }
                int above = 0;
                if (!Double.isNaN(threshold)) {
                    for (double v : s) {
                        if (v >= threshold) {
                            above++;
                        }
                    }
                }
                score = java.util.Optional.of(new VideoDetection.ScoreSummary(s.length, sum / s.length, s[s.length - 1],
                        topSum / top, top, threshold, Double.isNaN(threshold) ? 0 : above,
                        Double.isNaN(threshold) ? Double.NaN : (double) above / s.length,
                        caveat.isEmpty() ? SCORE_CAVEAT : SCORE_CAVEAT + "; the model: " + caveat));
            }
            return new VideoDetection.CheckSummary(name, frames, framesWithEvidence, kinds, java.util.Optional.ofNullable(strongest), score);
        }
    }
}
