package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.aigcmark.watermark.WatermarkOptions.Kernels;
import org.junit.jupiter.api.Test;

/** The file pipeline's choice of watermark kernels, and the property that fixes it (the launcher's cache training). */
class EmbedKernelsTest {
    @Test
    void propertyFixesTheKernelsWhateverTheLength() {
        String before = System.getProperty(VideoLabeler.KERNELS_PROPERTY);
        try {
            System.setProperty(VideoLabeler.KERNELS_PROPERTY, "vector");
            assertEquals(Kernels.VECTOR, VideoLabeler.embedKernels(1));
            System.setProperty(VideoLabeler.KERNELS_PROPERTY, "scalar");
            assertEquals(Kernels.SCALAR, VideoLabeler.embedKernels(100 * VideoLabeler.VECTOR_PAYBACK_FRAMES));
            System.clearProperty(VideoLabeler.KERNELS_PROPERTY);
            // unset: a video long enough to repay the vector kernels' compilation takes them from its first frame
            assertEquals(Kernels.VECTOR, VideoLabeler.embedKernels(VideoLabeler.VECTOR_PAYBACK_FRAMES));
        } finally {
            if (before == null) {
                System.clearProperty(VideoLabeler.KERNELS_PROPERTY);
            } else {
                System.setProperty(VideoLabeler.KERNELS_PROPERTY, before);
            }
        }
    }
}
