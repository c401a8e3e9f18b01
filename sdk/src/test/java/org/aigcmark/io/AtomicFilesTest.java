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
}
