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
            return effective(s).resolve(ExecutorDetector::shipped).build(note -> LOG.log(System.Logger.Level.WARNING, "aigcmark: note: " + note));
        });
    }

    /** The settings a detector of this JVM is built with: {@code settings} {@link #sized} to this JVM's task slots. */
    static DetectorSettings effective(DetectorSettings settings) {
        return sized(settings, Runtime.getRuntime().availableProcessors(), taskSlots(sparkConf()));
    }

    /**
     * {@code settings} with each OCR session of ONNX Runtime sized to this JVM's share of the cores, as serve and scan
     * size theirs: {@code slots} tasks detect at once here, each session gets cores / slots threads (not one a core
     * each: 4 task threads on 4 cores would otherwise ask for 16). A thread count the settings already name is kept.
     */
    static DetectorSettings sized(DetectorSettings settings, int cores, int slots) {
        if (settings.onnxThreads() > 0 || slots <= 1) {
            return settings;
        }
        return settings.withOnnxThreads(DetectorSettings.onnxThreadsFor(cores, slots));
    }

    /**
     * How many tasks run at once in this JVM: the N of {@code local[N]} ({@code local[*]}: the cores; plain {@code
     * local}: 1) in local mode, else {@code spark.executor.cores / spark.task.cpus} (an executor without {@code
     * spark.executor.cores} set takes all its cores, as standalone mode does); 1 without Spark settings.
     */
    static int taskSlots(Map<String, String> conf) {
        int cores = Runtime.getRuntime().availableProcessors();
        String master = conf.getOrDefault("spark.master", "");
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?").matcher(master.trim());
        if (local.matches()) {
            return local.group(1) == null ? 1 : local.group(1).equals("*") ? cores : Math.max(1, Integer.parseInt(local.group(1)));
        }
        if (conf.isEmpty()) {
            return 1;
        }
        try {
            int executorCores = Integer.parseInt(conf.getOrDefault("spark.executor.cores", String.valueOf(cores)).trim());
            int taskCpus = Integer.parseInt(conf.getOrDefault("spark.task.cpus", "1").trim());
            return Math.max(1, executorCores / Math.max(1, taskCpus));
        } catch (NumberFormatException e) {
            return 1; // Spark itself refuses such a setting; ONNX Runtime's own choice then
        }
    }

    /** This JVM's Spark settings, or none outside a Spark JVM. */
    private static Map<String, String> sparkConf() {
        try {
            org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
            if (env == null) {
                return Map.of();
            }
            Map<String, String> conf = new java.util.HashMap<>();
            for (scala.Tuple2<String, String> kv : env.conf().getAll()) {
                conf.put(kv._1(), kv._2());
            }
            return conf;
        } catch (RuntimeException | LinkageError e) {
            return Map.of();
        }
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
