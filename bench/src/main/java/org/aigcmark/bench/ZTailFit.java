package org.aigcmark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The false-positive probability of the image watermark from the measured statistic: the detector's score on an image
 * without a mark for the key is the largest reference z over all the tests of its search, so its distribution is
 * fitted with a Gumbel law (the law of maxima) by the method of moments, and the fit gives P(score >= 6), the chance
 * that an unmarked image reaches the decode gate. A payload is reported only when the keyed CRC-32 also matches, so
 * the chance of a false detection is that times at most 8 decode attempts times 2^-32 (docs/WATERMARK.md).
 */
final class ZTailFit {
    static final double GATE = 6.0;
    static final double EULER_GAMMA = 0.5772156649015329;

    private ZTailFit() {}

    /** Gumbel location and scale, sample size, largest value and count at or above the gate. */
    record Fit(double mu, double beta, int n, double max, int atGate, double mean, double sd) {
        /** P(score >= z) under the fitted law. */
        double tail(double z) {
            return -Math.expm1(-Math.exp(-(z - mu) / beta));
        }
    }

    static Fit fit(List<Double> scores) {
        List<Double> v;
        synchronized (scores) {
            v = new ArrayList<>(scores);
        }
        int n = v.size();
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int atGate = 0;
        for (double z : v) {
            sum += z;
            max = Math.max(max, z);
            atGate += z >= GATE ? 1 : 0;
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double ss = 0;
        for (double z : v) {
            ss += (z - mean) * (z - mean);
        }
        double sd = n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1));
        double beta = sd * Math.sqrt(6) / Math.PI;
        return new Fit(mean - EULER_GAMMA * beta, beta, n, max, atGate, mean, sd);
    }

    /** Markdown section: the fit per set and pooled, P at the gate, and the resulting false-positive probability. */
    static String section(List<Double> unmarked, List<Double> wrongKey) {
        List<Double> pooled = new ArrayList<>();
        synchronized (unmarked) {
            pooled.addAll(unmarked);
        }
        synchronized (wrongKey) {
            pooled.addAll(wrongKey);
        }
        StringBuilder sb = new StringBuilder("\n## False-positive probability from the measured scores\n\n");
        sb.append("Score = the reference z the detector reports for an image without a mark for the key (the largest over")
                .append(" its search). Gumbel fit by moments; P(z >= 6) is the chance of reaching the decode gate; a false")
                .append(" detection also needs the keyed CRC-32 to match in one of at most 8 attempts: P(false positive)")
                .append(" = P(z >= 6) x 8 x 2^-32.\n\n");
        sb.append("| set | reads | mean z | sd | Gumbel mu | Gumbel beta | largest z | reads with z >= 6 | fitted P(z >= 6)"
                + " | P(false positive) per image |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Object[] row : new Object[][] {{"unmarked crops", unmarked}, {"wrong key", wrongKey}, {"pooled", pooled}}) {
            @SuppressWarnings("unchecked")
            Fit f = fit((List<Double>) row[1]);
            if (f.n() == 0) {
                continue;
            }
            double p = f.tail(GATE);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.2f | %d | %.2e | %.1e |%n", row[0],
                    f.n(), f.mean(), f.sd(), f.mu(), f.beta(), f.max(), f.atGate(), p, p * 8 * Math.pow(2, -32)));
        }
        return sb.toString();
    }
}
