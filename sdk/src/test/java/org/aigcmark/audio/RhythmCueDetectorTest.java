package org.aigcmark.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The detector on real audio decoded by ffmpeg (an independent decoder), and on near misses made to fool it: every
 * test here can fail in both directions (a cue missed, a cue invented).
 */
class RhythmCueDetectorTest {
    @TempDir
    Path tmp;

    @Test
    void findsTheCueThatFfmpegMadeInRealSpeechAfterMp3At64Kbps() throws IOException {
        // espeak-ng speech with a cue synthesised by ffmpeg's aevalsrc spliced in at 2.25 s, encoded by LAME at 64 kbps
        float[] x = decode(Fixtures.path("audio-cue/espeak-zh-cue-at-2.25s-64k.mp3"), 16000);
        List<RhythmCueDetector.Found> found = RhythmCueDetector.standard().detect(x, 16000);
        assertEquals(1, found.size(), found.toString());
        RhythmCueDetector.Found f = found.get(0);
        assertEquals(2.25, f.startSeconds(), 0.06, "position (MP3 adds its decoder delay)");
        assertEquals(0.1, f.unitSeconds(), 0.005);
        assertEquals(-15, f.levelDbfs(), 1.5);
        assertTrue(f.confidence() > 0.9, f.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio-cue/espeak-en-64k.mp3", "audio-cue/freedesktop-alarm-clock-elapsed.oga",
            "audio-cue/freedesktop-phone-incoming-call.oga", "audio-cue/freedesktop-bell.oga"})
    void findsNothingInRealClipsWithoutIt(String fixture) throws IOException {
        for (int rate : new int[] {16000, 44100}) {
            assertEquals(List.of(), RhythmCueDetector.standard().detect(decode(Fixtures.path(fixture), rate), rate),
                    fixture + " at " + rate + " Hz");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16000, 22050, 44100, 48000})
    void findsTheSynthesisedCueWhereItIs(int rate) {
        float[] x = new float[3 * rate];
        float[] cue = RhythmCue.standard().synthesize(rate);
        System.arraycopy(cue, 0, x, (int) (0.73 * rate), cue.length);
        List<RhythmCueDetector.Found> found = RhythmCueDetector.standard().detect(x, rate);
        assertEquals(1, found.size());
        assertEquals(0.73, found.get(0).startSeconds(), 0.011);
        assertEquals(1.83, found.get(0).endSeconds(), 0.011);
    }

    @Test
    void aNoteAQuarterToneAwayIsRefused() {
        // the same rhythm on D6 (1174.7 Hz), the nearest equal-tempered pitch: the pitch test refuses it
        int rate = 16000;
        float[] off = new RhythmCue(1174.66, 0.1, -15).synthesize(rate);
        float[] x = new float[3 * rate];
        System.arraycopy(off, 0, x, rate / 2, off.length);
        assertEquals(List.of(), RhythmCueDetector.standard().detect(x, rate));
        // while the cue's own pitch in the same place is found
        float[] on = RhythmCue.standard().synthesize(rate);
        System.arraycopy(on, 0, x, rate / 2, on.length);
        assertEquals(1, RhythmCueDetector.standard().detect(x, rate).size());
    }

    @Test
    void broadbandBurstsInTheRhythmAreRefused() {
        // white-noise bursts keyed dot-dash-dot-dot: loud at 1141 Hz too, but not a tone (the purity test)
        int rate = 16000;
        float[] cue = RhythmCue.standard().synthesize(rate);
        float[] x = new float[3 * rate];
        Random r = new Random(45438);
        for (int i = 0; i < cue.length; i++) {
            if (cue[i] != 0f) {
                x[rate / 2 + i] = (float) (0.3 * r.nextGaussian());
            }
        }
        assertEquals(List.of(), RhythmCueDetector.standard().detect(x, rate));
    }

    @Test
    void theWrongRhythmIsRefused() {
        // "IA" (· · · −) and a steady tone: the same pitch, not the pattern
        int rate = 16000;
        float[] x = new float[4 * rate];
        float[] tone = RhythmCue.standard().synthesize(rate);
        float[] dot = java.util.Arrays.copyOfRange(tone, 0, (int) (0.1 * rate));
        float[] dash = java.util.Arrays.copyOfRange(tone, (int) (0.2 * rate), (int) (0.5 * rate));
        int at = rate / 2;
        for (float[] e : new float[][] {dot, dot, dash, dot}) {
            System.arraycopy(e, 0, x, at, e.length);
            at += e.length + (int) (0.1 * rate);
        }
        for (int i = (int) (2.5 * rate); i < (int) (3.6 * rate); i++) {
            x[i] = (float) (0.17 * Math.sin(2 * Math.PI * 1141 * i / rate));
        }
        assertEquals(List.of(), RhythmCueDetector.standard().detect(x, rate));
    }

    @Test
    void cuesSplicedAtStartMiddleAndEndAreAllFoundAtTheirPlaces() throws IOException {
        int rate = 44100;
        float[] speech = decode(Fixtures.path("audio-cue/espeak-en-64k.mp3"), rate);
        CueInsertion.Result r = CueInsertion.insert(new float[][] {speech}, rate, EnumSet.allOf(CuePosition.class),
                RhythmCue.standard());
        assertEquals(speech.length + (int) Math.round((3 * 1.1 + 4 * CueInsertion.PAD_SECONDS) * rate), r.channels()[0].length, 4);
        List<RhythmCueDetector.Found> found = RhythmCueDetector.standard().detect(r.channels()[0], rate);
        assertEquals(3, found.size(), found.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(r.cueStartSeconds().get(i), found.get(i).startSeconds(), 0.011);
        }
        assertEquals(0.0, r.cueStartSeconds().get(0));
        assertEquals(r.channels()[0].length / (double) rate - 1.1, r.cueStartSeconds().get(2), 1e-3);
    }

    @Test
    void aScanInChunksFindsWhatAWholeScanFinds() throws IOException {
        float[] x = decode(Fixtures.path("audio-cue/espeak-zh-cue-at-2.25s-64k.mp3"), 16000);
        RhythmCueDetector.Scan s = RhythmCueDetector.standard().scan(16000);
        for (int at = 0; at < x.length; at += 777) {
            s.accept(x, at, Math.min(777, x.length - at));
        }
        assertEquals(RhythmCueDetector.standard().detect(x, 16000), s.finish());
    }

    /** Mono float samples at {@code rate} decoded by the ffmpeg program. */
    private float[] decode(Path file, int rate) throws IOException {
        Path raw = tmp.resolve(file.getFileName() + "." + rate + ".f32");
        TestSupport.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", file.toString(), "-ac", "1", "-ar", String.valueOf(rate),
                "-f", "f32le", raw.toString());
        FloatBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] x = new float[b.remaining()];
        b.get(x);
        return x;
    }
}
