package org.aigcmark.stream;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.label.LabelKeys;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The upload-scanning topology: source {@code uploads} (the uploads topic, bytes in), processor {@code scan}, sinks
 * {@code verdicts} and {@code dead-letters}. Keys pass through unchanged, so verdicts land on the partition of their
 * upload's key (the platform keys by tenant or object, as it likes).
 *
 * <p>One {@link Detector} serves every stream thread and task of the application: it is immutable and thread-safe
 * (its javadoc), and what it holds (keys, ONNX sessions) is loaded once. It is made from the supplier when the first
 * task starts, not when the topology is built, and {@link #close()} closes it once after
 * {@link org.apache.kafka.streams.KafkaStreams#close()}: a task that is revoked or closed leaves it open for the
 * others. The supplier is where the lead's {@code DetectorSettings} (keys, metadata-only, models) plug in.
 */
public final class StreamScanTopology implements AutoCloseable {
    /** The source node's name. */
    public static final String SOURCE = "uploads";
    /** The processor node's name. */
    public static final String PROCESSOR = "scan";
    /** The verdicts sink's name. */
    public static final String VERDICTS = "verdicts";
    /** The dead-letters sink's name. */
    public static final String DEAD_LETTERS = "dead-letters";

    private final StreamScanSettings settings;
    private final SharedDetector detector;
    private final ObjectStore store;
    private final Labeler labeler;
    private final Optional<LabelKeys.SigningKey> signingKey;

    /**
     * A topology over this store, with detectors made by {@code detectors} (called once).
     *
     * @param settings topics, limits and the platform's name
     * @param detectors makes the one shared detector; the topology owns what it returns and closes it
     * @param store where object references resolve and propagated copies are written
     * @param labeler the labeler that writes propagated records ({@link Labeler#create()} will do)
     * @throws org.aigcmark.AigcmarkException {@code KEY_INVALID} when the propagate signing key cannot be read
     */
    public StreamScanTopology(StreamScanSettings settings, Supplier<Detector> detectors, ObjectStore store, Labeler labeler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.detector = new SharedDetector(Objects.requireNonNull(detectors, "detectors"));
        this.store = Objects.requireNonNull(store, "store");
        this.labeler = Objects.requireNonNull(labeler, "labeler");
        this.signingKey = settings.propagateSigningKey().map(p -> LabelKeys.readSigningKey(Path.of(p)));
    }

    /** @return the settings the topology was built with */
    public StreamScanSettings settings() {
        return settings;
    }

    /**
     * The topology: byte-array serdes throughout, so a value that is not JSON reaches the processor (and the
     * dead-letter topic) instead of failing in a deserializer.
     *
     * @return a new topology; build one per {@link org.apache.kafka.streams.KafkaStreams} instance
     */
    public Topology topology() {
        Topology t = new Topology();
        t.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), settings.uploadsTopic());
        t.addProcessor(PROCESSOR, this::newProcessor, SOURCE);
        t.addSink(VERDICTS, settings.verdictsTopic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), PROCESSOR);
        t.addSink(DEAD_LETTERS, settings.deadLettersTopic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), PROCESSOR);
        return t;
    }

    /** A new instance of the topology's processor (one per task), for the topology and for benches. */
    org.apache.kafka.streams.processor.api.Processor<byte[], byte[], byte[], byte[]> newProcessor() {
        return new ScanProcessor(settings, detector, store, labeler, signingKey);
    }

    /** Closes the shared detector if a task made it (idempotent); call after the streams instance is closed. */
    @Override
    public void close() {
        detector.close();
    }

    /** The one detector of the application, made on first use and closed once. */
    static final class SharedDetector implements Supplier<Detector>, AutoCloseable {
        private final Supplier<Detector> factory;
        private Detector full;
        private Detector metadataOnly;
        private boolean closed;

        SharedDetector(Supplier<Detector> factory) {
            this.factory = factory;
        }

        @Override
        public synchronized Detector get() {
            if (closed) {
                throw new IllegalStateException("the shared detector is closed");
            }
            if (full == null) {
                full = Objects.requireNonNull(factory.get(), "the detector supplier returned null");
                metadataOnly = full.metadataOnly();
            }
            return full;
        }

        /** The metadata-only copy (shares the checks; closing the full one closes both). */
        synchronized Detector metadataOnly() {
            get();
            return metadataOnly;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (full != null) {
                full.close();
                full = null;
                metadataOnly = null;
            }
        }
    }
}
