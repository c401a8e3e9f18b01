package org.aigcmark.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.aigcmark.AigcmarkException;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.visible.VisibleLabelOptions;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkDetection;
import org.aigcmark.watermark.WatermarkOptions;

/**
 * What {@link VideoLabeler} must not stack or erase, watched in the frames its own pass decodes, before it draws on
 * them: a visible label like ours at the start (two plates would stack) and our mark under the labelling key (a
 * second embed erases the first). Labelling thus decodes the video once; before, a separate pass decoded the first
 * 4 s again and searched every sampled frame for the mark, which cost more than re-encoding those frames.
 *
 * <p>Frames are sampled every {@link #SAMPLE_SECONDS}. The mark is looked for once, in the average of the samples of
 * the first {@code markSeconds}, on a thread of its own while the pass goes on: the mark is the same in every frame
 * of a video we labelled, so their average carries it at least as strongly as any one frame while the content
 * averages away. Not thread-safe, except {@link #markFound()}.
 */
final class StartCheck {
    static final double SAMPLE_SECONDS = 0.25;
    /** Samples summed at most (a few seconds at one per {@link #SAMPLE_SECONDS} are 16-24). */
    static final int MAX_SAMPLES = 65535 / 255;

    private final int w;
    private final int h;
    private final List<YuvLabelOverlay> overlays = new ArrayList<>();
    private final List<String> overlayNames = new ArrayList<>();
    private final List<ImageWatermarker> watermarkers;
    private final double visibleSeconds;
    private final double markSeconds;
    private double nextSample;
    /** Per-pixel sums of the sampled luma: unsigned 16 bits hold {@link #MAX_SAMPLES} frames at half a float's memory. */
    private char[] sum;
    private int samples;
    private FutureTask<Optional<String>> markSearch;

    /**
     * @param templates the visible labels to refuse (any position); empty: none looked for
     * @param key the labelling key, whose mark must not be embedded twice; empty: none looked for
     */
    StartCheck(int width, int height, int rotationDegrees, List<VisibleLabelOptions> templates, Optional<WatermarkKey> key,
               double visibleSeconds, double markSeconds) {
        this.w = width;
        this.h = height;
        for (VisibleLabelOptions template : templates) {
            for (VisibleLabelOptions.Position p : VideoDetector.POSITIONS) {
                try {
                    overlays.add(YuvLabelOverlay.template(w, h, rotationDegrees, template.withPosition(p)));
                    overlayNames.add(p.name().toLowerCase(Locale.ROOT));
                } catch (AigcmarkException e) {
                    // frame too small for the label at this size: nothing to look for
                }
            }
        }
        boolean canMark = key.isPresent() && Math.min(w, h) >= ImageWatermarker.MIN_DETECT_SIDE;
        this.watermarkers = canMark ? List.of(ImageWatermarker.create(key.get(),
                // as the image labeller's check: the geometry the frames have (re-encoded, resized, turned), ~10 ms
                WatermarkOptions.defaults().withSearch(WatermarkOptions.Search.OWN_GEOMETRY)
                        // one search: the plain loops; AUTO would start compiling the vector ones for it
                        .withKernels(WatermarkOptions.Kernels.SCALAR))) : List.of();
        this.visibleSeconds = overlays.isEmpty() ? -1 : visibleSeconds;
        this.markSeconds = canMark ? markSeconds : -1;
        this.sum = canMark ? new char[w * h] : null;
    }

    /** Whether the frame at {@code seconds} is to be shown to {@link #frame} (its luma as decoded). */
    boolean wants(double seconds) {
        return seconds + 1e-9 >= nextSample && (seconds <= visibleSeconds || seconds < markSeconds || needsMarkSearch());
    }

    /**
     * Looks at one sampled frame's luma ({@code w} bytes per row), as decoded. Throws {@code INVALID_ARGUMENT} when
     * it shows our visible label (the message is the one labelling gives).
     */
    void frame(byte[] luma, double seconds, String fileName) {
        nextSample = (Math.floor(seconds / SAMPLE_SECONDS + 1e-9) + 1) * SAMPLE_SECONDS;
        if (seconds <= visibleSeconds) {
            for (int i = 0; i < overlays.size(); i++) {
                double c = VideoDetector.plateCorrelation(overlays.get(i), luma, w);
                if (c >= VideoDetector.VISIBLE_CORRELATION) {
                    throw AigcmarkException.invalid(fileName + " already shows a visible label drawn by aigcmark at its"
                            + " start (" + overlayNames.get(i) + String.format(Locale.ROOT, ", correlation %.2f", c)
                            + "); a second one would stack two labels. Label without --visible to replace only the"
                            + " metadata record, or add --visible-again (LabelRequest.withVisibleAgain) to draw another anyway");
                }
            }
        }
        if (seconds < markSeconds) {
            if (samples < MAX_SAMPLES) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += (char) (luma[i] & 0xff);
                }
                samples++;
            }
        } else if (needsMarkSearch()) {
            startMarkSearch();
        }
    }

    private boolean needsMarkSearch() {
        return sum != null && markSearch == null;
    }

    /** Starts the search for the mark in the average of the samples so far (once), on its own thread. */
    private void startMarkSearch() {
        if (!needsMarkSearch()) {
            return;
        }
        byte[] mean = new byte[w * h];
        if (samples > 0) {
            float inv = 1f / samples;
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (byte) Math.round(sum[i] * inv);
            }
        }
        sum = null;
        boolean any = samples > 0;
        markSearch = new FutureTask<>(() -> {
            if (!any) {
                return Optional.<String>empty();
            }
            for (ImageWatermarker m : watermarkers) {
                WatermarkDetection d = m.detectLuma(mean, w, h, w);
                if (d.detected()) {
                    return d.payload().map(org.aigcmark.watermark.WatermarkPayload::hex);
                }
            }
            return Optional.<String>empty();
        });
        Thread.ofPlatform().daemon().name("aigcmark-mark-check").start(markSearch);
    }

    /** The payload of our mark, when the search has finished and found it; never blocks. */
    Optional<String> markFound() {
        FutureTask<Optional<String>> s = markSearch;
        return s != null && s.isDone() ? result(s) : Optional.empty();
    }

    /** At the end of the pass: the payload of our mark in the video, searching now when the video was too short. */
    Optional<String> awaitMark() {
        startMarkSearch();
        return markSearch == null ? Optional.empty() : result(markSearch);
    }

    private static Optional<String> result(FutureTask<Optional<String>> s) {
        try {
            return s.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "interrupted while looking for an existing watermark");
        } catch (ExecutionException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "looking for an existing watermark failed: "
                    + e.getCause(), e.getCause());
        }
    }
}
