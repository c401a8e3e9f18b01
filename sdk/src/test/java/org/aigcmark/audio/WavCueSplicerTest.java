package org.aigcmark.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WavCueSplicer} on WAVs that ffmpeg wrote in each sample format it takes (real speech, espeak-ng): ffprobe
 * reads the output with the grown length, the detector finds every cue where the splicer says it put it in ffmpeg's
 * decoding of the output, and the content's bytes follow the start cue unchanged; past the RIFF limit the output
 * becomes RF64 with a {@code ds64} chunk, which ffprobe reads.
 */
class WavCueSplicerTest {
    static final Path SPEECH = Fixtures.path("audio-cue/espeak-en-64k.mp3");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"pcm_u8", "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_f64le"})
    void theCueIsSplicedInAtStartMiddleAndEndInEachSampleFormat(String codec) throws Exception {
        TestSupport.requireTool("ffmpeg");
        TestSupport.requireTool("ffprobe");
        Path in = tmp.resolve(codec + ".wav");
        TestSupport.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", SPEECH.toString(), "-ar", "22050", "-ac", "2",
                "-c:a", codec, in.toString());
        WavCueSplicer.Layout l = WavCueSplicer.layout(in).orElseThrow();
        Path out = tmp.resolve(codec + "-cued.wav");
        float[][] clip = CueInsertion.everyChannel(RhythmCue.standard().synthesize(l.sampleRate()), l.channels());
        List<Double> starts = WavCueSplicer.splice(in, out, EnumSet.allOf(CuePosition.class), clip);
        assertEquals(3, starts.size(), starts.toString());

        double added = 3 * (clip[0].length / (double) l.sampleRate() + CueInsertion.PAD_SECONDS) + CueInsertion.PAD_SECONDS;
        assertEquals(seconds(in) + added, seconds(out), 0.002, "ffprobe reads the grown length");
        assertTrue(probe(out, "stream=codec_name").contains(codec), probe(out, "stream=codec_name"));

        Path raw = tmp.resolve(codec + ".raw");
        TestSupport.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", out.toString(), "-ac", "1", "-ar", "16000", "-f",
                "s16le", raw.toString());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        float[] mono = new float[b.remaining() / 2];
        for (int i = 0; i < mono.length; i++) {
            mono[i] = b.getShort() / 32768f;
        }
        List<RhythmCueDetector.Found> found = RhythmCueDetector.standard().detect(mono, 16_000);
        assertEquals(3, found.size(), found.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(starts.get(i), found.get(i).startSeconds(), 0.03, "cue " + i + " of " + found);
        }

        byte[] inBytes = Files.readAllBytes(in);
        byte[] outBytes = Files.readAllBytes(out);
        int inData = TestSupport.indexOf(inBytes, "data".getBytes(StandardCharsets.US_ASCII)) + 8;
        int outData = TestSupport.indexOf(outBytes, "data".getBytes(StandardCharsets.US_ASCII)) + 8;
        int frame = l.channels() * l.bitsPerSample() / 8;
        int shift = (clip[0].length + (int) Math.round(CueInsertion.PAD_SECONDS * l.sampleRate())) * frame;
        assertTrue(java.util.Arrays.equals(inBytes, inData, inData + 4096, outBytes, outData + shift, outData + shift + 4096),
                "the content follows the start cue and its pause, byte for byte");
    }

    @Test
    void pastTheRiffLimitTheOutputBecomesRf64() throws Exception {
        TestSupport.requireTool("ffmpeg");
        TestSupport.requireTool("ffprobe");
        Path in = tmp.resolve("s16.wav");
        TestSupport.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", SPEECH.toString(), "-c:a", "pcm_s16le", in.toString());
        WavCueSplicer.Layout l = WavCueSplicer.layout(in).orElseThrow();
        Path out = tmp.resolve("rf64.wav");
        float[][] clip = CueInsertion.everyChannel(RhythmCue.standard().synthesize(l.sampleRate()), l.channels());
        // a limit just over the input's RIFF size stands in for 4 GiB: the cue pushes the file past it
        WavCueSplicer.splice(in, out, EnumSet.of(CuePosition.END), clip, Files.size(in));
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out), 16);
        assertEquals("RF64", new String(head, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("ds64", new String(head, 12, 4, StandardCharsets.US_ASCII));
        double added = clip[0].length / (double) l.sampleRate() + CueInsertion.PAD_SECONDS;
        assertEquals(seconds(in) + added, seconds(out), 0.002, "ffprobe reads the RF64 sizes");
        assertEquals(WavCueSplicer.layout(out).orElseThrow().frames(), l.frames() + Math.round(added * l.sampleRate()));
    }

    private static String probe(Path f, String entries) {
        return TestSupport.run("ffprobe", "-v", "error", "-show_entries", entries, "-of", "default=nw=1", f.toString());
    }

    private static double seconds(Path f) {
        return Double.parseDouble(probe(f, "stream=duration").strip().replace("duration=", ""));
    }
}
