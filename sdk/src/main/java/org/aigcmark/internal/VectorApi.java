package org.aigcmark.internal;

/**
 * Whether the incubating Vector API ({@code jdk.incubator.vector}) is in this JVM's boot layer: it is only when the
 * JVM runs with {@code --add-modules jdk.incubator.vector} (the CLI launcher, the tests and JMH add it). The image
 * and text watermark kernels ask here before loading their Vector API classes, else they keep the scalar loops.
 */
public final class VectorApi {
    private VectorApi() {}

    /** Whether the JVM runs with {@code jdk.incubator.vector} (the kernels fall back to scalar loops without it). */
    public static boolean present() {
        try {
            return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
