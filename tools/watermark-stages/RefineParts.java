package org.aigcmark.watermark;

import java.lang.management.*;
import java.util.*;
import org.aigcmark.key.WatermarkKey;

/** Refinement cost on noise lattices whose best try reaches z >= 5 (what triggers it on unmarked images). */
public final class RefineParts {
    public static void main(String[] a) throws Exception {
        KeyedTile tile = new KeyedTile(WatermarkKey.fromPassphrase("jmh"));
        int w = 910, h = 512;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int cases = Integer.parseInt(a[0]);
        List<Double> times = new ArrayList<>();
        StringBuilder zs = new StringBuilder();
        int found = 0;
        // the whitened plane of a real photo, so the noise is an image's, then lattices at random
        float[] white = new float[w * h];
        Random r = new Random(11);
        for (int i = 0; i < white.length; i++) white[i] = (float) Math.max(-3, Math.min(3, r.nextGaussian()));
        Decoder dec = new Decoder(tile, white, w, h, true);
        for (int k = 0; found < cases && k < 2000; k++) {
            double[] lat = CombSearch.lattice(120 + 20 * r.nextDouble(), Math.toRadians(-30 + 60 * r.nextDouble()), 1, 1);
            Decoder.Screened s = dec.screenAllOrientations(lat);
            if (s.z() < Decoder.REFINE_Z) continue;
            found++;
            // warm once, then time 3 and keep the median
            dec.tryScreened(dec.screenAllOrientations(lat), true);
            double[] t = new double[3];
            Decoder.Result res = null;
            for (int i = 0; i < 3; i++) {
                Decoder.Screened s2 = dec.screenAllOrientations(lat);
                long c0 = mx.getCurrentThreadCpuTime();
                res = dec.tryScreened(s2, true);
                t[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            }
            Arrays.sort(t);
            times.add(t[1]);
            zs.append(String.format(Locale.ROOT, "%.2f>%.2f ", s.z(), res.z()));
        }
        Collections.sort(times);
        double sum = 0; for (double x : times) sum += x;
        System.out.printf(Locale.ROOT, "cases %d  refinement CPU ms: median %.1f mean %.1f  z: %s%n", times.size(), times.get(times.size() / 2), sum / times.size(), zs);
    }
}
