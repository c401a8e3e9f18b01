package org.aigcmark.watermark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.*;
import org.aigcmark.key.WatermarkKey;

/** FULL's stages one by one on a 1080p luma plane, CPU ns of the calling thread each (tools harness, not shipped). */
public final class StageTimes {
    private final KeyedTile tile = new KeyedTile(WatermarkKey.fromPassphrase("jmh"));
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** stage names and CPU ms, the same order every call */
    public LinkedHashMap<String, Double> run(int[] rgb, int w, int h) {
        LinkedHashMap<String, Double> t = new LinkedHashMap<>();
        PixelKernels k = PixelKernels.vector();
        long c = MX.getCurrentThreadCpuTime();
        WorkingImage wk = WorkingImage.build(w, h, (y, out) -> k.lumaRow(rgb, y * w, w, out), new float[w]);
        float[] white = wk.whitened();
        c = lap(t, "working image + whitening", c);
        double idPeriod = KeyedTile.period(Math.min(w, h)) * wk.scale;
        Decoder dec = new Decoder(tile, white, wk.w, wk.h, true);
        double[] identity = {idPeriod, 0, 0, idPeriod};
        Decoder.Screened ids = dec.screenAllOrientations(identity);
        dec.tryScreened(ids, false);
        dec.tryWithoutReference(identity, ids.spectrum());
        c = lap(t, "own geometry", c);
        LatticeEstimator.Spectrum sp = LatticeEstimator.whitenedSpectrum(white, wk.w, wk.h, 8 * wk.scale);
        c = lap(t, "lattice spectrum", c);
        CombSearch comb = new CombSearch(sp);
        List<LatticeEstimator.Scored> pool = comb.search(idPeriod, WatermarkExtractor.COMB_CANDIDATES);
        c = lap(t, "comb search", c);
        AutocorrelationPeaks.Map map = AutocorrelationPeaks.autocorrelation(sp);
        c = lap(t, "autocorrelation transform", c);
        List<double[]> peaks = AutocorrelationPeaks.fromMap(map, WatermarkExtractor.MAX_LATTICE_CANDIDATES, 8 * wk.scale);
        c = lap(t, "autocorrelation peaks", c);
        List<Decoder.Screened> screened = new ArrayList<>();
        for (LatticeEstimator.Scored s : pool) {
            screened.add(dec.screen(s.lattice()));
        }
        c = lap(t, "screening of the comb's " + pool.size(), c);
        screened.sort((x, y) -> Double.compare(y.z(), x.z()));
        dec.tryScreened(screened.get(0), false);
        dec.tryScreened(screened.get(1), false);
        c = lap(t, "2 tries", c);
        Decoder.Result r = dec.tryScreened(screened.get(0), true);
        c = lap(t, "refinement (forced)", c);
        t.put("(peaks: " + peaks.size() + ", refined z " + String.format(Locale.ROOT, "%.2f", r.z()) + ")", 0.0);
        return t;
    }

    private static long lap(Map<String, Double> t, String name, long c0) {
        long c1 = MX.getCurrentThreadCpuTime();
        t.put(name, (c1 - c0) / 1e6);
        return c1;
    }
}
