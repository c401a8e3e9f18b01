package org.aigcmark.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.aigcmark.serve.ApiKeys.Permission;

/**
 * {@code aigcmark serve}: the sdk's one detection pipeline over HTTP, for platforms that check every upload.
 * {@code POST /v1/detect} answers exactly what {@code aigcmark detect --json} prints for the same bytes,
 * {@code /v1/inspect} what {@code inspect --json} prints, {@code /v1/text/detect} what {@code text detect --json}
 * prints; {@code /health}, {@code /metrics} (Prometheus) and {@code /openapi} describe the service.
 *
 * <p>Each request runs on a virtual thread (Helidon SE). A body is spooled to a private temp folder, counting as it
 * comes (413 past the limit, never read whole into memory first); at most {@code maxConcurrent} requests work and
 * {@code queue} wait, the rest get 429 with {@code Retry-After}; a request past its time gets 504 (its worker slot is
 * only freed once the work really ends). Input never stops the process: the sdk's exceptions become 422 with the
 * CLI's sentence, anything else 500. {@link #close()} drains what is in flight, stops listening and closes the
 * detector.
 */
public final class AigcmarkServer implements AutoCloseable {
    /** Bodies are copied in chunks of this size. */
    private static final int CHUNK = 64 << 10;
    /**
     * The most of a refused body that is read and dropped before its connection closes (see {@link #discardRest}); a
     * body with more left is cut off (the client may then see a reset instead of the refusal).
     */
    static final long LINGER_MAX_BYTES = 8L << 20;
    /**
     * Bodies over this size are detected from their spooled file (the sdk's Path route: MP4/MKV never read whole);
     * a raw body up to this size with its {@code Content-Length} is read off the connection into memory, while
     * {@link #inMemoryLeft} allows, and never touches the disk.
     */
    static final long IN_MEMORY_MAX_BYTES = 8L << 20;
    /**
     * The most bytes of bodies held in memory at once, waiting or working (an eighth of the heap, at most 64 MiB);
     * a body that does not fit is spooled to disk as a large one is, so memory stays bounded whatever the queue.
     */
    static final long IN_MEMORY_BUDGET_BYTES = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
    /** The endpoints and their methods; any other path is 404, another method on one of these 405. */
    private static final java.util.Map<String, String> ENDPOINTS = java.util.Map.ofEntries(
            java.util.Map.entry("/v1/detect", "POST"), java.util.Map.entry("/v1/inspect", "POST"),
            java.util.Map.entry("/v1/text/detect", "POST"), java.util.Map.entry("/v1/label", "POST"),
            java.util.Map.entry("/v1/propagate", "POST"), java.util.Map.entry("/v1/text/label", "POST"),
            java.util.Map.entry("/health", "GET"), java.util.Map.entry("/metrics", "GET"), java.util.Map.entry("/openapi", "GET"),
            java.util.Map.entry("/", "GET"), java.util.Map.entry("/app.js", "GET"), java.util.Map.entry("/app.css", "GET"));
    /**
     * The web page's policy: its own script and style only (no inline code, no eval), calls to this origin only,
     * never framed; file contents shown as images come as blob: URLs.
     */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Endpoints that write labels: the {@code label} permission. */
    private static final Set<String> LABELLING = Set.of("/v1/label", "/v1/propagate", "/v1/text/label");

    private final ServiceChecks checks;
    /** The detector with another watermark search, made once per search a request asks for (its watermarkers hold the keys' tiles). */
    private final java.util.concurrent.ConcurrentHashMap<org.aigcmark.watermark.WatermarkOptions.Search, Detector> bySearch =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ServeSettings settings;
    private final ApiKeys keys;
    private final RequestLog log;
    private final Admission admission;
    private final ServiceMetrics metrics;
    private final Path spool;
    /** What is left of {@link #IN_MEMORY_BUDGET_BYTES}. */
    private final java.util.concurrent.atomic.AtomicLong inMemoryLeft = new java.util.concurrent.atomic.AtomicLong(IN_MEMORY_BUDGET_BYTES);

    /** Requests admitted and not finished (tests check that every one leaves). */
    int inFlight() {
        return admission.inFlight();
    }

    /** What is left of the in-memory body budget (tests check that it all comes back). */
    long inMemoryBytesLeft() {
        return inMemoryLeft.get();
    }

    /** This server's private temp folder (tests check it empties; other servers' folders are not theirs to read). */
    Path spoolFolder() {
        return spool;
    }
    /**
     * The work (detection, labelling) runs on platform threads, one a task (at most {@code maxConcurrent}, plus
     * timed-out work still ending): a CPU-bound task on a virtual thread holds its carrier until it ends, and with
     * every carrier (one a core) busy with detection, the connections' virtual threads (reading bodies, answering
     * /health, 429, 503) did not run for seconds, long enough for the idle and slow-client limits to close
     * connections whose requests had arrived. Platform threads are time-sliced by the OS, so the I/O goes on. The
     * threads are kept (a minute idle) and reused: starting an OS thread a request cost more than a metadata-level
     * detection.
     */
    private final ExecutorService workers = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("aigcmark-serve-worker-", 0).daemon(true).factory());
    private final byte[] openapi;
    private final SlowHeads slowHeads;
    private final byte[] pageHtml;
    private final byte[] pageJs;
    private final byte[] pageCss;
    /** What a 503 during the drain asks clients to wait before they retry, in seconds. */
    static final int RETRY_AFTER_DRAINING_S = 5;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean draining;
    /** The TLS certificate's files, reloaded when they change; null over plain HTTP. */
    private volatile TlsFiles.Reloading tlsReload;
    private WebServer server;

    // Helidon logs through java.util.logging; its start-up lines would come before ours (kept: warnings and errors)
    private static final java.util.logging.Logger HELIDON_LOGS = java.util.logging.Logger.getLogger("io.helidon");

    private AigcmarkServer(ServiceChecks checks, ServeSettings settings, PrintWriter logTo) {
        this.checks = checks;
        this.settings = settings;
        this.log = new RequestLog(logTo);
        this.keys = settings.apiKeys() == null ? null : ApiKeys.load(settings.apiKeys(), log::info);
        this.admission = new Admission(settings.maxConcurrent(), settings.queue());
        this.metrics = new ServiceMetrics(admission::inFlight, admission::waiting);
        this.slowHeads = new SlowHeads(settings.readTimeout(), () -> metrics.rejected("slow"));
        try (InputStream in = AigcmarkServer.class.getResourceAsStream("openapi.json")) {
            this.openapi = in.readAllBytes();
            this.pageHtml = resource("web/index.html");
            this.pageJs = resource("web/app.js");
            // the scan report's look (the sdk's ReportHtml, shared with the CLI's scan --html), then the page's own
            this.pageCss = (org.aigcmark.report.ReportHtml.STYLE + "\n" + new String(resource("web/page.css"), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            this.spool = Files.createTempDirectory("aigcmark-serve-");
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot make the service's temp folder: " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = AigcmarkServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the jar lacks " + name);
            }
            return in.readAllBytes();
        }
    }

    /**
     * Starts listening and logs where, and whether auth is on, as its first line. The service owns {@code checks}'
     * detector from now on (closed by {@link #close()}).
     */
    public static AigcmarkServer start(ServiceChecks checks, ServeSettings settings, PrintWriter log) {
        HELIDON_LOGS.setLevel(java.util.logging.Level.WARNING);
        AigcmarkServer s = new AigcmarkServer(checks, settings, log);
        try {
            var builder = WebServer.builder()
                    .host(settings.bind())
                    .port(settings.port())
                    .shutdownHook(false) // ours drains first (see close)
                    // slow clients: a read waits at most readTimeout, a request head must be whole within readTimeout
                    // (SlowHeads), a body must keep up a minimum rate (copyBounded)
                    .connectionOptions(io.helidon.common.socket.SocketOptions.builder().readTimeout(settings.readTimeout()).build())
                    .idleConnectionTimeout(settings.readTimeout())
                    .idleConnectionPeriod(quarter(settings.readTimeout()))
                    .addProtocol(io.helidon.webserver.http1.Http1Config.builder().addReceiveListener(s.slowHeads).build())
                    .routing(s::routes);
            if (settings.tls()) {
                // what is watched is hashed before it is read: a change in between is seen at the first request
                s.tlsReload = new TlsFiles.Reloading(settings.tlsCert(), settings.tlsKey(), tls -> s.server.reloadTls(tls), s.log::info);
                builder.tls(TlsFiles.tls(settings.tlsCert(), settings.tlsKey()));
            }
            s.server = builder.build().start();
        } catch (AigcmarkException e) {
            s.slowHeads.close();
            s.discardSpool();
            throw e;
        } catch (RuntimeException e) {
            s.slowHeads.close();
            s.discardSpool();
            throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE,
                    "cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        String where = settings.bind() + ":" + s.port();
        s.log.info("aigcmark serve listening on " + (settings.tls() ? "https://" : "http://") + where + ", " + (s.keys == null
                ? "auth OFF: anyone who can reach " + where + " may call it (--api-keys FILE turns it on)"
                : "auth ON: " + s.keys.size() + " API key(s) from " + settings.apiKeys()) + "; limits: "
                + settings.maxBodyBytes() / (1 << 20) + " MiB a body, " + settings.maxConcurrent() + " at once, "
                + settings.queue() + " waiting, " + settings.timeout().toSeconds() + " s a request");
        s.log.info(pixelDecoders());
        return s;
    }

    /**
     * Which decoders detection reads pixels with, so an operator sees a missing system library (libturbojpeg0,
     * libdeflate0, libwebp7: "not installed", and the slower fallback after "else") in the log instead of in the CPU bill.
     */
    static String pixelDecoders() {
        return "detection decodes JPEG with " + names(org.aigcmark.format.jpeg.JpegDecoder.class, org.aigcmark.format.jpeg.JpegDecoder::name)
                + "ImageIO; PNG with its row reader, inflating with " + names(org.aigcmark.format.png.ZlibInflater.class, org.aigcmark.format.png.ZlibInflater::name)
                + "the JDK's zlib; WebP with " + names(org.aigcmark.format.webp.WebpDecoder.class, org.aigcmark.format.webp.WebpDecoder::name)
                + "the pure-Java reader";
    }

    private static <T> String names(Class<T> service, java.util.function.Function<T, String> name) {
        StringBuilder b = new StringBuilder();
        try {
            for (T p : java.util.ServiceLoader.load(service, service.getClassLoader())) {
                b.append(name.apply(p)).append(", else ");
            }
        } catch (java.util.ServiceConfigurationError | LinkageError e) {
            // a broken provider: the sdk skips it too
        }
        return b.toString();
    }

    private static java.time.Duration quarter(java.time.Duration d) {
        java.time.Duration q = d.dividedBy(4);
        return q.compareTo(java.time.Duration.ofMillis(100)) < 0 ? java.time.Duration.ofMillis(100) : q;
    }

    /** The port it listens on (the one picked when started with port 0). */
    public int port() {
        return server.port();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Graceful stop: {@code /health} says DOWN, new work gets 503 with {@code Retry-After} (and every answer
     * {@code Connection: close}), requests in flight finish and are answered, for at most the settings'
     * {@code drainTimeout}; then the listener stops (what still runs is cut off), the detector (models) is closed and
     * the temp folder removed. Safe from a shutdown hook; a second call waits for the first.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            draining = true;
            int inFlight = admission.inFlight();
            long drainMillis = settings.drainTimeout().toMillis();
            log.info("stopping: draining " + inFlight + " request(s) in flight, for at most " + drainMillis + " ms");
            boolean drained = admission.awaitIdle(settings.drainTimeout().toNanos());
            int cutOff = admission.inFlight();
            server.stop();
            slowHeads.close();
            workers.shutdownNow();
            checks.detector().close();
            discardSpool();
            log.info(drained ? "stopped" : "stopped: " + cutOff + " request(s) still in flight after the " + drainMillis + " ms drain were cut off");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed.countDown();
        }
    }

    private void routes(HttpRouting.Builder r) {
        r.addFilter(this::filter)
                .post("/v1/detect", (req, res) -> work(req, res, "/v1/detect", q -> this::detect))
                .post("/v1/inspect", (req, res) -> work(req, res, "/v1/inspect", q -> this::inspect))
                .post("/v1/text/detect", (req, res) -> work(req, res, "/v1/text/detect", q -> this::textDetect))
                .post("/v1/label", this::label)
                .post("/v1/propagate", this::propagate)
                .post("/v1/text/label", this::textLabel)
                .get("/health", (req, res) -> sendJson(res, 200, draining ? "{\"status\":\"DOWN\"}\n" : "{\"status\":\"UP\"}\n"))
                .get("/metrics", (req, res) -> send(res, 200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8)))
                .get("/openapi", (req, res) -> send(res, 200, "application/json", openapi))
                .get("/", (req, res) -> page(res, "text/html; charset=utf-8", pageHtml))
                .get("/app.js", (req, res) -> page(res, "text/javascript; charset=utf-8", pageJs))
                .get("/app.css", (req, res) -> page(res, "text/css; charset=utf-8", pageCss))
                .any(this::unrouted); // Helidon's own 404 would be plain text: ours is the JSON error
    }

    /** The web page's files, with its content security policy. */
    private static void page(ServerResponse res, String contentType, byte[] body) {
        res.header(HeaderNames.create("Content-Security-Policy"), PAGE_POLICY);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        send(res, 200, contentType, body);
    }

    /** No route matched: 405 with {@code Allow} for a known path and another method, else 404. */
    private void unrouted(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        String allowed = ENDPOINTS.get(path);
        if (allowed != null) {
            res.header(HeaderNames.ALLOW, allowed);
            error(res, 405, req.prologue().method().text() + " is not allowed on " + path + "; use " + allowed, "METHOD_NOT_ALLOWED");
        } else {
            error(res, 404, "no endpoint at " + path + " (see /openapi)", "NOT_FOUND");
        }
    }

    /** What one request did, for its log line and metrics (found through the request's context). */
    private static final class Exchange {
        volatile String keyId = "-";
        volatile long bytesIn;
    }

    /** Auth for /v1/*, then the request's log line and metrics whatever happened. */
    private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long t0 = System.nanoTime();
        String path = req.path().path();
        Exchange x = new Exchange();
        req.context().register(x);
        TlsFiles.Reloading tls = tlsReload;
        if (tls != null) {
            tls.check(); // a renewed certificate: served to the connections opened from now on
        }
        if (draining) {
            res.header(HeaderNames.CONNECTION, "close"); // clients with kept-alive connections go elsewhere
        }
        // Helidon's idle-connection check (the request line's limit) counts a request still worked on as idle, and past
        // the limit marks its connection to close after the answer; that answer must say so, or the client reuses the
        // connection and its next request fails (seen as failed exchanges in bench serve when requests queue > 20 s)
        long idleSoon = settings.readTimeout().toNanos() - quarter(settings.readTimeout()).toNanos();
        res.beforeSend(() -> {
            if (System.nanoTime() - t0 >= idleSoon) {
                res.header(HeaderNames.CONNECTION, "close");
            }
        });
        try {
            authorizeAndProceed(chain, req, res, path, x);
        } finally {
            long nanos = System.nanoTime() - t0;
            int status = res.status().code();
            metrics.request(ENDPOINTS.containsKey(path) ? path : "other", status, nanos);
            log.request(req.prologue().method().text(), path, status, x.bytesIn, res.bytesWritten(), nanos, x.keyId);
        }
        if (res.isSent() && res.headers().contains(io.helidon.http.HeaderValues.CONNECTION_CLOSE)) {
            // Helidon reads the next request after any answer, even one that says Connection: close; so we close it
            throw new io.helidon.webserver.CloseConnectionException("answered with Connection: close");
        }
    }

    private void authorizeAndProceed(FilterChain chain, RoutingRequest req, RoutingResponse res, String path, Exchange x) {
        if (keys != null && path.startsWith("/v1/")) {
            String presented = presentedKey(req);
            var caller = presented == null ? java.util.Optional.<ApiKeys.Caller>empty() : keys.find(presented);
            if (caller.isEmpty()) {
                metrics.rejected("unauthorized");
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                res.header(HeaderNames.CONNECTION, "close"); // the body is not read (see discardRest)
                error(res, 401, presented == null ? "an API key is required (Authorization: Bearer KEY or X-Api-Key: KEY)"
                        : "the API key is not valid", "UNAUTHORIZED");
                discardRest(req, null, 0);
                return;
            }
            x.keyId = caller.get().keyId();
            Permission needed = LABELLING.contains(path) ? Permission.LABEL : Permission.DETECT;
            if (!caller.get().permissions().contains(needed)) {
                metrics.rejected("forbidden");
                res.header(HeaderNames.CONNECTION, "close");
                error(res, 403, "this API key lacks the " + needed.name().toLowerCase(Locale.ROOT) + " permission", "FORBIDDEN");
                discardRest(req, null, 0);
                return;
            }
        }
        chain.proceed();
    }

    private static String presentedKey(RoutingRequest req) {
        var auth = req.headers().first(HeaderNames.AUTHORIZATION);
        if (auth.isPresent() && auth.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.get().substring(7).strip();
        }
        return req.headers().first(HeaderNames.create("X-Api-Key")).map(String::strip).orElse(null);
    }

    /** One endpoint's work on the request body, with its query. */
    @FunctionalInterface
    private interface Work {
        Reply run(Body body, Query query) throws IOException;
    }

    /**
     * A request body: in memory (a small raw body, its bytes counted against {@link #inMemoryLeft}) or spooled to the
     * temp folder. Either form is given to the work that needs the other (a file for the sdk's Path routes is written
     * on demand). {@link #release} frees both, once.
     */
    private final class Body {
        private byte[] bytes;
        private Path file;
        private long reserved;
        private long size;

        /** A body read into memory, its {@code reserved} bytes taken from the budget. */
        Body(byte[] bytes, long reserved) {
            this.bytes = bytes;
            this.reserved = reserved;
        }

        /** A body being spooled to {@code file}. */
        Body(Path file) {
            this.file = file;
        }

        /** The body has been read: {@code n} bytes (an in-memory body that ended early keeps what came). */
        void arrived(long n) {
            size = n;
            if (bytes != null && n < bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, (int) n);
            }
        }

        long size() {
            return size;
        }

        /** The body's bytes (a spooled body is read whole: callers check its size first). */
        byte[] bytes() throws IOException {
            return bytes != null ? bytes : Files.readAllBytes(file);
        }

        /** The body as a file in the temp folder (written there first if it was in memory). */
        Path file() throws IOException {
            if (file == null) {
                Path f = Files.createTempFile(spool, "body-", ".bin");
                file = f;
                Files.write(f, bytes);
            }
            return file;
        }

        /** The spooled file's path, or null when the body never touched the disk (for messages naming it). */
        Path fileIfAny() {
            return file;
        }

        /** Deletes the spooled file and gives the memory back. */
        synchronized void release() {
            deleteQuietly(file);
            bytes = null;
            if (reserved > 0) {
                inMemoryLeft.addAndGet(reserved);
                reserved = 0;
            }
        }
    }

    /** Takes {@code n} bytes from the in-memory budget; false (nothing taken) when that many are not left. */
    private boolean reserveMemory(long n) {
        for (long left = inMemoryLeft.get(); left >= n; left = inMemoryLeft.get()) {
            if (inMemoryLeft.compareAndSet(left, left - n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An endpoint's options checked and turned into its work (INVALID_ARGUMENT: 400): before the body is read for a
     * raw body, after the option fields for a multipart one.
     */
    @FunctionalInterface
    private interface Plan {
        Work plan(Query query);
    }

    /**
     * A response: status, type, and the bytes or a spooled file to send (deleted once sent); {@code verdict} (detect
     * only) feeds the verdict counter.
     */
    private record Reply(int status, String contentType, byte[] body, Path file, String verdict) {}

    /** Admission, the size limit, the time limit and the error mapping around one endpoint's work. */
    private void work(ServerRequest req, ServerResponse res, String endpoint, Plan plan) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        boolean multipart = MultipartUpload.isMultipart(contentType);
        Query urlQuery;
        Work planned;
        try {
            urlQuery = Query.of(req);
            planned = multipart ? null : plan.plan(urlQuery);
        } catch (AigcmarkException e) {
            res.header(HeaderNames.CONNECTION, "close");
            error(res, 400, e.getMessage(), e.reason().name());
            discardRest(req, null, 0);
            return;
        }
        Admission.Ticket ticket = admit(res);
        if (ticket == null) {
            discardRest(req, null, 0);
            return;
        }
        Body body = null;
        boolean handedOver = false;
        AtomicBoolean abandoned = new AtomicBoolean();
        // set by the task when it starts, or by the exchange when it gives up on a task that has not: the one that
        // sets it frees the body and the worker slot (a task cancelled before it starts never runs its finally)
        AtomicBoolean claimed = new AtomicBoolean();
        Future<Reply> running = null;
        try {
            long declared = req.headers().contentLength().orElse(-1);
            if (declared > settings.maxBodyBytes()) {
                tooLarge(res);
                discardRest(req, null, 0);
                return;
            }
            // a small raw body of known length is read into memory (no disk, no reading back); the rest is spooled
            boolean inMemory = !multipart && declared >= 0 && declared <= IN_MEMORY_MAX_BYTES && reserveMemory(declared);
            byte[] held = inMemory ? new byte[(int) declared] : null;
            Path spoolTo = inMemory ? null : Files.createTempFile(spool, "body-", ".bin");
            body = inMemory ? new Body(held, declared) : new Body(spoolTo);
            long size;
            Query query = urlQuery;
            // a multipart body may carry a little more than its file: its fields and part headers, each capped
            CountingInput wire = new CountingInput(req.content().inputStream(), System.nanoTime(),
                    multipart ? settings.maxBodyBytes() + MultipartUpload.MAX_PARTS * (MultipartUpload.MAX_FIELD_BYTES + 1024L) : Long.MAX_VALUE);
            try (SlowHeads.Watch watch = slowHeads.watch(wire.started, () -> wire.count, ServeSettings.MIN_BYTES_PER_SECOND)) {
                if (multipart) {
                    MultipartUpload.Parts parts = MultipartUpload.read(wire, contentType, declared, part -> copyBounded(part, spoolTo, wire));
                    size = parts.fileBytes();
                    if (size >= 0) {
                        query = urlQuery.with(parts.fields(), parts.fileName());
                    }
                } else if (inMemory) {
                    size = readBounded(wire, held, wire);
                } else {
                    size = copyBounded(wire, spoolTo, wire);
                }
            } catch (SlowClient e) {
                slow(res);
                return;
            } catch (AigcmarkException e) {
                res.header(HeaderNames.CONNECTION, "close");
                if (e.reason() == AigcmarkException.Reason.LIMIT_EXCEEDED) {
                    metrics.rejected("too_large");
                    error(res, 413, e.getMessage(), e.reason().name());
                } else {
                    error(res, 400, e.getMessage(), e.reason().name()); // a malformed multipart body
                }
                discardRest(req, wire.raw(), wire.count);
                return;
            } catch (IOException | RuntimeException e) {
                // the client stopped sending (a read waited past --read-timeout-s) or hung up
                slow(res);
                return;
            } finally {
                req.context().get(Exchange.class).ifPresent(x -> x.bytesIn = Math.max(x.bytesIn, wire.count)); // discardRest's may be more
            }
            if (size < 0) {
                tooLarge(res);
                discardRest(req, wire.raw(), wire.count);
                return;
            }
            Work work;
            try {
                work = planned != null ? planned : plan.plan(query);
            } catch (AigcmarkException e) {
                error(res, 400, e.getMessage(), e.reason().name());
                return;
            }
            Query asked = query;
            if (!ticket.awaitWorker(deadline - System.nanoTime())) {
                timedOut(res);
                return;
            }
            body.arrived(size);
            Body received = body;
            ticket.handOver();
            java.util.concurrent.Callable<Reply> task = () -> {
                if (!claimed.compareAndSet(false, true)) {
                    return null; // the exchange gave up before this started, and freed what it held
                }
                try {
                    Reply r = work.run(received, asked);
                    if (abandoned.get() && r.file() != null) {
                        deleteQuietly(r.file()); // timed out: nobody will send it
                    }
                    return r;
                } catch (AigcmarkException e) {
                    // the sdk names the file it read: the upload's name, never the server's temp path
                    Path spooled = received.fileIfAny();
                    throw spooled == null ? e : new AigcmarkException(e.reason(), e.getMessage().replace(spooled.toString(), asked.name()), e);
                } finally {
                    received.release();
                    ticket.workEnded();
                }
            };
            try {
                running = workers.submit(task);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                ticket.workEnded(); // the service stopped under it
                throw stopped;
            }
            handedOver = true;
            Reply reply = running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (reply.verdict() != null) {
                metrics.verdict(reply.verdict());
            }
            if (reply.file() != null) {
                sendFile(res, reply.contentType(), reply.file());
            } else {
                send(res, reply.status(), reply.contentType(), reply.body());
            }
        } catch (TimeoutException e) {
            abandoned.set(true);
            if (claimed.compareAndSet(false, true)) {
                // the work never started: cancelled now it never will, so its body, memory and slot are freed here
                running.cancel(false);
                body.release();
                ticket.workEnded();
            } else {
                running.cancel(true); // the slot frees when the work ends, so the limit on work in flight holds
            }
            timedOut(res);
        } catch (ExecutionException e) {
            failed(res, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(res, 503, "the service is shutting down", "UNAVAILABLE");
        } catch (IOException | RuntimeException e) {
            failed(res, e);
        } finally {
            if (!handedOver && body != null) {
                body.release();
            }
            ticket.close(); // after the answer went out: a drain waits for it
        }
    }

    private void tooLarge(ServerResponse res) {
        metrics.rejected("too_large");
        res.header(HeaderNames.CONNECTION, "close"); // the rest of the body is not read
        error(res, 413, "the request body is over the limit of " + settings.maxBodyBytes() + " bytes", "LIMIT_EXCEEDED");
    }

    /** The body did not arrive in time: 408, and the connection is closed. */
    private void slow(ServerResponse res) {
        metrics.rejected("slow");
        res.header(HeaderNames.CONNECTION, "close");
        error(res, 408, "the request body did not arrive in time (a read waited over " + settings.readTimeout().toSeconds()
                + " s, or it came slower than " + ServeSettings.MIN_BYTES_PER_SECOND + " bytes a second)", "TIMEOUT");
    }

    private void timedOut(ServerResponse res) {
        metrics.rejected("timeout");
        error(res, 504, "the request took longer than the limit of " + settings.timeout().toSeconds() + " s", "TIMEOUT");
    }

    /** Input the sdk refused (hostile, damaged, unsupported): 422 with the CLI's sentence; anything else 500. */
    private void failed(ServerResponse res, Throwable t) {
        if (t instanceof AigcmarkException e && isAboutTheInput(e.reason())) {
            error(res, 422, e.getMessage(), e.reason().name());
        } else {
            log.info("internal error: " + t);
            error(res, 500, "internal error: " + t.getClass().getSimpleName(), AigcmarkException.Reason.INTERNAL.name());
        }
    }

    private static boolean isAboutTheInput(AigcmarkException.Reason reason) {
        return switch (reason) {
            case INVALID_ARGUMENT, UNSUPPORTED_FORMAT, CORRUPT_INPUT, LIMIT_EXCEEDED, INPUT_UNREADABLE, CAPACITY_EXCEEDED -> true;
            case OUTPUT_NOT_WRITABLE, KEY_INVALID, UNAVAILABLE, INTERNAL -> false;
        };
    }

    /**
     * Copies a body (or a multipart body's file part) to {@code to}, counting; the byte count, or minus the count
     * read when it passed the limit (it stops reading there: a chunked body can lie about nothing, it is counted).
     * After each read the whole request body so far ({@code wire}) must have kept up the minimum rate once
     * {@code readTimeout} has passed, else {@link SlowClient}: a trickling client cannot hold its place for long.
     */
    private long copyBounded(InputStream in, Path to, CountingInput wire) throws IOException {
        byte[] buf = new byte[CHUNK];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(to)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > settings.maxBodyBytes()) {
                    return -total;
                }
                out.write(buf, 0, n);
                wire.checkRate(settings.readTimeout().toNanos());
            }
        }
        return total;
    }

    /**
     * Reads a body of declared length into {@code into}, with {@link #copyBounded}'s rate check after each read; the
     * bytes read (fewer than its length when the body ended early).
     */
    private long readBounded(InputStream in, byte[] into, CountingInput wire) throws IOException {
        int off = 0;
        for (int n; off < into.length && (n = in.read(into, off, Math.min(CHUNK, into.length - off))) > 0; ) {
            off += n;
            wire.checkRate(settings.readTimeout().toNanos());
        }
        return off;
    }

    /** A client that sends its body slower than the minimum rate. */
    private static final class SlowClient extends IOException {
        SlowClient() {
            super("the request body came too slowly");
        }
    }

    /** The request body as it comes off the connection, counted, with its start time for the rate check. */
    private static final class CountingInput extends java.io.FilterInputStream {
        final long started;
        final long limit;
        volatile long count;

        CountingInput(InputStream in, long started, long limit) {
            super(in);
            this.started = started;
            this.limit = limit;
        }

        /** The stream under the count and its limit (what is left of a refused body is read from it). */
        InputStream raw() {
            return in;
        }

        private void counted(long n) {
            count += n;
            if (count > limit) {
                throw new AigcmarkException(AigcmarkException.Reason.LIMIT_EXCEEDED, "the request body is over the limit of " + limit + " bytes");
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        /** Past the grace period, the average rate since the start must be at least the minimum. */
        void checkRate(long graceNanos) throws SlowClient {
            long elapsed = System.nanoTime() - started;
            if (elapsed > graceNanos && count < ServeSettings.MIN_BYTES_PER_SECOND * (elapsed / 1_000_000_000.0)) {
                throw new SlowClient();
            }
        }
    }

    // --- the endpoints' work ---

    private Reply detect(Body body, Query q) throws IOException {
        Detector d = detector(q);
        // a large body stays on disk: a streaming container (MP4, MKV) is never read whole, other formats are read
        // under the sdk's limits; a small one is detected from its bytes
        DetectionReport r = body.size() > IN_MEMORY_MAX_BYTES ? d.detect(body.file(), q.name(), q.userDeclared())
                : d.detect(body.bytes(), q.name(), q.userDeclared());
        String verdict = r.verdict().label().isPresent() ? r.verdict().labelCode() : r.verdict().rule().id(); // 1, 2, 3, none, unchecked
        return json(ReportJson.toNode(r), verdict);
    }

    /** The service's detector, with the request's {@code watermarkSearch} (full|quick|own|deep, as the CLI's) and {@code metadataOnly}. */
    private Detector detector(Query q) {
        Detector d = checks.detector();
        org.aigcmark.watermark.WatermarkOptions.Search search = q.watermarkSearch();
        if (search != null) {
            d = bySearch.computeIfAbsent(search, checks.detector()::withWatermarkSearch);
        }
        return q.metadataOnly() ? d.metadataOnly() : d;
    }

    private Reply inspect(Body body, Query q) throws IOException {
        var r = checks.labeler().inspect(body.file(), q.name(), checks.publicKeys(), checks.c2pa());
        return json(ReportJson.toJson(r), null);
    }

    private Reply textDetect(Body body, Query q) throws IOException {
        var findings = checks.text().check(org.aigcmark.text.TextFiles.decodeUtf8(body.bytes(), q.name()));
        ObjectNode root = ReportJson.MAPPER.createObjectNode();
        root.put("file", q.name());
        root.setAll(ReportJson.toNode(findings));
        return json(ReportJson.write(root), null);
    }

    /**
     * The labelled file: the CLI's {@code label} options as parameters, checked before the body is read (400);
     * signing and watermark keys are the server's, chosen by id.
     */
    private void label(ServerRequest req, ServerResponse res) {
        // from the spooled file to a spooled output, as the CLI's `label IN -o OUT`: an MP4 or MKV labelled
        // metadata-only streams from disk to disk, and the result is sent from disk
        work(req, res, "/v1/label", query -> {
            org.aigcmark.LabelRequest request = LabelParameters.request(query, checks);
            return (body, q) -> {
                Path in = body.file();
                Path out = in.resolveSibling(in.getFileName() + ".out");
                checks.labeler().label(in, out, request);
                return new Reply(200, "application/octet-stream", null, out, null);
            };
        });
    }

    /**
     * The platform's copy: {@code aigcmark propagate}'s options as parameters, checked before the body is read (400);
     * the sdk's Path route, as the CLI's, so an MP4 or MKV streams from disk to disk and the bytes are the CLI's.
     */
    private void propagate(ServerRequest req, ServerResponse res) {
        work(req, res, "/v1/propagate", query -> {
            org.aigcmark.PropagateRequest request = LabelParameters.propagate(query, checks);
            return (body, q) -> {
                Path in = body.file();
                Path out = in.resolveSibling(in.getFileName() + ".out");
                checks.labeler().propagate(in, out, request);
                return new Reply(200, "application/octet-stream", null, out, null);
            };
        });
    }

    /**
     * The labelled text stream: a chunked UTF-8 body or {@code text/event-stream} in, each chunk labelled as it
     * arrives through the sdk's {@link org.aigcmark.text.StreamingLabeler} and written out at once (the start
     * label with the first chunk, the end label after the last). Admitted like any request, but it needs no worker:
     * it waits on the client, not on the CPU. Problems found before the first byte goes out are the usual JSON
     * errors; after that the response is cut off (no final chunk), so a client never takes a broken stream for a
     * whole one.
     */
    /**
     * A place among the requests worked on or waiting, or null after answering 503 (draining) or 429 (full), each with
     * {@code Retry-After}: the one admission rule of every endpoint that works on a body.
     */
    private Admission.Ticket admit(ServerResponse res) {
        Admission.Ticket ticket = draining ? null : admission.tryEnter();
        if (ticket != null && draining) {
            ticket.close(); // the drain began as it entered: the drain may already have found nothing in flight
            ticket = null;
        }
        if (ticket != null) {
            return ticket;
        }
        // the body is not read: the connection closes after it (see discardRest)
        res.header(HeaderNames.CONNECTION, "close");
        if (draining) {
            metrics.rejected("draining");
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(RETRY_AFTER_DRAINING_S));
            error(res, 503, "the service is shutting down; retry (another instance, or this one once restarted)", "UNAVAILABLE");
        } else {
            metrics.rejected("busy");
            res.header(HeaderNames.RETRY_AFTER, "1");
            error(res, 429, "too many requests in flight (" + settings.maxConcurrent() + " working, " + settings.queue()
                    + " waiting); retry later", "BUSY");
        }
        return null;
    }

    /**
     * After a refusal sent with {@code Connection: close} before the body was read whole: reads what is left of the
     * body and drops it, so that the connection closes with nothing unread. Closing a socket with bytes unread sends
     * a TCP reset, which can destroy the refusal in the client's buffers before it reads it (RFC 9112 section 9.6,
     * "tear-down"): the client, still sending, would see "connection reset" instead of the 413. Bounded: at most
     * {@link #LINGER_MAX_BYTES} (a longer declared rest is not read at all) within one {@code --read-timeout-s}. A
     * client that sent {@code Expect: 100-continue} waits for a 100 that never comes: nothing to read.
     *
     * @param opened the body's stream if the handler opened it (it may be opened once), else null
     * @param readSoFar the body's bytes already read
     */
    private void discardRest(ServerRequest req, InputStream opened, long readSoFar) {
        var headers = req.headers();
        long declared = headers.contentLength().orElse(-1);
        boolean chunked = headers.contains(io.helidon.http.HeaderValues.TRANSFER_ENCODING_CHUNKED);
        if ((declared < 0 && !chunked) || declared == readSoFar || headers.contains(io.helidon.http.HeaderValues.EXPECT_100)
                || (declared >= 0 && declared - readSoFar > LINGER_MAX_BYTES)) {
            return;
        }
        long dropped = 0;
        try (SlowHeads.Watch deadline = slowHeads.deadline()) {
            InputStream in = opened != null ? opened : req.content().inputStream();
            byte[] buf = new byte[CHUNK];
            for (int n; dropped <= LINGER_MAX_BYTES && (n = in.read(buf)) > 0; ) {
                dropped += n;
            }
        } catch (IOException | RuntimeException e) {

            // the client stopped sending or hung up, or the deadline closed the connection: it closes either way
        } finally {
            long read = readSoFar + dropped;
            req.context().get(Exchange.class).ifPresent(x -> x.bytesIn = read);
        }
    }

    private void textLabel(ServerRequest req, ServerResponse res) {
        Query query;
        TextLabelParameters options;
        try {
            query = Query.of(req);
            options = TextLabelParameters.of(query);
        } catch (AigcmarkException e) {
            res.header(HeaderNames.CONNECTION, "close");
            error(res, 400, e.getMessage(), e.reason().name());
            discardRest(req, null, 0);
            return;
        }
        Admission.Ticket ticket = admit(res);
        if (ticket == null) {
            discardRest(req, null, 0);
            return;
        }
        boolean events = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        TextStream stream = new TextStream(events, query.name());
        org.aigcmark.text.StreamingLabeler labeler = null;
        OutputStream out = null;
        long total = 0;
        // an answer may pause while its model thinks, but a stream silent for twice --read-timeout-s is cut off
        java.util.concurrent.atomic.AtomicLong lastRead = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        SlowHeads.Watch silence = slowHeads.watchSilence(lastRead::get);
        InputStream in = null;
        try (silence) {
            in = req.content().inputStream();
            byte[] buf = new byte[CHUNK];
            boolean ended = false;
            while (!ended) {
                int n = in.read(buf);
                lastRead.set(System.nanoTime());
                List<String> chunks;
                if (n < 0) {
                    ended = true;
                    chunks = stream.finish();
                } else {
                    total += n;
                    if (total > settings.maxBodyBytes()) {
                        throw new AigcmarkException(AigcmarkException.Reason.LIMIT_EXCEEDED,
                                "the request body is over the limit of " + settings.maxBodyBytes() + " bytes");
                    }
                    chunks = stream.feed(buf, n);
                    ended = stream.done();
                }
                for (String chunk : chunks) {
                    if (labeler == null) {
                        labeler = options.labeler(chunk); // the language (auto) from the first chunk
                        out = startStream(res, events);
                    }
                    write(out, labeler.onChunk(chunk), events);
                }
            }
            if (labeler == null) {
                labeler = options.labeler("");
                out = startStream(res, events);
            }
            write(out, labeler.finish(), events);
            if (events) {
                out.write(TextStream.event(TextStream.DONE).getBytes(StandardCharsets.UTF_8));
            }
            out.close();
        } catch (IOException | RuntimeException e) {
            if (out == null) {
                if (silence.fired()) {
                    slow(res); // the connection is closed: counted, and answered if it still can be
                } else if (e instanceof AigcmarkException a && a.reason() == AigcmarkException.Reason.LIMIT_EXCEEDED) {
                    tooLarge(res);
                    discardRest(req, in, total);
                } else {
                    failed(res, e);
                }
            } else {
                // the labelled stream has begun: cut it off, never end it as if whole
                log.info("text stream cut off: " + e.getMessage());
                throw e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((IOException) e);
            }
        } finally {
            long read = total;
            req.context().get(Exchange.class).ifPresent(x -> x.bytesIn = Math.max(x.bytesIn, read)); // discardRest's may be more
            ticket.close();
        }
    }

    /**
     * The labelled stream's head. It says {@code Connection: close}: a stream may outlast the idle-connection limit
     * (an LLM writes for minutes), and Helidon's idle check, which counts from the request's start, then closes the
     * connection after the answer; said in a head sent before that is known, keep-alive would let the client send its
     * next request on a connection about to close ("header parser received no bytes").
     */
    private static OutputStream startStream(ServerResponse res, boolean events) {
        res.status(200);
        res.header(HeaderNames.CONNECTION, "close");
        res.header(HeaderNames.CONTENT_TYPE, events ? "text/event-stream; charset=utf-8" : "text/plain; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        return res.outputStream();
    }

    /** One labelled chunk, sent now (flushed), as text or as a server-sent event. */
    private static void write(OutputStream out, String text, boolean events) throws IOException {
        if (text.isEmpty()) {
            return;
        }
        out.write((events ? TextStream.event(text) : text).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The CLI prints the document and a newline; so does the service, byte for byte. */
    private static Reply json(String document, String verdict) {
        return new Reply(200, "application/json", (document + "\n").getBytes(StandardCharsets.UTF_8), null, verdict);
    }

    /** {@link #json(String, String)} written straight to UTF-8 bytes, with the CLI's printer ({@link ReportJson#MAPPER}). */
    private static Reply json(com.fasterxml.jackson.databind.JsonNode document, String verdict) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4096);
        ReportJson.MAPPER.writeValue(bytes, document);
        bytes.write('\n');
        return new Reply(200, "application/json", bytes.toByteArray(), null, verdict);
    }

    // --- responses ---

    private static void error(ServerResponse res, int status, String message, String reason) {
        ObjectNode n = ReportJson.MAPPER.createObjectNode();
        n.put("error", message);
        n.put("reason", reason);
        sendJson(res, status, ReportJson.write(n) + "\n");
    }

    /** A spooled result, streamed with its length, then deleted. */
    private static void sendFile(ServerResponse res, String contentType, Path file) throws IOException {
        try {
            res.status(200);
            res.header(HeaderNames.CONTENT_TYPE, contentType);
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(Files.size(file)));
            try (OutputStream o = res.outputStream()) {
                Files.copy(file, o);
            }
        } finally {
            deleteQuietly(file);
        }
    }

    private static void sendJson(ServerResponse res, int status, String json) {
        send(res, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(ServerResponse res, int status, String contentType, byte[] body) {
        if (res.isSent()) {
            return; // an early refusal went out and its connection then broke (the client was still sending): one answer only
        }
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.send(body);
    }

    private void discardSpool() {
        try (var files = Files.list(spool)) {
            files.forEach(AigcmarkServer::deleteQuietly);
        } catch (IOException e) {
            // nothing to list: nothing to delete
        }
        deleteQuietly(spool);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temp file left behind is the OS's to clean
            }
        }
    }

    /** The query parameters every body endpoint reads, named like the CLI's options. */
    /**
     * The options every body endpoint reads, named like the CLI's: the URL's query parameters and, for a multipart
     * body, its option fields (a name in both is refused).
     */
    record Query(String name, boolean userDeclared, boolean metadataOnly, java.util.Map<String, String> all) {
        static Query of(ServerRequest req) {
            var q = req.query();
            java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
            for (String n : q.names()) {
                all.put(n, q.get(n));
            }
            return of(all);
        }

        private static Query of(java.util.Map<String, String> all) {
            String name = all.getOrDefault("name", "upload");
            if (name.isBlank() || name.length() > 255) {
                throw AigcmarkException.invalid("name must be 1 to 255 characters");
            }
            Query q = new Query(name, flag(all, "userDeclared"), flag(all, "metadataOnly"), java.util.Map.copyOf(all));
            q.watermarkSearch(); // checked before the body is read, like the flags
            return q;
        }

        /** The {@code watermarkSearch} parameter (full|quick|own|deep, as the CLI's), or null when the server's own applies. */
        org.aigcmark.watermark.WatermarkOptions.Search watermarkSearch() {
            String search = value("watermarkSearch");
            return search == null ? null : org.aigcmark.watermark.WatermarkOptions.Search.byName(search).orElseThrow(
                    () -> AigcmarkException.invalid("watermarkSearch must be full, quick, own or deep, got " + search));
        }

        /** With a multipart body's option fields; its file part's name is the {@code name} when none is given. */
        Query with(java.util.Map<String, String> fields, String fileName) {
            java.util.Map<String, String> merged = new java.util.LinkedHashMap<>(all);
            for (var f : fields.entrySet()) {
                if (merged.put(f.getKey(), f.getValue()) != null) {
                    throw AigcmarkException.invalid(f.getKey() + " is given both in the URL and as a multipart field");
                }
            }
            if (!merged.containsKey("name") && fileName != null && !fileName.isBlank()) {
                // a browser sends the bare name; some clients a path: only its last segment names the upload
                String bare = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
                merged.put("name", bare.isBlank() ? "upload" : bare.length() > 255 ? bare.substring(0, 255) : bare);
            }
            return of(merged);
        }

        boolean flag(String name) {
            return flag(all, name);
        }

        /** A parameter's value, or null when absent. */
        String value(String name) {
            return all.get(name);
        }

        private static boolean flag(java.util.Map<String, String> q, String name) {
            String v = q.get(name);
            if (v == null) {
                return false;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "" -> true;
                case "false" -> false;
                default -> throw AigcmarkException.invalid(name + " must be true or false, got " + v);
            };
        }
    }
}
