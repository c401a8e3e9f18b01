package org.aigcmark.watermark;

/**
 * The {@link WatermarkOptions.Kernels#AUTO} kernels: the scalar loops until the Vector API ones are compiled, then
 * those. Until the JIT has compiled them, Vector API kernels run with every vector a heap object, 5-20x slower than
 * the scalar loops (a process's first 1080p label spent 2.4 s of CPU in them against 0.4 s scalar, issue 19). The
 * first use starts one daemon thread that runs the vector kernels on small rows until they are compiled; calls made
 * meanwhile take the scalar loops. Both give bit-identical results ({@link PixelKernels}), so which one a call takes,
 * even a switch in the middle of an image, changes no pixel.
 *
 * <p>The warm-up starts only once the scalar loops have served {@link #SCALAR_CALLS_BEFORE_WARM_UP} row calls (more
 * than one image's check and embed, even an 8K one), or when {@link ImageWatermarker#startKernelWarmUp()} asks (a long-running process's
 * start-up, {@code Labeler.warmUp()}): a process that marks one image, the CLI's {@code label}, never uses the
 * compiled vector kernels, and their warm-up cost it 0.6-1 s of CPU beside a 1.2 s label (the thread itself and the
 * JIT's compilations of the vector code; issue 19, docs/BENCHMARKS.md "label-first").
 */
final class TieredPixelKernels extends PixelKernels {
    /** Calls per kernel in the warm-up: past the JIT's C2 thresholds (Tier4InvocationThreshold 5000, with loops). */
    private static final int WARM_CALLS = 20_000;
    /**
     * Scalar row calls before the warm-up starts by itself: more than one image's, whatever its size (a full label
     * of a 1080p JPEG makes 3 662, of a 4K one 8 074, of an 8K one 16 671), about five 1080p ones.
     */
    static final int SCALAR_CALLS_BEFORE_WARM_UP = 20_000;
    private static final TieredPixelKernels INSTANCE = new TieredPixelKernels();

    private final PixelKernels scalar = PixelKernels.scalar();
    private final PixelKernels vector = PixelKernels.vector();
    private volatile boolean vectorWarm;
    private volatile boolean started;
    /** Scalar row calls so far; racy on purpose (a lost count only delays the warm-up a little). */
    private int scalarCalls;

    /** One per process ({@link #get()}); tests make their own. */
    TieredPixelKernels() {}

    /** The shared instance, or the scalar kernels when the Vector API is absent. */
    static PixelKernels get() {
        return INSTANCE.vector == INSTANCE.scalar ? INSTANCE.scalar : INSTANCE;
    }

    private PixelKernels active() {
        if (vectorWarm) {
            return vector;
        }
        if (!started && ++scalarCalls > SCALAR_CALLS_BEFORE_WARM_UP) {
            startWarmUp();
        }
        return scalar;
    }

    /** Row calls served by the scalar loops so far (tests). */
    int scalarCalls() {
        return scalarCalls;
    }

    /** Whether the vector warm-up has started. */
    boolean warmUpStarted() {
        return started;
    }

    /** Starts the shared instance's vector warm-up now ({@link ImageWatermarker#startKernelWarmUp()}). */
    static void startWarmUpNow() {
        INSTANCE.startWarmUpEarly();
    }

    /** Starts the vector kernels' warm-up now, if the Vector API is there and it has not started. */
    void startWarmUpEarly() {
        if (vector != scalar && !started) {
            startWarmUp();
        }
    }

    private synchronized void startWarmUp() {
        if (started) {
            return;
        }
        started = true;
        Thread t = new Thread(() -> {
            try {
                warm(vector);
            } finally {
                vectorWarm = true;
            }
        }, "aigcmark-vector-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Runs every kernel on small synthetic rows, {@link #WARM_CALLS} times each. */
    static void warm(PixelKernels k) {
        int w = 64;
        int[] px = new int[w];
        byte[] luma = new byte[2 * w];
        float[] f = new float[w];
        float[] gain = new float[w];
        float[] pattern = new float[w + WatermarkEmbedder.PATTERN_PAD];
        float[] fx = new float[w];
        int blocks = w / WatermarkEmbedder.BLOCK;
        int[] act = new int[3 * blocks];
        int[] mean = new int[3 * blocks];
        int[] cnt = new int[3 * blocks];
        float[] g = new float[3 * blocks];
        float[] smooth = new float[3 * blocks];
        float[] smoothRow = new float[w];
        byte[] bgr = new byte[3 * w];
        for (int i = 0; i < w; i++) {
            px[i] = 0xFF000000 | (i * 3) << 16 | (i * 2) << 8 | i;
            bgr[3 * i] = (byte) i;
            bgr[3 * i + 1] = (byte) (i * 2);
            bgr[3 * i + 2] = (byte) (i * 3);
            gain[i] = 0.5f + i / 128f;
            fx[i] = (i % 8) / 8f;
        }
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (i % 7) - 3;
        }
        java.util.Arrays.fill(cnt, 4);
        for (int n = 0; n < WARM_CALLS; n++) {
            k.embedRowRgb(px, 0, w, gain, pattern, 0, w);
            k.lumaRow(px, 0, w, f);
            k.embedRowLuma(luma, 0, w, gain, pattern, 0, w);
            k.luma8Row(px, 0, w, luma, 0);
            k.blockSumsLuma(luma, 0, w, blocks, act, mean, 0);
            k.blockGains(act, mean, cnt, g, 0, g.length);
            k.interpolateGainRow(f, blocks, fx, gain, w);
            k.smoothInterior(g, blocks, blocks + 1, 2 * blocks - 1, 1.3, smooth);
            k.smoothRaisedRow(gain, 0, w, 0.6f, f, smoothRow);
            k.embedRowBgr(bgr, 0, w, gain, pattern, 0, w);
            k.luma8RowBgr(bgr, 0, w, luma, 0);
            k.lumaRowBgr(bgr, 0, w, f);
        }
    }

    @Override
    String name() {
        return "auto(" + (vectorWarm ? vector.name() : "scalar until " + vector.name() + " is compiled") + ")";
    }

    @Override
    void embedRowRgb(int[] px, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        active().embedRowRgb(px, off, width, gain, pattern, patternRow, period);
    }

    @Override
    void lumaRow(int[] px, int off, int width, float[] out) {
        active().lumaRow(px, off, width, out);
    }

    @Override
    void embedRowBgr(byte[] data, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        active().embedRowBgr(data, off, width, gain, pattern, patternRow, period);
    }

    @Override
    void luma8RowBgr(byte[] data, int off, int width, byte[] out, int outOff) {
        active().luma8RowBgr(data, off, width, out, outOff);
    }

    @Override
    void lumaRowBgr(byte[] data, int off, int width, float[] out) {
        active().lumaRowBgr(data, off, width, out);
    }

    @Override
    void embedRowLuma(byte[] y, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        active().embedRowLuma(y, off, width, gain, pattern, patternRow, period);
    }

    @Override
    void interpolateGainRow(float[] colA, int blocks, float[] fx, float[] out, int width) {
        active().interpolateGainRow(colA, blocks, fx, out, width);
    }

    @Override
    void luma8Row(int[] px, int off, int width, byte[] out, int outOff) {
        active().luma8Row(px, off, width, out, outOff);
    }

    @Override
    void blockSumsLuma(byte[] y, int row, int rowBelow, int blocks, int[] act, int[] mean, int at) {
        active().blockSumsLuma(y, row, rowBelow, blocks, act, mean, at);
    }

    @Override
    void blockGains(int[] act, int[] mean, int[] cnt, float[] g, int from, int to) {
        active().blockGains(act, mean, cnt, g, from, to);
    }

    @Override
    void smoothRaisedRow(float[] g, int row, int bw, float floor, float[] raised, float[] out) {
        active().smoothRaisedRow(g, row, bw, floor, raised, out);
    }

    @Override
    void smoothInterior(float[] g, int bw, int from, int to, double halfAlpha, float[] out) {
        active().smoothInterior(g, bw, from, to, halfAlpha, out);
    }
}
