package org.aigcmark.cli;

import static org.aigcmark.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.ExitCodes;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** label, inspect, detect and scan on audio files, as users run them (issue 15, metadata labels). */
class AudioCliTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"complete.wav", "complete.mp3", "complete.flac", "complete.oga", "complete.opus", "complete.m4a"})
    void labelInspectAndDetectAudio(String name) throws Exception {
        Path out = tmp.resolve("out-" + name);
        CliTest.Run l = run("label", Fixtures.path("audio/" + name).toString(), "-o", out.toString(),
                "--producer", CliTest.CODE, "--produce-id", "song-1");
        assertEquals(0, l.code(), l.err());
        assertTrue(l.out().contains("content untouched"), l.out());
        JsonNode i = new ObjectMapper().readTree(run("inspect", out.toString(), "--json").out());
        assertEquals(1, i.get("labels").size(), i.toString());
        assertEquals("song-1", i.get("labels").get(0).get("ProduceID").asText(), i.toString());
        CliTest.Run d = run("detect", out.toString(), "--json", "--no-ocr");
        assertEquals(0, d.code(), d.err());
        JsonNode v = new ObjectMapper().readTree(d.out()).get("verdict");
        assertEquals("1", v.get("label").asText(), d.out());
    }

    @Test
    void truncatedAudioExitsWithBadInput() throws Exception {
        byte[] mp3 = Fixtures.bytes("audio/complete.mp3");
        Path cut = tmp.resolve("cut.mp3");
        Files.write(cut, java.util.Arrays.copyOf(mp3, mp3.length / 2 + 7));
        Path out = tmp.resolve("o.mp3");
        CliTest.Run r = run("label", cut.toString(), "-o", out.toString(), "--producer", CliTest.CODE, "--produce-id", "x");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("truncated"), r.err());
        assertFalse(Files.exists(out));
        assertEquals(ExitCodes.BAD_INPUT, run("inspect", cut.toString()).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"complete.wav", "complete.m4a"})
    void visibleOrWatermarkOnAudioIsAUsageErrorNamingWhatAudioTakes(String name) {
        Path out = tmp.resolve("o-" + name);
        CliTest.Run r = run("label", Fixtures.path("audio/" + name).toString(), "-o", out.toString(),
                "--producer", CliTest.CODE, "--produce-id", "x", "--visible");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("metadata record") && r.err().contains("--cue"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void scanReportsAudioVerdicts() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("uploads"));
        for (String f : new String[] {"complete.wav", "ffmpeg-txxx-v23.mp3", "ffmpeg-two-records.flac"}) {
            Files.copy(Fixtures.path("audio/" + f), dir.resolve(f));
        }
        Path json = tmp.resolve("report.json");
        CliTest.Run r = run("scan", dir.toString(), "--json", json.toString(), "--no-ocr", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        JsonNode report = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(3, report.get("files").asInt());
        for (JsonNode res : report.get("results")) {
            String file = res.get("file").asText();
            String label = res.path("verdict").path("label").asText("");
            assertEquals(file.endsWith(".wav") ? "" : "1", label.equals("null") ? "" : label, res.toString());
        }
    }
}
