package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.serve.AigcmarkServer;
import org.aigcmark.serve.ServeSettings;
import org.aigcmark.serve.ServiceChecks;
import org.aigcmark.text.TextChecker;
import org.aigcmark.text.watermark.WatermarkScheme;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the upload-checking HTTP service: POST /v1/detect, /v1/inspect and /v1/text/detect answer what",
                "'detect --json', 'inspect --json' and 'text detect --json' print for the same bytes; GET /health, /metrics",
                "(Prometheus), /openapi and a web page at / for moderators; POST /v1/label and /v1/propagate return the labelled file (keys: the server's --sign-key and --key), POST /v1/text/label labels a streamed text as it arrives. Listens on 127.0.0.1:8080 with auth off unless told otherwise; logs JSON lines",
                "on standard error; stops gracefully (in-flight requests finish) on Ctrl-C or SIGTERM. See docs/SERVICE.md."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DetectorOptions detectorOptions = new DetectorOptions();

    @Option(names = "--port", defaultValue = "8080", description = "The port (0 picks a free one; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0: every interface).")
    String bind;

    @Option(names = "--api-keys", paramLabel = "FILE",
            description = "Turn auth on: one 'KEY PERMISSION[,PERMISSION]' a line (detect, label), # comments; reread when it changes.")
    Path apiKeys;

    @Option(names = "--max-body-mb", defaultValue = "64", description = "The largest request body in MiB; larger gets 413 (default: ${DEFAULT-VALUE}).")
    int maxBodyMb;

    @Option(names = "--max-concurrent", paramLabel = "N", description = "Requests worked on at once (default: one per core).")
    Integer maxConcurrent;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "32",
            description = "Requests that may wait for a worker; past that 429 with Retry-After (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--timeout-s", paramLabel = "S", defaultValue = "60",
            description = "The longest a request may wait and run, in seconds; past that 504 (default: ${DEFAULT-VALUE}).")
    int timeoutS;

    @Option(names = "--read-timeout-s", paramLabel = "S", defaultValue = "20",
            description = "Slow clients: a request head must arrive within S seconds and a body keep up 1 KiB/s after them, else the connection is closed (default: ${DEFAULT-VALUE}).")
    int readTimeoutS;

    @Option(names = "--drain-timeout-s", paramLabel = "S", defaultValue = "25",
            description = "Graceful stop (Ctrl-C, SIGTERM): requests in flight may finish for up to S seconds while new ones get 503 with Retry-After; then what still runs is cut off (default: ${DEFAULT-VALUE}).")
    int drainTimeoutS;

    @Option(names = "--tls-cert", paramLabel = "CHAIN.pem",
            description = "Speak HTTPS with this PEM certificate chain (the server's certificate first); with --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "KEY.pem", description = "The PEM private key (PKCS#8, unencrypted) of --tls-cert's first certificate.")
    Path tlsKey;

    @Option(names = "--sign-key", paramLabel = "PEM",
            description = "A private key POST /v1/label and /v1/propagate may sign with, chosen by clients by its key id (repeatable); keys never travel.")
    java.util.List<Path> signKeys = new java.util.ArrayList<>();

    @Option(names = "--warm-up", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "After the service listens, label small generated images once in the background so that the first"
                    + " /v1/label request costs about what later ones do (default: on; --no-warm-up skips it).")
    boolean warmUp = true;

    /** The running service (tests stop it through {@link #stop()}; the process stops it from its shutdown hook). */
    private volatile AigcmarkServer server;
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        ServeSettings settings = new ServeSettings(bind, port, (long) maxBodyMb << 20,
                maxConcurrent != null ? maxConcurrent : Runtime.getRuntime().availableProcessors(), queue, Duration.ofSeconds(timeoutS), apiKeys,
                Duration.ofSeconds(readTimeoutS), tlsCert, tlsKey, Duration.ofSeconds(drainTimeoutS));
        PrintWriter err = spec.commandLine().getErr();
        // build's notes (OCR models missing...) come after the line that says where the service listens
        StringWriter notes = new StringWriter();
        Detector detector = detectorOptions.build(new PrintWriter(notes, true), settings.maxConcurrent());
        Labeler labeler = Labeler.create();
        try {
            ServiceChecks checks = new ServiceChecks(detector, labeler,
                    detectorOptions.settings().publicKeys().stream().map(java.nio.file.Path::of).map(LabelKeys::readPublicKey).toList(),
                    C2paValidator.fromPemFiles(detectorOptions.settings().c2paTrust().stream().map(java.nio.file.Path::of).toList()), textChecker(),
                    signKeys.stream().map(LabelKeys::readSigningKey).toList(), detectorOptions.watermarkKeys());
            server = AigcmarkServer.start(checks, settings, err);
        } catch (RuntimeException e) {
            detectorOptions.close();
            throw e;
        }
        err.print(notes);
        err.flush();
        if (warmUp) {
            startWarmUp(labeler, err);
        }
        Thread hook = new Thread(server::close, "aigcmark-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        started.countDown();
        server.awaitClosed();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is what closed the service
        }
        return ExitCodes.OK;
    }

    /**
     * Loads the label path's lazily loaded parts (codecs, font, watermark kernels, Ed25519) in a background thread while
     * the service already answers: a new process's first full label was 4-7x a warm one (docs/BENCHMARKS.md, "First
     * call"). Its failure changes nothing but that first request's latency, so it is a log line, not a stop.
     */
    private static void startWarmUp(Labeler labeler, PrintWriter err) {
        Thread t = new Thread(() -> {
            try {
                labeler.warmUp();
            } catch (RuntimeException e) {
                synchronized (err) {
                    err.println("aigcmark serve: the label warm-up failed (" + e + "); the first /v1/label request loads what it needs");
                    err.flush();
                }
            }
        }, "aigcmark-serve-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** The text checks of 'text detect', with the --key, --text-scheme and --tokenizer given to serve. */
    private TextChecker textChecker() {
        WatermarkScheme scheme = detectorOptions.settings().textScheme().equalsIgnoreCase("gumbel") ? WatermarkScheme.GUMBEL : WatermarkScheme.KGW;
        return TextChecker.of(detectorOptions.watermarkKeys()).withWatermark(scheme, detectorOptions.settings().tokenizer());
    }

    /** Waits until the service listens; its port (tests start it with --port 0). */
    int awaitPort() throws InterruptedException {
        started.await();
        return server.port();
    }

    /** Stops the service as the shutdown hook would: drains, then closes. */
    void stop() {
        AigcmarkServer s = server;
        if (s != null) {
            s.close();
        }
    }
}
