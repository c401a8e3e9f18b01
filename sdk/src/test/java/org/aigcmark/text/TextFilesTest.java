package org.aigcmark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.AigcmarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
    @TempDir
    Path dir;

    private AigcmarkException.Reason reasonFor(byte[] bytes, long max) throws Exception {
        Path p = dir.resolve("in.txt");
        Files.write(p, bytes);
        return assertThrows(AigcmarkException.class, () -> TextFiles.readUtf8(p, max)).reason();
    }

    @Test
    void refusesBadInputWithTypedReasons() throws Exception {
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, reasonFor(new byte[]{'a', 'b', (byte) 0xC3, '(', 'c'}, 100));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, reasonFor(new byte[]{'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, 100)); // encoded surrogate
        assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, reasonFor(new byte[]{'P', 'K', 3, 4, 0, 0, 1}, 100));
        assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, reasonFor(new byte[]{(byte) 0xFF, (byte) 0xFE, 'a', 0}, 100));
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, reasonFor(new byte[101], 100));
        assertEquals(AigcmarkException.Reason.INPUT_UNREADABLE,
                assertThrows(AigcmarkException.class, () -> TextFiles.readUtf8(dir.resolve("missing.txt"))).reason());
    }

    @Test
    void acceptsUtf8WithBomAndLongLines() throws Exception {
        Path p = dir.resolve("ok.txt");
        String line = "长".repeat(200_000);
        Files.write(p, ("\uFEFF" + line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String s = TextFiles.readUtf8(p);
        assertEquals(line + "\n", s);
        assertTrue(s.charAt(0) != '\uFEFF');
    }
}
