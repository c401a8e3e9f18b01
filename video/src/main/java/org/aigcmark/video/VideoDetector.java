package org.aigcmark.video;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.aigcmark.detection.EvidenceCheck;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.visible.VisibleLabelOptions;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkDetection;
import org.aigcmark.watermark.WatermarkPayload;

/**
 * Looks for labels in the frames of a video: the keyed watermark (combined over frames and 2-s segments), a
 * visible label like ours (by correlation with our own rendered label), and whatever the pluggable pixel checks
 * ({@link #withChecks}: OCR visible-label finder, ONNX model scores, forensic signals) find in frames sampled on a
 * {@link CheckSchedule}, folded into per-video findings. Streams the file once; holds one luma plane, one float
 * accumulator, one RGB frame for the checks and the decoder's frames, whatever the length of the video.
 */
public final class VideoDetector {
    public static final double SEGMENT_SECONDS = 2.0;
    public static final double DEFAULT_SAMPLE_INTERVAL = 0.5;
    /** Correlation with the rendered label above which a frame is said to show it. */
    static final double VISIBLE_CORRELATION = 0.6;
    static final VisibleLabelOptions.Position[] POSITIONS = {
        VisibleLabelOptions.Position.BOTTOM_RIGHT, VisibleLabelOptions.Position.BOTTOM_LEFT,
        VisibleLabelOptions.Position.TOP_RIGHT, VisibleLabelOptions.Position.TOP_LEFT,
        VisibleLabelOptions.Position.BOTTOM, VisibleLabelOptions.Position.TOP};

    private final List<ImageWatermarker> watermarkers;
    private final double sampleInterval;
    private final VisibleLabelOptions visibleTemplate;
    private final List<EvidenceCheck> checks;
    private final CheckSchedule schedule;

    private VideoDetector(List<ImageWatermarker> watermarkers, double sampleInterval, VisibleLabelOptions visibleTemplate,
                          List<EvidenceCheck> checks, CheckSchedule schedule) {
        this.watermarkers = watermarkers;
        this.sampleInterval = sampleInterval;
        this.visibleTemplate = visibleTemplate;
        this.checks = List.copyOf(checks);
        this.schedule = schedule;
    }

    private VideoDetector(List<WatermarkKey> keys, double sampleInterval, VisibleLabelOptions visibleTemplate) {
        this(keys.stream().map(ImageWatermarker::create).toList(), sampleInterval, visibleTemplate, List.of(),
                CheckSchedule.defaults());
    }

    /**
     * A detector that looks for our watermark under {@code keys} (none: no watermark search) and for a visible label
     * like the default one, sampling a frame every {@link #DEFAULT_SAMPLE_INTERVAL} seconds; no pixel checks.
     */
    public static VideoDetector create(List<WatermarkKey> keys) {
        return new VideoDetector(keys, DEFAULT_SAMPLE_INTERVAL, VisibleLabelOptions.defaults());
    }

    /**
     * This detector with pixel checks run on sampled frames (as displayed, rotation applied). The checks stay
     * owned by the caller (close them after use); they are called from the detecting thread, one frame at a time.
     */
    public VideoDetector withChecks(List<EvidenceCheck> checks) {
        return new VideoDetector(watermarkers, sampleInterval, visibleTemplate, checks, schedule);
    }

    /** This detector with another schedule for the pixel checks. */
    public VideoDetector withCheckSchedule(CheckSchedule schedule) {
        return new VideoDetector(watermarkers, sampleInterval, visibleTemplate, checks, java.util.Objects.requireNonNull(schedule));
    }

    /**
     * When the pixel checks (OCR, models) run: every {@code denseInterval} seconds during the first {@code
     * denseSeconds}, where GB 45438 puts the video label (start frame, >= 2 s), then every {@code sparseInterval}
     * seconds, stretched so that no more than {@code maxFrames} frames are checked in all (the sparse step grows
     * with the length the container announces; when it announces none, checking stops at {@code maxFrames}, with
     * a note). Defaults: 0.5 s for the first 5 s, then every 2 s, at most 60 frames: a 1-hour video is checked
     * every 72 s after its first 5 s.
     */
    public record CheckSchedule(double denseInterval, double denseSeconds, double sparseInterval, int maxFrames) {
        public CheckSchedule {
            if (!(denseInterval > 0.01) || !(denseSeconds >= 0) || !(sparseInterval >= denseInterval) || maxFrames < 1) {
                throw org.aigcmark.AigcmarkException.invalid("check schedule: intervals must be > 0.01 s, sparse >= dense,"
                        + " at least one frame; got " + denseInterval + ", " + denseSeconds + ", " + sparseInterval + ", " + maxFrames);
            }
        }

        /** 0.5 s for the first 5 s, then every 2 s, at most 60 frames checked. */
        public static CheckSchedule defaults() {
            return new CheckSchedule(0.5, 5.0, 2.0, 60);
        }

        int denseFrames() {
            return (int) Math.ceil(denseSeconds / denseInterval - 1e-9);
        }

        /** The sparse step for a video of {@code duration} seconds (0 = unknown). */
        double sparseStep(double duration) {
            int left = maxFrames - denseFrames();
            if (duration <= denseSeconds || left <= 0) {
                return sparseInterval;
            }
            return Math.max(sparseInterval, (duration - denseSeconds) / left);
        }

        /** The first sample time after a frame checked at {@code seconds}. */
        double next(double seconds, double sparseStep) {
            if (seconds + 1e-9 < denseSeconds) {
                return Math.min(denseSeconds, (Math.floor(seconds / denseInterval + 1e-9) + 1) * denseInterval);
            }
            return denseSeconds + (Math.floor((seconds - denseSeconds) / sparseStep + 1e-9) + 1) * sparseStep;
        }
    }

    /** @param visibleTemplate the label to look for (text and height); positions are all tried */
    public static VideoDetector create(List<WatermarkKey> keys, double sampleInterval, VisibleLabelOptions visibleTemplate) {
        if (!(sampleInterval > 0.01 && sampleInterval <= SEGMENT_SECONDS)) {
            throw org.aigcmark.AigcmarkException.invalid("sample interval must be in (0.01, 2] s, got " + sampleInterval);
        }
        return new VideoDetector(keys, sampleInterval, visibleTemplate == null ? VisibleLabelOptions.defaults() : visibleTemplate);
    }

    /** The pixel checks this detector runs (owned by the caller). */
    public List<EvidenceCheck> checks() {
        return checks;
    }

    /**
     * A visible label like {@code template} (ours, any position) in the first {@code seconds} of {@code file}, or
     * empty; decoding stops there. {@link VideoLabeler} uses it to refuse a second start label.
     */
    public static Optional<VideoDetection.VisibleLabelFinding> visibleLabelAtStart(Path file, VisibleLabelOptions template,
                                                                                double seconds) {
        return start(file, template, List.of(), seconds).visibleLabels().stream().max(java.util.Comparator.comparingDouble(
                VideoDetection.VisibleLabelFinding::bestCorrelation));
    }

    /** Detection over the first {@code seconds} only (visible labels like {@code template}, watermarks under {@code keys}). */
    public static VideoDetection start(Path file, VisibleLabelOptions template, List<WatermarkKey> keys, double seconds) {
        VideoDetector d = new VideoDetector(keys, 0.25, template);
        try (VideoInput input = new VideoInput(file)) {
            Run run = d.new Run(file, input, null);
            run.stopAfter = seconds;
            return run.go();
        }
    }

    /**
     * Decodes every frame of {@code file} once and reports what the sampled ones show. Each call has its own state,
     * so calls from several threads may share one detector; they then share its pixel checks too.
     *
     * @throws org.aigcmark.AigcmarkException {@code INPUT_UNREADABLE} when the file cannot be read;
     *     {@code CORRUPT_INPUT} when it is not a readable container, a frame is damaged or it is truncated;
     *     {@code UNSUPPORTED_FORMAT} when it has no video stream or no decoder for its codec
     */
    public VideoDetection detect(Path file) {
        try (VideoInput input = new VideoInput(file);
             FrameImages images = checks.isEmpty() ? null : new FrameImages(input.width, input.height, input.rotationDegrees)) {
            return new Run(file, input, images).go();
        }
    }

    /** Labels whose end a second pass narrows to the frame (each costs at most one sampling step of frames). */
    static final int MAX_REFINED_LABELS = 3;

    /** Ends a second pass early, once every label end it looks for is found. */
    private static final class PassDone extends RuntimeException {
        PassDone() {
            super(null, null, false, false);
        }
    }

    private final class Run {
        final Path file;
        final VideoInput input;
        final FrameImages images;
        final FrameCheckAggregator aggregator = new FrameCheckAggregator(checks);
        final double sparseStep;
        double nextCheck;
        final int w;
        final int h;
        final byte[] luma;
        final float[] sum;
        final byte[] mean;
        final List<String> notes = new ArrayList<>();
        final boolean canWatermark;
        final List<YuvLabelOverlay> overlays = new ArrayList<>();
        final List<String> overlayNames = new ArrayList<>();
        // per-overlay visible tracking
        final double[] first;
        final double[] last;
        final double[] end;
        final double[] best;
        final int[] seen;
        // watermark tracking
        final Map<Long, Integer> payloadVotes = new HashMap<>();
        final List<VideoDetection.Segment> segments = new ArrayList<>();
        double minFpp = 1;
        int attempts;
        int framesDetected;
        double bestScore = Double.NEGATIVE_INFINITY;
        int segIndex = -1;
        int segSamples;
        boolean segDetected;
        double segBest = Double.NEGATIVE_INFINITY;
        Long segPayload;
        double nextSample;
        /** Decoding stops after this time (the whole video by default). */
        double stopAfter = Double.POSITIVE_INFINITY;
        int sampled;

        Run(Path file, VideoInput input, FrameImages images) {
            this.file = file;
            this.input = input;
            this.images = images;
            this.sparseStep = schedule.sparseStep(input.durationSeconds());
            this.w = input.width;
            this.h = input.height;
            this.luma = new byte[w * h];
            this.canWatermark = !watermarkers.isEmpty() && Math.min(w, h) >= ImageWatermarker.MIN_DETECT_SIDE;
            this.sum = canWatermark ? new float[w * h] : new float[0];
            this.mean = canWatermark ? new byte[w * h] : new byte[0];
            if (!watermarkers.isEmpty() && !canWatermark) {
                notes.add("frames " + w + "x" + h + " are too small to carry a watermark");
            }
            for (VisibleLabelOptions.Position p : POSITIONS) {
                try {
                    overlays.add(YuvLabelOverlay.template(w, h, input.rotationDegrees, visibleTemplate.withPosition(p)));
                    overlayNames.add(p.name().toLowerCase(Locale.ROOT));
                } catch (org.aigcmark.AigcmarkException e) {
                    // frame too small for the label at this size: nothing to look for
                }
            }
            int n = overlays.size();
            first = new double[n];
            last = new double[n];
            end = new double[n];
            best = new double[n];
            seen = new int[n];
        }

        VideoDetection go() {
            try {
                decode();
            } catch (PassDone done) {
                // stopAfter reached
            }
            return finish();
        }

        private void decode() {
            input.run((frame, pts, seconds) -> {
                if (seconds > stopAfter) {
                    throw new PassDone();
                }
                if (images != null && seconds + 1e-9 >= nextCheck) {
                    if (aggregator.framesChecked() < schedule.maxFrames()) {
                        aggregator.frame(seconds, images.toImage(frame));
                        nextCheck = schedule.next(seconds, sparseStep);
                    } else {
                        notes.add(String.format(Locale.ROOT, "pixel checks stopped at %.1f s: %d frames checked (the schedule's limit)",
                                seconds, schedule.maxFrames()));
                        nextCheck = Double.POSITIVE_INFINITY;
                    }
                }
                if (seconds + 1e-9 < nextSample) {
                    return;
                }
                nextSample = (Math.floor(seconds / sampleInterval + 1e-9) + 1) * sampleInterval;
                VideoLabeler.copyIn(frame, 0, luma, w, h);
                sample(seconds);
            }, null);
        }

        private VideoDetection finish() {
            closeSegment();
            double frameSeconds = input.fps() > 0 ? 1 / input.fps() : 0;
            double duration = input.lastSeconds() + frameSeconds;
            Optional<VideoDetection.WatermarkFindings> wm = Optional.empty();
            if (canWatermark) {
                Optional<Long> top = payloadVotes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
                int segDet = (int) segments.stream().filter(VideoDetection.Segment::detected).count();
                double fpp = top.isPresent() ? Math.min(1, minFpp * Math.max(1, attempts)) : 1;
                wm = Optional.of(new VideoDetection.WatermarkFindings(top.isPresent(),
                        top.map(b -> new WatermarkPayload(b).hex()), segDet, segments.size(), framesDetected, fpp,
                        bestScore, segments));
            }
            List<VideoDetection.VisibleLabelFinding> visible = new ArrayList<>();
            for (int i = 0; i < overlays.size(); i++) {
                if (seen[i] > 0) {
                    double stop = Double.isNaN(end[i]) || end[i] == 0 ? duration : end[i];
                    visible.add(new VideoDetection.VisibleLabelFinding(overlayNames.get(i), first[i], last[i],
                            Math.max(0, stop - first[i]), overlays.get(i).placement().heightRatio(), best[i], seen[i]));
                }
            }
            List<FrameCheckAggregator.Refinement> open = aggregator.uncertainEnds(duration, frameSeconds, MAX_REFINED_LABELS);
            if (!open.isEmpty()) {
                refineEnds(open);
            }
            FrameCheckAggregator.Result checked = aggregator.finish(duration, frameSeconds);
            return new VideoDetection(w, h, duration, input.frames(), sampled, wm, visible, aggregator.framesChecked(),
                    checked.appearances(), checked.summaries(), notes, checked.problems());
        }

        /**
         * Second pass over the start of the video: every frame between a label's last sighting and the sample
         * that missed it goes through the check that read it, until the first frame without it. Decoding stops
         * after the last window.
         */
        private void refineEnds(List<FrameCheckAggregator.Refinement> open) {
            double stop = open.stream().mapToDouble(r -> r.to).max().orElse(0);
            List<String> problems = new ArrayList<>();
            try (VideoInput again = new VideoInput(file)) {
                again.run((frame, pts, seconds) -> {
                    if (seconds >= stop - 1e-9 || open.stream().allMatch(FrameCheckAggregator.Refinement::done)) {
                        throw new PassDone();
                    }
                    BufferedImage image = null;
                    Map<EvidenceCheck, List<org.aigcmark.detection.Evidence>> found = new HashMap<>(); // one run per check
                    for (FrameCheckAggregator.Refinement r : open) {
                        if (r.wants(seconds)) {
                            image = image != null ? image : images.toImage(frame);
                            BufferedImage shown = image;
                            List<org.aigcmark.detection.Evidence> ev = found.computeIfAbsent(r.check, c -> {
                                try {
                                    return c.check(shown, problems);
                                } catch (org.aigcmark.AigcmarkException e) {
                                    problems.add(c.name() + ": " + e.getMessage());
                                    return null; // a failed frame says nothing about the label
                                }
                            });
                            if (ev != null) {
                                r.frame(seconds, ev);
                            }
                        }
                    }
                }, null);
            } catch (PassDone done) {
                // every window searched
            }
            open.forEach(FrameCheckAggregator.Refinement::apply);
            problems.stream().distinct().forEach(p -> notes.add("while narrowing a label's end: " + p));
        }

        private void sample(double seconds) {
            sampled++;
            visible(seconds);
            if (!canWatermark) {
                return;
            }
            int seg = (int) Math.floor(seconds / SEGMENT_SECONDS);
            if (seg != segIndex) {
                closeSegment();
                segIndex = seg;
                segSamples = 0;
                segDetected = false;
                segBest = Double.NEGATIVE_INFINITY;
                segPayload = null;
                java.util.Arrays.fill(sum, 0f);
            }
            for (int i = 0; i < w * h; i++) {
                sum[i] += luma[i] & 0xff;
            }
            segSamples++;
            if (!segDetected) {
                WatermarkDetection d = detectAny(luma);
                if (d != null && d.detected()) {
                    segDetected = true;
                    framesDetected++;
                }
            }
        }

        /** Tries every key; returns a detection when one decodes, else the strongest miss. */
        private WatermarkDetection detectAny(byte[] plane) {
            WatermarkDetection strongest = null;
            for (ImageWatermarker m : watermarkers) {
                WatermarkDetection d = m.detectLuma(plane, w, h, w);
                attempts++;
                bestScore = Math.max(bestScore, d.score());
                segBest = Math.max(segBest, d.score());
                if (d.detected()) {
                    long bits = d.payload().orElseThrow().bits();
                    payloadVotes.merge(bits, 1, Integer::sum);
                    minFpp = Math.min(minFpp, d.falsePositiveProbability());
                    segPayload = bits;
                    return d;
                }
                if (strongest == null || d.score() > strongest.score()) {
                    strongest = d;
                }
            }
            return strongest;
        }

        private void closeSegment() {
            if (segIndex < 0 || !canWatermark) {
                return;
            }
            if (!segDetected && segSamples > 1) {
                float inv = 1f / segSamples;
                for (int i = 0; i < w * h; i++) {
                    mean[i] = (byte) Math.round(sum[i] * inv);
                }
                WatermarkDetection d = detectAny(mean);
                segDetected = d != null && d.detected();
            }
            segments.add(new VideoDetection.Segment(segIndex * SEGMENT_SECONDS, segDetected, segBest));
            segIndex = -1;
        }

        private void visible(double seconds) {
            for (int i = 0; i < overlays.size(); i++) {
                double c = correlation(overlays.get(i));
                if (c >= VISIBLE_CORRELATION) {
                    if (seen[i] == 0) {
                        first[i] = seconds;
                    }
                    last[i] = seconds;
                    seen[i]++;
                    end[i] = 0;
                    best[i] = Math.max(best[i], c);
                } else if (seen[i] > 0 && end[i] == 0) {
                    end[i] = seconds;
                }
            }
        }

        private double correlation(YuvLabelOverlay o) {
            return plateCorrelation(o, luma, w);
        }
    }

    /**
     * Pearson correlation between the luma of a frame ({@code w} bytes per row) in the label box and the label
     * composited over mid-grey: the plate, outline and white glyphs give a strong pattern that unrelated content
     * does not follow.
     */
    static double plateCorrelation(YuvLabelOverlay o, byte[] luma, int w) {
        Rectangle b = o.box();
        org.aigcmark.visible.PlateCorrelation corr = new org.aigcmark.visible.PlateCorrelation();
        for (int y = 0; y < b.height; y += 1) {
            int row = (b.y + y) * w + b.x;
            for (int x = 0; x < b.width; x++) {
                int a = o.alphaAt(x, y);
                if (a == 0) {
                    continue;
                }
                double e = 128 + ((o.lumaAt(x, y) - 128) * a) / 256.0;
                double f = luma[row + x] & 0xff;
                corr.add(e, f);
            }
        }
        return corr.value();
    }
}
