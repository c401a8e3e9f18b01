package org.aigcmark.watermark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.*;
import org.aigcmark.key.WatermarkKey;

/**
 * QUICK's stages on an unmarked 1080p frame in the order the search runs them (WatermarkExtractor.search and
 * quickEstimated, then ImageWatermarker's cell layer), CPU ms of the calling thread; run with
 * {@code -Dstages=QuickStageTimes} by Stages.java; both quick lattices are tried unless {@code -Dgate=Z} is given.
 */
public final class QuickStageTimes {
    private final KeyedTile tile = new KeyedTile(WatermarkKey.fromPassphrase("jmh"));
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /** comb z a quick lattice needs before its try: -Dgate=4.0 for WatermarkExtractor.QUICK_COMB_GATE (since 2026-12-08) */
    private static final double GATE = Double.parseDouble(System.getProperty("gate", "0"));

    public LinkedHashMap<String, Double> run(int[] rgb, int w, int h) {
        LinkedHashMap<String, Double> t = new LinkedHashMap<>();
        PixelKernels k = PixelKernels.vector();
        long c = MX.getCurrentThreadCpuTime();
        WorkingImage wk = WorkingImage.build(w, h, (y, out) -> k.lumaRow(rgb, y * w, w, out), new float[w]);
        c = lap(t, "working", c);
        float[] white = wk.whitened();
        c = lap(t, "whiten", c);
        double idPeriod = KeyedTile.period(Math.min(w, h)) * wk.scale;
        Decoder dec = new Decoder(tile, white, wk.w, wk.h, true);
        double[] identity = {idPeriod, 0, 0, idPeriod};
        Decoder.Screened ids = dec.screenAllOrientations(identity);
        c = lap(t, "own.screen8", c);
        Decoder.Result best = dec.tryScreened(ids, false);
        c = lap(t, "own.decode", c);
        dec.tryWithoutReference(identity, ids.spectrum());
        c = lap(t, "own.payloadOnly", c);
        LatticeEstimator.Spectrum sp = LatticeEstimator.whitenedSpectrum(white, wk.w, wk.h, 8 * wk.scale, false);
        c = lap(t, "spectrum", c);
        List<LatticeEstimator.Scored> quick = new CombSearch(sp).searchQuick(idPeriod, WatermarkExtractor.FULL_TRIES);
        c = lap(t, "quickComb", c);
        for (LatticeEstimator.Scored s : quick) {
            if (s.z() < GATE) {
                break;
            }
            Decoder.Result r = dec.tryLattice(s.lattice(), false);
            best = r.z() > best.z() ? r : best;
        }
        c = lap(t, "tries" + quick.size(), c);
        best.rawData();
        c = lap(t, "bestEffortData", c);
        CellLayer.read(tile, w, h, wk, white);
        c = lap(t, "cellLayer", c);
        t.put("z" + String.format(Locale.ROOT, "%.2f", best.z()), 0.0);
        return t;
    }

    private static long lap(Map<String, Double> t, String name, long c0) {
        long c1 = MX.getCurrentThreadCpuTime();
        t.put(name, (c1 - c0) / 1e6);
        return c1;
    }
}
