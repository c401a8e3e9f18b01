package org.aigcmark.detect.model;

import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;

/**
 * Turns many scores into one: faces in an image (the most suspicious face counts: {@link #max}), frames in a video
 * ({@link #topMean}: the mean of the k highest frame scores, so one noisy frame cannot decide, yet a swap shown in
 * a few frames still counts; the DFDC winner used a similar "confident" average over 32 frames).
 */
public final class ScoreAggregation {
    private ScoreAggregation() {
    }

    /**
     * The highest score, 0 for an empty list.
     *
     * @throws AigcmarkException with {@link org.aigcmark.AigcmarkException.Reason#INVALID_ARGUMENT} when a score is
     *     null or outside 0..1
     */
    public static double max(List<Double> scores) {
        return checked(scores).stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** Mean of the {@code k} highest scores (all of them when there are fewer). */
    public static double topMean(List<Double> scores, int k) {
        if (k < 1) {
            throw AigcmarkException.invalid("k must be >= 1, got " + k);
        }
        double[] s = checked(scores).stream().mapToDouble(Double::doubleValue).toArray();
        if (s.length == 0) {
            return 0;
        }
        Arrays.sort(s);
        int n = Math.min(k, s.length);
        double sum = 0;
        for (int i = s.length - n; i < s.length; i++) {
            sum += s[i];
        }
        return sum / n;
    }

    private static List<Double> checked(List<Double> scores) {
        for (Double d : scores) {
            if (d == null || !(d >= 0 && d <= 1)) {
                throw AigcmarkException.invalid("scores must be in 0..1, got " + d);
            }
        }
        return scores;
    }
}
