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

    /** The file's audio as FFmpeg's CLI decodes it: mono, {@code rate} Hz, float samples. */
    static float[] monoPcm(Path f, int rate) {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", f.toString(), "-map", "0:a:0", "-ac", "1", "-ar",
                    String.valueOf(rate), "-f", "f32le", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("ffmpeg could not decode " + f);
            }
            java.nio.FloatBuffer b = java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] pcm = new float[b.remaining()];
            b.get(pcm);
            return pcm;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The best normalised cross-correlation of {@code clip} with {@code signal} at a start within {@code slack}
     * samples of {@code at}: 1 where the clip is there unchanged, near 0 where it is not.
     */
    static double correlationNear(float[] signal, float[] clip, int at, int slack) {
        double clipEnergy = 0;
        for (float x : clip) {
            clipEnergy += x * (double) x;
        }
        double best = -1;
        for (int s = Math.max(0, at - slack); s <= Math.min(signal.length - 1, at + slack); s++) {
            double dot = 0;
            double energy = 0;
            // past the signal's end counts as silence: a resampled clip may lose a few ms of its (silent) tail
            for (int i = 0; i < Math.min(clip.length, signal.length - s); i++) {
                dot += signal[s + i] * (double) clip[i];
                energy += signal[s + i] * (double) signal[s + i];
            }
            if (energy > 0) {
                best = Math.max(best, dot / Math.sqrt(energy * clipEnergy));
            }
        }
        return best;
    }
}
