package org.aigcmark.watermark;

import org.aigcmark.AigcmarkException;

/**
 * Tuning of the image watermark.
 *
 * @param strength embedding strength multiplier (1.0 = default, tuned for mean PSNR about 43 dB on photos);
 *                 between 0.25 and 4
 * @param kernels  which pixel-loop implementation to use
 */
public record WatermarkOptions(double strength, Kernels kernels) {
    /** Pixel-loop implementation choice. */
    public enum Kernels {
        /** Vector API when the {@code jdk.incubator.vector} module is present, scalar otherwise. */
        AUTO,
        /** Plain Java loops. */
        SCALAR,
        /** Vector API; falls back to scalar (logged once) when the module is absent. */
        VECTOR,
        /** C kernels from the optional native-bindings jar; falls back to AUTO (logged once) when not loadable. */
        NATIVE
    }

    public WatermarkOptions {
        if (!(strength >= 0.25 && strength <= 4.0)) {
            throw AigcmarkException.invalid("watermark strength must be between 0.25 and 4, got " + strength);
        }
        if (kernels == null) {
            kernels = Kernels.AUTO;
        }
    }

    public static WatermarkOptions defaults() {
        return new WatermarkOptions(1.0, Kernels.AUTO);
    }

    public WatermarkOptions withKernels(Kernels k) {
        return new WatermarkOptions(strength, k);
    }

    public WatermarkOptions withStrength(double s) {
        return new WatermarkOptions(s, kernels);
    }
}
