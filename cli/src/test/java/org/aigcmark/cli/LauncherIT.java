package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./aigcmark} launcher as a user runs it, on the shaded jar that {@code package} just built (failsafe
 * runs this after packaging, so the launcher finds the jar up to date and builds nothing).
 */
class LauncherIT {
    private static final Path REPO = Path.of(System.getProperty("aigcmark.repo", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    record Result(int exit, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private Result launch(Map<String, String> env, Path stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("aigcmark").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().putAll(env);
        Path out = tmp.resolve("launcher.out");
        Path err = tmp.resolve("launcher.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish: " + cmd);
        return new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aRunPrintsNoIncubatorWarning() throws Exception {
        Result r = launch(Map.of(), null, "--version");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.outText().startsWith("aigcmark "), r.outText());
        assertFalse(r.err().contains("incubator"), "stderr: " + r.err());
        assertEquals("", r.err().strip(), "a plain run prints nothing on stderr");
    }

    @Test
    void javaOptsReachTheJvm() throws Exception {
        Result r = launch(Map.of("JAVA_OPTS", "-Xmx77m -XX:+PrintCommandLineFlags"), null, "--version");
        assertEquals(0, r.exit(), r.err());
        String all = r.outText() + r.err();
        assertTrue(all.contains("-XX:MaxHeapSize=" + 77L * 1024 * 1024), all);
    }

    @Test
    void stderrAfterTheDroppedLinePassesThroughAndTheExitCodeIsKept() throws Exception {
        Result r = launch(Map.of(), null, "inspect", tmp.resolve("missing.jpg").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exit());
        assertTrue(r.err().contains("missing.jpg"), r.err());
        assertFalse(r.err().contains("incubator"), r.err());
    }

    @Test
    void standardInputAndOutputCarryFilesThroughTheLauncher() throws Exception {
        // The JVM runs as a background job of the script, whose stdin would be /dev/null: the launcher hands fd 0
        // over. A label from stdin to stdout must arrive whole, and its record must read back.
        Path jpeg = org.aigcmark.testdata.Fixtures.path("jpeg/exif-icc-xmp.jpg");
        Result labelled = launch(Map.of(), jpeg, "label", "-", "-o", "-", "--producer", "001191110102MACQD9K64010000",
                "--produce-id", "via-stdin");
        assertEquals(0, labelled.exit(), labelled.err());
        assertTrue(labelled.out().length > 1000 && (labelled.out()[0] & 0xFF) == 0xFF && (labelled.out()[1] & 0xFF) == 0xD8,
                "a JPEG on stdout");
        Path out = tmp.resolve("labelled.jpg");
        Files.write(out, labelled.out());
        Result inspected = launch(Map.of(), out, "inspect", "--json", "-");
        assertEquals(0, inspected.exit(), inspected.err());
        assertTrue(inspected.outText().contains("via-stdin"), inspected.outText());
    }
}
