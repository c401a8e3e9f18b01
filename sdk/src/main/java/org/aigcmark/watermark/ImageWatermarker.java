package org.aigcmark.watermark;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import org.aigcmark.AigcmarkException;
import org.aigcmark.key.WatermarkKey;

/**
 * Keyed, blind, invisible image watermark carrying 64 bits.
 *
 * <p>Design (details and numbers in docs/WATERMARK.md): the mark is a 128x128 keyed tile defined in the Fourier
 * domain (a mid-frequency annulus: a quarter of the bins carry a keyed reference with random phases for
 * synchronisation, the rest carry the payload as BPSK phases: 64 data bits + keyed CRC-32, rate 1/3 K=7
 * convolutional code). The tile is repeated over the luma of the image with a period of a quarter of the short
 * side, weighted by a texture mask. The detector resamples luma so the short side is 512, whitens it, estimates
 * the repetition lattice (identity first, then from the autocorrelation, which reveals scale, rotation and
 * aspect), folds the image onto one tile, finds the translation and the orientation by correlating with the
 * keyed reference, and Viterbi-decodes the payload. It reports a payload only when the CRC matches.
 *
 * <p>This class checks arguments and adapts images; the work is done by {@link WatermarkEmbedder} and
 * {@link WatermarkExtractor}, which share the key's {@link KeyedTile}.
 *
 * <p>Instances are immutable and thread-safe; create one per key and reuse it.
 */
public final class ImageWatermarker {
    /** Shortest side accepted by embed. */
    public static final int MIN_EMBED_SIDE = 256;
    /** Shortest side below which detect answers "too small". */
    public static final int MIN_DETECT_SIDE = 128;

    private final PixelKernels kernels;
    private final WatermarkEmbedder embedder;
    private final WatermarkExtractor extractor;
    /** {@link #extractor} that also reports the best-effort data of a search that finds nothing ({@link #analyzeRgb}) */
    private final WatermarkExtractor diagnostics;
    private final KeyedTile tile;
    private final WatermarkOptions.Search search;

    private ImageWatermarker(WatermarkKey key, WatermarkOptions options) {
        this.kernels = switch (options.kernels()) {
            case SCALAR -> PixelKernels.scalar();
            case VECTOR -> PixelKernels.vector();
            case AUTO -> TieredPixelKernels.get();
            case NATIVE -> PixelKernels.nativeKernels();
        };
        this.tile = new KeyedTile(key);
        this.search = options.search();
        this.embedder = new WatermarkEmbedder(tile, kernels, options.strength());
        this.extractor = new WatermarkExtractor(tile, kernels, options.search());
        this.diagnostics = new WatermarkExtractor(tile, kernels, options.search(), true);
    }

    /** A watermarker for {@code key} with the default strength and the full detection search. */
    public static ImageWatermarker create(WatermarkKey key) {
        return create(key, WatermarkOptions.defaults());
    }

    /**
     * A watermarker for {@code key} with these options (strength, detection search). Immutable and thread-safe.
     * A null key is {@code KEY_INVALID}.
     */
    public static ImageWatermarker create(WatermarkKey key, WatermarkOptions options) {
        if (key == null) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "a watermark key is required");
        }
        return new ImageWatermarker(key, options == null ? WatermarkOptions.defaults() : options);
    }

    /**
     * Starts getting the {@link WatermarkOptions.Kernels#AUTO} kernels' Vector API loops compiled now, in a daemon
     * thread, instead of once a process has marked more than one large image: for a long-running process's start-up
     * ({@code Labeler.warmUp()}). Returns at once; harmless to call again.
     */
    public static void startKernelWarmUp() {
        TieredPixelKernels.startWarmUpNow();
    }

    /** Which pixel-loop implementation this instance uses ("scalar", "vector(...)" or, for AUTO, "auto(...)"). */
    public String kernelName() {
        return kernels.name();
    }

    // -------------------------------------------------------------------------------------------------- embed

    /** Embeds in place into any RGB/ARGB/grey image. */
    public void embed(BufferedImage img, WatermarkPayload payload) {
        int w = img.getWidth();
        int h = img.getHeight();
        checkEmbedSize(w, h);
        int[] direct = packedPixels(img);
        if (direct != null) {
            embedRgb(direct, w, h, payload);
            return;
        }
        GreyPlane grey = GreyPlane.of(img);
        if (grey != null) {
            // a grey PNG or JPEG: its samples are the luma (getRGB would read them as linear light, see GreyPlane)
            embedder.embedLuma(grey.data(), w, h, grey.stride(), payload.bits());
            return;
        }
        InterleavedBytes bytes = InterleavedBytes.of(img);
        if (bytes != null) {
            // JPEG and PNG decode to interleaved bytes: embedded a packed row at a time, straight from and to the array
            embedder.embedInterleaved(bytes, w, h, payload.bits());
            return;
        }
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        embedRgb(px, w, h, payload);
        img.setRGB(0, 0, w, h, px, 0, w);
    }

    /** Embeds in place into packed 0xAARRGGBB pixels (row-major, no padding). */
    public void embedRgb(int[] packedRgb, int width, int height, WatermarkPayload payload) {
        checkArray(packedRgb.length, width, height, width, 4);
        checkEmbedSize(width, height);
        embedder.embedRgb(packedRgb, width, height, payload.bits());
    }

    /** Embeds in place into an 8-bit luma plane (e.g. the Y of a YUV frame). */
    public void embedLuma(byte[] y, int width, int height, int stride, WatermarkPayload payload) {
        checkArray(y.length, width, height, stride, 1);
        checkEmbedSize(width, height);
        embedder.embedLuma(y, width, height, stride, payload.bits());
    }

    // ------------------------------------------------------------------------------------------------- detect

    /**
     * Searches {@code img} for this key's mark (its own geometry in any orientation, then, with the quick search, crops,
     * borders and small rotations, with the full search also aspect changes, larger rotations and their combinations). An image whose shorter side is under the minimum gives a not-detected result saying so.
     */
    public WatermarkDetection detect(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        if (Math.min(w, h) < MIN_DETECT_SIDE) {
            return tooSmall(w, h);
        }
        int[] direct = packedPixels(img);
        if (direct != null) {
            return detectRgb(direct, w, h);
        }
        GreyPlane grey = GreyPlane.of(img);
        if (grey != null) {
            return detectLuma(grey.data(), w, h, grey.stride());
        }
        return orLaterLayers(extractor.analyzeImage(img), w, h, imageRows(img)).detection();
    }

    /** As {@link #detect(BufferedImage)}, on packed 0xRRGGBB pixels, row by row ({@code width * height} of them). */
    public WatermarkDetection detectRgb(int[] packedRgb, int width, int height) {
        checkArray(packedRgb.length, width, height, width, 4);
        if (Math.min(width, height) < MIN_DETECT_SIDE) {
            return tooSmall(width, height);
        }
        return orLaterLayers(extractor.analyzeRgb(packedRgb, width, height), width, height,
                (y, out) -> kernels.lumaRow(packedRgb, y * width, width, out)).detection();
    }

    /** As {@link #detect(BufferedImage)}, on an 8-bit luma plane whose rows start {@code stride} bytes apart (video frames). */
    public WatermarkDetection detectLuma(byte[] y, int width, int height, int stride) {
        checkArray(y.length, width, height, stride, 1);
        if (Math.min(width, height) < MIN_DETECT_SIDE) {
            return tooSmall(width, height);
        }
        return orLaterLayers(extractor.analyzeLuma(y, width, height, stride), width, height,
                lumaRows(y, width, stride)).detection();
    }

    /**
     * Detection plus diagnostics for benchmarks: {@code bestEffortData} holds the data bits the decoder read for
     * the best synchronisation it found, even when the CRC rejected them (so bit accuracy can be measured).
     */
    public record Analysis(WatermarkDetection detection, long bestEffortData) {}

    /** Like {@link #detectRgb}, with diagnostics. */
    public Analysis analyzeRgb(int[] packedRgb, int width, int height) {
        checkArray(packedRgb.length, width, height, width, 4);
        if (Math.min(width, height) < MIN_DETECT_SIDE) {
            return new Analysis(tooSmall(width, height), 0);
        }
        return orLaterLayers(diagnostics.analyzeRgb(packedRgb, width, height), width, height,
                (y, out) -> kernels.lumaRow(packedRgb, y * width, width, out));
    }

    /**
     * When the plain search found nothing (full and quick searches only): the keyed cell layer, which survives the
     * single-image estimation attack ({@link CellLayer}), then, on images under 510 px, the period of marks made
     * before 2026-12 ({@link #legacyPeriod}), then (deep search only) pasted copies, small crops and perspective ({@link GeometricSearch}).
     */
    private Analysis orLaterLayers(WatermarkExtractor.Extracted plainSearch, int w, int h,
            WatermarkExtractor.LumaRows rows) {
        Analysis plain = plainSearch.analysis();
        if (plain.detection().detected() || search == WatermarkOptions.Search.OWN_GEOMETRY) {
            return plain;
        }
        WatermarkDetection cells = CellLayer.read(tile, w, h, plainSearch.working(), plainSearch.white());
        if (cells != null) {
            return new Analysis(cells, cells.payload().orElseThrow().bits());
        }
        int old = legacyPeriod(Math.min(w, h));
        if (old != KeyedTile.period(Math.min(w, h))) {
            // the same working image searched at the old period (WatermarkExtractor.analyzeAgain)
            WatermarkDetection d = extractor.analyzeAgain(plainSearch, old).detection();
            if (d.detected()) {
                WatermarkDetection legacy = new WatermarkDetection(true, d.payload(), d.score(),
                        Math.min(1.0, 2 * d.falsePositiveProbability()), d.scale(), d.rotationDegrees(),
                        d.note() + "; in the layout of marks made before 2026-12 (period " + old + " px)");
                return new Analysis(legacy, legacy.payload().orElseThrow().bits());
            }
        }
        if (search == WatermarkOptions.Search.DEEP) {
            // pasted small into a larger picture, or a small crop: periods outside the lattice search's range
            WatermarkDetection geometric = GeometricSearch.read(tile, w, h, rows);
            if (geometric != null) {
                return new Analysis(geometric, geometric.payload().orElseThrow().bits());
            }
        }
        return plain;
    }

    /** The repetition period of marks made before 2026-12 (96 px at least; 128 px since). */
    static int legacyPeriod(int shortSide) {
        return Math.max(96, Math.round(shortSide * (float) KeyedTile.TILE / KeyedTile.WORK));
    }

    private WatermarkExtractor.LumaRows imageRows(BufferedImage img) {
        int w = img.getWidth();
        int[] row = new int[w];
        InterleavedBytes bytes = InterleavedBytes.of(img);
        if (bytes != null) {
            return (y, out) -> {
                bytes.readRow(y, row, 0);
                kernels.lumaRow(row, 0, w, out);
            };
        }
        return (y, out) -> {
            img.getRGB(0, y, w, 1, row, 0, w);
            kernels.lumaRow(row, 0, w, out);
        };
    }

    private static WatermarkExtractor.LumaRows lumaRows(byte[] y, int width, int stride) {
        return (row, out) -> {
            int off = row * stride;
            for (int x = 0; x < width; x++) {
                out[x] = y[off + x] & 0xff;
            }
        };
    }

    // ------------------------------------------------------------------------------------------------- checks

    /** The image's own packed ARGB array when it is one unpadded int buffer (worked on in place), else null. */
    private static int[] packedPixels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        if ((img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB)
                && img.getRaster().getDataBuffer() instanceof DataBufferInt db
                && img.getRaster().getSampleModelTranslateX() == 0 && img.getRaster().getSampleModelTranslateY() == 0
                && db.getNumBanks() == 1 && db.getOffset() == 0 && db.getData().length == w * h) {
            return db.getData();
        }
        return null;
    }

    private static void checkEmbedSize(int w, int h) {
        if (Math.min(w, h) < MIN_EMBED_SIDE) {
            throw new AigcmarkException(AigcmarkException.Reason.CAPACITY_EXCEEDED, "image " + w + "x" + h
                    + " is too small to carry a watermark (both sides must be at least " + MIN_EMBED_SIDE + " px)");
        }
    }

    private static void checkArray(int length, int w, int h, int stride, int channels) {
        if (w <= 0 || h <= 0 || stride < w || (long) stride * (h - 1) + w > length) {
            throw AigcmarkException.invalid("pixel buffer of " + length + " elements does not hold a " + w + "x" + h
                    + " image with stride " + stride + (channels > 1 ? " (packed ARGB)" : ""));
        }
    }

    private static WatermarkDetection tooSmall(int w, int h) {
        return WatermarkDetection.none(0, "image " + w + "x" + h + " is too small to carry a watermark (shorter side"
                + " below " + MIN_DETECT_SIDE + " px)");
    }

    /**
     * The byte plane of an 8-bit grey image (what ImageIO returns for a grey PNG or JPEG), else null. Java gives such an
     * image a linear grey colour space, so getRGB/setRGB convert every sample as linear light (26 reads as 90, and a
     * step of 1 near white becomes 2 on the way back): the mark must be added to the samples themselves.
     */
    record GreyPlane(byte[] data, int stride) {
        static GreyPlane of(BufferedImage img) {
            if (img.getType() != BufferedImage.TYPE_BYTE_GRAY) {
                return null;
            }
            java.awt.image.WritableRaster r = img.getRaster();
            if (!(r.getDataBuffer() instanceof java.awt.image.DataBufferByte db) || db.getNumBanks() != 1
                    || db.getOffset() != 0 || r.getSampleModelTranslateX() != 0 || r.getSampleModelTranslateY() != 0
                    || !(r.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm)
                    || sm.getPixelStride() != 1) {
                return null;
            }
            int stride = sm.getScanlineStride();
            if ((long) stride * (img.getHeight() - 1) + img.getWidth() > db.getData().length) {
                return null;
            }
            return new GreyPlane(db.getData(), stride);
        }
    }
}
