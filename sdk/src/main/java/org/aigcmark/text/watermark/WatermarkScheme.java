package org.aigcmark.text.watermark;

/** The generation-time text watermark algorithms. */
public enum WatermarkScheme {
    /**
     * Kirchenbauer et al. (KGW, 2023): a keyed green list of a fraction gamma of the vocabulary per context; delta is
     * added to green logits. Detection: a one-proportion test on the green count (exact binomial tail).
     */
    KGW("text-kgw/v1"),
    /**
     * Aaronson's exponential-minimum (Gumbel-max) sampling: the token maximising {@code u_t^(1/p_t)} with keyed
     * uniforms u_t. Distortion-free per step (the output distribution equals the model's). Detection: the sum of
     * {@code -ln(1 - u_t)} over tokens, Gamma(n, 1) when not watermarked.
     */
    GUMBEL("text-gumbel/v1");

    private final String keyPurpose;

    WatermarkScheme(String keyPurpose) {
        this.keyPurpose = keyPurpose;
    }

    /** The {@link org.aigcmark.key.WatermarkKey#derive} purpose string of this scheme's sub-key. */
    public String keyPurpose() {
        return keyPurpose;
    }
}
