package org.aigcmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.aigcmark.TestSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code label --cue} puts the rhythm cue in; {@code detect --json} finds it where it was put. */
class AudioCueCliTest {
    @TempDir
    Path tmp;

    @Test
    void labelCueStartOnAnM4aThenDetectFindsItAtZero() throws Exception {
        Path m4a = tmp.resolve("speech.m4a");
        TestSupport.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", CliTest.f("audio-cue/espeak-en-64k.mp3"),
                "-c:a", "aac", "-b:a", "96k", m4a.toString());
        labelAndDetect(m4a, tmp.resolve("out.m4a"));
    }

    @Test
    void labelCueStartOnAWavThenDetectFindsItAtZero() throws Exception {
        Path wav = tmp.resolve("speech.wav");
        TestSupport.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", CliTest.f("audio-cue/espeak-en-64k.mp3"),
                "-c:a", "pcm_s16le", wav.toString());
        CliTest.Run probe = CliTest.run("inspect", wav.toString(), "--json");
        // the WAV record handler comes with the audio metadata work of issue 15; without it there is no record to write
        Assumptions.assumeTrue(probe.code() == 0, "no WAV handler in this build: " + probe.err());
        labelAndDetect(wav, tmp.resolve("out.wav"));
    }

    @Test
    void labelSpokenPromptAtTheEndOfAWav() throws Exception {
        Path wav = tmp.resolve("speech.wav");
        TestSupport.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", CliTest.f("audio-cue/espeak-en-64k.mp3"),
                "-c:a", "pcm_s16le", wav.toString());
        Path out = tmp.resolve("prompted.wav");
        CliTest.Run r = CliTest.run("label", wav.toString(), "-o", out.toString(), "--producer", CliTest.CODE, "--produce-id",
                "prompt-cli", "--spoken-prompt", CliTest.f("audio-cue/espeak-zh-prompt-16k.wav"), "--cue", "end");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("spoken prompt espeak-zh-prompt-16k.wav spliced in at"), r.out());
        double before = seconds(wav);
        double prompt = seconds(Path.of(CliTest.f("audio-cue/espeak-zh-prompt-16k.wav")));
        assertEquals(before + 0.25 + prompt, seconds(out), 0.02, "ffprobe: the prompt and its pause were added");
        JsonNode i = new ObjectMapper().readTree(CliTest.run("inspect", out.toString(), "--json").out());
        assertEquals("prompt-cli", i.get("labels").get(0).get("ProduceID").asText(), i.toString());
    }

    @Test
    void labelCueIntoAnMp4KeepsItsLengthAndDetectFindsIt() throws Exception {
        Path out = tmp.resolve("cued.mp4");
        Path in = Path.of(CliTest.f("video/sample-360p-2s5.mp4"));
        CliTest.Run r = CliTest.run("label", in.toString(), "-o", out.toString(), "--producer", CliTest.CODE, "--produce-id",
                "cue-mp4", "--cue", "end");
        assertEquals(0, r.code(), r.err());
        assertEquals(seconds(in), seconds(out), 0.05);
        CliTest.Run d = CliTest.run("detect", out.toString(), "--json", "--no-ocr");
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("\"audio-cue\""), d.out());
    }

    private static double seconds(Path f) {
        String out = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", f.toString());
        return Double.parseDouble(out.strip());
    }

    @Test
    void aBadCuePositionIsAUsageError() {
        CliTest.Run r = CliTest.run("label", CliTest.f("audio-cue/espeak-en-64k.mp3"), "-o", tmp.resolve("o.mp3").toString(),
                "--producer", CliTest.CODE, "--produce-id", "x", "--cue", "beginning");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("start, end or middle"), r.err());
    }

    private static void labelAndDetect(Path in, Path out) throws Exception {
        CliTest.Run r = CliTest.run("label", in.toString(), "-o", out.toString(), "--producer", CliTest.CODE, "--produce-id",
                "cue-cli", "--cue", "start");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rhythm cue"), r.out());
        CliTest.Run d = CliTest.run("detect", out.toString(), "--json", "--no-ocr");
        assertEquals(0, d.code(), d.err());
        JsonNode n = new ObjectMapper().readTree(d.out());
        JsonNode cue = null;
        for (JsonNode e : n.get("evidence")) {
            if (e.get("kind").asText().equals("audio-cue")) {
                assertEquals(null, cue, "one cue: " + n.get("evidence"));
                cue = e;
            }
        }
        assertTrue(cue != null, n.toPrettyString());
        assertEquals(0.0, cue.get("details").get("startSeconds").asDouble(), 0.06);
        assertEquals("trace", cue.get("strength").asText());
        assertEquals("1", n.get("verdict").get("label").asText(), "the record still decides");
    }
}
