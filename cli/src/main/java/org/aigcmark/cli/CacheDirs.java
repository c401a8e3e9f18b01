package org.aigcmark.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.aigcmark.io.Sha256;

/** Where the CLI keeps files it makes for itself: $XDG_CACHE_HOME/aigcmark, else ~/.cache/aigcmark. */
final class CacheDirs {
    /** Overrides the cache folder (tests; operators who keep caches elsewhere). */
    static final String PROPERTY = "aigcmark.cache.dir";

    private CacheDirs() {}

    static Path aigcmark() {
        String told = System.getProperty(PROPERTY);
        if (told != null && !told.isBlank()) {
            return Path.of(told);
        }
        return aigcmark(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
    }

    /** The XDG rule: a relative $XDG_CACHE_HOME is invalid and ignored. */
    static Path aigcmark(String xdgCacheHome, String home) {
        if (xdgCacheHome != null && !xdgCacheHome.isBlank() && Path.of(xdgCacheHome).isAbsolute()) {
            return Path.of(xdgCacheHome, "aigcmark");
        }
        return Path.of(home, ".cache", "aigcmark");
    }

    static Path scanJournals() {
        return aigcmark().resolve("scan-journals");
    }

    /** A file name for one scanned folder: its name (readable) and a hash of its absolute path (unique). */
    static String keyOf(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        String readable = name == null ? "root" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return readable.substring(0, Math.min(40, readable.length())) + "-"
                + Sha256.shortHex(abs.toString().getBytes(StandardCharsets.UTF_8));
    }
}
