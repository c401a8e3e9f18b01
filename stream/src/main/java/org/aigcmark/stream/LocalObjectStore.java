package org.aigcmark.stream;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.aigcmark.AigcmarkException;
import org.aigcmark.io.AtomicFiles;

/**
 * An {@link ObjectStore} over one local (or mounted: NFS, a CSI volume) folder. A reference is a path relative to the
 * folder, an absolute path, or a {@code file:} URI; whichever, it must name a file inside the folder once links are
 * followed, so an event cannot read {@code /etc/passwd} or write outside. Writes are atomic ({@link AtomicFiles}).
 */
public final class LocalObjectStore implements ObjectStore {
    private final Path root;

    /**
     * A store over {@code root}, which must exist.
     *
     * @param root the folder every reference resolves under
     * @throws AigcmarkException {@code INPUT_UNREADABLE} when {@code root} is not a readable folder
     */
    public LocalObjectStore(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "object store folder " + root + " is not readable: " + e.getMessage());
        }
        if (!Files.isDirectory(this.root)) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "object store folder " + root + " is not a folder");
        }
    }

    /** @return the folder references resolve under (links resolved) */
    public Path root() {
        return root;
    }

    @Override
    public byte[] read(String ref, long maxBytes) {
        Path file = resolve(ref);
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw unreadable(ref, "no such object");
        }
        if (!real.startsWith(root)) {
            throw unreadable(ref, "outside the object store");
        }
        if (!Files.isRegularFile(real)) {
            throw unreadable(ref, "not a file");
        }
        try (SeekableByteChannel ch = Files.newByteChannel(real)) {
            long limit = Math.min(Integer.MAX_VALUE - 8, maxBytes);
            long size = ch.size();
            if (size > limit) {
                throw ObjectStore.tooLarge(ref, maxBytes);
            }
            // one buffer of the file's size (a chunked read of an unknown length copied every byte twice), then
            // one byte past it instead of trusting the size: the file may grow while we read
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read until full or end of file
            }
            if (buf.hasRemaining()) {
                return Arrays.copyOf(buf.array(), buf.position()); // it shrank while we read: what is there now
            }
            ByteBuffer next = ByteBuffer.allocate(1);
            if (ch.read(next) <= 0) {
                return buf.array();
            }
            // it grew (or its size was not known, as in some virtual file systems): the rest, up to one byte past the limit
            byte[] more = Channels.newInputStream(ch).readNBytes((int) (limit - size));
            if (size + 1 + more.length > limit) {
                throw ObjectStore.tooLarge(ref, maxBytes);
            }
            byte[] bytes = Arrays.copyOf(buf.array(), (int) size + 1 + more.length);
            bytes[(int) size] = next.get(0);
            System.arraycopy(more, 0, bytes, (int) size + 1, more.length);
            return bytes;
        } catch (IOException e) {
            throw unreadable(ref, e.getMessage());
        }
    }

    @Override
    public String write(String ref, byte[] bytes) {
        Path file = resolve(ref);
        try {
            Files.createDirectories(file.getParent());
            if (!file.getParent().toRealPath().startsWith(root)) {
                throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "object " + ref + " is outside the object store");
            }
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "object " + ref + ": " + e.getMessage());
        }
        AtomicFiles.write(file, bytes);
        return root.relativize(file).toString();
    }

    /** The path {@code ref} names, normalised; whether it stays inside the folder is checked on the real path. */
    private Path resolve(String ref) {
        if (ref == null || ref.isBlank() || ref.indexOf('\0') >= 0) {
            throw unreadable(String.valueOf(ref), "empty or not a path");
        }
        Path p;
        try {
            p = ref.startsWith("file:") ? Path.of(URI.create(ref)) : Path.of(ref);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw unreadable(ref, "not a path or file: URI");
        }
        Path resolved = (p.isAbsolute() ? p : root.resolve(p)).normalize();
        if (!resolved.startsWith(root)) {
            throw unreadable(ref, "outside the object store");
        }
        return resolved;
    }

    private static AigcmarkException unreadable(String ref, String why) {
        return new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "object " + ref + ": " + why);
    }
}
