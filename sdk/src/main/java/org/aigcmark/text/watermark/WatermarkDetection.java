package org.aigcmark.text.watermark;

/**
 * What the detector found.
 *
 * @param status          DETECTED, NOT_DETECTED or INSUFFICIENT_TEXT (fewer scored tokens than the minimum)
 * @param scheme          the scheme tested
 * @param z               standardised score of the strongest window (KGW: green-count z; GUMBEL: (S - n)/sqrt(n))
 * @param pValue          the corrected p-value (weighted Bonferroni over the document test and all windows, see
 *                        {@link WatermarkDetector}): the chance that unwatermarked text scores this well anywhere
 * @param documentZ       z over all scored tokens of the document
 * @param documentPValue  exact tail probability over all scored tokens (one test, uncorrected)
 * @param tokens          tokens given to the detector
 * @param tokensScored    distinct (context, token) pairs scored; repeats are scored once
 * @param windowsTested   tests made: the whole document plus every sliding window
 * @param windowStart     first token index of the strongest window (into the token sequence)
 * @param windowEnd       one past the last token index of the strongest window
 * @param greenFraction   KGW: green share in the strongest window; GUMBEL: mean score there (1.0 when unmarked)
 * @param threshold       the per-document false-positive rate the decision was made at
 */
public record WatermarkDetection(Status status, WatermarkScheme scheme, double z, double pValue, double documentZ,
                                 double documentPValue, int tokens, int tokensScored, int windowsTested,
                                 int windowStart, int windowEnd, double greenFraction, double threshold) {
    /** The decision: marked, not marked at the configured false-positive rate, or too few scored tokens to test. */
    public enum Status { DETECTED, NOT_DETECTED, INSUFFICIENT_TEXT }

    /** Whether the status is {@link Status#DETECTED}. */
    public boolean detected() {
        return status == Status.DETECTED;
    }
}
