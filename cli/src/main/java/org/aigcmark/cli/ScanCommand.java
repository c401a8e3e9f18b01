package org.aigcmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.internal.AtomicFiles;
import org.aigcmark.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Run 'detect' on every file under DIR, in parallel. One bad file never stops the scan: it is",
                "reported. Results are journalled as they come, so an interrupted scan resumes where it stopped.",
                "Writes a JSON report and/or a self-contained HTML report (thumbnails, verdicts, evidence)."})
public final class ScanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Option(names = "--json", paramLabel = "OUT.json", description = "write the JSON report here")
    Path jsonOut;

    @Option(names = "--html", paramLabel = "OUT.html", description = "write the HTML report here (opens offline)")
    Path htmlOut;

    @Option(names = "--threads", paramLabel = "N", description = "parallel workers (default: available cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @picocli.CommandLine.Mixin
    DetectorOptions detectorOptions = new DetectorOptions();

    @Option(names = "--journal", paramLabel = "FILE", description = "resume journal (default: next to the report, .journal.jsonl)")
    Path journal;

    @Option(names = "--fresh", description = "ignore an existing journal and scan everything again")
    boolean fresh;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, dir + " is not a folder");
        }
        if (threads < 1 || threads > 256) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be 1..256");
        }
        Path journalFile = journal != null ? journal : Path.of((jsonOut != null ? jsonOut : htmlOut != null ? htmlOut
                : Path.of("aigcmark-scan")) + ".journal.jsonl");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.toAbsolutePath().equals(journalFile.toAbsolutePath())).sorted().toList();
        }
        Map<String, JsonNode> done = fresh ? new ConcurrentHashMap<>() : readJournal(journalFile, files);
        try (DetectorOptions opts = detectorOptions) {
            Detector detector = opts.build(spec.commandLine().getErr());
            // videos get the frame checks of 'detect' (watermark per 2-s segment, visible labels, pixel checks on sampled
            // frames); --metadata-only decodes no frame
            videoKeys = opts.watermarkKeys();
            videoChecks = opts.metadataOnly ? null : opts.pixelChecks();
            return scan(detector, files, done, journalFile);
        }
    }

    private List<org.aigcmark.key.WatermarkKey> videoKeys = List.of();
    /** null: no frame decode for videos */
    private List<org.aigcmark.detection.EvidenceCheck> videoChecks;

    private int scan(Detector detector, List<Path> files, Map<String, JsonNode> done, Path journalFile) throws Exception {
        List<Path> todo = files.stream().filter(f -> !done.containsKey(fingerprint(f))).toList();
        var err = spec.commandLine().getErr();
        if (!done.isEmpty()) {
            err.println("aigcmark: resuming: " + (files.size() - todo.size()) + " of " + files.size() + " files already scanned (" + journalFile + ")");
        }
        Map<String, String> thumbs = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        boolean showBar = System.console() != null;
        try (BufferedWriter jw = Files.newBufferedWriter(journalFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                fresh ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND, StandardOpenOption.WRITE);
             ProgressBar bar = showBar ? new ProgressBarBuilder().setTaskName("scan").setInitialMax(todo.size())
                     .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build() : null) {
            if (!fresh && endsMidLine(journalFile)) {
                jw.newLine(); // the interrupted run cut its last line short: start a clean one
            }
            List<Future<?>> futures = new ArrayList<>();
            for (Path f : todo) {
                futures.add(pool.submit(() -> {
                    ObjectNode node = scanOne(detector, f, htmlOut != null ? thumbs : null);
                    synchronized (jw) {
                        jw.write(ReportJson.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
                        jw.newLine();
                        jw.flush();
                    }
                    done.put(fingerprint(f), node);
                    if (bar != null) {
                        bar.step();
                    }
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                fu.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ArrayNode all = ReportJson.MAPPER.createArrayNode();
        Map<String, Integer> counts = new TreeMap<>();
        for (Path f : files) {
            JsonNode n = done.get(fingerprint(f));
            all.add(n);
            counts.merge(category(n), 1, Integer::sum);
        }
        if (jsonOut != null) {
            ObjectNode report = ReportJson.MAPPER.createObjectNode();
            report.put("root", dir.toString());
            report.put("files", files.size());
            report.set("summary", ReportJson.MAPPER.valueToTree(counts));
            report.set("results", all);
            AtomicFiles.write(jsonOut, ReportJson.write(report).getBytes(StandardCharsets.UTF_8));
        }
        if (htmlOut != null) {
            AtomicFiles.write(htmlOut, ScanHtml.render(dir, all, counts, thumbs).getBytes(StandardCharsets.UTF_8));
        }
        var out = spec.commandLine().getOut();
        out.println("scanned " + files.size() + " files under " + dir + ": " + counts);
        return counts.containsKey("error") ? ExitCodes.BAD_INPUT : ExitCodes.OK;
    }

    private ObjectNode scanOne(Detector detector, Path f, Map<String, String> thumbs) {
        ObjectNode node;
        try {
            BufferedImage[] pixels = new BufferedImage[1];
            DetectionReport r = detector.detect(f, false, thumbs == null ? null : img -> pixels[0] = img);
            node = videoChecks != null && !r.metadata().damaged() && VideoCli.isVideo(f)
                    ? VideoCli.toJson(r, VideoCli.detect(f, videoKeys, videoChecks), videoKeys)
                    : ReportJson.toNode(r);
            if (pixels[0] != null) {
                thumbs.put(f.toString(), ScanHtml.thumbnail(pixels[0], ScanHtml.boxes(r)));
            }
        } catch (AigcmarkException e) {
            node = ReportJson.MAPPER.createObjectNode();
            node.put("file", f.toString());
            node.put("error", e.getMessage());
            node.put("reason", e.reason().name());
        } catch (RuntimeException e) {
            node = ReportJson.MAPPER.createObjectNode();
            node.put("file", f.toString());
            node.put("error", "internal error: " + e);
            node.put("reason", "INTERNAL");
        }
        node.put("fingerprint", fingerprint(f));
        if (thumbs != null && thumbs.containsKey(f.toString())) {
            node.put("thumbnail", thumbs.get(f.toString()));
        }
        return node;
    }

    static String category(JsonNode n) {
        if (n.has("error")) {
            return "error";
        }
        JsonNode l = n.path("verdict").path("label");
        return l.isNull() || l.isMissingNode() ? "none" : "label" + l.asText();
    }

    /** Path, size and modification time: a changed file is scanned again on resume. */
    static String fingerprint(Path f) {
        try {
            return f.toAbsolutePath() + "|" + Files.size(f) + "|" + Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return f.toAbsolutePath() + "|?";
        }
    }

    private static boolean endsMidLine(Path f) {
        try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.READ)) {
            if (ch.size() == 0) {
                return false;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, ch.size() - 1);
            return b.get(0) != '\n';
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, JsonNode> readJournal(Path journal, List<Path> files) {
        Map<String, JsonNode> done = new ConcurrentHashMap<>();
        if (!Files.isRegularFile(journal)) {
            return done;
        }
        try (Stream<String> lines = Files.lines(journal, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                try {
                    JsonNode n = ReportJson.MAPPER.readTree(line);
                    if (n != null && n.has("fingerprint")) {
                        done.put(n.get("fingerprint").asText(), n);
                    }
                } catch (IOException e) {
                    // A line cut by the interruption: that file is scanned again.
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return new ConcurrentHashMap<>();
        }
        return done;
    }
}
