package org.aigcmark.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.aigcmark.AigcmarkException;

/**
 * The API keys file: one {@code KEY PERMISSION[,PERMISSION]} a line ({@code detect}, {@code label}), {@code #}
 * comments. Reread when its modification time or size changes (checked on each request: one stat). A file that
 * becomes unreadable or invalid locks everyone out (fail closed) until it is fixed; the reason goes to the log once.
 * Keys are compared in constant time: every key is compared, by SHA-256 digest, with {@link MessageDigest#isEqual}.
 */
public final class ApiKeys {
    /** What a key may do. */
    public enum Permission { DETECT, LABEL }

    /** A key as loaded: its digest, its permissions and the id logs name it by (never the key itself). */
    record Entry(byte[] digest, Set<Permission> permissions, String id) {}

    /** Who is calling: the key's id and what it may do. */
    public record Caller(String keyId, Set<Permission> permissions) {}

    private final Path file;
    private final java.util.function.Consumer<String> log;
    private volatile Snapshot current;

    private record Snapshot(FileTime modified, long size, List<Entry> entries) {}

    private ApiKeys(Path file, java.util.function.Consumer<String> log, Snapshot first) {
        this.file = file;
        this.log = log;
        this.current = first;
    }

    /** Reads the file now; a missing or invalid file at start is an error (the service does not start). */
    public static ApiKeys load(Path file, java.util.function.Consumer<String> log) {
        try {
            return new ApiKeys(file, log, read(file));
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read the API keys file " + file + ": " + e.getMessage(), e);
        }
    }

    /** How many keys are loaded now. */
    public int size() {
        return refreshed().entries.size();
    }

    /** The caller this key belongs to, if any. Takes the same time whichever key (or none) matches. */
    public Optional<Caller> find(String presented) {
        byte[] digest = sha256(presented.getBytes(StandardCharsets.UTF_8));
        Entry found = null;
        for (Entry e : refreshed().entries) {
            if (MessageDigest.isEqual(e.digest, digest) & found == null) {
                found = e;
            }
        }
        return found == null ? Optional.empty() : Optional.of(new Caller(found.id, found.permissions));
    }

    private Snapshot refreshed() {
        Snapshot s = current;
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(s.modified) && size == s.size) {
                return s;
            }
            synchronized (this) {
                if (current != s) {
                    return current;
                }
                Snapshot fresh = read(file);
                current = fresh;
                log.accept("API keys reloaded from " + file + ": " + fresh.entries.size() + " key(s)");
                return fresh;
            }
        } catch (IOException | AigcmarkException e) {
            synchronized (this) {
                if (current.modified != null) { // logged once, when it turns unusable
                    log.accept("API keys file " + file + " is unusable, every request is refused until it is fixed: " + e);
                }
                current = new Snapshot(null, -1, List.of());
                return current;
            }
        }
    }

    private static Snapshot read(Path file) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        if (size > 1 << 20) {
            throw AigcmarkException.limit("the API keys file " + file + " is over 1 MiB");
        }
        List<Entry> entries = new ArrayList<>();
        int n = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw AigcmarkException.invalid(file + " line " + n + ": expected KEY PERMISSION[,PERMISSION]");
            }
            if (parts[0].length() < 16) {
                throw AigcmarkException.invalid(file + " line " + n + ": a key must be at least 16 characters");
            }
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            for (String p : parts[1].split(",")) {
                try {
                    permissions.add(Permission.valueOf(p.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw AigcmarkException.invalid(file + " line " + n + ": unknown permission '" + p + "' (detect, label)");
                }
            }
            byte[] digest = sha256(parts[0].getBytes(StandardCharsets.UTF_8));
            entries.add(new Entry(digest, Set.copyOf(permissions), keyId(digest)));
        }
        return new Snapshot(modified, size, List.copyOf(entries));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The id a key is logged by: the first 8 hex digits of its SHA-256 (not enough to guess the key). */
    static String keyId(byte[] digest) {
        return java.util.HexFormat.of().formatHex(digest, 0, 4);
    }
}
