package org.aigcmark.video;

import java.util.List;
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
 * @param notes            remarks (e.g. frames too small for a watermark)
 */
public record VideoDetection(int width, int height, double durationSeconds, long framesDecoded, int framesSampled,
                             Optional<WatermarkFindings> watermark, List<VisibleLabelFinding> visibleLabels,
                             List<String> notes) {
    public VideoDetection {
        visibleLabels = List.copyOf(visibleLabels);
        notes = List.copyOf(notes);
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
}
