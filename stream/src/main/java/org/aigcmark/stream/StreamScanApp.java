package org.aigcmark.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.aigcmark.AigcmarkException;
import org.aigcmark.ExitCodes;
import org.aigcmark.Labeler;
import org.aigcmark.detect.DetectorSettings;
import org.aigcmark.detection.Detector;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs the upload-scanning topology against a Kafka cluster until it is stopped (SIGTERM, Ctrl-C), then closes the
 * streams instance and the shared detector. Configuration, later wins: the defaults in {@code aigcmark-stream.properties}
 * (on the class path), a {@code --config FILE}, then the flags. See docs/STREAM.md.
 */
public final class StreamScanApp {
    private StreamScanApp() {
    }

    /** The flags and the property each sets (a repeated list flag appends, comma-separated). */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("--bootstrap-servers", StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
            Map.entry("--application-id", StreamsConfig.APPLICATION_ID_CONFIG),
            Map.entry("--threads", StreamsConfig.NUM_STREAM_THREADS_CONFIG),
            Map.entry("--uploads-topic", "aigcmark.topic.uploads"),
            Map.entry("--verdicts-topic", "aigcmark.topic.verdicts"),
            Map.entry("--dead-letters-topic", "aigcmark.topic.dead-letters"),
            Map.entry("--object-root", "aigcmark.object.root"),
            Map.entry("--object-store", "aigcmark.object.store"),
            Map.entry("--s3-bucket", "aigcmark.s3.bucket"),
            Map.entry("--s3-endpoint", "aigcmark.s3.endpoint"),
            Map.entry("--propagator", "aigcmark.propagator"),
            Map.entry("--propagate-sign-key", "aigcmark.propagate.sign-key"),
            Map.entry("--inline-max-bytes", "aigcmark.inline.max.bytes"),
            Map.entry("--key", "aigcmark.keys"),
            Map.entry("--public-key", "aigcmark.public-keys"),
            Map.entry("--c2pa-trust", "aigcmark.c2pa-trust"),
            Map.entry("--models", "aigcmark.models"),
            Map.entry("--watermark-search", "aigcmark.watermark-search"));
    private static final List<String> LISTS = List.of("--key", "--public-key", "--c2pa-trust");

    private static final String USAGE = """
            Usage: StreamScanApp [--config FILE] [--bootstrap-servers HOST:PORT,...] [--application-id ID] [--threads N]
                                 [--uploads-topic T] [--verdicts-topic T] [--dead-letters-topic T] [--object-root DIR]
                                 [--object-store local|s3] [--s3-bucket B] [--s3-endpoint URL]
                                 [--propagator NAME] [--propagate-sign-key PEM] [--inline-max-bytes N]
                                 [--key KEYFILE]... [--public-key PUB]... [--c2pa-trust PEM]... [--metadata-only]
                                 [--models DIR] [--no-ocr] [--watermark-search full|quick|own|deep] [--no-sha256]
                                 [--set KEY=VALUE]...
            Scans upload events into verdict events with Kafka Streams (exactly-once); see docs/STREAM.md.
            --set passes any Kafka Streams or aigcmark.* property.""";

    /**
     * Starts the application and blocks until the JVM is asked to stop.
     *
     * @param args the flags above
     */
    public static void main(String[] args) {
        Properties props;
        try {
            props = configure(args);
        } catch (AigcmarkException e) {
            System.err.println("aigcmark-stream: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(ExitCodes.of(e.reason()));
            return;
        }
        if (props == null) {
            System.out.println(USAGE);
            return;
        }
        StreamScanTopology topology;
        ObjectStore store;
        try {
            // Built here, before Kafka starts, so a bad key or models folder is an exit code, not a failed stream thread.
            Detector detector = detectorSettings(props).build(note -> System.err.println("aigcmark-stream: note: " + note));
            store = objectStore(props);
            topology = new StreamScanTopology(StreamScanSettings.from(props), () -> detector, store, Labeler.create());
        } catch (AigcmarkException e) {
            // a key file, the object root or a setting: say which, with the CLI's exit codes
            System.err.println("aigcmark-stream: " + e.getMessage());
            System.exit(ExitCodes.of(e.reason()));
            return;
        }
        KafkaStreams streams = new KafkaStreams(topology.topology(), streamsConfig(props));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(java.time.Duration.ofSeconds(30));
            topology.close();
            closeStore(store);
            stopped.countDown();
        }, "aigcmark-stream-shutdown"));
        streams.setStateListener((now, before) -> {
            System.err.println("aigcmark-stream: " + before + " -> " + now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        streams.start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        streams.close(java.time.Duration.ofSeconds(30));
        topology.close();
        closeStore(store);
    }

    /**
     * The object store the settings name: {@code aigcmark.object.store=local} (the default) is a
     * {@link LocalObjectStore} over {@code aigcmark.object.root}; {@code s3} an {@link S3ObjectStore} configured by
     * the {@code aigcmark.s3.*} settings ({@link S3ObjectStore#fromSettings}).
     *
     * @param props the application's properties
     * @return the store
     * @throws AigcmarkException {@code INVALID_ARGUMENT} for an unknown store or a bad S3 setting;
     *     {@code INPUT_UNREADABLE} for a local root that is not a folder
     */
    public static ObjectStore objectStore(Properties props) {
        String kind = props.getProperty("aigcmark.object.store", "local").strip();
        return switch (kind) {
            case "local", "" -> new LocalObjectStore(Path.of(props.getProperty("aigcmark.object.root", ".")));
            case "s3" -> S3ObjectStore.fromSettings(props);
            default -> throw AigcmarkException.invalid("aigcmark.object.store must be local or s3, not " + kind);
        };
    }

    private static void closeStore(ObjectStore store) {
        if (store instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("aigcmark-stream: closing the object store: " + e);
            }
        }
    }

    /**
     * The application's properties: the class-path defaults, the {@code --config} file, then the flags.
     *
     * @param args the command line
     * @return the properties, or null when {@code --help} was asked
     * @throws AigcmarkException {@code INVALID_ARGUMENT} for an unknown flag or a flag without its value;
     *     {@code INPUT_UNREADABLE} for a config file that cannot be read
     */
    public static Properties configure(String... args) {
        Properties props = new Properties();
        try (InputStream in = StreamScanApp.class.getResourceAsStream("/aigcmark-stream.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the bundled defaults did not load", e);
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int config = rest.indexOf("--config");
        if (config >= 0) {
            if (config + 1 >= rest.size()) {
                throw AigcmarkException.invalid("--config needs a FILE");
            }
            Path file = Path.of(rest.get(config + 1));
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read --config " + file + ": " + e.getMessage());
            }
            rest.subList(config, config + 2).clear();
        }
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            String flag = rest.get(i);
            switch (flag) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--metadata-only" -> props.setProperty("aigcmark.metadata-only", "true");
                case "--no-ocr" -> props.setProperty("aigcmark.no-ocr", "true");
                case "--no-sha256" -> props.setProperty("aigcmark.verdict.sha256", "false");
                default -> {
                    if (i + 1 >= rest.size()) {
                        throw AigcmarkException.invalid(flag.startsWith("--") ? flag + " needs a value" : "unexpected argument " + flag);
                    }
                    String value = rest.get(++i);
                    if (flag.equals("--set")) {
                        int eq = value.indexOf('=');
                        if (eq <= 0) {
                            throw AigcmarkException.invalid("--set needs KEY=VALUE, got " + value);
                        }
                        props.setProperty(value.substring(0, eq), value.substring(eq + 1));
                        continue;
                    }
                    String key = FLAGS.get(flag);
                    if (key == null) {
                        throw AigcmarkException.invalid("unknown option " + flag + "; expected one of --config, --set, --metadata-only, --no-ocr, --no-sha256, "
                                + String.join(", ", FLAGS.keySet().stream().sorted().toList()));
                    }
                    if (LISTS.contains(flag) && listed.contains(key)) {
                        props.setProperty(key, props.getProperty(key) + "," + value);
                    } else {
                        props.setProperty(key, value);
                        listed.add(key);
                    }
                }
            }
        }
        return props;
    }

    /**
     * Kafka Streams' part of the properties (every key outside {@code aigcmark.*}), with byte-array serdes and
     * {@code exactly_once_v2} unless the properties say otherwise.
     *
     * @param props the application's properties
     * @return the configuration for {@link KafkaStreams}
     */
    public static Properties streamsConfig(Properties props) {
        Properties c = new Properties();
        c.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        c.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        c.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        for (String k : props.stringPropertyNames()) {
            if (!k.startsWith(StreamScanSettings.PREFIX)) {
                c.put(k, props.getProperty(k));
            }
        }
        return c;
    }

    /**
     * The detector's options from the application's properties, the same ones as {@code aigcmark scan}'s (built by
     * the detect module's {@link DetectorSettings}, which the CLI and the Spark job use too): {@code aigcmark.keys},
     * {@code aigcmark.public-keys}, {@code aigcmark.c2pa-trust} (comma-separated files), {@code aigcmark.metadata-only},
     * {@code aigcmark.models} (the OCR models folder; default: the user cache), {@code aigcmark.no-ocr},
     * {@code aigcmark.watermark-search} ({@code full} or {@code quick}). With {@code num.stream.threads} (N) over 1, N
     * detections run at once on the one detector, so each OCR session of ONNX Runtime gets cores / N threads, as serve's
     * and scan's do, instead of one a core each.
     *
     * @param props the application's properties
     * @return the settings; {@link DetectorSettings#build} makes the one detector every stream thread shares
     */
    public static DetectorSettings detectorSettings(Properties props) {
        String models = props.getProperty("aigcmark.models", "").strip();
        return DetectorSettings.defaults()
                .withKeys(list(props, "aigcmark.keys"))
                .withPublicKeys(list(props, "aigcmark.public-keys"))
                .withC2paTrust(list(props, "aigcmark.c2pa-trust"))
                .withMetadataOnly(Boolean.parseBoolean(props.getProperty("aigcmark.metadata-only", "false").strip()))
                .withModels(models.isEmpty() ? null : models)
                .withNoOcr(Boolean.parseBoolean(props.getProperty("aigcmark.no-ocr", "false").strip()))
                .withWatermarkSearch(props.getProperty("aigcmark.watermark-search", "full").strip())
                .withOnnxThreads(onnxThreads(props, Runtime.getRuntime().availableProcessors()));
    }

    /** Each OCR session's ONNX Runtime threads for the stream threads of {@code props} (0: ONNX Runtime's own choice). */
    static int onnxThreads(Properties props, int cores) {
        String threads = props.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1").strip();
        int n;
        try {
            n = Integer.parseInt(threads);
        } catch (NumberFormatException e) {
            throw AigcmarkException.invalid(StreamsConfig.NUM_STREAM_THREADS_CONFIG + " must be a number, got " + threads);
        }
        return n > 1 ? DetectorSettings.onnxThreadsFor(cores, n) : 0;
    }

    private static List<String> list(Properties props, String key) {
        return Arrays.stream(props.getProperty(key, "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
