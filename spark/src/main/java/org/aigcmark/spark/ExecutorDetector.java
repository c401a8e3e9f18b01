package org.aigcmark.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aigcmark.detect.DetectorSettings;
import org.aigcmark.detection.Detector;
import org.apache.spark.SparkFiles;

/**
 * The one {@link Detector} of this JVM (an executor, or the driver in local mode) for each settings: built on first
 * use, so the models and keys are loaded once however many tasks run, shared by the executor's task threads (a
 * Detector is thread-safe), and closed by a shutdown hook when the executor ends.
 */
final class ExecutorDetector {
    private static final System.Logger LOG = System.getLogger(ExecutorDetector.class.getName());
    private static final Map<DetectorSettings, Detector> BUILT = new ConcurrentHashMap<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private ExecutorDetector() {}

    /** This JVM's detector for {@code settings}; building it (the first time) may take seconds (ONNX models). */
    static Detector get(DetectorSettings settings) {
        // computeIfAbsent: the other task threads wait for the one build instead of loading the models again
        return BUILT.computeIfAbsent(settings, s -> {
            if (HOOKED.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(ExecutorDetector::closeAll, "aigcmark-close-detectors"));
            }
            return s.resolve(ExecutorDetector::shipped).build(note -> LOG.log(System.Logger.Level.WARNING, "aigcmark: note: " + note));
        });
    }

    /** Closes every detector built here (the next {@link #get} builds anew); idempotent. */
    static void closeAll() {
        for (DetectorSettings s : BUILT.keySet()) {
            Detector d = BUILT.remove(s);
            if (d != null) {
                try {
                    d.close();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "closing a detector failed", e);
                }
            }
        }
    }

    /**
     * A key or model file as this machine has it: the name itself when it exists here (a local path, or a file
     * {@code --files}/{@code --archives} put in the executor's working folder), else the copy {@link SparkFiles} holds
     * under its file name ({@code SparkContext.addFile}), else the name unchanged (reading it then fails with a message
     * that names it, in every row).
     */
    static String shipped(String name) {
        if (Files.exists(Path.of(name))) {
            return name;
        }
        try {
            Path copy = Path.of(SparkFiles.get(Path.of(name).getFileName().toString()));
            if (Files.exists(copy)) {
                return copy.toString();
            }
        } catch (RuntimeException e) {
            // no SparkEnv here (not in a Spark JVM): the name as given
        }
        return name;
    }
}
