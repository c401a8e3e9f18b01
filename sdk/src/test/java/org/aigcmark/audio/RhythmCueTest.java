package org.aigcmark.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The synthesised cue is "短长短短" in Morse timing: its on and off segments, level and fades, at common rates. */
class RhythmCueTest {
    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 22050, 44100, 48000})
    void segmentsAreDotDashDotDotInMorseTiming(int rate) {
        float[] x = RhythmCue.standard().synthesize(rate);
        assertEquals(1.1, x.length / (double) rate, 1.0 / rate);
        // runs of non-zero samples are the tone elements (the gaps are exact silence)
        List<double[]> on = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= x.length; i++) {
            boolean sounding = i < x.length && x[i] != 0f;
            // a sine crosses zero inside an element: a run ends only after 2 ms of zeros
            if (sounding && start < 0) {
                start = i;
            } else if (!sounding && start >= 0 && (i == x.length || quiet(x, i, rate / 500))) {
                on.add(new double[] {start / (double) rate, i / (double) rate});
                start = -1;
            }
        }
        double[][] want = {{0, 0.1}, {0.2, 0.5}, {0.8, 0.9}, {1.0, 1.1}};
        assertEquals(want.length, on.size(), "four tone elements: dot, dash, dot, dot");
        for (int k = 0; k < want.length; k++) {
            // the fades start and end on a zero sample: within a sample or two of the unit boundaries
            assertEquals(want[k][0], on.get(k)[0], 2.5 / rate, "element " + k + " start");
            assertEquals(want[k][1], on.get(k)[1], 2.5 / rate, "element " + k + " end");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16000, 44100})
    void levelIsMinus15DbfsPeakWithFiveMillisecondFades(int rate) {
        float[] x = RhythmCue.standard().synthesize(rate);
        double peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertEquals(Math.pow(10, -15 / 20.0), peak, 0.002);
        // the first 2.5 ms of the dot stay under the half-way point of the raised-cosine fade; full level after 5 ms
        int fade = (int) Math.round(0.005 * rate);
        double early = 0, late = 0;
        for (int i = 0; i < fade / 2; i++) {
            early = Math.max(early, Math.abs(x[i]));
        }
        for (int i = fade; i < 2 * fade; i++) {
            late = Math.max(late, Math.abs(x[i]));
        }
        assertTrue(early <= 0.5 * peak + 1e-6, "fade-in: " + early);
        // samples of a 1141 Hz sine miss its crest by up to cos(pi * 1141 / rate): 2.5 % at 16 kHz
        assertEquals(peak, late, 0.03 * peak, "full level after the fade");
    }

    private static boolean quiet(float[] x, int from, int n) {
        for (int i = from; i < Math.min(x.length, from + n); i++) {
            if (x[i] != 0f) {
                return false;
            }
        }
        return true;
    }
}
