package org.aigcmark.bench.video;

import org.aigcmark.ExitCodes;
import org.aigcmark.bench.BenchRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.aigcmark.bench.BenchMain;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.video.VideoOptions;
import org.junit.jupiter.api.Test;

class VideoBenchCommandsTest {
    private static BenchRun run(String... args) {
        return BenchRun.of(args);
    }

    @Test
    void theFfmpegCliGetsTheSettingsTheLabellerReported() {
        VideoOptions d = VideoOptions.defaults();
        assertEquals(List.of("-c:v", "libx264", "-preset", d.preset(), "-crf", "18"),
                VideoSpeedCommand.cliEncoderArgs("libx264 crf 18 preset " + d.preset(), d));
        assertEquals(List.of("-c:v", "libopenh264", "-rc_mode", "bitrate", "-b:v", "9331k"),
                VideoSpeedCommand.cliEncoderArgs("libopenh264 9331 kb/s", d));
        assertEquals(List.of("-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-crf", "10", "-b:v", "3456k"),
                VideoSpeedCommand.cliEncoderArgs("libvpx crf 10 realtime, at most 3456 kb/s", d));
        assertEquals(List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-crf", "24", "-b:v", "0"),
                VideoSpeedCommand.cliEncoderArgs("libvpx-vp9 crf 24 realtime", d));
    }

    @Test
    void videoSpeedRunsTheCliAndBothPipelinesOnARealClip() {
        BenchRun r = run("video", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "--runs", "1");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("ffmpeg CLI (same build, same encoder settings, audio copied): "), r.out());
        assertTrue(r.out().contains("aigcmark, visible label + watermark: "), r.out());
        assertTrue(r.out().contains("aigcmark, no labels (same pipeline): "), r.out());
        assertEquals(ExitCodes.USAGE, run("video", "x.mp4", "--runs", "0").code());
    }
}
