package org.aigcmark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void writeNewKeepsAnExistingFileAndLeavesNoTempBehind() throws Exception {
        Path key = Files.writeString(tmp.resolve("k.key"), "the only copy");
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> AtomicFiles.writeNew(key, "new".getBytes(), PosixFilePermissions.fromString("rw-------")));
        assertEquals(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, e.reason());
        assertEquals("the only copy", Files.readString(key));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(key), s.toList(), "no temp file left");
        }
    }

    @Test
    void writeNewAppliesThePermissionsFromTheStart() throws Exception {
        Path key = tmp.resolve("k.key");
        AtomicFiles.writeNew(key, "secret".getBytes(), PosixFilePermissions.fromString("rw-------"));
        assertEquals("secret", Files.readString(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(key), s.toList(), "the temp name is gone, the data lives under the target's");
        }
    }

    /**
     * A write killed with -9 leaves its temp file; the next write of that target cleans it once it is clearly
     * abandoned (an hour old), and never touches a fresh one (a write in progress) or another program's file.
     */
    @Test
    void theNextWriteCleansTempFilesAKilledWriteLeftBehind() throws Exception {
        Path out = tmp.resolve("photo.jpg");
        Path stale = Files.writeString(tmp.resolve(".photo.jpg.1234567890.tmp"), "half a file");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * 3600_000L));
        Path fresh = Files.writeString(tmp.resolve(".photo.jpg.987654321.tmp"), "a write in progress");
        Path oldOther = Files.writeString(tmp.resolve(".other.tmp"), "not ours: no random number");
        Files.setLastModifiedTime(oldOther, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * 3600_000L));
        AtomicFiles.write(out, "new".getBytes());
        assertEquals("new", Files.readString(out));
        assertEquals(false, Files.exists(stale), "the abandoned temp file is gone");
        assertEquals(true, Files.exists(fresh), "a fresh one may belong to a write in progress");
        assertEquals(true, Files.exists(oldOther), "a file not named like ours stays");
    }

    /**
     * The checks a write makes from one stat of the target (no exception for a new one): a folder in the target's place
     * and a missing folder are refused with what is wrong, nothing is left behind; a new output is rw-r--r--, a
     * replaced one keeps its permissions.
     */
    @Test
    void refusalsAndPermissionsComeFromOneLookAtTheTarget() throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("out.jpg"));
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> AtomicFiles.write(folder, "x".getBytes()));
        assertEquals(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, e.reason());
        assertEquals("cannot write " + folder + ": it is a folder", e.getMessage());
        Path missing = tmp.resolve("no-such-folder").resolve("out.jpg");
        e = assertThrows(AigcmarkException.class, () -> AtomicFiles.write(missing, "x".getBytes()));
        assertEquals(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, e.reason());
        assertEquals("cannot write " + missing + ": folder " + missing.getParent() + " does not exist", e.getMessage());
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(folder), s.toList(), "no temp file left");
        }

        Path created = tmp.resolve("new.jpg");
        AtomicFiles.write(created, "new".getBytes());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
        Path kept = Files.writeString(tmp.resolve("kept.jpg"), "old");
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(kept, "new".getBytes());
        assertEquals("new", Files.readString(kept));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    }
}
