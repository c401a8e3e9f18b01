package org.aigcmark;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where one {@link Labeler#label(byte[], String, LabelRequest, LabelTimings)} call spent its time, stage by stage
 * (for benchmarks: {@code aigcmark bench label}). The labeler fills it only when one is passed, so a call without it
 * pays nothing. One instance per call; not thread-safe.
 */
public final class LabelTimings {
    /** The stages of a label call, in the order they run. */
    public enum Stage {
        /** Decoding the pixels (only when they change). */
        DECODE,
        /** The watermark: the check for a mark already there under the key, and the embed. */
        WATERMARK,
        /** The visible label: the check for a label already drawn, and the drawing. */
        VISIBLE,
        /** Encoding the changed pixels in the input's format (metadata segments carried over). */
        ENCODE,
        /** The content digest and the signature of ReservedCode1. */
        SIGN,
        /** Writing the record into the container, its read-back check, and a C2PA manifest when asked. */
        METADATA,
        /** The whole call, including what no stage above covers (sniffing, the input's scan). */
        TOTAL,
        /** Part of {@link #WATERMARK}: the check for a mark already there under the key (the rest is the embed). */
        WATERMARK_CHECK,
        /** Part of {@link #VISIBLE}: the check for a label of ours already drawn (the rest is the drawing). */
        VISIBLE_CHECK
    }

    private final long[] nanos = new long[Stage.values().length];
    private final java.util.function.LongSupplier clock;

    /** An empty record, every stage at zero, timed by the wall clock ({@link System#nanoTime()}). */
    public LabelTimings() {
        this(System::nanoTime);
    }

    /**
     * An empty record timed by {@code clock}, in nanoseconds: e.g. the calling thread's CPU time
     * ({@code ThreadMXBean::getCurrentThreadCpuTime}), which on a shared machine says more than the wall clock.
     */
    public LabelTimings(java.util.function.LongSupplier clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** Nanoseconds spent in {@code stage} (zero when the call did not run it). */
    public long nanos(Stage stage) {
        return nanos[stage.ordinal()];
    }

    /** Milliseconds spent in {@code stage}. */
    public double millis(Stage stage) {
        return nanos[stage.ordinal()] / 1e6;
    }

    /** Every stage's milliseconds, in stage order. */
    public Map<Stage, Double> asMillis() {
        Map<Stage, Double> m = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            m.put(s, millis(s));
        }
        return m;
    }

    /** The current time for a stage's start, or 0 when {@code t} is null (no clock read). */
    static long start(LabelTimings t) {
        return t == null ? 0 : t.clock.getAsLong();
    }

    /** Adds the time since {@code since} to {@code stage}; returns now (the next stage's start). No-op when t is null. */
    static long lap(LabelTimings t, Stage stage, long since) {
        if (t == null) {
            return 0;
        }
        long now = t.clock.getAsLong();
        t.nanos[stage.ordinal()] += now - since;
        return now;
    }

    /** As {@link #lap(LabelTimings, Stage, long)}, adding the time to {@code part} (a part of {@code stage}) too. */
    static long lap(LabelTimings t, Stage stage, Stage part, long since) {
        if (t == null) {
            return 0;
        }
        long now = t.clock.getAsLong();
        t.nanos[stage.ordinal()] += now - since;
        t.nanos[part.ordinal()] += now - since;
        return now;
    }
}
