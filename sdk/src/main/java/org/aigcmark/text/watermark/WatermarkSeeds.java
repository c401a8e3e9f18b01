package org.aigcmark.text.watermark;

import org.aigcmark.key.WatermarkKey;

/** The keyed context seed shared by the generator and the detector. */
final class WatermarkSeeds {
    final long k0;
    final long k1;
    final int width;

    WatermarkSeeds(WatermarkKey key, WatermarkConfig config) {
        byte[] sub = key.derive(config.scheme().keyPurpose());
        this.k0 = KeyedHash.le64(sub, 0);
        this.k1 = KeyedHash.le64(sub, 8);
        this.width = config.contextWidth();
    }

    /** The seed of the context that ends just before position {@code end} ({@code end >= width}). */
    long seed(int[] tokens, int end) {
        return KeyedHash.sipHash24(k0, k1, tokens, end - width, width);
    }
}
