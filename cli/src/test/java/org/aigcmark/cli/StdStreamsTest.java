package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "-" is standard input or output; when standard output carries data every human message goes to standard error. */
class StdStreamsTest {
    static final String CODE = CliTest.CODE;

    @TempDir
    Path tmp;

    /** A run with bytes on standard input; {@code text} is what went to the command's message writer. */
    record Piped(int code, byte[] stdout, String text, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(text);
        }
    }

    static Piped pipe(byte[] stdin, String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.getCommandLine(new ByteArrayInputStream(stdin), stdout, new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
        return new Piped(code, stdout.toByteArray(), out.toString(), err.toString());
    }

    @Test
    void labelReadsStandardInputAndWritesStandardOutput() throws Exception {
        Piped r = pipe(Fixtures.bytes("jpeg/exif-icc-xmp.jpg"), "label", "-", "-o", "-", "--producer", CODE, "--produce-id", "pipe-1");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.text(), "stdout carries the image: no message may go there");
        assertTrue(r.err().contains("wrote standard output (jpeg)"), r.err());
        assertEquals(0xFF, r.stdout()[0] & 0xFF);
        assertEquals(0xD8, r.stdout()[1] & 0xFF);
        // an independent reader finds the record in what came out
        Path f = Files.write(tmp.resolve("piped.jpg"), r.stdout());
        JsonNode x = new ObjectMapper().readTree(TestSupport.run("exiftool", "-j", "-G1", "-XMP-TC260:all", f.toString())).get(0);
        assertTrue(x.path("XMP-TC260:Aigc").asText().contains("\"ProduceID\":\"pipe-1\""), x.toString());
        // and inspect/detect read it back from standard input
        Piped i = pipe(r.stdout(), "inspect", "-", "--json");
        assertEquals(0, i.code(), i.err());
        assertEquals("pipe-1", i.json().get("labels").get(0).get("ProduceID").asText());
        assertEquals("-", i.json().get("file").asText());
        Piped d = pipe(r.stdout(), "detect", "-", "--json");
        assertEquals(0, d.code(), d.err());
        assertEquals("1", d.json().get("verdict").get("label").asText(), d.text());
        assertEquals("-", d.json().get("file").asText());
        Piped plain = pipe(r.stdout(), "detect", "-");
        assertTrue(plain.text().contains("pipe-1"), plain.text());
    }

    @Test
    void labelFromStandardInputToAFileAndFromAFileToStandardOutput() throws Exception {
        Path out = tmp.resolve("o.png");
        Piped in = pipe(Fixtures.bytes("png/rgb.png"), "label", "-", "-o", out.toString(), "--producer", CODE, "--produce-id", "p");
        assertEquals(0, in.code(), in.err());
        assertTrue(in.text().contains("wrote " + out), "messages stay on stdout when it carries none: " + in.text());
        Piped toStdout = pipe(new byte[0], "label", out.toString(), "-o", "-", "--producer", CODE, "--produce-id", "q");
        assertEquals(0, toStdout.code(), toStdout.err());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(toStdout.stdout(), 4));
    }

    @Test
    void inPlaceWithADashIsAUsageErrorAndDamagedInputIsBadInput() throws Exception {
        Piped r = pipe(Fixtures.bytes("png/rgb.png"), "label", "-", "-o", "-", "--in-place", "--producer", CODE, "--produce-id", "x");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(0, r.stdout().length);
        Piped p = pipe(Fixtures.bytes("png/rgb.png"), "propagate", "-", "-o", "-", "--in-place", "--propagator", CODE, "--propagate-id", "u");
        assertEquals(ExitCodes.USAGE, p.code(), p.err());
        Piped bad = pipe(Fixtures.bytes("bad/truncated-mid-scan.jpg"), "label", "-", "-o", "-", "--producer", CODE, "--produce-id", "x");
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.err());
        assertEquals(0, bad.stdout().length, "a failed label sends nothing");
        assertEquals(ExitCodes.USAGE, pipe(new byte[0], "detect", "-", "-").code(), "standard input can be read once");
    }

    @Test
    void propagateThroughPipes() throws Exception {
        Piped r = pipe(Fixtures.bytes("png/rgb.png"), "propagate", "-", "-o", "-", "--propagator", "00119144030008867405X210002",
                "--propagate-id", "u-9", "--label", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.text());
        Piped i = pipe(r.stdout(), "inspect", "-", "--json");
        assertEquals("u-9", i.json().get("labels").get(0).get("PropagateID").asText());
    }

    @Test
    void textLabelAndDetectThroughPipes() throws Exception {
        byte[] text = "The quick brown fox jumps over the lazy dog.\n".getBytes(StandardCharsets.UTF_8);
        Piped r = pipe(text, "text", "label", "-", "-o", "-", "--lang", "en");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.text());
        String labelled = new String(r.stdout(), StandardCharsets.UTF_8);
        assertTrue(labelled.contains("The quick brown fox") && labelled.length() > text.length, labelled);
        Piped d = pipe(r.stdout(), "text", "detect", "-", "--json");
        assertEquals(0, d.code(), d.err());
        assertEquals("-", d.json().get("file").asText());
        assertTrue(d.json().get("explicitLabels").size() >= 1, d.text());
    }

    /** The temp folders that carry standard input and output. */
    static java.util.Set<Path> streamTemps() throws Exception {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().matches("aigcmark-std(in|out)-.*"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void aVideoFromStandardInputIsLabelledThroughATempFile() throws Exception {
        java.util.Set<Path> before = streamTemps();
        Piped r = pipe(Fixtures.bytes("video/sample-360p-2s5.mp4"), "label", "-", "-o", "-", "--visible", "--producer", CODE,
                "--produce-id", "v-1");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.text());
        assertTrue(r.err().contains("wrote standard output (mp4"), "the message names standard output, not the temp file: " + r.err());
        Path f = Files.write(tmp.resolve("piped.mp4"), r.stdout());
        String probe = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", f.toString());
        assertTrue(probe.contains("video"), probe);
        assertEquals(before, streamTemps(), "the temp files are deleted");
        Piped i = pipe(r.stdout(), "inspect", "-", "--json");
        assertEquals("v-1", i.json().get("labels").get(0).get("ProduceID").asText());
    }
}
