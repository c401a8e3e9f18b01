package org.aigcmark.watermark;

import java.util.Optional;

/**
 * The result of looking for an aigcmark image watermark.
 *
 * @param detected                 true only when the payload was recovered exactly (CRC-32 verified)
 * @param payload                  the 64 data bits, present iff {@code detected}
 * @param score                    the synchronisation z-score (keyed reference correlation, ~N(0,1) per test on
 *                                 unmarked content); useful as a strength indicator
 * @param falsePositiveProbability upper bound on the chance that an unmarked image gives this answer (see
 *                                 docs/WATERMARK.md); 1.0 when nothing was detected
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

    static WatermarkDetection none(double score, String note) {
        return new WatermarkDetection(false, Optional.empty(), score, 1.0, Double.NaN, Double.NaN, note);
    }
}
