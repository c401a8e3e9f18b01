package org.aigcmark.text.watermark;

/** Exact tail probabilities used by the detector (no normal approximation in the tail that decides). */
final class Statistics {
    private Statistics() {}

    /** ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15). */
    static double lnGamma(double x) {
        final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
        }
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** P(X >= k) for X ~ Binomial(n, p), summed exactly in log space. */
    static double binomialUpperTail(int k, int n, double p) {
        if (k <= 0) {
            return 1.0;
        }
        if (k > n) {
            return 0.0;
        }
        double logPmf = lnGamma(n + 1.0) - lnGamma(k + 1.0) - lnGamma(n - k + 1.0)
                + k * Math.log(p) + (n - k) * Math.log1p(-p);
        double ratio = p / (1 - p);
        double sum = 0;
        double term = 1.0; // relative to pmf(k)
        for (int j = k; j <= n; j++) {
            sum += term;
            term *= (double) (n - j) / (j + 1) * ratio;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return Math.min(1.0, Math.exp(logPmf + Math.log(sum)));
    }

    /** Q(a, x) = P(G >= x) for G ~ Gamma(a, 1): the regularised upper incomplete gamma function. */
    static double gammaUpperTail(double a, double x) {
        if (x <= 0) {
            return 1.0;
        }
        double lnPre = -x + a * Math.log(x) - lnGamma(a);
        if (x < a + 1) {
            // Series for P(a, x), then Q = 1 - P.
            double ap = a;
            double sum = 1.0 / a;
            double del = sum;
            for (int n = 0; n < 100_000; n++) {
                ap += 1;
                del *= x / ap;
                sum += del;
                if (Math.abs(del) < Math.abs(sum) * 1e-16) {
                    break;
                }
            }
            return Math.max(0.0, 1.0 - Math.exp(lnPre) * sum);
        }
        // Continued fraction (modified Lentz) for Q(a, x).
        double b = x + 1 - a;
        double c = 1.0 / 1e-300;
        double d = 1.0 / b;
        double h = d;
        for (int i = 1; i < 100_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < 1e-300) {
                d = 1e-300;
            }
            c = b + an / c;
            if (Math.abs(c) < 1e-300) {
                c = 1e-300;
            }
            d = 1.0 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1.0) < 1e-16) {
                break;
            }
        }
        return Math.min(1.0, Math.exp(lnPre) * h);
    }
}
