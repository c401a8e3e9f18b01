package org.aigcmark.video;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link VideoDetector} found in the frames of a video.
 *
 * @param width            frame width
 * @param height           frame height
 * @param durationSeconds  decoded duration (first to last frame plus one frame)
 * @param framesDecoded    every frame was decoded (the codec needs them); only samples were analysed
 * @param framesSampled    frames analysed (one per {@code sampleInterval} seconds)
 * @param watermark        the keyed watermark evidence, combined over frames and 2-s segments; empty without a key
 * @param visibleLabels    where a visible label like ours was seen, and for how long
 * @param framesChecked    frames run through the pluggable pixel checks ({@link VideoDetector#withChecks})
 * @param labelAppearances visible labels read by a pixel check (OCR): each distinct label, where and when
 * @param checks           per pixel check: frames with evidence, evidence kinds, per-video score statistics
 * @param notes            remarks (e.g. frames too small for a watermark)
 * @param problems         what went wrong in a pixel check without stopping the work (per check, with a frame count)
 */
public record VideoDetection(int width, int height, double durationSeconds, long framesDecoded, int framesSampled,
                             Optional<WatermarkFindings> watermark, List<VisibleLabelFinding> visibleLabels,
                             int framesChecked, List<LabelAppearance> labelAppearances, List<CheckSummary> checks,
                             List<String> notes, List<String> problems) {
    /** GB 45438 §5.4: the video label is shown at the start frame for at least 2 s of normal playback. */
    public static final double START_LABEL_SECONDS = 2.0;

    public VideoDetection {
        visibleLabels = List.copyOf(visibleLabels);
        labelAppearances = List.copyOf(labelAppearances);
        checks = List.copyOf(checks);
        notes = List.copyOf(notes);
        problems = List.copyOf(problems);
    }

    /**
     * Watermark evidence across the video. A 2-s segment counts as detected when one of its sampled frames, or the
     * average of its sampled frames (the mark is the same in every frame while the content moves, so averaging
     * raises it above the content), decodes a CRC-valid payload; the video is detected when at least one segment
     * is, and the reported payload is the one decoded most often.
     *
     * @param detected                 at least one segment decoded a payload
     * @param payloadHex               the payload (16 hex digits) when detected
     * @param segmentsDetected         2-s segments with a decode of that payload
     * @param segmentsTotal            2-s segments in the video
     * @param framesDetected           single sampled frames that decoded it
     * @param falsePositiveProbability bound for an unmarked video giving this answer: the smallest per-decode bound
     *                                 times the number of decodes attempted (union bound), capped at 1
     * @param bestScore                highest synchronisation z-score seen
     * @param segments                 per segment: start second, detected, best score
     */
    public record WatermarkFindings(boolean detected, Optional<String> payloadHex, int segmentsDetected,
                                    int segmentsTotal, int framesDetected, double falsePositiveProbability,
                                    double bestScore, List<Segment> segments) {
        public WatermarkFindings {
            segments = List.copyOf(segments);
        }
    }

    /**
     * The watermark search over one 2-s segment ({@link VideoDetector#SEGMENT_SECONDS}).
     *
     * @param startSeconds where the segment starts, in seconds from the first frame
     * @param detected     a sampled frame of the segment, or the average of its sampled frames, decoded a payload
     * @param bestScore    highest synchronisation z-score among the segment's sampled frames
     */
    public record Segment(double startSeconds, boolean detected, double bestScore) {}

    /**
     * A visible label like the one aigcmark draws, found by correlating the frame with the label rendered for its
     * size at each candidate position (not OCR: another tool's label text or font is not recognised).
     *
     * @param position        where (bottom_right, ...)
     * @param firstSeconds    first sampled time it was seen
     * @param lastSeconds     last sampled time it was seen
     * @param approxDurationSeconds from the first sample it was seen at to the first later sample without it
     * @param heightRatio     glyph height over the shortest side of the label it matched
     * @param bestCorrelation best correlation with the rendered label (0..1)
     * @param framesSeen      sampled frames it was seen in
     */
    public record VisibleLabelFinding(String position, double firstSeconds, double lastSeconds,
                                      double approxDurationSeconds, double heightRatio, double bestCorrelation,
                                      int framesSeen) {}

    /** Whether a label meets the start-frame rule (shown from the first frame for at least 2 s). */
    public enum StartRule {
        /** seen in the first checked frame and for at least 2 s even by the shortest reading of the samples */
        MET,
        /** not at the start, or gone before 2 s even by the longest reading */
        NOT_MET,
        /** at the start, but it disappeared between two samples that straddle 2 s */
        UNCERTAIN
    }

    /**
     * A visible label that a pixel check (the OCR {@code VisibleLabelCheck}) read in sampled frames. Sightings in
     * different frames are one label when their boxes overlap (IoU >= 0.5, or any overlap with the same text).
     * Times are those of the sampled frames, so the end is known to within one sampling step: {@code goneSeconds}
     * is the first sample after {@code lastSeconds} without it, and the duration lies between the two bounds. When
     * that step straddles 2 s for a label shown from the start, the end is narrowed to the frame ({@code endRefined}).
     *
     * @param check              the check that read it
     * @param text               the text read most often
     * @param position           edge/corner as the check names it
     * @param box                x, y, width, height in the displayed frame (the most confident sighting)
     * @param heightRatio        text height over the frame's shortest side (same sighting)
     * @param sizeCompliant      every sighting met the check's size/placement rule (GB 45438: >= 5%, edge or corner)
     * @param firstSeconds       first sample it was seen in
     * @param lastSeconds        last sample it was seen in
     * @param goneSeconds        first later sample without it; NaN when it stayed to the end
     * @param minDurationSeconds last - first + one frame
     * @param maxDurationSeconds gone (or the end of the video) - first
     * @param framesSeen         sampled frames it was read in
     * @param framesMissed       sampled frames between first and last it was not read in (OCR misses or real gaps)
     * @param endRefined         the end was narrowed to the frame: the samples left the 2 s rule open, so every
     *                           frame between the last sighting and the miss was checked in a second pass
     * @param startRule          the >= 2 s start-frame rule, judged from the bounds
     */
    public record LabelAppearance(String check, String text, String position, List<Integer> box, double heightRatio,
                                  boolean sizeCompliant, double firstSeconds, double lastSeconds, double goneSeconds,
                                  double minDurationSeconds, double maxDurationSeconds, int framesSeen, int framesMissed,
                                  boolean endRefined, StartRule startRule) {
        public LabelAppearance {
            box = List.copyOf(box);
        }
    }

    /**
     * What one pixel check found over the sampled frames.
     *
     * @param check              the check's name
     * @param framesChecked      frames it ran on
     * @param framesWithEvidence frames where it reported anything
     * @param evidenceKinds      evidence items per kind over all frames
     * @param strongest          the strongest evidence it gave in any frame (empty when it gave none)
     * @param score              per-video statistics when its evidence carries a numeric {@code score} (model checks)
     */
    public record CheckSummary(String check, int framesChecked, int framesWithEvidence, Map<String, Integer> evidenceKinds,
                               Optional<org.aigcmark.detection.Evidence.Strength> strongest, Optional<ScoreSummary> score) {
        public CheckSummary {
            evidenceKinds = Map.copyOf(evidenceKinds);
        }
    }

    /**
     * Frame scores of a model check folded into one per-video number. A frame's score is the highest score the
     * check gave it (e.g. its most suspicious face); frames without a score (no face) are not counted.
     *
     * @param framesScored    frames with a score
     * @param mean            mean frame score
     * @param max             highest frame score
     * @param videoScore      mean of the highest quarter of frame scores ({@code topFrames} of them): one noisy
     *                        frame cannot decide, yet a manipulation shown in part of the video still counts
     * @param topFrames       frames in that mean
     * @param threshold       the check's report threshold (NaN when it gives none)
     * @param framesAtOrAbove frames scoring at or above the threshold
     * @param shareAtOrAbove  their share of the scored frames (NaN without a threshold)
     * @param caveat          why this is weak evidence, never proof
     */
    public record ScoreSummary(int framesScored, double mean, double max, double videoScore, int topFrames,
                               double threshold, int framesAtOrAbove, double shareAtOrAbove, String caveat) {}
}
