package org.aigcmark.text.watermark;

import org.aigcmark.AigcmarkException;

/**
 * The watermark parameters. The detector must use the same scheme, gamma and context width as the generator;
 * delta only affects generation.
 *
 * @param scheme        KGW or GUMBEL
 * @param gamma         KGW green fraction, in (0, 1); default 0.25
 * @param delta         KGW logit bias added to green tokens; default 2.0
 * @param contextWidth  how many previous tokens seed the green list / uniforms (h); default 1 for KGW (robust to
 *                      edits), 4 for GUMBEL (fewer repeated contexts, which that scheme cannot watermark)
 * @param minTokens     fewer scored (distinct) tokens than this gives "insufficient text"; default 32
 * @param falsePositiveRate the per-document false-positive rate the detector guarantees after the Bonferroni
 *                      correction over every window it scores; default 1e-5
 */
public record WatermarkConfig(WatermarkScheme scheme, double gamma, double delta, int contextWidth, int minTokens,
                              double falsePositiveRate) {
    public static final WatermarkConfig KGW_DEFAULT = new WatermarkConfig(WatermarkScheme.KGW, 0.25, 2.0, 1, 32, 1e-5);
    public static final WatermarkConfig GUMBEL_DEFAULT = new WatermarkConfig(WatermarkScheme.GUMBEL, 0.25, 0.0, 4, 32, 1e-5);

    public WatermarkConfig {
        if (scheme == null) {
            throw AigcmarkException.invalid("watermark scheme must be given");
        }
        if (!(gamma > 0 && gamma < 1)) {
            throw AigcmarkException.invalid("gamma must be in (0, 1), got " + gamma);
        }
        if (!(delta >= 0 && delta <= 20)) {
            throw AigcmarkException.invalid("delta must be in [0, 20], got " + delta);
        }
        if (contextWidth < 1 || contextWidth > 16) {
            throw AigcmarkException.invalid("context width must be 1..16, got " + contextWidth);
        }
        if (minTokens < 1) {
            throw AigcmarkException.invalid("minTokens must be positive, got " + minTokens);
        }
        if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
            throw AigcmarkException.invalid("false-positive rate must be in (0, 1), got " + falsePositiveRate);
        }
    }

    /** The default parameters of {@code scheme}: {@link #KGW_DEFAULT} for KGW, {@link #GUMBEL_DEFAULT} otherwise. */
    public static WatermarkConfig of(WatermarkScheme scheme) {
        return scheme == WatermarkScheme.KGW ? KGW_DEFAULT : GUMBEL_DEFAULT;
    }

    /**
     * A copy with another KGW logit bias.
     *
     * @throws AigcmarkException with {@link AigcmarkException.Reason#INVALID_ARGUMENT} unless 0 &lt;= {@code d} &lt;=
     *     20
     */
    public WatermarkConfig withDelta(double d) {
        return new WatermarkConfig(scheme, gamma, d, contextWidth, minTokens, falsePositiveRate);
    }

    /**
     * A copy with another KGW green fraction; the detector must use the same.
     *
     * @throws AigcmarkException with {@link AigcmarkException.Reason#INVALID_ARGUMENT} unless 0 &lt; {@code g} &lt; 1
     */
    public WatermarkConfig withGamma(double g) {
        return new WatermarkConfig(scheme, g, delta, contextWidth, minTokens, falsePositiveRate);
    }

    /**
     * A copy seeded by {@code h} previous tokens; the detector must use the same.
     *
     * @throws AigcmarkException with {@link AigcmarkException.Reason#INVALID_ARGUMENT} unless 1 &lt;= {@code h} &lt;=
     *     16
     */
    public WatermarkConfig withContextWidth(int h) {
        return new WatermarkConfig(scheme, gamma, delta, h, minTokens, falsePositiveRate);
    }
}
