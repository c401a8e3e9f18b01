package org.aigcmark.watermark;

import java.util.Optional;

/**
 * The result of looking for an aigcmark image watermark.
 *
 * @param detected                 true only when the payload was recovered exactly (CRC-32 verified)
 * @param payload                  the 64 data bits, present iff {@code detected}
 * @param score                    the synchronisation z-score (keyed reference correlation, ~N(0,1) per test on
 *                                 unmarked content); useful as a strength indicator
 * @param falsePositiveProbability the chance that an unmarked image gives this answer: at most 4 decode attempts x
 *                                 2^-32 (the keyed CRC) x the chance of reaching this score without a mark, the larger
 *                                 of the measured tail ({@link #unmarkedScoreTail}) and the Bonferroni bound over the
 *                                 tests made (see docs/WATERMARK.md); 1.0 when nothing was detected
 * @param scale                    estimated scale of the image relative to when it was marked (1 = unchanged)
 * @param rotationDegrees          estimated rotation of the image since it was marked
 * @param note                     a short human-readable explanation
 */
public record WatermarkDetection(boolean detected, Optional<WatermarkPayload> payload, double score,
        double falsePositiveProbability, double scale, double rotationDegrees, String note) {

    public WatermarkDetection {
        payload = payload == null ? Optional.empty() : payload;
        note = note == null ? "" : note;
    }

    /**
     * Gumbel law of the score on images without a mark for the key (the largest reference z of a full search): the
     * location fitted by moments to 345 scores that {@code aigcmark bench robustness --scores} measured (unmarked crops
     * and wrong-key reads), the scale widened from the moments fit's 0.20 to 0.29 so that the tail also matches the
     * heavier one seen elsewhere (3 of 400 unmarked images at z >= 6, a largest z of 7.08 in 10 000 crops); see
     * docs/WATERMARK.md, "False-positive probability, measured".
     */
    static final double UNMARKED_Z_MU = 4.57;
    static final double UNMARKED_Z_BETA = 0.29;

    /**
     * The measured chance that an image without a mark for the key scores at least {@code z}: the upper tail of the
     * Gumbel law fitted to the scores of unmarked images and wrong-key reads. At the decode gate z = 6 this is the
     * chance that an unmarked image even gets its payload checked.
     *
     * @param z a score as in {@link #score()}
     * @return a probability in [0, 1]
     */
    public static double unmarkedScoreTail(double z) {
        return -Math.expm1(-Math.exp(-(z - UNMARKED_Z_MU) / UNMARKED_Z_BETA));
    }

    /**
     * The measured chance that an image without a mark for the key reaches this result's score or more
     * ({@link #unmarkedScoreTail} of {@link #score()}): how unusual the score is, detected or not.
     *
     * @return a probability in [0, 1]
     */
    public double unmarkedScoreProbability() {
        return unmarkedScoreTail(score);
    }

    static WatermarkDetection none(double score, String note) {
        return new WatermarkDetection(false, Optional.empty(), score, 1.0, Double.NaN, Double.NaN, note);
    }
}
