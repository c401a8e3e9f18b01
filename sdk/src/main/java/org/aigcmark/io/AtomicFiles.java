package org.aigcmark.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import org.aigcmark.AigcmarkException;
import org.aigcmark.internal.IoErrors;

/**
 * Writes outputs atomically: a temp file beside the target, flushed to disk, then renamed over the target.
 * A failed write leaves the target as it was and no partial file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes the whole output to a stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the whole output to {@code out} (not closed here). */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Something that writes the whole output into a file channel opened for reading too, so it can copy ranges of
     * another file with {@link FileChannel#transferFrom}/{@code transferTo} and read its own output back before
     * the rename makes it visible (throwing then leaves the target untouched).
     */
    @FunctionalInterface
    public interface ChannelWriter {
        /** Writes the whole output to {@code out}, positioned at 0 (not closed here). */
        void writeTo(FileChannel out) throws IOException;
    }

    /**
     * Writes {@code bytes} to {@code target} atomically: a temporary file beside it, synced, then renamed over it.
     * Fails with {@code OUTPUT_NOT_WRITABLE} (nothing left behind) when the folder is missing or not writable.
     */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** As {@link #write(Path, byte[])}, the content coming from {@code writer}; its IOException fails the write. */
    public static void write(Path target, Writer writer) {
        write(target, streamWriter(writer), null, true);
    }

    /**
     * As {@link #write(Path, byte[])}, the writer getting the temporary file's channel: it may copy ranges into it
     * and read it back before the rename makes it visible.
     */
    public static void writeChannel(Path target, ChannelWriter writer) {
        write(target, writer, null, true);
    }

    /**
     * Writes a new file that must not replace an existing one (keys: losing one cannot be undone). The file has
     * {@code permissions} (e.g. owner-only for a secret) from the moment it appears; null keeps the default.
     * Fails with OUTPUT_NOT_WRITABLE when the target exists, also when it appears meanwhile (hard link, no race).
     */
    public static void writeNew(Path target, byte[] bytes, java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions) {
        write(target, streamWriter(out -> out.write(bytes)), permissions, false);
    }

    /** As {@link #writeNew}, but an existing target is replaced. */
    public static void write(Path target, byte[] bytes, java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions) {
        write(target, streamWriter(out -> out.write(bytes)), permissions, true);
    }

    private static ChannelWriter streamWriter(Writer writer) {
        return ch -> {
            OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
            writer.writeTo(out);
            out.flush();
        };
    }

    private static void write(Path target, ChannelWriter writer, java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions,
                              boolean replace) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            // One stat of the target, no exception when it is missing (a new output is the common case, and a thrown
            // NoSuchFileException cost about a tenth of a small file's label): a folder is refused, and an existing
            // file's permissions are the output's. A missing or unusable folder shows when the temp file is created.
            BasicFileAttributes existing = dir == null ? null : targetAttributes(abs);
            if (dir == null || existing != null && existing.isDirectory()) {
                requireWritable(target, null);
            }
            cleanAbandonedTemps(dir, abs.getFileName().toString());
            // the temp file is created and opened at once, owner-only, then given its permissions before any byte
            FileChannel ch = null;
            for (int attempt = 0; ch == null; attempt++) {
                tmp = dir.resolve("." + abs.getFileName() + "." + Long.toUnsignedString(NAMES.nextLong()) + ".tmp");
                try {
                    ch = createOwnerOnly(tmp);
                } catch (IOException e) {
                    tmp = null; // not ours: never deleted below
                    if (!(e instanceof java.nio.file.FileAlreadyExistsException) || attempt >= 16) {
                        requireWritable(target, null); // a missing folder (or a file in its place) says so
                        throw e;
                    }
                }
            }
            try (FileChannel open = ch) {
                if (permissions == null) {
                    setPermissions(tmp, existing instanceof PosixFileAttributes posix ? posix.permissions() : NEW_FILE);
                } else {
                    setPermissions(tmp, permissions);
                }
                writer.writeTo(open);
                open.force(true);
            }
            if (!replace) {
                linkNew(abs, tmp, target);
                return; // finally removes the temp name; the data lives on under the target's
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE,
                    "cannot write " + target + ": " + IoErrors.describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: the temp name starts with a dot and ends in .tmp, so it is recognisable.
                }
            }
        }
    }

    /**
     * Fails with OUTPUT_NOT_WRITABLE when {@code target}'s folder does not exist or {@code target} is a folder: the
     * checks every write makes, for commands that refuse a bad output before any work. {@code what} (e.g. "the JSON
     * report"), when given, names the output in the message.
     */
    public static void requireWritable(Path target, String what) {
        Path dir = target.toAbsolutePath().getParent();
        String named = what == null ? target.toString() : what + " " + target;
        if (dir == null || !Files.isDirectory(dir)) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE,
                    "cannot write " + named + ": folder " + dir + " does not exist");
        }
        if (Files.isDirectory(target.toAbsolutePath())) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write " + named + ": it is a folder");
        }
    }

    /** Temp names: a random number, as {@link Files#createTempFile} makes them. */
    private static final java.security.SecureRandom NAMES = new java.security.SecureRandom();

    private static final java.util.Set<StandardOpenOption> CREATE = java.util.EnumSet.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE);

    /** A new file, readable and writable by its owner only (where the file system has POSIX permissions). */
    private static FileChannel createOwnerOnly(Path tmp) throws IOException {
        try {
            return FileChannel.open(tmp, CREATE, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(tmp, CREATE); // no POSIX permissions: the platform's default
        }
    }

    /** A temp file of ours this old was left by a write that was killed (kill -9, power loss): no write takes an hour. */
    static final long ABANDONED_AFTER_MILLIS = 3600_000L;

    /** How long a folder's listing of our temp files is reused: far under {@link #ABANDONED_AFTER_MILLIS}. */
    static final long LISTING_REUSED_MILLIS = 600_000L;

    /** A folder's temp files named as ours, by the target name they were for, and when the folder was listed. */
    private record TempListing(long listedAt, java.util.Map<String, java.util.List<Path>> byTarget) {}

    /** Recent listings by folder (bounded: cleared past 256 folders). */
    private static final java.util.concurrent.ConcurrentHashMap<Path, TempListing> LISTINGS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Deletes the temp files a killed write of {@code name} left in {@code dir}: named as {@link #write} names them
     * ({@code .NAME.<digits>.tmp}) and older than {@link #ABANDONED_AFTER_MILLIS}. A fresh one may be a write in
     * progress and stays; anything else is not ours and stays. Best effort: a file that cannot be removed is left.
     * The folder is listed once per {@link #LISTING_REUSED_MILLIS} per process, not per write (a listing per labelled
     * file was a tenth of a small file's label, and grows with the folder): a temp file that was not there at the
     * listing is younger than that, so it cannot be abandoned before the next listing; one that turns an hour old
     * meanwhile is removed by a write after the next listing instead.
     */
    private static void cleanAbandonedTemps(Path dir, String name) {
        long now = System.currentTimeMillis();
        TempListing listing = LISTINGS.get(dir);
        if (listing == null || now - listing.listedAt() > LISTING_REUSED_MILLIS || now < listing.listedAt()) {
            listing = list(dir, now);
            if (LISTINGS.size() > 256) {
                LISTINGS.clear();
            }
            LISTINGS.put(dir, listing);
        }
        long cutoff = now - ABANDONED_AFTER_MILLIS;
        for (Path p : listing.byTarget().getOrDefault(name, java.util.List.of())) {
            try {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.getLastModifiedTime(p,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | RuntimeException e) {
                // best effort: the write itself goes on
            }
        }
    }

    /** {@code dir}'s files named {@code .NAME.<digits>.tmp}, by NAME (empty when the folder cannot be listed). */
    private static TempListing list(Path dir, long now) {
        java.util.Map<String, java.util.List<Path>> byTarget = new java.util.HashMap<>();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : files) {
                String f = p.getFileName().toString();
                String middle = f.substring(1, f.length() - ".tmp".length());
                int dot = middle.lastIndexOf('.');
                if (dot <= 0 || dot == middle.length() - 1
                        || !middle.substring(dot + 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
                    continue;
                }
                byTarget.computeIfAbsent(middle.substring(0, dot), k -> new java.util.ArrayList<>()).add(p);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the write itself goes on, and says so if the folder is really unusable
        }
        return new TempListing(now, java.util.Map.copyOf(byTarget));
    }

    /** A hard link fails when the name exists, atomically; without hard links a plain move is the fallback. */
    private static void linkNew(Path abs, Path tmp, Path target) throws IOException {
        try {
            Files.createLink(abs, tmp);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, target + " already exists");
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, target + " already exists");
            }
            Files.move(tmp, abs);
        }
    }

    private static void setPermissions(Path p, java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions) {
        try {
            Files.setPosixFilePermissions(p, permissions);
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: keep the platform's default.
        }
    }

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> NEW_FILE =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    /**
     * The target's attributes (POSIX ones where the file system has them), following links as a write does; null
     * when it does not exist. Output permissions: the target's, or rw-r--r-- when it is new (temp files are created
     * owner-only).
     */
    private static BasicFileAttributes targetAttributes(Path target) {
        java.nio.file.spi.FileSystemProvider fs = target.getFileSystem().provider();
        try {
            try {
                return fs.readAttributesIfExists(target, PosixFileAttributes.class);
            } catch (UnsupportedOperationException e) {
                return fs.readAttributesIfExists(target, BasicFileAttributes.class); // not a POSIX file system
            }
        } catch (IOException | UnsupportedOperationException e) {
            return null; // as Files.isDirectory: unreadable attributes count as no folder there, the default permissions
        }
    }
}
