package org.aigcmark.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.AigcmarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** References come from events: the local store serves only files inside its folder, and only up to the limit. */
class LocalObjectStoreTest {
    @TempDir
    Path dir;

    @Test
    void aLinkThatLeadsOutOfTheFolderIsRefused() throws Exception {
        Path outside = Files.writeString(Files.createTempFile("outside", ".txt"), "secret");
        try {
            Path root = Files.createDirectories(dir.resolve("root"));
            Files.createSymbolicLink(root.resolve("link.jpg"), outside);
            LocalObjectStore store = new LocalObjectStore(root);
            AigcmarkException e = assertThrows(AigcmarkException.class, () -> store.read("link.jpg", 1000));
            assertEquals(AigcmarkException.Reason.INPUT_UNREADABLE, e.reason());
            assertTrue(e.getMessage().contains("outside the object store"), e.getMessage());
            assertThrows(AigcmarkException.class, () -> store.read(outside.toUri().toString(), 1000));
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void anObjectOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws Exception {
        Files.write(dir.resolve("a.bin"), new byte[100]);
        LocalObjectStore store = new LocalObjectStore(dir);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> store.read("a.bin", 99));
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, e.reason());
        assertEquals(100, store.read("a.bin", 100).length);
        assertEquals(100, store.read(dir.resolve("a.bin").toUri().toString(), 100).length);
    }

    @Test
    void propagatedCopiesGoUnderTheFolderWhateverTheEventSays() {
        LocalObjectStore store = new LocalObjectStore(dir);
        String ref = store.propagatedRef("x.jpg", "../../etc", "e/1", "jpg");
        assertEquals("propagated/__.._etc/e_1.jpg", ref);
        String written = store.write(ref, new byte[] {1, 2, 3});
        assertEquals(ref, written);
        assertArrayEquals(new byte[] {1, 2, 3}, store.read(written, 10));
        assertThrows(AigcmarkException.class, () -> store.write("../escape.jpg", new byte[] {1}));
    }
}
