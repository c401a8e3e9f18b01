package org.aigcmark.watermark;

import java.util.Optional;

/**
 * Reads the keyed cell layer (layout 2, {@link KeyedTile#cellGain}): the whitened working image multiplied by the keyed
 * sign of the period each pixel lies in, then folded and decoded like the plain mark on the image's own geometry
 * (upright). The plain fold sees the mean of the cells; this fold sees their keyed difference, which the single-image
 * estimation attack (average the image over its period, subtract) cannot remove: the estimate is the same in every
 * period, and the signs of any 2x2 periods sum to zero (docs/WATERMARK.md, "Estimation from one image").
 */
final class CellLayer {
    /** Decode attempts this layer adds (reference-synchronised and payload-only), for the false-positive bound. */
    static final int DECODE_ATTEMPTS = 2;

    private CellLayer() {}

    /**
     * The detection from the cell layer, or null when it decodes nothing: {@code wk} is the working image of the
     * {@code width x height} image and {@code white} its whitened plane (as the plain search made them; only read).
     */
    static WatermarkDetection read(KeyedTile tile, int width, int height, WorkingImage wk, float[] white) {
        int period = KeyedTile.period(Math.min(width, height));
        // working pixel x is original pixel (x + ox + 0.5) / scale - 0.5 (WorkingImage centres a capped long side)
        int ox = ((int) Math.round(width * wk.scale) - wk.w) / 2;
        int oy = ((int) Math.round(height * wk.scale) - wk.h) / 2;
        // a row crosses a few periods: the sign is looked up once per run of pixels in the same period, not per
        // pixel (this runs on every image the plain search finds nothing in)
        int[] runStart = new int[wk.w + 1];
        int[] runCell = new int[wk.w];
        int runs = 0;
        for (int x = 0; x < wk.w; x++) {
            int cell = (int) Math.floor(((x + ox + 0.5) / wk.scale - 0.5) / period);
            if (runs == 0 || cell != runCell[runs - 1]) {
                runStart[runs] = x;
                runCell[runs++] = cell;
            }
        }
        runStart[runs] = wk.w;
        float[] signed = new float[white.length];
        for (int y = 0; y < wk.h; y++) {
            int cellY = (int) Math.floor(((y + oy + 0.5) / wk.scale - 0.5) / period);
            int o = y * wk.w;
            for (int r = 0; r < runs; r++) {
                float sign = tile.cellSign(runCell[r], cellY);
                for (int x = o + runStart[r], end = o + runStart[r + 1]; x < end; x++) {
                    signed[x] = sign * white[x];
                }
            }
        }
        Decoder dec = new Decoder(tile, signed, wk.w, wk.h, false);
        double idPeriod = period * wk.scale;
        double[] identity = {idPeriod, 0, 0, idPeriod};
        Decoder.Screened screened = dec.screen(identity);
        Decoder.Result r = dec.tryScreened(screened, false);
        boolean withoutReference = false;
        if (!r.decoded()) {
            r = dec.tryWithoutReference(identity, screened.spectrum());
            withoutReference = true;
        }
        if (!r.decoded()) {
            return null;
        }
        double reach = Math.max(WatermarkDetection.unmarkedScoreTail(r.z()),
                Math.min(1.0, dec.tests() * WatermarkExtractor.normalTail(r.z())));
        double fpp = (Decoder.MAX_DECODE_ATTEMPTS + DECODE_ATTEMPTS) * Math.pow(2, -KeyedTile.CRC_BITS) * reach;
        return new WatermarkDetection(true, Optional.of(new WatermarkPayload(r.data())), r.z(), fpp, 1.0, 0.0,
                "aigcmark watermark found in its keyed cell layer" + (withoutReference ? " (payload alone)" : "")
                        + ": the mark's mean over its period is missing, as after an estimation attack (the image"
                        + " averaged over its period and the estimate subtracted)");
    }
}
