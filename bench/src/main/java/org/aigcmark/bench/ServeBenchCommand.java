package org.aigcmark.bench;

import org.aigcmark.ExitCodes;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.DetectionTimings;
import org.aigcmark.detection.Detector;
import org.aigcmark.serve.AigcmarkServer;
import org.aigcmark.watermark.WatermarkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark bench serve}: a load generator against the service, started on loopback (port 0) in a process of
 * its own with {@code aigcmark serve}'s heap cap (or in this one, {@code --in-process}), so nothing outside the machine
 * is called. Each concurrency level sends {@code --requests} {@code POST /v1/detect} requests (bounded by
 * {@code --seconds}) mixing real photos scaled to 1080p as JPEG, PNG and WebP ({@link ServeBenchCorpus}), a small
 * video, texts, and one request in ten a hostile file from the bad-input fixtures ({@code --kinds} picks some of them;
 * {@code images-large} is the older image mix of larger photos and small fixtures). Prints throughput, p50/p99 latency,
 * answers by status, the server's resident memory at the start and end of each level, and p50/p99 by kind of file.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Load test of aigcmark serve, started in its own process (-Xmx as aigcmark serve's) on 127.0.0.1 (an ephemeral port).",
                "Sends POST /v1/detect with a mix of 1080p JPEG/PNG/WebP photos, a small video, text and 10% hostile files, at each concurrency.",
                "Prints requests/s, p50/p99 latency, answers by status, the server's RSS, and p50/p99 by kind of file."})
final class ServeBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--requests", defaultValue = "2000", description = "Requests at each concurrency (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--concurrency", defaultValue = "1,8,64", split = ",", paramLabel = "N[,N...]",
            description = "Clients sending at once, one run each (default ${DEFAULT-VALUE}).")
    int[] concurrency;

    @Option(names = "--seconds", defaultValue = "120", description = "The most seconds a concurrency level may take (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--metadata-only", description = "Ask for metadata-level detection (?metadataOnly=true): no pixel decode.")
    boolean metadataOnly;

    @Option(names = "--watermark-search", defaultValue = "quick", paramLabel = "quick|full",
            description = "The server's watermark search (default ${DEFAULT-VALUE}).")
    WatermarkOptions.Search watermarkSearch;

    @Option(names = "--versus-sdk", defaultValue = "0", paramLabel = "N",
            description = "After the levels, N requests one at a time, each paired with the same detection called in-process"
                    + " (Detector.detect, alternating which goes first): the service's time per request over the sdk's (default ${DEFAULT-VALUE}: none).")
    int versusSdk;

    @Option(names = "--fixtures", defaultValue = "testdata/fixtures", paramLabel = "DIR", description = "The fixtures folder (default ${DEFAULT-VALUE}).")
    Path fixtures;

    @Option(names = "--kinds", defaultValue = "all", split = ",", paramLabel = "KIND[,KIND...]",
            description = "The files sent: jpeg, png, webp (real photos scaled to 1920x1080, three of each), video, text, hostile"
                    + " (1 request in 10), images (= jpeg,png,webp), images-large (the older image mix: three 2560 px photos and five small"
                    + " JPEG/PNG/WebP fixtures) or all (= images,video,text,hostile; default ${DEFAULT-VALUE}).")
    List<String> kinds;

    @Option(names = "--server-heap", defaultValue = "768m", paramLabel = "SIZE",
            description = "The server process's -Xmx, as aigcmark serve's launcher sets it (default ${DEFAULT-VALUE}).")
    String serverHeap;

    @Option(names = "--server-jvm-option", paramLabel = "OPTION",
            description = "An option for the server's JVM, e.g. -XX:StartFlightRecording=filename=serve.jfr,settings=profile (repeatable).")
    List<String> serverJvmOptions = new ArrayList<>();

    @Option(names = "--server-class-path", paramLabel = "PATH",
            description = "Start the server from another build (e.g. another checkout's bench/target/aigcmark-bench.jar):"
                    + " an A/B of two builds under the same corpus and load generator (default: this JVM's class path).")
    String serverClassPath;

    @Option(names = "--stages", defaultValue = "0", paramLabel = "N",
            description = "Before the levels, each file of the mix detected N times in this JVM (the server's detector settings):"
                    + " wall and CPU ms a file by stage (read, metadata, decode, watermark, sdxl, checks, verdict), where a request's time goes"
                    + " (default ${DEFAULT-VALUE}: none).")
    int stages;

    @Option(names = "--in-process", description = "Run the server in this JVM (no heap cap of its own; RSS counts the client too).")
    boolean inProcess;

    /** The first exchange that failed in this level, for its row. */
    private static final java.util.concurrent.atomic.AtomicReference<String> FIRST_FAILURE = new java.util.concurrent.atomic.AtomicReference<>();

    /** One body of the mix, with its kind (jpeg, png, webp, video, text, hostile). */
    record Upload(String name, byte[] bytes, String kind) {}

    /**
     * The older image mix ({@code --kinds images-large}, the default images before the 1080p corpus; kept so earlier
     * numbers stay comparable): three photos at their size (2560×1440 to 2560×1920), a labelled 512×320 JPEG, two
     * 400×250 PNGs, WebPs of 480×300 and 800×541.
     */
    private static final List<String> LARGE = List.of("photos/01-sky-bridge-cables.jpg", "photos/13-sunset-hilltop.jpg",
            "photos/18-mountain-trail-peaks.jpg", "labeled/xmp-element.jpg", "png/rgb.png", "png/with-text.png", "webp/lossy.webp",
            "webp/with-exif.webp");

    /** The fixtures of the mix besides images, by kind. */
    private static final List<String> OTHERS = List.of("video/sample-360p-2s5.mp4", "text/watermarked/kgw-en.txt");

    private static String kindOf(String fixture) {
        return fixture.endsWith(".jpg") ? "jpeg" : fixture.endsWith(".png") ? "png" : fixture.endsWith(".webp") ? "webp"
                : fixture.endsWith(".mp4") ? "video" : "text";
    }

    /** The kinds asked for, aliases expanded. */
    private java.util.Set<String> kindsAsked() {
        java.util.Set<String> asked = new java.util.LinkedHashSet<>();
        for (String k : kinds) {
            switch (k.strip().toLowerCase(Locale.ROOT)) {
                case "all" -> asked.addAll(List.of("jpeg", "png", "webp", "video", "text", "hostile"));
                case "images" -> asked.addAll(List.of("jpeg", "png", "webp"));
                case "jpeg", "png", "webp", "video", "text", "hostile", "images-large" -> asked.add(k.strip().toLowerCase(Locale.ROOT));
                default -> throw AigcmarkException.invalid("--kinds takes jpeg, png, webp, video, text, hostile, images, images-large or all, got " + k);
            }
        }
        return asked;
    }

    /** The server under test and how to read its memory. */
    private interface Server extends AutoCloseable {
        int port();

        /** Its resident set in KiB. */
        long rssKiB();

        /** Its CPU time so far (all threads), in nanoseconds; 0 where unknown. */
        long cpuNanos();

        /** A line on its heap after the run. */
        String heap();

        @Override
        void close() throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || requests > 1_000_000 || seconds < 1 || seconds > 3600 || versusSdk < 0 || versusSdk > 1_000_000
                || stages < 0 || stages > 100_000) {
            throw AigcmarkException.invalid("--requests must be 1..1000000, --seconds 1..3600, --versus-sdk 0..1000000 and --stages 0..100000");
        }
        if (inProcess && serverClassPath != null) {
            throw AigcmarkException.invalid("--server-class-path starts a server process: not with --in-process");
        }
        for (int c : concurrency) {
            if (c < 1 || c > 1024) {
                throw AigcmarkException.invalid("--concurrency values must be 1..1024, got " + c);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        java.util.Set<String> asked = kindsAsked();
        List<Upload> normal = new ArrayList<>();
        for (ServeBenchCorpus.Frame f : ServeBenchCorpus.frames(fixtures, asked)) {
            normal.add(new Upload(f.name(), f.bytes(), f.kind()));
        }
        for (String n : asked.contains("images-large") ? LARGE : List.<String>of()) {
            normal.add(new Upload(n, Files.readAllBytes(fixtures.resolve(n)), kindOf(n)));
        }
        for (String n : OTHERS) {
            if (asked.contains(kindOf(n))) {
                normal.add(new Upload(n, Files.readAllBytes(fixtures.resolve(n)), kindOf(n)));
            }
        }
        List<Upload> hostile = new ArrayList<>();
        for (String folder : asked.contains("hostile") ? List.of("bad", "bad-video") : List.<String>of()) {
            try (var files = Files.list(fixtures.resolve(folder))) {
                for (Path p : files.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList()) {
                    hostile.add(new Upload(folder + "/" + p.getFileName(), Files.readAllBytes(p), "hostile"));
                }
            }
        }
        if (normal.isEmpty()) {
            normal = hostile; // --kinds hostile: only those
            hostile = List.of();
        }
        this.normal = normal;
        this.hostile = hostile;
        int cores = Runtime.getRuntime().availableProcessors();
        int maxClients = Arrays.stream(concurrency).max().orElse(1);
        Detector detector = ServeBenchServer.checks(watermarkSearch).detector(); // the in-process comparison's
        if (stages > 0) {
            stages(out, metadataOnly ? detector.metadataOnly() : detector);
        }
        try (Server server = inProcess ? inProcess(cores, maxClients) : ownProcess(cores, maxClients)) {
            // a client must drop a kept-alive connection before the server's idle limit (--read-timeout-s, 20 s) closes
            // it, or a request sent on it as it closes fails; the JDK client keeps them 30 s unless told (read once)
            if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
                System.setProperty("jdk.httpclient.keepalive.timeout", "10");
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/detect" + (metadataOnly ? "?metadataOnly=true" : ""));
            out.printf(Locale.ROOT, "bench serve: POST /v1/detect%s, %d requests a level (at most %d s), %s on 127.0.0.1:%d"
                            + " (%d workers, queue %d, watermark search %s), %d cores, %d kinds of file + %d hostile%s%n",
                    metadataOnly ? "?metadataOnly=true" : "", requests, seconds,
                    inProcess ? "in-process server" : "server process (-Xmx" + serverHeap + (serverClassPath != null ? ", from " + serverClassPath : "") + ")",
                    server.port(), cores, maxClients,
                    watermarkSearch.name().toLowerCase(Locale.ROOT), cores, normal.size(), hostile.size(),
                    hostile.isEmpty() ? "" : " (1 request in 10)");
            out.println("files: " + normal.stream().map(u -> u.name() + " " + (u.bytes().length + 512) / 1024 + " KiB")
                    .collect(java.util.stream.Collectors.joining(", ")));
            // warm-up: every file once, not counted
            for (Upload u : concat(normal, hostile)) {
                send(http, uri, u);
            }
            out.printf(Locale.ROOT, "%-11s %8s %8s %8s %8s %8s %10s  %-28s %9s %9s %9s%n", "concurrency", "requests", "seconds", "req/s",
                    "p50 ms", "p99 ms", "cpu ms/req", "answers by status", "RSS start", "RSS end", "RSS peak");
            for (int c : concurrency) {
                out.println(level(http, uri, c, server));
                String failure = FIRST_FAILURE.getAndSet(null);
                if (failure != null) {
                    out.println("  first failed exchange: " + failure);
                }
                out.flush();
            }
            if (versusSdk > 0) {
                out.println(versusSdk(http, uri, metadataOnly ? detector.metadataOnly() : detector));
            }
            out.printf(Locale.ROOT, "server process after the run: RSS %d MiB%s, %s%n", server.rssKiB() / 1024,
                    inProcess ? " (client in the same JVM)" : "", server.heap());
        } finally {
            detector.close();
        }
        return ExitCodes.OK;
    }

    private List<Upload> normal;
    private List<Upload> hostile;

    /** The i-th request's file: the mix in turn, one in ten a hostile file when there are some. */
    private Upload upload(int i) {
        return !hostile.isEmpty() && i % 10 == 9 ? hostile.get((i / 10) % hostile.size()) : normal.get(i % normal.size());
    }

    private Server inProcess(int workers, int queue) {
        AigcmarkServer server = AigcmarkServer.start(ServeBenchServer.checks(watermarkSearch), ServeBenchServer.settings(workers, queue),
                new PrintWriter(java.io.Writer.nullWriter()));
        return new Server() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public long rssKiB() {
                return ServeBenchCommand.rssKiB(ProcessHandle.current().pid());
            }

            @Override
            public long cpuNanos() {
                return ServeBenchCommand.cpuNanos(ProcessHandle.current());
            }

            @Override
            public String heap() {
                Runtime rt = Runtime.getRuntime();
                return "heap used " + ((rt.totalMemory() - rt.freeMemory()) >> 20) + " MiB of " + (rt.maxMemory() >> 20) + " MiB max";
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /**
     * The server in a JVM of its own: this JVM's java and class path, its module options (as the launcher gave them),
     * G1 as {@code aigcmark serve} runs (unless a {@code --server-jvm-option} names a collector), {@code -Xmx} {@code
     * --server-heap} and any {@code --server-jvm-option}.
     */
    private Server ownProcess(int workers, int queue) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access")) {
                command.add(a);
            }
        }
        if (serverJvmOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            command.add("-XX:+UseG1GC"); // aigcmark serve's collector (the launcher's), whatever this JVM runs
        }
        command.add("-Xmx" + serverHeap);
        command.addAll(serverJvmOptions);
        command.addAll(List.of("-cp", serverClassPath != null ? serverClassPath : System.getProperty("java.class.path"), ServeBenchServer.class.getName(),
                watermarkSearch.name().toLowerCase(Locale.ROOT), String.valueOf(workers), String.valueOf(queue)));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        String first = lines.readLine();
        while (first != null && !first.startsWith("port ")) {
            System.err.println(first); // the JVM's own lines (e.g. JFR's start) come first
            first = lines.readLine();
        }
        if (first == null) {
            p.destroyForcibly();
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the server process did not start (" + first + "): " + command);
        }
        int port = Integer.parseInt(first.substring(5).strip());
        String[] heap = {"heap unknown"};
        return new Server() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public long rssKiB() {
                return ServeBenchCommand.rssKiB(p.pid());
            }

            @Override
            public long cpuNanos() {
                return ServeBenchCommand.cpuNanos(p.toHandle());
            }

            @Override
            public String heap() {
                try {
                    p.getOutputStream().close(); // the server stops at the end of its input and says its heap
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith("heap ")) {
                            heap[0] = line;
                        }
                    }
                } catch (IOException e) {
                    // it has gone: nothing to say
                }
                return heap[0];
            }

            @Override
            public void close() throws Exception {
                p.getOutputStream().close();
                if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        };
    }

    /**
     * The service's cost over the sdk's: the same uploads, one at a time, each sent to the service and detected
     * in-process by the same detector, alternating which goes first (so neither always runs on a warmer cache).
     * The ratio is of the medians; the overhead is the median of the pairs' differences.
     */
    private String versusSdk(HttpClient http, URI uri, Detector sdk) {
        long[] viaService = new long[versusSdk];
        long[] inProcess = new long[versusSdk];
        long[] difference = new long[versusSdk];
        // the in-process detector warms up as the server did (every file once, before the levels)
        for (Upload u : concat(normal, hostile)) {
            detectInProcess(sdk, u);
        }
        for (int i = 0; i < versusSdk; i++) {
            Upload u = upload(i);
            for (int turn = 0; turn < 2; turn++) {
                long t = System.nanoTime();
                if ((turn == 0) == (i % 2 == 0)) {
                    send(http, uri, u);
                    viaService[i] = System.nanoTime() - t;
                } else {
                    detectInProcess(sdk, u);
                    inProcess[i] = System.nanoTime() - t;
                }
            }
            difference[i] = viaService[i] - inProcess[i];
        }
        Arrays.sort(viaService);
        Arrays.sort(inProcess);
        Arrays.sort(difference);
        double service = percentile(viaService, 50);
        double direct = percentile(inProcess, 50);
        return String.format(Locale.ROOT, "versus the sdk in-process, %d pairs one at a time%s: median %.2f ms via the service, %.2f ms"
                        + " Detector.detect; ratio %.3f; the service's own cost per request %.2f ms (median of the differences)",
                versusSdk, this.inProcess ? "" : " (the sdk in the load generator's JVM)", service, direct, service / direct, percentile(difference, 50));
    }

    /**
     * Where a detection's time goes, file by file: {@code --stages} detections of each (after one to warm up), the
     * median wall time and the CPU time of each stage ({@link DetectionTimings}, the mean a file); what the stages do
     * not cover (a video's frame checks) is the gap between the wall time and their sum.
     */
    private void stages(PrintWriter out, Detector base) {
        List<DetectionTimings.Stage> shown = List.of(DetectionTimings.Stage.READ, DetectionTimings.Stage.METADATA, DetectionTimings.Stage.DECODE,
                DetectionTimings.Stage.WATERMARK, DetectionTimings.Stage.SDXL, DetectionTimings.Stage.CHECKS, DetectionTimings.Stage.VERDICT);
        out.printf(Locale.ROOT, "in this JVM, %d detections a file: median wall ms, then %s ms a file by stage%n", stages,
                DetectionTimings.cpuTime() ? "CPU" : "wall");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-38s %9s", "file", "wall"));
        shown.forEach(st -> head.append(String.format(Locale.ROOT, " %9s", st.name().toLowerCase(Locale.ROOT))));
        out.println(head);
        for (Upload u : concat(normal, hostile)) {
            DetectionTimings timings = new DetectionTimings();
            Detector d = base.withTimings(timings);
            detectInProcess(d, u);
            timings.reset();
            long[] wall = new long[stages];
            for (int i = 0; i < stages; i++) {
                long t = System.nanoTime();
                detectInProcess(d, u);
                wall[i] = System.nanoTime() - t;
            }
            Arrays.sort(wall);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-38s %9.2f", u.name(), percentile(wall, 50)));
            long files = Math.max(1, timings.files());
            shown.forEach(st -> row.append(String.format(Locale.ROOT, " %9.2f", timings.nanos(st) / 1e6 / files)));
            out.println(row);
            out.flush();
        }
    }

    private static void detectInProcess(Detector sdk, Upload u) {
        try {
            sdk.detect(u.bytes(), u.name(), false);
        } catch (AigcmarkException refused) {
            // a hostile file: refused in-process as the service refuses it (422)
        }
    }

    private String level(HttpClient http, URI uri, int clients, Server server) throws Exception {
        long rssStart = server.rssKiB();
        long cpuStart = server.cpuNanos();
        AtomicLong rssPeak = new AtomicLong(rssStart);
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        long deadline = t0 + seconds * 1_000_000_000L;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                running.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests && System.nanoTime() < deadline; ) {
                        Upload u = upload(i);
                        long s = System.nanoTime();
                        String status = send(http, uri, u);
                        latencies[i] = System.nanoTime() - s;
                        statuses.computeIfAbsent(status, x -> new LongAdder()).increment();
                        done.incrementAndGet();
                        if (i % 16 == 0) {
                            rssPeak.accumulateAndGet(server.rssKiB(), Math::max);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long rssEnd = server.rssKiB();
        double cpuPerRequest = (server.cpuNanos() - cpuStart) / 1e6 / Math.max(1, done.get());
        rssPeak.accumulateAndGet(rssEnd, Math::max);
        long[] measured = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        Map<String, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
        StringBuilder answers = new StringBuilder();
        byStatus.forEach((k, v) -> answers.append(answers.isEmpty() ? "" : " ").append(k).append(':').append(v));
        return String.format(Locale.ROOT, "%-11d %8d %8.1f %8.1f %8.1f %8.1f %10.2f  %-28s %6d MiB %6d MiB %6d MiB%n%s", clients, done.get(), secs,
                done.get() / secs, percentile(measured, 50), percentile(measured, 99), cpuPerRequest, answers, rssStart / 1024, rssEnd / 1024, rssPeak.get() / 1024,
                byKind(latencies));
    }

    /** p50/p99 by kind of file for one level: where the time goes. */
    private String byKind(long[] latencies) {
        Map<String, List<Long>> byKind = new java.util.LinkedHashMap<>();
        for (int i = 0; i < latencies.length; i++) {
            if (latencies[i] > 0) {
                byKind.computeIfAbsent(upload(i).kind(), k -> new ArrayList<>()).add(latencies[i]);
            }
        }
        StringBuilder line = new StringBuilder("  by kind (n p50/p99 ms):");
        byKind.forEach((kind, list) -> {
            long[] sorted = list.stream().mapToLong(Long::longValue).sorted().toArray();
            line.append(String.format(Locale.ROOT, " %s %d %.1f/%.1f;", kind, sorted.length, percentile(sorted, 50), percentile(sorted, 99)));
        });
        return line.toString();
    }

    /** The answer's status, or {@code io} when the exchange failed. */
    private static String send(HttpClient http, URI uri, Upload u) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(uri + (uri.getQuery() == null ? "?" : "&") + "name="
                            + java.net.URLEncoder.encode(u.name(), java.nio.charset.StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(u.bytes())).header("Content-Type", "application/octet-stream").build();
            return String.valueOf(http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            FIRST_FAILURE.compareAndSet(null, u.name() + ": " + e);
            return "io";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "io";
        }
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /**
     * A process's CPU time, all threads, in nanoseconds (0 where the OS does not say): the server's CPU a request is
     * its cost whatever else loads the machine (wall times are not, on a shared one).
     */
    static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** A process's resident set (Linux /proc/PID/status VmRSS), in KiB; 0 where there is none. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no RSS
        }
        return 0;
    }

    private static List<Upload> concat(List<Upload> a, List<Upload> b) {
        List<Upload> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
