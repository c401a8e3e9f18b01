package org.aigcmark.watermark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.*;
import org.aigcmark.key.WatermarkKey;

/** FULL's stages on an unmarked 1080p frame in the order the search runs them, CPU ms of the calling thread. */
public final class StageTimes {
    private final KeyedTile tile = new KeyedTile(WatermarkKey.fromPassphrase("jmh"));
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

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
        dec.tryScreened(ids, false);
        c = lap(t, "own.decode", c);
        dec.tryWithoutReference(identity, ids.spectrum());
        c = lap(t, "own.payloadOnly", c);
        LatticeEstimator.Spectrum sp = LatticeEstimator.whitenedSpectrum(white, wk.w, wk.h, 8 * wk.scale);
        c = lap(t, "spectrum", c);
        CombSearch comb = new CombSearch(sp);
        List<LatticeEstimator.Scored> pool = comb.search(idPeriod, WatermarkExtractor.COMB_CANDIDATES,
                WatermarkExtractor.COMB_CANDIDATES_PERIODIC, CombSearch.minScale(Math.min(wk.w, wk.h) / wk.scale));
        c = lap(t, "comb", c);
        List<Decoder.Screened> screened = new ArrayList<>();
        for (LatticeEstimator.Scored s : pool) {
            screened.add(dec.screen(s.lattice()));
        }
        c = lap(t, "screen" + pool.size(), c);
        List<Decoder.Screened> order = new ArrayList<>(screened);
        order.sort((x, y) -> Double.compare(y.z(), x.z()));
        dec.tryScreened(order.get(0), false);
        dec.tryScreened(order.get(1), false);
        c = lap(t, "tries2", c);
        Decoder.Result r = dec.tryScreened(order.get(0), true);
        c = lap(t, "refine", c);
        dec.tryWithoutReference(pool.get(0).lattice(), screened.get(0).spectrum());
        c = lap(t, "combPayloadOnly", c);
        CellLayer.read(tile, w, h, wk, white);
        c = lap(t, "cellLayer", c);
        t.put("z" + String.format(Locale.ROOT, "%.2f", order.get(0).z()), 0.0);
        return t;
    }

    private static long lap(Map<String, Double> t, String name, long c0) {
        long c1 = MX.getCurrentThreadCpuTime();
        t.put(name, (c1 - c0) / 1e6);
        return c1;
    }
}
