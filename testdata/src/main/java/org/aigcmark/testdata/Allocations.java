package org.aigcmark.testdata;

/** Memory bounds for tests: what a piece of work allocates, counted by the JVM (a bound, not a timing). */
public final class Allocations {
    private Allocations() {}

    /** Bytes this thread allocates while {@code r} runs (HotSpot's per-thread counter). */
    public static long allocated(Runnable r) {
        try {
            // Through reflection: a test module need not read jdk.management.
            var counter = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            Object mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long before = (long) counter.invoke(mx);
            r.run();
            return (long) counter.invoke(mx) - before;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no per-thread allocation counter in this JVM", e);
        }
    }
}
