package org.aigcmark.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Debian ffmpeg/ffprobe/exiftool CLIs: an independent implementation to check our output against. */
final class Tools {
    private Tools() {}

    static boolean available(String tool) {
        try {
            Process p = new ProcessBuilder(tool, tool.equals("exiftool") ? "-ver" : "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Skips the calling test when a tool is missing on a developer's machine; fails it in CI (CI=true), where
     * .ci/run installs every tool in its TEST_TOOLS list.
     */
    static void require(String... tools) {
        for (String tool : tools) {
            if (!available(tool)) {
                String how = tool + " is not installed (.ci/run installs it)";
                if (System.getenv("CI") != null) {
                    throw new AssertionError("CI must provide " + how);
                }
                org.junit.jupiter.api.Assumptions.abort(how);
            }
        }
    }

    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String ffprobe(Path f, String entries) {
        return run("ffprobe", "-v", "error", "-show_entries", entries, "-of", "default=nw=1", f.toString());
    }

    /** MD5 of every audio packet's payload, in order. */
    static List<String> audioPacketHashes(Path f) {
        String out = run("ffprobe", "-v", "error", "-select_streams", "a", "-show_packets", "-show_data_hash", "md5",
                "-show_entries", "packet=data_hash", "-of", "csv=p=0", f.toString());
        List<String> h = new ArrayList<>();
        for (String line : out.split("\n")) {
            // side-data rows (e.g. "Skip Samples") come out as extra csv lines: keep only the hashes
            int at = line.indexOf("MD5:");
            if (at >= 0) {
                h.add(line.substring(at).trim());
            }
        }
        return h;
    }

    /** Presentation times of the video packets, sorted (decode order differs with B-frames). */
    static List<String> videoPtsTimes(Path f) {
        String out = run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "packet=pts_time", "-of", "csv=p=0", f.toString());
        return java.util.Arrays.stream(out.split("\n")).map(String::trim).filter(x -> !x.isEmpty())
                .sorted(java.util.Comparator.comparingDouble(Double::parseDouble)).toList();
    }

    static void ffmpeg(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-threads", "2"));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }
}
