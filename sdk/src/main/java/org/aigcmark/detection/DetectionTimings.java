package org.aigcmark.detection;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * CPU time spent in each stage of {@link Detector#detect} (the calling thread's CPU time, so a busy machine that
 * deschedules the thread does not inflate it), summed over every call and thread that used the detector it was
 * given to ({@link Detector#withTimings}); for benchmarks ({@code aigcmark bench detect}).
 */
public final class DetectionTimings {
    /** The stages of one detection, in the order they run. */
    public enum Stage {
        /** reading the file into memory */
        READ,
        /** container scan, label records, signatures, hints, C2PA */
        METADATA,
        /** pixel decode (JPEG/PNG/WebP/...) into the shared image */
        DECODE,
        /** our keyed watermark, every key */
        WATERMARK,
        /** the SD/SDXL imWatermark check */
        SDXL,
        /** plugged-in evidence checks (OCR, models, forensic signals) */
        CHECKS,
        /** the caller's pixel consumer (e.g. scan's HTML thumbnail) */
        CONSUMER,
        /** the verdict and report */
        VERDICT
    }

    private final Map<Stage, LongAdder> nanos = new EnumMap<>(Stage.class);
    private final LongAdder files = new LongAdder();

    /** Timings at zero, to hand to {@link Detector#withTimings}. */
    public DetectionTimings() {
        for (Stage s : Stage.values()) {
            nanos.put(s, new LongAdder());
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    /** The current thread's CPU time in nanoseconds (wall time where the JVM cannot measure it). */
    static long now() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Whether the stage times are thread CPU time (else wall time). */
    public static boolean cpuTime() {
        return CPU_TIME;
    }

    void add(Stage stage, long start) {
        nanos.get(stage).add(now() - start);
    }

    void countFile() {
        files.increment();
    }

    /** Total nanoseconds spent in this stage so far. */
    public long nanos(Stage stage) {
        return nanos.get(stage).sum();
    }

    /** Files detected so far. */
    public long files() {
        return files.sum();
    }

    /** Sets every stage and the file count back to zero (e.g. after a warm-up); not atomic with running detections. */
    public void reset() {
        nanos.values().forEach(LongAdder::reset);
        files.reset();
    }
}
