package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.aigcmark.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigcmark.cli.CliTest.Run;
import org.aigcmark.testdata.Fixtures;
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

    private Path uploads() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("uploads"));
        Files.copy(Fixtures.path("png/rgb.png"), dir.resolve("a.png"));
        Files.copy(Fixtures.path("labeled/xmp-element.jpg"), dir.resolve("b.jpg"));
        Files.copy(Fixtures.path("png/rgba.png"), dir.resolve("c.png"));
        return dir;
    }

    private static JsonNode json(Path p) throws Exception {
        return new ObjectMapper().readTree(Files.readString(p));
    }

    @Test
    void scanNeverScansItsOwnReportsOrJournal() throws Exception {
        Path dir = uploads();
        Path json = dir.resolve("report.json");
        Path html = dir.resolve("r.html");
        String[] args = {"scan", dir.toString(), "--json", json.toString(), "--html", html.toString(), "--no-ocr", "--threads", "1"};
        Run first = run(args);
        assertEquals(0, first.code(), first.err());
        assertEquals(3, json(json).get("files").asInt());
        Files.writeString(dir.resolve(".report.json.123.tmp"), "left by a killed run");
        Run second = run(args);
        assertEquals(0, second.code(), second.err());
        assertEquals(3, json(json).get("files").asInt(), "report.json, r.html and the journal are outputs, not inputs");
        assertTrue(second.err().contains("resuming: 3 of 3 files"), second.err());
        for (JsonNode r : json(json).get("results")) {
            assertTrue(r.get("file").asText().matches(".*/[abc]\\.(png|jpg)"), r.get("file").asText());
        }
    }

    @Test
    void scanChecksItsOutputFoldersBeforeScanning() throws Exception {
        Path dir = uploads();
        Path missing = tmp.resolve("no-such-folder/report.json");
        Run r = run("scan", dir.toString(), "--json", missing.toString(), "--no-ocr");
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, r.code(), r.err());
        assertTrue(r.err().contains(missing.toString()) && r.err().contains("does not exist"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.out().contains("scanned"), "nothing was scanned: " + r.out());
        Run h = run("scan", dir.toString(), "--html", tmp.resolve("gone/r.html").toString(), "--no-ocr");
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, h.code(), h.err());
    }

    @Test
    void resumingWithOtherOptionsNeverReusesResults() throws Exception {
        Path dir = uploads();
        Path json = tmp.resolve("scan.json");
        Path prefix = tmp.resolve("wm");
        assertEquals(0, run("keygen", "--alg", "watermark", "-o", prefix.toString()).code());
        assertEquals(0, run("scan", dir.toString(), "--json", json.toString(), "--no-ocr").code());
        assertFalse(json(json).get("results").get(0).get("watermark").get("checked").asBoolean());
        // a key was added: the results made without it must not be reused
        Run withKey = run("scan", dir.toString(), "--json", json.toString(), "--no-ocr", "--key", prefix + ".key");
        assertEquals(0, withKey.code(), withKey.err());
        assertTrue(withKey.err().contains("other options (watermarkKeys)") && withKey.err().contains("scanning all 3 files again"),
                withKey.err());
        assertFalse(withKey.err().contains("resuming"), withKey.err());
        for (JsonNode r : json(json).get("results")) {
            assertTrue(r.get("watermark").get("checked").asBoolean(), r.toString());
        }
        String journal = Files.readString(Path.of(json + ".journal.jsonl"));
        assertFalse(journal.contains(Files.readString(Path.of(prefix + ".key")).lines().skip(1).findFirst().orElseThrow()),
                "the journal holds the key's fingerprint, never the secret");
        // the same options again: resumed
        Run same = run("scan", dir.toString(), "--json", json.toString(), "--no-ocr", "--key", prefix + ".key");
        assertTrue(same.err().contains("resuming: 3 of 3"), same.err());
        // another search mode, metadata only: scanned again each time
        Run quick = run("scan", dir.toString(), "--json", json.toString(), "--no-ocr", "--key", prefix + ".key", "--watermark-search", "quick");
        assertTrue(quick.err().contains("other options (watermarkSearch)"), quick.err());
        Run meta = run("scan", dir.toString(), "--json", json.toString(), "--metadata-only");
        assertTrue(meta.err().contains("scanning all 3 files again"), meta.err());
        // a journal written before options were recorded is not trusted either
        Path old = tmp.resolve("old.journal.jsonl");
        Files.writeString(old, Files.readString(Path.of(json + ".journal.jsonl")).lines().skip(1)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        Run legacy = run("scan", dir.toString(), "--journal", old.toString(), "--metadata-only");
        assertTrue(legacy.err().contains("(not recorded): scanning all 3 files again"), legacy.err());
    }

    @Test
    void anHtmlReportAfterAResumeHasEveryThumbnail() throws Exception {
        Path dir = uploads();
        Path later = Files.move(dir.resolve("c.png"), tmp.resolve("c.png"));
        Path journal = tmp.resolve("j.jsonl");
        Path html = tmp.resolve("r.html");
        // without thumbnails in the journal, a run that draws them scans again
        assertEquals(0, run("scan", dir.toString(), "--journal", journal.toString(), "--no-ocr").code());
        Run drawing = run("scan", dir.toString(), "--journal", journal.toString(), "--no-ocr", "--html", html.toString());
        assertTrue(drawing.err().contains("other options (--html thumbnails)"), drawing.err());
        // a journal that has them keeps drawing them, also in a run without --html
        Files.move(later, dir.resolve("c.png"));
        Run plain = run("scan", dir.toString(), "--journal", journal.toString(), "--no-ocr");
        assertTrue(plain.err().contains("resuming: 2 of 3"), plain.err());
        Run last = run("scan", dir.toString(), "--journal", journal.toString(), "--no-ocr", "--html", html.toString());
        assertTrue(last.err().contains("resuming: 3 of 3"), last.err());
        assertEquals(3, Files.readString(html).split("data:image/jpeg;base64,", -1).length - 1, "a thumbnail per image");
    }

    @Test
    void withoutAReportTheJournalGoesToTheUserCacheAndItsPathIsPrinted() throws Exception {
        Path dir = uploads();
        Path cache = tmp.resolve("cache");
        System.setProperty(CacheDirs.PROPERTY, cache.toString());
        try {
            Run r = run("scan", dir.toString(), "--no-ocr", "--threads", "1");
            assertEquals(0, r.code(), r.err());
            Path journal = cache.resolve("scan-journals").resolve(CacheDirs.keyOf(dir) + ".jsonl");
            assertTrue(r.err().contains("journal: " + journal), r.err());
            assertEquals(4, Files.readAllLines(journal).size(), "a header and three results");
            assertFalse(Files.exists(Path.of("aigcmark-scan.journal.jsonl")), "nothing in the working folder");
            assertTrue(run("scan", dir.toString(), "--no-ocr").err().contains("resuming: 3 of 3"));
        } finally {
            System.clearProperty(CacheDirs.PROPERTY);
        }
        assertEquals(Path.of("/x/cache/aigcmark"), CacheDirs.aigcmark("/x/cache", "/home/u"));
        assertEquals(Path.of("/home/u/.cache/aigcmark"), CacheDirs.aigcmark(null, "/home/u"));
        assertEquals(Path.of("/home/u/.cache/aigcmark"), CacheDirs.aigcmark("relative/cache", "/home/u"), "XDG: relative is invalid");
    }

    @Test
    void scanProgressIsPlainLinesWhenStderrIsNotATerminalAndRedrawnWhenItIs() throws Exception {
        Path dir = uploads();
        System.setProperty(Terminal.STDERR_TTY_PROPERTY, "false");
        try {
            Run r = run("scan", dir.toString(), "--metadata-only", "--threads", "1", "--progress-every", "2",
                    "--journal", tmp.resolve("j1").toString());
            List<String> lines = r.err().lines().filter(l -> l.startsWith("scan: ")).toList();
            assertEquals(2, lines.size(), r.err());
            assertTrue(lines.get(0).matches("scan: 2/3 files \\(66%\\), [0-9.]+ files/s, ETA [0-9]+:[0-9]{2}"), lines.get(0));
            assertTrue(lines.get(1).matches("scan: 3/3 files \\(100%\\), [0-9.]+ files/s, took [0-9]+:[0-9]{2}"), lines.get(1));
            assertFalse(r.err().contains("\r"));
            System.setProperty(Terminal.STDERR_TTY_PROPERTY, "true");
            Run tty = run("scan", dir.toString(), "--metadata-only", "--threads", "1", "--journal", tmp.resolve("j2").toString());
            assertTrue(tty.err().contains("\rscan: 3/3 files (100%)"), tty.err());
            Run quiet = run("scan", dir.toString(), "--metadata-only", "--progress-every", "0", "--journal", tmp.resolve("j3").toString());
            assertFalse(quiet.err().contains("scan: "), quiet.err());
        } finally {
            System.clearProperty(Terminal.STDERR_TTY_PROPERTY);
        }
        assertFalse(Terminal.stderrIsTerminal() && System.console() == null, "without the property: the console decides");
    }
}
