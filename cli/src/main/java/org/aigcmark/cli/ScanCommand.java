package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

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
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.io.AtomicFiles;
import org.aigcmark.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Runs 'detect' on every file under DIR, in parallel, and writes a JSON and/or a self-contained HTML"
                + " report (thumbnails, verdicts, evidence). One bad file never stops the scan: it is reported.",
                "Results are journalled as they come, so running the same command again resumes an interrupted scan."
                + " The journal records the options that shape a result (watermark key fingerprints, never the secrets;"
                + " --watermark-search, --metadata-only, OCR on or off, --model specs, --forensic, public key ids, C2PA"
                + " anchors): when they differ, no earlier result is reused, every file is scanned again and one line on"
                + " standard error says so.",
                "The journal is OUT.journal.jsonl next to the --json report (else the --html one), or, with neither, a"
                + " per-folder file under $XDG_CACHE_HOME/aigcmark/scan-journals whose path is printed. The reports and"
                + " the journal are never scanned themselves, and their folders are checked before the scan starts.",
                "Progress (files done of total, files/s, time left) goes to standard error: redrawn in place on a"
                + " terminal, else a plain line every --progress-every files.",
                "Exit status: 0 when the scan completed and its reports were written, whatever the files held: an"
                + " unreadable, damaged or not fully checked file is a result in the report (summary keys error,"
                + " unchecked), not a failure of the scan. 2 for a usage error, 3 when DIR cannot be read, 4 when a"
                + " report or the journal cannot be written, 1 for an internal error."})
public final class ScanCommand implements Callable<Integer> {
    /** Marks the journal's first line, which holds the options its results were made with. */
    static final String JOURNAL_HEADER = "aigcmarkScanJournal";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The folder to scan, with its subfolders.")
    Path dir;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Write the JSON report here (its folder must exist);"
            + " - writes it to standard output (messages and progress go to standard error).")
    Path jsonOut;

    @Option(names = "--html", paramLabel = "OUT.html",
            description = "Write the HTML report here; it opens offline (its folder must exist).")
    Path htmlOut;

    @Option(names = "--threads", paramLabel = "N", description = "Parallel workers (default: the available cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @picocli.CommandLine.Mixin
    DetectorOptions detectorOptions = new DetectorOptions();

    @Option(names = "--journal", paramLabel = "FILE", description = "The resume journal (default: OUT.journal.jsonl next to the"
            + " --json or --html report, else a per-folder file under $XDG_CACHE_HOME/aigcmark/scan-journals).")
    Path journal;

    @Option(names = "--fresh", description = "Ignore an existing journal and scan everything again.")
    boolean fresh;

    @Option(names = "--progress-every", paramLabel = "N", defaultValue = "100",
            description = "When standard error is not a terminal, print a progress line every N files and one at the end"
                    + " (default ${DEFAULT-VALUE}; 0 turns progress off, also on a terminal).")
    int progressEvery;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, dir + " is not a folder");
        }
        if (threads < 1 || threads > 256) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be 1..256");
        }
        if (progressEvery < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--progress-every must be 0 or more");
        }
        // every output is checked before any work, so a typo costs no scan
        if (!StdStreams.isDash(jsonOut)) {
            requireWritable(jsonOut, "the JSON report");
        }
        requireWritable(htmlOut, "the HTML report");
        Path journalFile = journalFile();
        requireWritable(journalFile, "the scan journal");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !isOwnOutput(p, journalFile)).sorted().toList();
        }
        try (DetectorOptions opts = detectorOptions) {
            Detector detector = opts.build(spec.commandLine().getErr(), threads);
            ObjectNode options = opts.resultOptions();
            options.put("userDeclared", false);
            options.put("thumbnails", htmlOut != null);
            Map<String, JsonNode> done = fresh ? new ConcurrentHashMap<>() : readJournal(journalFile, options, files.size());
            return scan(detector, files, done, journalFile, options);
        }
    }

    /** The resumed journal promises thumbnails (an earlier run had --html): keep that promise for a later --html. */
    private boolean journalHasThumbnails;

    /** --journal, else beside the JSON (or HTML) report, else a per-folder file in the user's cache (printed). */
    private Path journalFile() {
        if (journal != null) {
            return journal;
        }
        Path report = jsonOut != null && !StdStreams.isDash(jsonOut) ? jsonOut : htmlOut;
        if (report != null) {
            return Path.of(report + ".journal.jsonl");
        }
        Path folder = CacheDirs.scanJournals();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot create the scan journal folder "
                    + folder + " (" + e.getMessage() + "); give --journal FILE or --json OUT.json", e);
        }
        Path f = folder.resolve(CacheDirs.keyOf(dir) + ".jsonl");
        spec.commandLine().getErr().println("aigcmark: journal: " + f + " (run the same command again to resume)");
        return f;
    }

    /** Exit 4 before scanning when an output's folder is missing or the output is a folder. */
    private static void requireWritable(Path out, String what) {
        if (out != null) {
            AtomicFiles.requireWritable(out, what);
        }
    }

    /** The reports, the journal and their leftover temp files (AtomicFiles names them .NAME.*.tmp) are not inputs. */
    private boolean isOwnOutput(Path p, Path journalFile) {
        for (Path own : new Path[] {jsonOut, htmlOut, journalFile}) {
            if (own == null || StdStreams.isDash(own)) {
                continue;
            }
            String name = own.getFileName().toString();
            String pName = p.getFileName().toString();
            boolean ownName = pName.equals(name) || pName.startsWith("." + name + ".") && pName.endsWith(".tmp");
            // names first (cheap); the folders compare as files, so links and relative paths cannot hide a report
            if (ownName && OutputPaths.sameFile(p.toAbsolutePath().getParent(), own.toAbsolutePath().getParent())) {
                return true;
            }
        }
        return false;
    }

    private int scan(Detector detector, List<Path> files, Map<String, JsonNode> done, Path journalFile, ObjectNode options)
            throws Exception {
        // Each file's result, looked up by path: a file that changes during the scan (an upload still arriving)
        // has another fingerprint at the end than when it was read, and must not lose its result
        Map<Path, JsonNode> results = new ConcurrentHashMap<>();
        for (Path f : files) {
            JsonNode resumed = done.get(fingerprint(f));
            if (resumed != null) {
                results.put(f, resumed);
            }
        }
        List<Path> todo = files.stream().filter(f -> !results.containsKey(f)).toList();
        var err = spec.commandLine().getErr();
        if (!done.isEmpty()) {
            err.println("aigcmark: resuming: " + (files.size() - todo.size()) + " of " + files.size() + " files already scanned (" + journalFile + ")");
        }
        boolean append = !fresh && (!done.isEmpty() || journalHasHeader(journalFile, options));
        Map<String, String> thumbs = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ScanProgress progress = new ScanProgress(err, Terminal.stderrIsTerminal(), files.size(), files.size() - todo.size(), progressEvery);
        var lineWriter = ReportJson.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        try (BufferedWriter jw = Files.newBufferedWriter(journalFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            if (append) {
                if (endsMidLine(journalFile)) {
                    jw.newLine(); // the interrupted run cut its last line short: start a clean one
                }
            } else {
                ObjectNode header = ReportJson.MAPPER.createObjectNode();
                header.put(JOURNAL_HEADER, 1);
                header.put("root", dir.toAbsolutePath().normalize().toString());
                header.set("options", options);
                jw.write(lineWriter.writeValueAsString(header));
                jw.newLine();
                jw.flush();
            }
            List<Future<?>> futures = new ArrayList<>();
            for (Path f : todo) {
                futures.add(pool.submit(() -> {
                    ObjectNode node = scanOne(detector, f, htmlOut != null || journalHasThumbnails ? thumbs : null);
                    synchronized (jw) {
                        jw.write(lineWriter.writeValueAsString(node));
                        jw.newLine();
                        jw.flush();
                    }
                    done.put(fingerprint(f), node);
                    results.put(f, node);
                    progress.step();
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                fu.get();
            }
            progress.finish();
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write the scan journal " + journalFile
                    + ": " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        ArrayNode all = ReportJson.MAPPER.createArrayNode();
        Map<String, Integer> counts = new TreeMap<>();
        for (Path f : files) {
            JsonNode n = results.get(f);
            all.add(n);
            counts.merge(category(n), 1, Integer::sum);
        }
        if (jsonOut != null) {
            ObjectNode report = ReportJson.MAPPER.createObjectNode();
            report.put("root", dir.toString());
            report.put("files", files.size());
            report.set("summary", ReportJson.MAPPER.valueToTree(counts));
            report.set("results", all);
            StdStreams.write(spec, jsonOut, ReportJson.write(report).getBytes(StandardCharsets.UTF_8)); // "-": stdout
        }
        if (htmlOut != null) {
            AtomicFiles.write(htmlOut, ScanHtml.render(dir, all, counts, thumbs).getBytes(StandardCharsets.UTF_8));
        }
        var out = StdStreams.messages(spec, jsonOut);
        out.println("scanned " + files.size() + " files under " + dir + ": " + counts);
        out.flush();
        // Per-file errors are data in the report; a cron job reads them there (see the help's exit status)
        return ExitCodes.OK;
    }

    private ObjectNode scanOne(Detector detector, Path f, Map<String, String> thumbs) {
        ObjectNode node;
        try {
            BufferedImage[] pixels = new BufferedImage[1];
            DetectionReport r = detector.detect(f, false, thumbs == null ? null : img -> pixels[0] = img);
            node = ReportJson.toNode(r);
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
        return org.aigcmark.report.ReportHtml.category(n);
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

    /**
     * The results an earlier run journalled, if it ran with the same options; otherwise none (everything is scanned
     * again, and one stderr line says why). A journal from before options were recorded counts as other options.
     */
    private Map<String, JsonNode> readJournal(Path journal, ObjectNode options, int fileCount) {
        Map<String, JsonNode> done = new ConcurrentHashMap<>();
        if (!Files.isRegularFile(journal)) {
            return done;
        }
        JsonNode[] header = new JsonNode[1];
        try (Stream<String> lines = Files.lines(journal, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                try {
                    JsonNode n = ReportJson.MAPPER.readTree(line);
                    if (n != null && n.has(JOURNAL_HEADER) && header[0] == null && done.isEmpty()) {
                        header[0] = n;
                    } else if (n != null && n.has("fingerprint")) {
                        done.put(n.get("fingerprint").asText(), n);
                    }
                } catch (IOException e) {
                    // A line cut by the interruption: that file is scanned again.
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return new ConcurrentHashMap<>();
        }
        if (done.isEmpty()) {
            return done;
        }
        List<String> differ = header[0] == null ? List.of() : differences(header[0].path("options"), options);
        if (header[0] == null || !differ.isEmpty()) {
            spec.commandLine().getErr().println("aigcmark: the journal " + journal + " holds results made with other options ("
                    + (header[0] == null ? "not recorded" : String.join(", ", differ)) + "): scanning all " + fileCount + " files again");
            return new ConcurrentHashMap<>();
        }
        journalHasThumbnails = header[0].path("options").path("thumbnails").asBoolean();
        return done;
    }

    /** The option names whose values differ; results without thumbnails do not serve a run that draws them. */
    static List<String> differences(JsonNode before, ObjectNode now) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        before.fieldNames().forEachRemaining(names::add);
        now.fieldNames().forEachRemaining(names::add);
        List<String> differ = new ArrayList<>();
        for (String name : names) {
            boolean thumbnailsNotNeeded = name.equals("thumbnails") && !now.path(name).asBoolean();
            if (!thumbnailsNotNeeded && !before.path(name).equals(now.path(name))) {
                differ.add(name.equals("thumbnails") ? "--html thumbnails" : name);
            }
        }
        return differ;
    }

    /** True when the journal starts with a header for exactly these options (a resumed run appends to it). */
    private static boolean journalHasHeader(Path journal, ObjectNode options) {
        try (var r = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            JsonNode n = first == null ? null : ReportJson.MAPPER.readTree(first);
            return n != null && n.has(JOURNAL_HEADER) && n.path("options").equals(options);
        } catch (IOException e) {
            return false;
        }
    }
}
