package org.aigcmark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Helpers for tests that call independent tools (exiftool, openssl, ffprobe). */
public final class TestSupport {
    private TestSupport() {}

    /** Output of a command, or a skipped test when the tool is absent outside CI (CI must have it: fail there). */
    public static String run(String... cmd) {
        requireTool(cmd[0]);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " timed out");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot run " + cmd[0] + ": " + e, e);
        }
    }

    public static void requireTool(String tool) {
        boolean present = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                present = true;
                break;
            }
        }
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError(tool + " is required in CI (.ci/run installs it)");
        }
        Assumptions.assumeTrue(present, tool + " not installed");
    }

    /** The JPEG bytes from the first SOS marker to the end: the entropy-coded data a metadata write must keep. */
    public static byte[] jpegScan(byte[] b) {
        int p = 2;
        while (p + 4 <= b.length) {
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xDA) {
                return java.util.Arrays.copyOfRange(b, p, b.length);
            }
            int len = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            p += 2 + len;
        }
        throw new AssertionError("no SOS");
    }

    /** JPEG marker segments before SOS as [marker, payload] pairs. */
    public static List<byte[]> jpegSegments(byte[] b) {
        List<byte[]> l = new ArrayList<>();
        int p = 2;
        while (p + 4 <= b.length) {
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xDA) {
                break;
            }
            int len = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            l.add(java.util.Arrays.copyOfRange(b, p, p + 2 + len));
            p += 2 + len;
        }
        return l;
    }

    public static Path temp(String name, byte[] content) {
        try {
            Path dir = Files.createTempDirectory("aigcmark-test");
            Path f = dir.resolve(name);
            Files.write(f, content);
            return f;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Where {@code needle} first occurs in {@code hay}, or -1. */
    public static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
