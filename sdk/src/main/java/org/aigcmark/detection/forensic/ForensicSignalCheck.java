package org.aigcmark.detection.forensic;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.Evidence;
import org.aigcmark.detection.EvidenceCheck;

/**
 * Weight-free forensic signals as WEAK evidence (pure Java, no model): for now the upsampling-peak signal
 * ({@link UpsamplingPeaks}). Quiet below its threshold, which is calibrated so the project's real photos never
 * trip it; above it, it reports "resampled", which generated and upscaled images often are and which a resized
 * real photo can be too, so it never decides a verdict.
 */
public final class ForensicSignalCheck implements EvidenceCheck {
    private final double threshold;

    private ForensicSignalCheck(double threshold) {
        this.threshold = threshold;
    }

    /** The check at {@link UpsamplingPeaks#DEFAULT_THRESHOLD}, calibrated on the project's real photos. */
    public static ForensicSignalCheck standard() {
        return new ForensicSignalCheck(UpsamplingPeaks.DEFAULT_THRESHOLD);
    }

    /**
     * The check at another score threshold (the peak's power over the spectrum's median).
     *
     * @throws AigcmarkException with {@link AigcmarkException.Reason#INVALID_ARGUMENT} unless {@code threshold} &gt; 1
     */
    public static ForensicSignalCheck withThreshold(double threshold) {
        if (!(threshold > 1)) {
            throw AigcmarkException.invalid("threshold must be > 1, got " + threshold);
        }
        return new ForensicSignalCheck(threshold);
    }

    @Override
    public String name() {
        return "forensic-upsampling";
    }

    @Override
    public List<Evidence> check(BufferedImage image, List<String> problems) {
        if (image.getWidth() < UpsamplingPeaks.MIN_SIDE || image.getHeight() < UpsamplingPeaks.MIN_SIDE) {
            return List.of();
        }
        UpsamplingPeaks.Result r = UpsamplingPeaks.measure(image);
        if (r.score() < threshold) {
            return List.of();
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("score", Math.round(r.score() * 10) / 10.0);
        d.put("threshold", threshold);
        d.put("axis", r.axis());
        d.put("periodPixels", Math.round(r.period() * 1000) / 1000.0);
        d.put("caveat", "periodic interpolation traces mean the pixels were resampled (generator upsampling, AI "
                + "upscalers, or an ordinary resize); not proof of generation");
        return List.of(new Evidence("pixels:forensic", Evidence.Kind.UPSAMPLING_PEAKS, Evidence.Strength.WEAK,
                String.format(Locale.ROOT, "periodic resampling trace (period %.2f px along %s, %.0fx the spectrum's floor) - weak evidence, not proof",
                        r.period(), r.axis(), r.score()), d));
    }
}
