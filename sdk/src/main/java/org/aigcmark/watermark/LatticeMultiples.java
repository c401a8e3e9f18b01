package org.aigcmark.watermark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lattices beyond the comb's range, derived from the lattices it found (docs/WATERMARK.md, "Strips, small crops and
 * keystones in the full search"): a strip of a third of the height or a crop to 10 % of the area keeps a period about
 * 3x the one its shorter side implies, past the comb's x2.7. That lattice's lines at even tile frequencies are those
 * of the lattice of half its period, inside the range, which the comb ranks among its best (comb z 6-13 on the
 * table's strips). The x2 multiples of the comb's best and of the next distinct points of its ranking are scored by the
 * comb (at most {@value #ROOTS} evaluations against the search's ~4 000); only one whose comb z beats its root's and
 * reaches {@link #COMB_GATE} is refined and screened, and only one whose keyed screening reaches {@link #TRY_Z} is
 * tried. Runs after the full search found nothing, so it changes no earlier result.
 */
final class LatticeMultiples {
    /** comb lattices whose multiples are scored: its best (refined) and the next distinct grid points */
    static final int ROOTS = 12;
    /**
     * multiples of a comb lattice tried: x2 shares the most lines with its root (a quarter of the band). x3 added one
     * 10 % crop of the 33 photos (26 instead of 25) for 1-2 % more FULL cost on every unmarked 1080p image (each comb
     * evaluation of a multiple is ~20 us of cache misses)
     */
    private static final int[] MULTIPLES = {2};
    /** comb z a multiple needs (and more than its root's) before it is refined and screened */
    static final double COMB_GATE = 5.0;
    /** upright keyed z a screened multiple needs before its decode (as {@link GeometricSearch#TRY_Z}) */
    static final double TRY_Z = 5.0;
    /** screened multiples tried: a try and its refinement, each one decode attempt */
    static final int TRIES = 1;
    /** decode attempts this stage adds to the false-positive bound */
    static final int DECODE_ATTEMPTS = 2 * TRIES;

    private LatticeMultiples() {}

    /**
     * The best decode from the multiples of {@code roots} whose period exceeds {@code maxPeriod} working px, or null
     * when none was tried.
     */
    static Decoder.Result read(Decoder dec, CombSearch comb, List<LatticeEstimator.Scored> pool, double maxPeriod) {
        // the comb's best (refined) and the next distinct grid points it ranked (a weak mark's fraction lattice is
        // not always among the best 4)
        List<LatticeEstimator.Scored> roots = new ArrayList<>(pool);
        for (LatticeEstimator.Scored c : comb.ranked()) {
            if (roots.size() >= ROOTS) {
                break;
            }
            if (LatticeEstimator.isNew(roots, c.lattice())) {
                roots.add(c);
            }
        }
        List<LatticeEstimator.Scored> found = new ArrayList<>();
        for (LatticeEstimator.Scored root : roots) {
            for (int m : MULTIPLES) {
                double[] lat = root.lattice().clone();
                for (int i = 0; i < 4; i++) {
                    lat[i] *= m;
                }
                if (period(lat) <= maxPeriod || !LatticeEstimator.isNew(found, lat)) {
                    continue;
                }
                double z = comb.z(lat);
                if (WatermarkExtractor.DEBUG) {
                    System.err.println("  multiple x" + m + " " + Arrays.toString(lat) + " comb z=" + z
                            + " root " + root.z());
                }
                if (z >= COMB_GATE && z > root.z()) {
                    found.add(comb.refine(lat, z));
                }
            }
        }
        found.sort((x, y) -> Double.compare(y.z(), x.z()));
        List<Decoder.Screened> screened = new ArrayList<>();
        for (LatticeEstimator.Scored c : found) {
            Decoder.Screened s = dec.screen(c.lattice());
            if (WatermarkExtractor.DEBUG) {
                System.err.println("  multiple refined " + Arrays.toString(c.lattice()) + " comb z=" + c.z()
                        + " screen z=" + s.z());
            }
            screened.add(s);
        }
        screened.sort((x, y) -> Double.compare(y.z(), x.z()));
        Decoder.Result best = null;
        for (Decoder.Screened s : screened.subList(0, Math.min(TRIES, screened.size()))) {
            if (s.z() < TRY_Z) {
                break;
            }
            Decoder.Result r = dec.tryScreened(s, true);
            if (best == null || r.decoded() || r.z() > best.z()) {
                best = r;
            }
            if (r.decoded()) {
                break;
            }
        }
        return best;
    }

    private static double period(double[] lat) {
        return Math.sqrt(Math.abs(lat[0] * lat[3] - lat[1] * lat[2]));
    }
}
