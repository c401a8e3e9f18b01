package org.aigcmark.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.serve.AigcmarkServer;
import org.aigcmark.serve.ServeSettings;
import org.aigcmark.serve.ServiceChecks;
import org.aigcmark.text.TextChecker;
import org.aigcmark.watermark.WatermarkOptions;

/**
 * The service {@code bench serve} measures, in a process of its own (started by {@link ServeBenchCommand} with the
 * heap cap {@code aigcmark serve} runs under), so its resident memory is the service's alone. It prints
 * {@code port N} once listening, serves until its standard input ends (the load generator closes it, or died), then
 * prints its heap use and stops.
 */
final class ServeBenchServer {
    /** The watermark key the bench's server and its in-process comparison share. */
    static final String KEY_PASSPHRASE = "bench";

    private ServeBenchServer() {}

    /** The server's checks: the bench key, the given watermark search. */
    static ServiceChecks checks(WatermarkOptions.Search search) {
        WatermarkKey key = WatermarkKey.fromPassphrase(KEY_PASSPHRASE);
        Detector detector = Detector.create(Labeler.create(), List.of(key), List.of(), List.of()).withWatermarkSearch(search);
        return new ServiceChecks(detector, Labeler.create(), List.of(), C2paValidator.NO_ANCHORS, TextChecker.of(List.of(key)));
    }

    /** The settings the bench runs under: one worker a core, every client may wait (the run measures work, not 429s). */
    static ServeSettings settings(int workers, int queue) {
        return ServeSettings.defaults().withPort(0).withLimits(64L << 20, workers, queue, Duration.ofSeconds(120));
    }

    /**
     * Arguments: the watermark search ({@code quick|full|own}), the workers, the queue.
     *
     * @param args as above
     * @throws IOException when standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        WatermarkOptions.Search search = WatermarkOptions.Search.byName(args[0]).orElseThrow();
        try (AigcmarkServer server = AigcmarkServer.start(checks(search), settings(Integer.parseInt(args[1]), Integer.parseInt(args[2])),
                new PrintWriter(new ByteArrayOutputStream() {
                    @Override
                    public synchronized void write(byte[] b, int off, int len) {
                        // the request log is not kept: 10 000 lines would grow the heap the run measures
                    }
                }))) {
            System.out.println("port " + server.port());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
            Runtime rt = Runtime.getRuntime();
            System.out.println("heap used " + ((rt.totalMemory() - rt.freeMemory()) >> 20) + " MiB of " + (rt.maxMemory() >> 20) + " MiB max");
            System.out.flush();
        }
        System.exit(0);
    }
}
