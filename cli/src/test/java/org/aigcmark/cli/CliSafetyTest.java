package org.aigcmark.cli;

import static org.aigcmark.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI refuses what would lose data or mislead: overwritten keys, stale scan results, ambiguous streams. */
class CliSafetyTest {
    @TempDir
    Path tmp;

    @Test
    void keygenNeverOverwritesAWatermarkKeyWithoutForce() throws Exception {
        Path prefix = tmp.resolve("wm");
        Path key = Path.of(prefix + ".key");
        assertEquals(0, run("keygen", "--alg", "watermark", "-o", prefix.toString()).code());
        byte[] first = Files.readAllBytes(key);
        Run again = run("keygen", "--alg", "watermark", "-o", prefix.toString());
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, again.code(), again.err());
        assertTrue(again.err().contains(key.toString()) && again.err().contains("--force"), again.err());
        assertEquals(1, again.err().strip().lines().count(), "one sentence: " + again.err());
        assertArrayEquals(first, Files.readAllBytes(key), "the existing key is kept");
        Run forced = run("keygen", "--alg", "watermark", "-o", prefix.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(key)), "--force replaces it");
    }

    @Test
    void keygenWritesNothingOfAPairWhenEitherFileExists() throws Exception {
        Path prefix = tmp.resolve("sig");
        Path pub = Files.writeString(Path.of(prefix + ".pub"), "someone's public key\n");
        Run r = run("keygen", "--alg", "ed25519", "-o", prefix.toString());
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, r.code(), r.err());
        assertTrue(r.err().contains(pub.toString()), r.err());
        assertFalse(Files.exists(Path.of(prefix + ".key")), "no half-written pair");
        assertEquals("someone's public key\n", Files.readString(pub));
        assertEquals(0, run("keygen", "--alg", "ed25519", "-o", prefix.toString(), "--force").code());
        assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----"), Files.readString(pub));
    }
}
