package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write to standard output (a full disk, a closed pipe) ends the command with exit 4, never success. */
class StdoutFailureTest {
    @TempDir
    Path tmp;

    /** Like /dev/full: every write fails. */
    static final class FullStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    record Result(int code, String err) {}

    /** Standard output as the JVM gives it: a PrintStream, which swallows the IOException. */
    static Result runFull(byte[] stdin, String... args) {
        PrintStream stdout = new PrintStream(new FullStream(), true);
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        StringWriter err = new StringWriter();
        int code = Main.getCommandLine(new ByteArrayInputStream(stdin), stdout, out, new PrintWriter(err, true)).execute(args);
        return new Result(code, err.toString());
    }

    static void assertOutputFailure(Result r) {
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, r.code(), r.err());
        assertFalse(r.err().contains("wrote standard output"), "no success may be reported: " + r.err());
        assertTrue(r.err().contains("cannot write standard output"), r.err());
    }

    @Test
    void labelToAFullStandardOutputFails() throws Exception {
        assertOutputFailure(runFull(Fixtures.bytes("jpeg/exif-icc-xmp.jpg"),
                "label", "-", "-o", "-", "--producer", CliTest.CODE, "--produce-id", "I"));
    }

    @Test
    void textLabelToAFullStandardOutputFails() throws Exception {
        assertOutputFailure(runFull("a generated answer".getBytes(StandardCharsets.UTF_8), "text", "label", "-", "-o", "-"));
    }

    @Test
    void messagesToAFullStandardOutputFail() throws Exception {
        Result r = runFull(new byte[0], "inspect", Fixtures.path("jpeg/exif-icc-xmp.jpg").toString(), "--json");
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, r.code(), r.err());
        assertTrue(r.err().contains("cannot write standard output"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void aThrowingStreamFailsToo() throws Exception {
        StringWriter err = new StringWriter();
        int code = Main.getCommandLine(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), new FullStream(),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)).execute("text", "label", "-", "-o", "-");
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, code, err.toString());
    }

    /** The real thing: the launcher's JVM writing into /dev/full. */
    @Test
    void devFullThroughAProcess() throws Exception {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(devFull), "no /dev/full here");
        String cp = System.getProperty("java.class.path");
        Path in = tmp.resolve("a.txt");
        Files.writeString(in, "a generated answer");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, Main.class.getName(), "text", "label", in.toString(), "-o", "-")
                .redirectOutput(devFull.toFile()).redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, p.waitFor(), err);
        assertFalse(err.contains("wrote standard output"), err);
    }
}
