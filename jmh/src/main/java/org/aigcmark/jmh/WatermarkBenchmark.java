package org.aigcmark.jmh;

import java.util.concurrent.TimeUnit;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkDetection;
import org.aigcmark.watermark.WatermarkOptions;
import org.aigcmark.watermark.WatermarkPayload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Image watermark embed/detect, single thread, per kernel path and frame size. Embedding goes into the same
 * reused frame buffer each time (the video use case); {@code embedLuma} marks the Y plane of the same frame, as the
 * video pipeline does. Run:
 * {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar Watermark -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class WatermarkBenchmark {
    @Param({"1920x1080", "3840x2160"})
    public String size;

    @Param({"SCALAR", "VECTOR", "NATIVE"})
    public String kernels;

    /**
     * Frame buffers that {@code embed} rotates through: 1 keeps a 1080p frame in the cache between calls; 8 makes each
     * call meet a frame fresh from memory, as frames from a decoder are.
     */
    @Param({"1"})
    public int buffers;

    private ImageWatermarker wm;
    private ImageWatermarker quick;
    private WatermarkPayload payload;
    private int[] frame;
    private int[][] frames;
    private int next;
    private int[] unmarked;
    private int[] marked;
    private byte[] luma;
    private int w;
    private int h;

    @Setup
    public void setup() {
        String[] p = size.split("x");
        w = Integer.parseInt(p[0]);
        h = Integer.parseInt(p[1]);
        wm = ImageWatermarker.create(WatermarkKey.fromPassphrase("jmh"),
                WatermarkOptions.defaults().withKernels(WatermarkOptions.Kernels.valueOf(kernels)));
        payload = new WatermarkPayload(0x0123_4567_89ab_cdefL);
        frame = new int[w * h];
        java.util.Random r = new java.util.Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 50 + 140.0 * y / h + 20 * Math.sin(x * 0.05) * Math.cos(y * 0.031)
                        + (x > w / 2 ? 15 * Math.sin(x * 0.9 + y * 0.4) : 0) + r.nextGaussian() * 3;
                int g = (int) Math.max(0, Math.min(255, v));
                frame[y * w + x] = 0xff000000 | (Math.min(255, g + 10) << 16) | (g << 8) | (int) (g * 0.8);
            }
        }
        unmarked = frame.clone();
        frames = new int[Math.max(1, buffers)][];
        frames[0] = frame;
        for (int i = 1; i < frames.length; i++) {
            frames[i] = frame.clone();
        }
        quick = ImageWatermarker.create(WatermarkKey.fromPassphrase("jmh"), WatermarkOptions.defaults()
                .withKernels(WatermarkOptions.Kernels.valueOf(kernels)).withSearch(WatermarkOptions.Search.QUICK));
        luma = new byte[w * h];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = (byte) (frame[i] >> 8); // the green channel: the frame's grey level
        }
        marked = frame.clone();
        wm.embedRgb(marked, w, h, payload);
        if (!wm.detectRgb(marked, w, h).detected()) {
            throw new IllegalStateException("benchmark frame does not round-trip");
        }
    }

    @Benchmark
    public int[] embed() {
        int[] f = frames[next];
        next = (next + 1) % frames.length;
        wm.embedRgb(f, w, h, payload);
        return f;
    }

    @Benchmark
    public byte[] embedLuma() {
        wm.embedLuma(luma, w, h, w, payload);
        return luma;
    }

    @Benchmark
    public WatermarkDetection detect() {
        return wm.detectRgb(marked, w, h);
    }

    /** An unmarked frame with the default (FULL) search: the identity test, then the whole blind search. */
    @Benchmark
    public WatermarkDetection detectUnmarked() {
        return wm.detectRgb(unmarked, w, h);
    }

    /** An unmarked frame with the QUICK search (any orientation, crops, borders, small rotations), for screening. */
    @Benchmark
    public WatermarkDetection detectUnmarkedQuick() {
        return quick.detectRgb(unmarked, w, h);
    }
}
