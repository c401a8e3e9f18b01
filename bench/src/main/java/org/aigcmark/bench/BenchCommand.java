package org.aigcmark.bench;

import org.aigcmark.ExitCodes;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.aigcmark.AigcmarkException;
import org.aigcmark.bench.text.TextBenchCommand;
import org.aigcmark.bench.video.VideoRobustnessCommand;
import org.aigcmark.bench.video.VideoSpeedCommand;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkDetection;
import org.aigcmark.watermark.WatermarkOptions;
import org.aigcmark.watermark.WatermarkPayload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark bench ...}: speed and robustness measurements, attacks and evaluations (not part of the unit tests,
 * nor of the product jars).
 */
@Command(name = "aigcmark bench", mixinStandardHelpOptions = true, version = "aigcmark-bench 0.1.0",
        description = "Benchmarks: watermark speed per code path, watermark robustness and averaging-attack tables,"
                + " detection throughput, the text watermark on the built-in model, video speed and robustness, the service under load, the audio rhythm cue.",
        subcommands = {BenchCommand.WatermarkSpeed.class, WatermarkRobustnessCommand.class,
                WatermarkCollusionCommand.class, DetectBenchCommand.class, TextBenchCommand.class,
                VideoSpeedCommand.class, VideoRobustnessCommand.class, ServeBenchCommand.class, LabelBenchCommand.class, OcrBenchCommand.class,
                org.aigcmark.bench.audio.AudioCueBenchCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok",
                "1:internal error",
                "2:usage error (bad option)",
                "3:input unreadable, corrupt, unsupported or over a limit",
                "4:output not writable"})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Warm median embed/detect time per frame for each kernel path. */
    @Command(name = "watermark", mixinStandardHelpOptions = true,
            description = "Prints warm median embed and detect milliseconds per frame, single thread, per code path"
                    + " (scalar, vector). Use JMH (docs/WATERMARK.md) for publishable numbers.")
    static final class WatermarkSpeed implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--size", defaultValue = "1920x1080", paramLabel = "WxH", converter = FrameSize.Converter.class,
                description = "The frame size (default ${DEFAULT-VALUE}).")
        FrameSize size;

        @Option(names = "--iterations", defaultValue = "30", description = "Timed iterations per code path (default ${DEFAULT-VALUE}).")
        int iterations;

        @Override
        public Integer call() {
            int w = size.width();
            int h = size.height();
            if (w < ImageWatermarker.MIN_EMBED_SIDE || h < ImageWatermarker.MIN_EMBED_SIDE || size.pixels() > 64_000_000L) {
                throw AigcmarkException.invalid("--size must be between 256x256 and 64 megapixels");
            }
            if (iterations < 1 || iterations > 10_000) {
                throw AigcmarkException.invalid("--iterations must be between 1 and 10000");
            }
            var out = spec.commandLine().getOut();
            int[] frame = syntheticFrame(w, h);
            WatermarkKey key = WatermarkKey.fromPassphrase("bench");
            WatermarkPayload payload = new WatermarkPayload(0x5eed_1234_abcd_0042L);
            out.printf("watermark speed, %dx%d, single thread, %d timed iterations after warm-up (median ms)%n", w, h, iterations);
            out.printf("%-16s %10s %10s %12s%n", "path", "embed", "detect", "detected");
            for (WatermarkOptions.Kernels k : new WatermarkOptions.Kernels[] {WatermarkOptions.Kernels.SCALAR,
                    WatermarkOptions.Kernels.VECTOR}) {
                ImageWatermarker wm = ImageWatermarker.create(key, WatermarkOptions.defaults().withKernels(k));
                int[] work = frame.clone();
                double[] emb = new double[iterations];
                double[] det = new double[iterations];
                WatermarkDetection d = null;
                for (int i = 0; i < iterations + 10; i++) { // 10 warm-up rounds
                    System.arraycopy(frame, 0, work, 0, frame.length);
                    long t0 = System.nanoTime();
                    wm.embedRgb(work, w, h, payload);
                    long t1 = System.nanoTime();
                    d = wm.detectRgb(work, w, h);
                    long t2 = System.nanoTime();
                    if (i >= 10) {
                        emb[i - 10] = (t1 - t0) / 1e6;
                        det[i - 10] = (t2 - t1) / 1e6;
                    }
                }
                out.printf("%-16s %10.2f %10.2f %12s%n", wm.kernelName(), median(emb), median(det),
                        d.detected() && d.payload().get().equals(payload));
            }
            return ExitCodes.OK;
        }

        private static double median(double[] v) {
            double[] c = v.clone();
            Arrays.sort(c);
            return c[c.length / 2];
        }

        /** Photo-like content (gradients + texture + noise) so that masking and detection do real work. */
        static int[] syntheticFrame(int w, int h) {
            java.util.Random r = new java.util.Random(1);
            int[] px = new int[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 50 + 140.0 * y / h + 20 * Math.sin(x * 0.05) * Math.cos(y * 0.031)
                            + (x > w / 2 ? 15 * Math.sin(x * 0.9 + y * 0.4) : 0) + r.nextGaussian() * 3;
                    int g = (int) Math.max(0, Math.min(255, v));
                    px[y * w + x] = 0xff000000 | (Math.min(255, g + 10) << 16) | (g << 8) | (int) (g * 0.8);
                }
            }
            return px;
        }
    }
}
