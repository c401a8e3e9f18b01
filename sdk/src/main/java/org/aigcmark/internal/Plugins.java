package org.aigcmark.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The one way the sdk finds the implementations of its SPIs that other artifacts register in {@code META-INF/services}
 * (documents, tokenizers, SM2, codec-webp, native kernels, video). The sdk's own class loader is asked first (a flat
 * class path, the shaded CLI, the module path), then the thread's (containers that load the sdk in a parent loader);
 * a class found by both comes once, in the first loader's order. A broken registration (a missing class, a provider
 * that cannot be made) ends that loader's list there, as if the rest were absent: an optional artifact never stops
 * the sdk. Callers cache the result: the lookup reads jar manifests.
 */
public final class Plugins {
    private Plugins() {}

    /** Every provider of {@code service} on the class path, as described above. */
    public static <T> List<T> load(Class<T> service) {
        List<T> found = new ArrayList<>();
        for (ClassLoader loader : new ClassLoader[] {service.getClassLoader(), Thread.currentThread().getContextClassLoader()}) {
            try {
                for (T p : ServiceLoader.load(service, loader)) {
                    if (found.stream().noneMatch(q -> q.getClass() == p.getClass())) {
                        found.add(p);
                    }
                }
            } catch (java.util.ServiceConfigurationError | LinkageError e) {
                // a broken provider: the rest of this loader's stay unavailable, as with none
            }
        }
        return List.copyOf(found);
    }
}
