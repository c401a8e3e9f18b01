package org.aigcmark.bench;

import org.aigcmark.ExitCodes;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Labeler;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.DetectionTimings;
import org.aigcmark.detection.Detector;
import org.aigcmark.detection.EvidenceCheck;
import org.aigcmark.detection.forensic.ForensicSignalCheck;
import org.aigcmark.key.WatermarkKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark bench detect}: detection throughput on a 1080p JPEG corpus made at run time from the real photos
 * (scaled to cover 1920x1080, centre-cropped, JPEG quality 85, 4:2:0, no metadata), so no big media is committed.
 * Runs the Detector as {@code scan} does (file read included, no OCR, no HTML thumbnails) on a fixed thread pool,
 * warm, and prints images/s, the cores it kept busy, and the thread time per stage.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Detection throughput on a 1080p JPEG corpus made from the real photos at run time:",
                "metadata only; + pixel decode and the SD/SDXL check; + our watermark with a key (and --forensic).",
                "Prints images/s, busy cores and a per-stage breakdown (thread ms per image)."})
final class DetectBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--photos", defaultValue = "testdata/fixtures/photos", paramLabel = "DIR",
            description = "The source photos (default ${DEFAULT-VALUE}).")
    Path photos;

    @Option(names = "--size", defaultValue = "1920x1080", paramLabel = "WxH", converter = FrameSize.Converter.class,
            description = "The corpus frame size (default ${DEFAULT-VALUE}).")
    FrameSize size;

    @Option(names = "--quality", defaultValue = "85", description = "The corpus JPEG quality (default ${DEFAULT-VALUE}).")
    int quality;

    @Option(names = "--threads", defaultValue = "2", description = "Detector threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seconds", defaultValue = "10", description = "Timed seconds per configuration, after a warm-up (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--forensic", description = "Also time a configuration with the forensic upsampling check.")
    boolean forensic;

    @Option(names = "--corpus", paramLabel = "DIR", description = "Write the corpus here and keep it (default: a temp folder, deleted afterwards).")
    Path corpusDir;

    @Override
    public Integer call() throws Exception {
        int w = size.width();
        int h = size.height();
        if (w < 64 || h < 64 || size.pixels() > 64_000_000L || quality < 1 || quality > 100 || threads < 1 || threads > 256
                || !(seconds > 0)) {
            throw AigcmarkException.invalid("--size 64x64..64 MP, --quality 1..100, --threads 1..256, --seconds > 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean temp = corpusDir == null;
        Path dir = temp ? Files.createTempDirectory("aigcmark-bench-detect") : Files.createDirectories(corpusDir);
        try {
            List<Path> corpus = makeCorpus(photos, dir, w, h, quality);
            long bytes = 0;
            for (Path f : corpus) {
                bytes += Files.size(f);
            }
            out.printf(Locale.ROOT, "corpus: %d JPEGs %dx%d, quality %d, 4:2:0, %.0f KB average, made from %s%n",
                    corpus.size(), w, h, quality, bytes / 1024.0 / corpus.size(), photos);
            out.printf(Locale.ROOT, "threads %d, %.0f s per configuration after a warm-up; load average before: %s%n",
                    threads, seconds, loadAverage());
            Labeler labeler = Labeler.create();
            WatermarkKey key = WatermarkKey.fromPassphrase("bench");
            Detector plain = Detector.create(labeler, List.of(), List.of(), List.of());
            Detector keyed = Detector.create(labeler, List.of(key), List.of(), List.of());
            List<Object[]> configs = new ArrayList<>();
            configs.add(new Object[] {"metadata only", plain.metadataOnly()});
            configs.add(new Object[] {"+ decode + SDXL", plain});
            configs.add(new Object[] {"+ our watermark (key, own-geometry search)",
                    keyed.withWatermarkSearch(org.aigcmark.watermark.WatermarkOptions.Search.OWN_GEOMETRY)});
            configs.add(new Object[] {"+ our watermark (key, quick search)",
                    keyed.withWatermarkSearch(org.aigcmark.watermark.WatermarkOptions.Search.QUICK)});
            configs.add(new Object[] {"+ our watermark (key, full search)", keyed});
            if (forensic) {
                List<EvidenceCheck> checks = List.of(ForensicSignalCheck.standard());
                configs.add(new Object[] {"+ forensic", Detector.create(labeler, List.of(key), List.of(), checks)});
            }
            for (Object[] c : configs) {
                run(out, (String) c[0], (Detector) c[1], corpus);
            }
            out.printf("load average after: %s%n", loadAverage());
        } finally {
            if (temp) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
        return ExitCodes.OK;
    }

    private void run(PrintWriter out, String name, Detector base, List<Path> corpus) throws Exception {
        DetectionTimings timings = new DetectionTimings();
        Detector detector = base.withTimings(timings);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            pass(pool, detector, corpus, Math.min(2.0, seconds / 2)); // warm-up: JIT, caches
            timings.reset();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long[] found = pass(pool, detector, corpus, seconds);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            long n = timings.files();
            out.printf(Locale.ROOT, "%n%s: %.1f images/s (%d images in %.1f s), %.2f cores busy, %d labelled/marked verdicts%n",
                    name, n / wall, n, wall, cpu / wall, found[0]);
            out.printf(Locale.ROOT, "  %-10s %12s %8s%n", "stage", DetectionTimings.cpuTime() ? "cpu ms/image" : "ms/image", "share");
            double total = 0;
            for (DetectionTimings.Stage s : DetectionTimings.Stage.values()) {
                total += timings.nanos(s);
            }
            for (DetectionTimings.Stage s : DetectionTimings.Stage.values()) {
                long ns = timings.nanos(s);
                if (ns > 0) {
                    out.printf(Locale.ROOT, "  %-10s %12.2f %7.1f%%%n", s.name().toLowerCase(Locale.ROOT), ns / 1e6 / n, 100 * ns / total);
                }
            }
            out.printf(Locale.ROOT, "  %-10s %12.2f   (%d dedicated cores would give at most %.0f images/s)%n", "total", total / 1e6 / n,
                    threads, threads * 1e9 * n / total);
            out.flush();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every thread takes the next file (round robin over the corpus) until the time is up; returns {labelled}. */
    private long[] pass(ExecutorService pool, Detector detector, List<Path> corpus, double secs) throws Exception {
        long deadline = System.nanoTime() + (long) (secs * 1e9);
        AtomicLong next = new AtomicLong();
        AtomicLong labelled = new AtomicLong();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    Path f = corpus.get((int) (next.getAndIncrement() % corpus.size()));
                    DetectionReport r = detector.detect(f, false);
                    if (r.verdict().label().isPresent()) {
                        labelled.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        return new long[] {labelled.get()};
    }

    /** Each photo scaled to cover w x h (bicubic, in steps of at most 2x), centre-cropped, written as JPEG. */
    static List<Path> makeCorpus(Path photos, Path dir, int w, int h, int quality) throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.list(photos)) {
            sources = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g")).sorted().toList();
        }
        if (sources.isEmpty()) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "no JPEG photos in " + photos);
        }
        List<Path> out = new ArrayList<>();
        for (Path src : sources) {
            BufferedImage img = ImageIO.read(src.toFile());
            if (img == null) {
                continue;
            }
            double scale = Math.max((double) w / img.getWidth(), (double) h / img.getHeight());
            BufferedImage cur = toRgb(img);
            while (cur.getWidth() * scale < cur.getWidth() / 2.0) { // halve first: one bicubic step aliases below 0.5x
                cur = resize(cur, cur.getWidth() / 2, cur.getHeight() / 2);
                scale *= 2;
            }
            int sw = (int) Math.ceil(cur.getWidth() * scale);
            int sh = (int) Math.ceil(cur.getHeight() * scale);
            BufferedImage scaled = resize(cur, Math.max(w, sw), Math.max(h, sh));
            BufferedImage frame = scaled.getSubimage((scaled.getWidth() - w) / 2, (scaled.getHeight() - h) / 2, w, h);
            Path f = dir.resolve(src.getFileName().toString().replaceAll("\\.[^.]+$", "") + "-" + w + "x" + h + ".jpg");
            writeJpeg(toRgb(frame), f, quality);
            out.add(f);
        }
        return out;
    }

    private static BufferedImage toRgb(BufferedImage img) {
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return rgb;
    }

    private static BufferedImage resize(BufferedImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Baseline JPEG through the JDK's libjpeg writer: YCbCr with 2x2 luma sampling (4:2:0) by default. */
    private static void writeJpeg(BufferedImage img, Path f, int quality) throws IOException {
        ImageWriter wr = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream o = ImageIO.createImageOutputStream(f.toFile())) {
            ImageWriteParam p = wr.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            wr.setOutput(o);
            wr.write(null, new IIOImage(img, null, null), p);
        } finally {
            wr.dispose();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" +");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
