package org.aigcmark.bench;

import org.aigcmark.ExitCodes;

import java.io.ByteArrayOutputStream;
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
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.serve.AigcmarkServer;
import org.aigcmark.serve.ServeSettings;
import org.aigcmark.serve.ServiceChecks;
import org.aigcmark.text.TextChecker;
import org.aigcmark.watermark.WatermarkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark bench serve}: a load generator against the service, started in this process on loopback (port 0),
 * so nothing outside the machine is called. Each concurrency level sends {@code --requests} {@code POST /v1/detect}
 * requests (bounded by {@code --seconds}) mixing real fixtures: photos (JPEG), PNG, WebP, a small video, texts, and
 * one request in ten a hostile file from the bad-input fixtures. Prints throughput, p50/p99 latency, answers by
 * status, and the process's resident memory (server and client together) at the start and end of each level.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Load test of aigcmark serve, started in-process on 127.0.0.1 (an ephemeral port).",
                "Sends POST /v1/detect with a mix of photos, PNG, WebP, a small video, text and 10% hostile files, at each concurrency.",
                "Prints requests/s, p50/p99 latency, answers by status and RSS (server and client share the JVM)."})
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

    /** The first exchange that failed in this level, for its row. */
    private static final java.util.concurrent.atomic.AtomicReference<String> FIRST_FAILURE = new java.util.concurrent.atomic.AtomicReference<>();

    /** One body of the mix. */
    record Upload(String name, byte[] bytes, boolean hostile) {}

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || requests > 1_000_000 || seconds < 1 || seconds > 3600 || versusSdk < 0 || versusSdk > 1_000_000) {
            throw AigcmarkException.invalid("--requests must be 1..1000000, --seconds 1..3600 and --versus-sdk 0..1000000");
        }
        for (int c : concurrency) {
            if (c < 1 || c > 1024) {
                throw AigcmarkException.invalid("--concurrency values must be 1..1024, got " + c);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Upload> normal = uploads(List.of("photos/01-sky-bridge-cables.jpg", "photos/13-sunset-hilltop.jpg", "photos/18-mountain-trail-peaks.jpg",
                "labeled/xmp-element.jpg", "png/rgb.png", "png/with-text.png", "webp/lossy.webp", "webp/with-exif.webp",
                "video/sample-360p-2s5.mp4", "text/watermarked/kgw-en.txt"), false);
        List<Upload> hostile = new ArrayList<>();
        for (String folder : List.of("bad", "bad-video")) {
            try (var files = Files.list(fixtures.resolve(folder))) {
                for (Path p : files.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList()) {
                    hostile.add(new Upload(folder + "/" + p.getFileName(), Files.readAllBytes(p), true));
                }
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int maxClients = Arrays.stream(concurrency).max().orElse(1);
        WatermarkKey key = WatermarkKey.fromPassphrase("bench");
        Detector detector = Detector.create(Labeler.create(), List.of(key), List.of(), List.of()).withWatermarkSearch(watermarkSearch);
        ServiceChecks checks = new ServiceChecks(detector, Labeler.create(), List.of(), C2paValidator.NO_ANCHORS, TextChecker.of(List.of(key)));
        // every client may wait: the run measures work, not 429s
        ServeSettings settings = ServeSettings.defaults().withPort(0).withLimits(64L << 20, cores, maxClients, Duration.ofSeconds(120));
        try (AigcmarkServer server = AigcmarkServer.start(checks, settings, new PrintWriter(new ByteArrayOutputStream()))) {
            // a client must drop a kept-alive connection before the server's idle limit (--read-timeout-s, 20 s) closes
            // it, or a request sent on it as it closes fails; the JDK client keeps them 30 s unless told (read once)
            if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
                System.setProperty("jdk.httpclient.keepalive.timeout", "10");
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/detect" + (metadataOnly ? "?metadataOnly=true" : ""));
            out.printf(Locale.ROOT, "bench serve: POST /v1/detect%s, %d requests a level (at most %d s), in-process server on 127.0.0.1:%d"
                            + " (%d workers, queue %d, watermark search %s), %d cores, %d kinds of file + %d hostile (1 request in 10)%n",
                    metadataOnly ? "?metadataOnly=true" : "", requests, seconds, server.port(), cores, maxClients,
                    watermarkSearch.name().toLowerCase(Locale.ROOT), cores, normal.size(), hostile.size());
            // warm-up: every file once, not counted
            for (Upload u : concat(normal, hostile)) {
                send(http, uri, u);
            }
            out.printf(Locale.ROOT, "%-11s %8s %8s %8s %8s %8s  %-28s %9s %9s %9s%n", "concurrency", "requests", "seconds", "req/s",
                    "p50 ms", "p99 ms", "answers by status", "RSS start", "RSS end", "RSS peak");
            for (int c : concurrency) {
                out.println(level(http, uri, c, normal, hostile));
                String failure = FIRST_FAILURE.getAndSet(null);
                if (failure != null) {
                    out.println("  first failed exchange: " + failure);
                }
                out.flush();
            }
            if (versusSdk > 0) {
                out.println(versusSdk(http, uri, metadataOnly ? detector.metadataOnly() : detector, normal, hostile));
            }
            out.printf(Locale.ROOT, "server process after the run: RSS %d MiB (client in the same JVM), heap used %d MiB of %d MiB max%n",
                    rssKiB() / 1024, (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20, Runtime.getRuntime().maxMemory() >> 20);
        }
        return ExitCodes.OK;
    }

    /**
     * The service's cost over the sdk's: the same uploads, one at a time, each sent to the service and detected
     * in-process by the same detector, alternating which goes first (so neither always runs on a warmer cache).
     * The ratio is of the medians; the overhead is the median of the pairs' differences.
     */
    private String versusSdk(HttpClient http, URI uri, Detector sdk, List<Upload> normal, List<Upload> hostile) {
        long[] viaService = new long[versusSdk];
        long[] inProcess = new long[versusSdk];
        long[] difference = new long[versusSdk];
        for (int i = 0; i < versusSdk; i++) {
            Upload u = i % 10 == 9 ? hostile.get((i / 10) % hostile.size()) : normal.get(i % normal.size());
            for (int turn = 0; turn < 2; turn++) {
                long t = System.nanoTime();
                if ((turn == 0) == (i % 2 == 0)) {
                    send(http, uri, u);
                    viaService[i] = System.nanoTime() - t;
                } else {
                    try {
                        sdk.detect(u.bytes(), u.name(), false);
                    } catch (AigcmarkException refused) {
                        // a hostile file: refused in-process as the service refuses it (422)
                    }
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
        return String.format(Locale.ROOT, "versus the sdk in-process, %d pairs one at a time: median %.2f ms via the service, %.2f ms"
                        + " Detector.detect; ratio %.3f; the service's own cost per request %.2f ms (median of the differences)",
                versusSdk, service, direct, service / direct, percentile(difference, 50));
    }

    private String level(HttpClient http, URI uri, int clients, List<Upload> normal, List<Upload> hostile) throws Exception {
        long rssStart = rssKiB();
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
                        Upload u = i % 10 == 9 ? hostile.get((i / 10) % hostile.size()) : normal.get(i % normal.size());
                        long s = System.nanoTime();
                        String status = send(http, uri, u);
                        latencies[i] = System.nanoTime() - s;
                        statuses.computeIfAbsent(status, x -> new LongAdder()).increment();
                        done.incrementAndGet();
                        if (i % 16 == 0) {
                            rssPeak.accumulateAndGet(rssKiB(), Math::max);
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
        long rssEnd = rssKiB();
        rssPeak.accumulateAndGet(rssEnd, Math::max);
        long[] measured = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        Map<String, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
        StringBuilder answers = new StringBuilder();
        byStatus.forEach((k, v) -> answers.append(answers.isEmpty() ? "" : " ").append(k).append(':').append(v));
        return String.format(Locale.ROOT, "%-11d %8d %8.1f %8.1f %8.1f %8.1f  %-28s %6d MiB %6d MiB %6d MiB", clients, done.get(), secs,
                done.get() / secs, percentile(measured, 50), percentile(measured, 99), answers, rssStart / 1024, rssEnd / 1024, rssPeak.get() / 1024);
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

    /** The process's resident set (Linux /proc/self/status VmRSS), in KiB; 0 where there is none. */
    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no RSS
        }
        return 0;
    }

    private List<Upload> uploads(List<String> names, boolean hostile) throws IOException {
        List<Upload> list = new ArrayList<>();
        for (String n : names) {
            list.add(new Upload(n, Files.readAllBytes(fixtures.resolve(n)), hostile));
        }
        return list;
    }

    private static List<Upload> concat(List<Upload> a, List<Upload> b) {
        List<Upload> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
