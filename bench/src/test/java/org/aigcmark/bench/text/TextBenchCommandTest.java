package org.aigcmark.bench.text;

import org.aigcmark.ExitCodes;
import org.aigcmark.bench.BenchRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.bench.BenchMain;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.text.tokenizers.JTokkitTokenizer;
import org.aigcmark.text.watermark.WatermarkConfig;
import org.aigcmark.text.watermark.WatermarkDetection;
import org.aigcmark.text.watermark.WatermarkDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aigcmark bench text generate}: what it prints carries the key's mark, read back by the sdk's detector. */
class TextBenchCommandTest {
    @TempDir
    Path dir;

    private static BenchRun run(String... args) {
        return BenchRun.of(args);
    }

    private Path keyFile(String name, WatermarkKey key) throws Exception {
        return Files.writeString(dir.resolve(name), key.toPem());
    }

    @Test
    void generatedTextIsDetectedWithItsKeyOnly() throws Exception {
        WatermarkKey key = WatermarkKey.generate();
        BenchRun g = run("text", "generate", "--key", keyFile("wm.key", key).toString(), "--tokens", "200", "--seed", "7");
        assertEquals(ExitCodes.OK, g.code(), g.err());
        JTokkitTokenizer tok = JTokkitTokenizer.o200k();
        WatermarkDetection yes = new WatermarkDetector(key, WatermarkConfig.KGW_DEFAULT).detect(g.out(), tok);
        assertTrue(yes.detected() && yes.z() > 5 && yes.pValue() < 1e-5, yes.toString());
        assertTrue(yes.tokens() >= 190, yes.toString());
        WatermarkDetection other = new WatermarkDetector(WatermarkKey.generate(), WatermarkConfig.KGW_DEFAULT).detect(g.out(), tok);
        assertFalse(other.detected(), other.toString());

        BenchRun plain = run("text", "generate", "--key", keyFile("wm2.key", key).toString(), "--tokens", "200", "--seed", "7",
                "--no-watermark");
        assertEquals(ExitCodes.OK, plain.code(), plain.err());
        assertFalse(new WatermarkDetector(key, WatermarkConfig.KGW_DEFAULT).detect(plain.out(), tok).detected());
    }

    @Test
    void badKeyIsAUsageError() throws Exception {
        Path notKey = Files.writeString(dir.resolve("not.key"), "hello");
        BenchRun r = run("text", "generate", "--key", notKey.toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().startsWith("aigcmark bench: "), r.err());
    }
}
