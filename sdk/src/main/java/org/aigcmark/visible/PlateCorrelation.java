package org.aigcmark.visible;

/**
 * Pearson correlation between our rendered plate (expected luma) and the pixels where it would sit: the plate,
 * outline and white glyphs make a strong pattern that unrelated content does not follow. Shared by the image
 * relabel check ({@link VisibleLabelFinder}) and the video start-label check, so both decide alike.
 */
public final class PlateCorrelation {
    /** Fewer paired samples than this say nothing: {@link #value()} is then 0. */
    private static final int MIN_SAMPLES = 16;

    private double sx;
    private double sy;
    private double sxx;
    private double syy;
    private double sxy;
    private int n;

    /** Adds one pixel: {@code expected} from the rendered plate, {@code seen} from the image, both luma 0..255. */
    public void add(double expected, double seen) {
        sx += expected;
        sy += seen;
        sxx += expected * expected;
        syy += seen * seen;
        sxy += expected * seen;
        n++;
    }

    /** The correlation in [-1, 1]; 0 for too few samples or a flat side. */
    public double value() {
        if (n < MIN_SAMPLES) {
            return 0;
        }
        double cov = sxy - sx * sy / n;
        double vx = sxx - sx * sx / n;
        double vy = syy - sy * sy / n;
        return vx <= 0 || vy <= 0 ? 0 : cov / Math.sqrt(vx * vy);
    }
}
