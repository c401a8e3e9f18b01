package org.aigcmark.watermark;

import org.aigcmark.AigcmarkException;

/**
 * Tuning of the image watermark.
 *
 * @param strength embedding strength multiplier (1.0 = default, tuned for mean PSNR about 43 dB on photos);
 *                 between 0.25 and 4
 * @param kernels  which pixel-loop implementation to use
 * @param search   how hard detection looks for a mark whose geometry changed
 */
public record WatermarkOptions(double strength, Kernels kernels, Search search) {
    /** Detection effort. */
    public enum Search {
        /**
         * Untouched geometry first, then blind re-synchronisation by the comb over the lattice's spectral lines: crops
         * at any offset, rotations (any angle with the orientation search), aspect changes, borders and copies pasted at
         * half size or more, and crops combined with small rotations (docs/WATERMARK.md "Detection", "Stages of the
         * full search").
         */
        FULL,
        /**
         * {@link #FULL} with the autocorrelation lattices added to the comb's (any affine geometry with a clear mark,
         * shears included), then, where it found nothing, a geometric last resort ({@code GeometricSearch}): a copy pasted
         * at 0.4-0.8x into a larger picture, small crops and strips (down to a tenth of the area) and perspective
         * warps up to about 8 %. It costs two to three times FULL on an unmarked image (docs/WATERMARK.md), so it is
         * for forensic examination of single files, not for screening at volume.
         */
        DEEP,
        /**
         * The image's own geometry in every orientation (90-degree turns, mirror images), then a comb search over one
         * geometric change at a time: crops and added borders (the period x0.8 .. x2 relative to the shorter side) or a
         * rotation up to 5 degrees, its lattices tried where it sees the mark's lines (comb z 4 or more). About 17-23 ms
         * of one core per unmarked 1080p image (docs/WATERMARK.md); misses aspect changes, larger
         * rotations and crops combined with a rotation, which FULL finds. For high-volume screening.
         */
        QUICK,
        /**
         * Only the geometry the image has, in every orientation: re-encoding, resizing, filtering, colour changes,
         * crops that keep the shorter side, 90-degree turns and mirror images, about 10 ms per 1080p image. What the
         * labeller uses to see whether a file it labelled before already carries the mark.
         */
        OWN_GEOMETRY;

        /**
         * The search a command line or a service names {@code full}, {@code quick}, {@code own} or {@code deep} (any
         * case), or empty
         * for any other name: the one spelling the CLI, the service and the distributed engines share.
         */
        public static java.util.Optional<Search> byName(String name) {
            return switch (name == null ? "" : name.toLowerCase(java.util.Locale.ROOT)) {
                case "full" -> java.util.Optional.of(FULL);
                case "quick" -> java.util.Optional.of(QUICK);
                case "own" -> java.util.Optional.of(OWN_GEOMETRY);
                case "deep" -> java.util.Optional.of(DEEP);
                default -> java.util.Optional.empty();
            };
        }
    }

    /** Pixel-loop implementation choice. */
    public enum Kernels {
        /**
         * Vector API when the {@code jdk.incubator.vector} module is present, scalar otherwise; the scalar loops also
         * serve while the vector ones are being compiled, the first seconds of a process (bit-identical results).
         */
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
        if (search == null) {
            search = Search.FULL;
        }
    }

    /** Options with the {@link Search#FULL} detection search. */
    public WatermarkOptions(double strength, Kernels kernels) {
        this(strength, kernels, Search.FULL);
    }

    /** Strength 1.0, {@link Kernels#AUTO}, {@link Search#FULL}. */
    public static WatermarkOptions defaults() {
        return new WatermarkOptions(1.0, Kernels.AUTO, Search.FULL);
    }

    /** A copy with another pixel-loop implementation; null means {@link Kernels#AUTO}. */
    public WatermarkOptions withKernels(Kernels k) {
        return new WatermarkOptions(strength, k, search);
    }

    /**
     * A copy with another strength.
     *
     * @throws AigcmarkException with {@link AigcmarkException.Reason#INVALID_ARGUMENT} unless 0.25 &lt;= {@code s}
     *     &lt;= 4
     */
    public WatermarkOptions withStrength(double s) {
        return new WatermarkOptions(s, kernels, search);
    }

    /** A copy with another detection effort; null means {@link Search#FULL}. */
    public WatermarkOptions withSearch(Search s) {
        return new WatermarkOptions(strength, kernels, s);
    }
}
