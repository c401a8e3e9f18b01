package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCommandsTest {
    @TempDir
    Path dir;
    Path key;

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.getCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void makeKey() {
        key = dir.resolve("wm.key");
        assertEquals(0, run("keygen", "--alg", "watermark", "-o", dir.resolve("wm").toString()).code);
    }

    @Test
    void labelWritesBothLabelsInTheContentLanguage() throws Exception {
        Path in = Fixtures.path("text/human/zh-faq-debian.txt");
        Path out = dir.resolve("out.txt");
        Run r = run("text", "label", in.toString(), "-o", out.toString());
        assertEquals(0, r.code, r.err);
        String s = Files.readString(out);
        assertTrue(s.startsWith("（本内容由AI生成）\n"));
        assertTrue(s.endsWith("（本内容由AI生成）\n"));
        Run d = run("text", "detect", out.toString(), "--json");
        JsonNode j = new ObjectMapper().readTree(d.out);
        assertEquals(2, j.get("explicitLabels").size());
        assertEquals("START", j.get("explicitLabels").get(0).get("location").asText());
    }

    @Test
    void disguisedLabelsAreReportedWithTheirEvasion() throws Exception {
        Path in = dir.resolve("evasive.txt");
        // Cyrillic е, а, А in the first label; letters written apart in the last.
        Files.writeString(in, "Gеnеrаtеd by АI\nThe body of the answer goes here and is long enough to leave both windows"
                + " behind us, so that each label sits at its own edge of the text.\nG e n e r a t e d  b y  A I\n");
        Run d = run("text", "detect", in.toString(), "--json");
        JsonNode labels = new ObjectMapper().readTree(d.out).get("explicitLabels");
        assertEquals(2, labels.size(), d.out);
        assertEquals("homoglyphs", labels.get(0).get("evasions").get(0).asText());
        assertEquals("letter-spaced", labels.get(1).get("evasions").get(0).asText());
        String plain = run("text", "detect", in.toString()).out;
        assertTrue(plain.contains("(evasion: homoglyphs)"), plain);
        assertTrue(plain.contains("(evasion: letter-spaced)"), plain);
    }

    @Test
    void zeroWidthMarkIsEmbeddedAndReported() throws Exception {
        Path out = dir.resolve("zw.txt");
        Run r = run("text", "label", Fixtures.path("text/human/en-faq-debian.txt").toString(), "-o", out.toString(),
                "--zero-width-key", key.toString());
        assertEquals(0, r.code, r.err);
        JsonNode j = new ObjectMapper().readTree(run("text", "detect", out.toString(), "--key", key.toString(), "--json").out);
        assertTrue(j.get("zeroWidthMarks").get("count").asInt() > 10, j.get("zeroWidthMarks").toString());
        assertTrue(j.get("zeroWidthMarks").get("matchesKey").asBoolean());
        assertTrue(j.get("invisibleCharactersTotal").asInt() > 100);
        assertEquals("ZERO_WIDTH", j.get("invisibleCharacters").get(0).get("kind").asText());
    }

    @Test
    void customLabelWithoutTheElementsIsAUsageError() {
        Path out = dir.resolve("out.txt");
        Run r = run("text", "label", Fixtures.path("text/human/en-faq-debian.txt").toString(), "-o", out.toString(), "--text", "Written by a bot");
        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("AI element"), r.err);
        assertFalse(Files.exists(out));
    }

    @Test
    void badInputGivesExitThreeAndWritesNothing() throws Exception {
        Path out = dir.resolve("out.txt");
        Path garbage = dir.resolve("garbage.bin");
        byte[] g = new byte[4096];
        new java.util.Random(1).nextBytes(g);
        Files.write(garbage, g);
        Path badUtf8 = dir.resolve("bad.txt");
        Files.write(badUtf8, "caf\u00e9 ok then ".getBytes(StandardCharsets.ISO_8859_1));
        for (Path p : new Path[]{garbage, badUtf8, dir.resolve("missing.txt")}) {
            Run r = run("text", "label", p.toString(), "-o", out.toString());
            assertEquals(ExitCodes.BAD_INPUT, r.code, p + ": " + r.err);
            assertTrue(r.err.startsWith("aigcmark: "), r.err);
            assertFalse(Files.exists(out));
            assertEquals(ExitCodes.BAD_INPUT, run("text", "detect", p.toString(), "--key", key.toString()).code);
        }
    }

    @Test
    void humanTextIsNotDetectedWithAKey() {
        Run human = run("text", "detect", Fixtures.path("text/human/en-quotes-fortunes.txt").toString(), "--key", key.toString());
        assertEquals(0, human.code, human.err);
        assertTrue(human.out.startsWith("watermark: not detected"), human.out);
    }

    @Test
    void generateAndEvaluateSayWhereTheyMoved() {
        // the n-gram model and its corpora left the sdk and the CLI for the bench jar (./aigcmark bench text ...)
        Run g = run("text", "generate", "--key", key.toString(), "--tokens", "200");
        assertEquals(ExitCodes.USAGE, g.code);
        assertEquals("aigcmark: 'text generate' moved to the bench jar: run ./aigcmark bench text generate ... (docs/BENCHMARKS.md)",
                g.err.strip());
        Run e = run("text", "evaluate", "--docs", "10");
        assertEquals(ExitCodes.USAGE, e.code);
        assertTrue(e.err.contains("./aigcmark bench text evaluate"), e.err);
        Run b = run("bench", "watermark");
        assertEquals(ExitCodes.USAGE, b.code);
        assertTrue(b.err.contains("'bench' moved to the bench jar"), b.err);
        assertFalse(run("text", "--help").out.contains("\n  generate"), "moved commands are hidden");
    }

    @Test
    void labellingAgainReplacesThePromptsAndSaysWhenASignatureBreaks() throws Exception {
        Path once = dir.resolve("once.txt");
        Path twice = dir.resolve("twice.txt");
        assertEquals(0, run("text", "label", Fixtures.path("text/human/zh-faq-debian.txt").toString(), "-o", once.toString()).code);
        Run r = run("text", "label", once.toString(), "-o", twice.toString(), "--lang", "en");
        assertEquals(0, r.code, r.err);
        String s = Files.readString(twice);
        assertTrue(s.startsWith("[This content was generated by AI]\n") && s.endsWith("\n[This content was generated by AI]\n"));
        assertFalse(s.contains("（本内容由AI生成）"));
        assertTrue(r.out.contains("replaced 2 existing prompts"), r.out);

        Path md = dir.resolve("signed.md");
        assertEquals(0, run("label", Fixtures.path("docs/front-matter.md").toString(), "-o", md.toString(),
                "--producer", "001191110102MACQD9K64010000", "--produce-id", "md-1",
                "--sign-key", Fixtures.path("keys/test-ed25519.key").toString()).code);
        Run m = run("text", "label", md.toString(), "-o", dir.resolve("prompted.md").toString());
        assertEquals(0, m.code, m.err);
        assertTrue(m.err.contains("no longer verifies"), m.out + m.err);
    }
}
