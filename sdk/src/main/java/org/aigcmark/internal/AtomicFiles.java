package org.aigcmark.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.aigcmark.AigcmarkException;

/**
 * Writes outputs atomically: a temp file beside the target, flushed to disk, then renamed over the target.
 * A failed write leaves the target as it was and no partial file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes the whole output to a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Something that writes the whole output into a file channel opened for reading too, so it can copy ranges of
     * another file with {@link FileChannel#transferFrom}/{@code transferTo} and read its own output back before
     * the rename makes it visible (throwing then leaves the target untouched).
     */
    @FunctionalInterface
    public interface ChannelWriter {
        void writeTo(FileChannel out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    public static void write(Path target, Writer writer) {
        writeChannel(target, ch -> {
            OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
            writer.writeTo(out);
            out.flush();
        });
    }

    public static void writeChannel(Path target, ChannelWriter writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            if (dir == null || !Files.isDirectory(dir)) {
                throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE,
                        "cannot write " + target + ": folder " + dir + " does not exist");
            }
            if (Files.isDirectory(abs)) {
                throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE,
                        "cannot write " + target + ": it is a folder");
            }
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            permissionsLike(abs, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE,
                    "cannot write " + target + ": " + describe(e), e);
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

    static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
