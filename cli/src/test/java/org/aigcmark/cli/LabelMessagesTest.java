package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user reads when a label cannot be written: the format by its name, and what works instead. */
class LabelMessagesTest {
    static final String CODE = CliTest.CODE;

    @TempDir
    Path tmp;

    static CliTest.Run label(Path in, Path out, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("label", in.toString(), "-o", out.toString(),
                "--producer", CODE, "--produce-id", "I"));
        args.addAll(java.util.List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void markdownWithoutFrontMatterToAnMdOutputExplainsTheFrontMatter() {
        Path out = tmp.resolve("out.md");
        CliTest.Run r = label(Fixtures.path("docs/no-front-matter.md"), out);
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("front-matter"), r.err());
        assertTrue(r.err().contains("aigcmark text label"), r.err());
        assertFalse(r.err().contains("names markdown but the input is text"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void visibleOnDocxNamesDocxAndWhatWorks() {
        CliTest.Run r = label(Fixtures.path("docs/python-docx.docx"), tmp.resolve("o.docx"), "--visible");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("DOCX document"), r.err());
        assertFalse(r.err().contains("zip"), r.err());
        assertTrue(r.err().contains("metadata label alone"), r.err());
        assertTrue(r.err().contains("aigcmark text label"), r.err());
    }

    @Test
    void visibleOnMarkdownPointsToTextLabel() {
        CliTest.Run r = label(Fixtures.path("docs/front-matter.md"), tmp.resolve("o.md"), "--visible");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("aigcmark text label"), r.err());
        assertTrue(r.err().contains("Markdown"), r.err());
    }

    /** Like label: OUT == IN needs --in-place, and the input stays untouched without it. */
    @Test
    void textLabelOntoItsInputNeedsInPlace() throws Exception {
        Path a = tmp.resolve("a.txt");
        Files.writeString(a, "an answer written by a model");
        CliTest.Run r = CliTest.run("text", "label", a.toString(), "-o", tmp.resolve(".").resolve("a.txt").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--in-place"), r.err());
        assertEquals("an answer written by a model", Files.readString(a));
        CliTest.Run ok = CliTest.run("text", "label", a.toString(), "-o", a.toString(), "--in-place");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Files.readString(a).contains("AI"), Files.readString(a));
        CliTest.Run dash = CliTest.run("text", "label", a.toString(), "-o", "-", "--in-place");
        assertEquals(ExitCodes.USAGE, dash.code(), dash.err());
    }
}
