package org.aigcmark.bench;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./aigcmark bench ...} as a user runs it: the launcher runs the bench jar that {@code package} just built
 * (failsafe runs this after packaging, so nothing is rebuilt), with the CLI's stderr filter and exit codes.
 */
class BenchLauncherIT {
    private static final Path REPO = Path.of(System.getProperty("aigcmark.repo", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {}

    private Result launch(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(REPO.resolve("aigcmark").toString()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("launcher.out");
        Path err = tmp.resolve("launcher.err");
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish: " + cmd);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void benchRunsTheBenchJar() throws Exception {
        Result help = launch("bench", "--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().startsWith("Usage: aigcmark bench"), help.out());
        for (String sub : new String[] {"watermark", "robustness", "collusion", "detect", "text", "video", "video-robustness"}) {
            assertTrue(help.out().contains("\n  " + sub + " "), sub + " in " + help.out());
        }
        assertEquals("", help.err().strip(), "a plain run prints nothing on stderr (the incubator warning is dropped)");

        Result speed = launch("bench", "watermark", "--size", "256x256", "--iterations", "1");
        assertEquals(0, speed.exit(), speed.err());
        assertTrue(speed.out().contains("scalar") && speed.out().contains("true"), speed.out());

        Result bad = launch("bench", "watermark", "--size", "12x12");
        assertEquals(ExitCodes.USAGE, bad.exit());
        assertFalse(bad.err().contains("incubator"), bad.err());
    }
}
