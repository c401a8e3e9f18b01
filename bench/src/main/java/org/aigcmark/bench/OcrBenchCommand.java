package org.aigcmark.bench;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detect.ocr.LabelFinding;
import org.aigcmark.detect.ocr.ModelStore;
import org.aigcmark.detect.ocr.OcrModels;
import org.aigcmark.detect.ocr.VisibleLabelFinder;
import org.aigcmark.detect.ocr.VisibleLabelScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark bench ocr}: the OCR visible-label finder on labels drawn by other tools (ImageMagick, FFmpeg
 * drawtext, Pillow), made at run time by {@code tools/ocr-eval/make-ocr-eval.py} (nothing committed), with recall and
 * false finds by factor, the 5% compliance call against the drawn glyph height, and time per 1080p image.
 */
@Command(name = "ocr", mixinStandardHelpOptions = true,
        description = {"The OCR visible-label finder on a set drawn by other tools (tools/ocr-eval/make-ocr-eval.py, made",
                "at run time): recall and false finds by factor, the 5% compliance call, ms per 1080p image."})
final class OcrBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--set", defaultValue = "target/ocr-eval", paramLabel = "DIR",
            description = "The evaluation set; made here by the generator when DIR/truth.tsv is missing (default ${DEFAULT-VALUE}).")
    Path set;

    @Option(names = "--count", defaultValue = "600", description = "Images to generate (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "17", description = "Generator seed (default ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--generator", defaultValue = "tools/ocr-eval/make-ocr-eval.py", paramLabel = "SCRIPT",
            description = "The generator script (default ${DEFAULT-VALUE}).")
    Path generator;

    @Option(names = "--split", defaultValue = "all", paramLabel = "tuning|heldout|all",
            description = "Which part to scan: photos held out of tuning, the tuning ones, or all (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", defaultValue = "0", description = "Scan at most this many images (0: all).")
    int limit;

    @Option(names = "--models", paramLabel = "DIR", description = "The OCR models (default: detect/target/models, else the user cache).")
    Path models;

    @Option(names = "--region", defaultValue = "whole", paramLabel = "bands|whole",
            description = "Search the whole image or the outer 20% bands (default ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--max-side", defaultValue = "" + VisibleLabelFinder.DEFAULT_LIMIT_SIDE,
            description = "Detector input, longer side at most (default ${DEFAULT-VALUE}).")
    int maxSide;

    @Option(names = "--short-side", defaultValue = "" + VisibleLabelFinder.DEFAULT_SHORT_SIDE,
            description = "Detector input, shorter side at most (default ${DEFAULT-VALUE}).")
    int shortSide;

    @Option(names = "--threads", defaultValue = "1",
            description = "ONNX Runtime threads per session (default ${DEFAULT-VALUE}: one core, as the goal is stated).")
    int threads;

    @Option(names = "--second-look", defaultValue = "true", arity = "1", paramLabel = "true|false",
            description = "Detect again (up to 1.5x the resolution) around lines read with part of a label where the"
                    + " first look found no label (default ${DEFAULT-VALUE}).")
    boolean secondLook;

    @Option(names = "--misses", defaultValue = "15", description = "List at most this many misses and false finds.")
    int misses;

    @Option(names = "--dump", paramLabel = "FILE", description = "Also write one TSV row per image: truth, what was found, times.")
    Path dump;

    /** One row of truth.tsv. */
    record Truth(Map<String, String> f) {
        String get(String k) {
            return f.getOrDefault(k, "");
        }

        boolean isLabel() {
            return get("is_label").equals("true");
        }

        double glyph() {
            return Double.parseDouble(get("glyph_ratio"));
        }

        Rectangle box() {
            return new Rectangle(Integer.parseInt(get("x")), Integer.parseInt(get("y")), Integer.parseInt(get("w")),
                    Integer.parseInt(get("h")));
        }
    }

    /** Counts for one factor value. */
    static final class Tally {
        int labels;
        int found;
        int images;
        int falseFinds;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path truthFile = set.resolve("truth.tsv");
        if (!Files.isRegularFile(truthFile)) {
            generate(out);
        }
        List<Truth> rows = readTruth(truthFile);
        rows.removeIf(t -> !split.equals("all") && !t.get("split").equals(split));
        if (limit > 0 && rows.size() > limit) {
            rows = rows.subList(0, limit);
        }
        OcrModels ocr = locateModels();
        VisibleLabelFinder.Options options = VisibleLabelFinder.Options.defaults()
                .withBandFraction(switch (region) {
                    case "whole" -> 0.5;
                    case "bands" -> VisibleLabelFinder.DEFAULT_BAND;
                    default -> throw AigcmarkException.invalid("--region must be bands or whole, got " + region);
                })
                .withLimitSide(maxSide).withShortSide(shortSide).withIntraOpThreads(threads)
                .withSecondLook(secondLook);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Map<String, Tally>> factors = new LinkedHashMap<>();
        List<Double> wallMs = new ArrayList<>();
        List<Double> cpuMs = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        List<String> falseFound = new ArrayList<>();
        List<String> wrongCompliance = new ArrayList<>();
        int under5 = 0;
        int under5Compliant = 0;
        int over55Edge = 0;
        int over55Refused = 0;
        double absHeightErr = 0;
        int heightN = 0;
        StringBuilder dumped = new StringBuilder("file\tsplit\tis_label\tglyph_ratio\tposition\tfound\tmeasured\tcompliant\tfalse_find\twall_ms\tcpu_ms\n");
        try (VisibleLabelFinder finder = VisibleLabelFinder.open(ocr, options)) {
            BufferedImage warm = ImageIO.read(set.resolve(rows.get(0).get("file")).toFile());
            finder.scan(warm);
            for (Truth t : rows) {
                BufferedImage img = ImageIO.read(set.resolve(t.get("file")).toFile());
                long c0 = mx.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                VisibleLabelScan scan = finder.scan(img);
                long w1 = System.nanoTime();
                long c1 = mx.getCurrentThreadCpuTime();
                if (img.getWidth() == 1920 && img.getHeight() == 1080) {
                    wallMs.add((w1 - w0) / 1e6);
                    cpuMs.add((c1 - c0) / 1e6);
                }
                LabelFinding hit = null;
                boolean falseFind = false;
                for (LabelFinding f : scan.labels()) {
                    if (t.isLabel() && f.box().intersects(t.box())) {
                        hit = hit == null ? f : hit;
                    } else {
                        falseFind = true;
                    }
                }
                dumped.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%s\t%s\t%s\t%.4f\t%s\t%s\t%.1f\t%.1f%n", t.get("file"),
                        t.get("split"), t.isLabel(), t.get("glyph_ratio"), t.get("position"), hit != null,
                        hit == null ? 0.0 : hit.heightRatio(), hit != null && hit.compliant(), falseFind, (w1 - w0) / 1e6,
                        (c1 - c0) / 1e6));
                for (Map.Entry<String, String> e : factorsOf(t).entrySet()) {
                    Tally tally = factors.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).computeIfAbsent(e.getValue(), k -> new Tally());
                    tally.images++;
                    tally.falseFinds += falseFind ? 1 : 0;
                    if (t.isLabel()) {
                        tally.labels++;
                        tally.found += hit != null ? 1 : 0;
                    }
                }
                if (falseFind && falseFound.size() < misses) {
                    falseFound.add(t.get("file") + " (" + t.get("text") + "): " + scan.labels());
                }
                if (t.isLabel() && hit == null && missed.size() < misses) {
                    missed.add(describe(t) + ": read " + scan.lines().stream().map(l -> "\"" + l.text() + "\"").toList());
                }
                if (hit != null) {
                    absHeightErr += Math.abs(hit.heightRatio() - t.glyph()) / t.glyph();
                    heightN++;
                    if (t.glyph() < 0.05) {
                        under5++;
                        under5Compliant += hit.compliant() ? 1 : 0;
                        if (hit.compliant() && wrongCompliance.size() < misses) {
                            wrongCompliance.add(String.format(Locale.ROOT, "%s measured %.2f%%", describe(t), 100 * hit.heightRatio()));
                        }
                    } else if (t.glyph() >= 0.055 && !t.get("position").equals("CENTRE")) {
                        over55Edge++;
                        over55Refused += hit.compliant() ? 0 : 1;
                        if (!hit.compliant() && wrongCompliance.size() < misses) {
                            wrongCompliance.add(String.format(Locale.ROOT, "%s measured %.2f%% at %s", describe(t),
                                    100 * hit.heightRatio(), hit.position()));
                        }
                    }
                }
            }
        }
        if (dump != null) {
            Files.writeString(dump, dumped, StandardCharsets.UTF_8);
        }
        out.printf(Locale.ROOT, "Set %s (%s split, %d images), region %s, detector input <= %d x %d, second look %s, %d ONNX Runtime thread(s), %d cores visible%n%n",
                set, split, rows.size(), region, maxSide, shortSide, secondLook ? "on" : "off", threads, Runtime.getRuntime().availableProcessors());
        for (Map.Entry<String, Map<String, Tally>> f : factors.entrySet()) {
            out.printf("| %s | Labels | Found | Recall | Images | False finds | Rate |%n| --- | ---: | ---: | ---: | ---: | ---: | ---: |%n", f.getKey());
            for (Map.Entry<String, Tally> v : f.getValue().entrySet()) {
                Tally t = v.getValue();
                out.printf(Locale.ROOT, "| %s | %d | %d | %s | %d | %d | %s |%n", v.getKey(), t.labels, t.found,
                        pct(t.found, t.labels), t.images, t.falseFinds, pct(t.falseFinds, t.images));
            }
            out.println();
        }
        out.printf(Locale.ROOT, "Compliance: labels drawn under 5%% called compliant: %d of %d; labels drawn >= 5.5%% on an edge"
                + " or corner called non-compliant: %d of %d; glyph height error (mean abs, relative): %.1f%%%n",
                under5Compliant, under5, over55Refused, over55Edge, heightN == 0 ? 0 : 100 * absHeightErr / heightN);
        out.printf(Locale.ROOT, "Time per 1920x1080 image (%d scans, decode excluded): wall median %.0f ms, p90 %.0f ms;"
                + " thread CPU median %.0f ms, p90 %.0f ms; load average %.1f%n", wallMs.size(), pctl(wallMs, 0.5),
                pctl(wallMs, 0.9), pctl(cpuMs, 0.5), pctl(cpuMs, 0.9),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println();
        out.println("Misses (first " + misses + "):");
        missed.forEach(m -> out.println("- " + m));
        out.println("Wrong compliance calls (first " + misses + "):");
        wrongCompliance.forEach(m -> out.println("- " + m));
        out.println("False finds (first " + misses + "):");
        falseFound.forEach(m -> out.println("- " + m));
        return 0;
    }

    private void generate(PrintWriter out) throws IOException, InterruptedException {
        out.println("generating " + count + " images into " + set + " with " + generator + " (seed " + seed + ")");
        out.flush();
        Process p = new ProcessBuilder(generator.toString(), "--out", set.toString(), "--count", String.valueOf(count),
                "--seed", String.valueOf(seed)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, generator + " failed (exit " + p.exitValue()
                    + "); it needs /usr/bin/python3 with Pillow (python3-pil), ImageMagick, ffmpeg and the fonts it names");
        }
    }

    private OcrModels locateModels() {
        if (models != null) {
            return ModelStore.standard().locate(models);
        }
        return ModelStore.standard().find(Path.of("detect/target/models"))
                .or(() -> ModelStore.standard().find(ModelStore.defaultDirectory()))
                .orElseThrow(() -> AigcmarkException.invalid("no OCR models in detect/target/models or "
                        + ModelStore.defaultDirectory() + " (run detect/fetch-models.sh)"));
    }

    static List<Truth> readTruth(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] cols = lines.get(0).split("\t", -1);
        List<Truth> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split("\t", -1);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < cols.length && i < v.length; i++) {
                m.put(cols[i], v[i]);
            }
            out.add(new Truth(m));
        }
        return out;
    }

    /** The factors one image is counted under. */
    static Map<String, String> factorsOf(Truth t) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("All", "all");
        m.put("Split", t.get("split"));
        m.put("Drawn by", t.get("tool"));
        if (!t.get("text").isEmpty()) {
            double g = t.glyph();
            m.put("Glyph height", g < 0.05 ? "3-5%" : g < 0.08 ? "5-8%" : g < 0.11 ? "8-11%" : "11-15%");
            String pos = t.get("position");
            m.put("Position", pos.equals("CENTRE") ? "centre" : pos.contains("_") ? "corner" : "edge");
            m.put("Style", t.get("style"));
            m.put("Colour", t.get("colour"));
            double a = Math.abs(Double.parseDouble(t.get("angle")));
            m.put("Rotation", a == 0 ? "0°" : a <= 5 ? "≤5°" : a <= 10 ? "5-10°" : "10-15°");
            m.put("Background", Double.parseDouble(t.get("busy")) >= 10 ? "busy (edges ≥ 10)" : "calm");
            m.put("Font", t.get("font"));
            m.put("Text", t.get("text"));
        } else {
            m.put("Text", "(none)");
        }
        m.put("Frame", t.get("width") + "x" + t.get("height"));
        return m;
    }

    private static String describe(Truth t) {
        return String.format(Locale.ROOT, "%s %s \"%s\" %s %.1f%% %s %s %s° busy %s", t.get("file"), t.get("tool"), t.get("text"),
                t.get("font"), t.glyph() * 100, t.get("position"), t.get("style") + "/" + t.get("colour"), t.get("angle"), t.get("busy"));
    }

    private static String pct(int n, int of) {
        return of == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * n / of);
    }

    private static double pctl(List<Double> v, double q) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(Math.min(s.size() - 1, (int) Math.floor(q * s.size())));
    }
}
