package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Allocations;
import org.junit.jupiter.api.Test;

class StartCheckTest {
    /** The mark check sums its samples in 16 bits a pixel (was a float: 8 MB at 1080p, 33 MB at 4K, for the pass). */
    @Test
    void markSamplesAreSummedInTwoBytesAPixel() {
        WatermarkKey key = WatermarkKey.fromPassphrase("start check");
        allocatedFor(1920, 1080, key); // classes loaded, caches filled
        // what grows with the frame: the sums (and the key's per-size state, if any)
        long perPixel = (allocatedFor(1920, 1080, key) - allocatedFor(960, 540, key)) / (1920 * 1080 - 960 * 540);
        assertTrue(perPixel < 3, "the start check allocates " + perPixel + " bytes a pixel");
    }

    private static long allocatedFor(int w, int h, WatermarkKey key) {
        return Allocations.allocated(() -> new StartCheck(w, h, 0, List.of(), Optional.of(key), 3, 6));
    }
}
