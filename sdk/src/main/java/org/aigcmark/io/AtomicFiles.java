package org.aigcmark.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
            requireWritable(target, null);
            cleanAbandonedTemps(dir, abs.getFileName().toString());
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            if (permissions == null) {
                permissionsLike(abs, tmp);
            } else {
                setPermissions(tmp, permissions);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.writeTo(ch);
                ch.force(true);
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

    /** A hard link fails when the name exists, atomically; without hard links a plain move is the fallback. */
    /** A temp file of ours this old was left by a write that was killed (kill -9, power loss): no write takes an hour. */
    static final long ABANDONED_AFTER_MILLIS = 3600_000L;

    /**
     * Deletes the temp files a killed write of {@code name} left in {@code dir}: named as {@link #write} names them
     * ({@code .NAME.<digits>.tmp}) and older than {@link #ABANDONED_AFTER_MILLIS}. A fresh one may be a write in
     * progress and stays; anything else is not ours and stays. Best effort: a file that cannot be removed is left.
     */
    private static void cleanAbandonedTemps(Path dir, String name) {
        String prefix = "." + name + ".";
        long cutoff = System.currentTimeMillis() - ABANDONED_AFTER_MILLIS;
        try (java.nio.file.DirectoryStream<Path> temps = Files.newDirectoryStream(dir, prefix.replace("[", "\\[")
                .replace("*", "\\*").replace("?", "\\?").replace("{", "\\{") + "*.tmp")) {
            for (Path p : temps) {
                String middle = p.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - ".tmp".length());
                if (!middle.isEmpty() && middle.chars().allMatch(Character::isDigit) && Files.isRegularFile(p,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the write itself goes on, and says so if the folder is really unusable
        }
    }

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

    /** Temp files are created owner-only; the output gets the target's permissions, or rw-r--r-- when new. */
    private static void permissionsLike(Path target, Path tmp) {
        try {
            var perms = Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmp, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: keep the platform's default.
        }
    }
}
