package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** When the AUTO kernels start compiling their Vector API loops: not for one image, but for a process that marks more. */
class TieredPixelKernelsTest {
    private static boolean vectorApiPresent() {
        return PixelKernels.vector() != PixelKernels.scalar();
    }

    @Test
    void theWarmUpWaitsForMoreThanOneImagesRowCalls() {
        assumeTrue(vectorApiPresent(), "the Vector API module is not on this JVM");
        TieredPixelKernels k = new TieredPixelKernels();
        int[] px = new int[64];
        float[] out = new float[64];
        // an 8K image's full label makes 16 671 row calls: less than the threshold, so one image starts nothing
        for (int i = 0; i < TieredPixelKernels.SCALAR_CALLS_BEFORE_WARM_UP; i++) {
            k.lumaRow(px, 0, 64, out);
        }
        assertEquals(TieredPixelKernels.SCALAR_CALLS_BEFORE_WARM_UP, k.scalarCalls());
        assertFalse(k.warmUpStarted());
        assertTrue(k.name().startsWith("auto(scalar until"), k.name());
        k.lumaRow(px, 0, 64, out);
        assertTrue(k.warmUpStarted());
    }

    @Test
    void aStartUpCanStartItAtOnce() {
        assumeTrue(vectorApiPresent(), "the Vector API module is not on this JVM");
        TieredPixelKernels k = new TieredPixelKernels();
        assertFalse(k.warmUpStarted());
        k.startWarmUpEarly();
        assertTrue(k.warmUpStarted());
        assertEquals(0, k.scalarCalls());
    }
}
