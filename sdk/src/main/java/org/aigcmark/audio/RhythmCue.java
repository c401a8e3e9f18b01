package org.aigcmark.audio;

import java.util.List;

/**
 * The audio rhythm label of GB 45438 §5.3 c): "短长短短", Morse "AI" (A = · −, I = · ·), as a pure tone keyed in
 * standard Morse timing: dot 1 unit, dash 3 units, 1 unit between the elements of a letter, 3 units between the
 * letters, so the cue lasts 11 units. The standard fixes neither pitch nor speed; our defaults and why
 * (docs/AUDIO.md, "Rhythm cue"):
 * <ul>
 *   <li>{@link #DEFAULT_FREQUENCY_HZ} 1141 Hz: above the bulk of speech fundamentals and of music's bass, where
 *       background sound is weaker, so the cue stands out; well below the lowpass of 64 kbps MP3 (about 11 kHz) and
 *       the 8 kHz Nyquist limit of 16 kHz audio; in the range of Morse side-tones (0.6-1.2 kHz), short of the
 *       piercing 2-5 kHz region; and a quarter-tone between C#6 and D6, so sustained notes of tuned instruments (and
 *       their low harmonics) sit 3 % away, which the detector tells apart;</li>
 *   <li>{@link #DEFAULT_UNIT_SECONDS} 100 ms (12 words per minute): the short-long contrast is plain to a listener
 *       without Morse training, and every element is long enough to survive codecs and to be measured in 10 ms
 *       steps; the whole cue takes 1.1 s;</li>
 *   <li>{@link #DEFAULT_LEVEL_DBFS} -15 dBFS peak (-18 dBFS RMS): about the loudness of programme speech, audible
 *       without startling, with 15 dB of headroom when mixed over content;</li>
 *   <li>5 ms raised-cosine fades on every element, so keying makes no clicks and spreads almost no energy off the
 *       tone.</li>
 * </ul>
 *
 * @param frequencyHz the tone's pitch
 * @param unitSeconds the Morse unit (a dot)
 * @param levelDbfs   the tone's peak level in dB relative to full scale (≤ 0)
 */
public record RhythmCue(double frequencyHz, double unitSeconds, double levelDbfs) {
    /** The default pitch, 1141 Hz (see the class comment). */
    public static final double DEFAULT_FREQUENCY_HZ = 1141.0;
    /** The default Morse unit, 0.1 s. */
    public static final double DEFAULT_UNIT_SECONDS = 0.1;
    /** The default peak level, -15 dBFS. */
    public static final double DEFAULT_LEVEL_DBFS = -15.0;
    /** The length of every element's fade in and out. */
    public static final double FADE_SECONDS = 0.005;
    /** Length of the pattern in units: · − (1+1+3) + 3 + · · (1+1+1). */
    public static final int UNITS = 11;
    /** The tone segments as [start, end) in units: dot, dash, then (after the letter gap) dot, dot. */
    public static final List<int[]> ON_UNITS = List.of(new int[] {0, 1}, new int[] {2, 5}, new int[] {8, 9}, new int[] {10, 11});

    public RhythmCue {
        if (!(frequencyHz > 20 && frequencyHz < 20_000)) {
            throw new IllegalArgumentException("cue frequency must be 20-20000 Hz: " + frequencyHz);
        }
        if (!(unitSeconds >= 0.02 && unitSeconds <= 1)) {
            throw new IllegalArgumentException("cue unit must be 0.02-1 s: " + unitSeconds);
        }
        if (!(levelDbfs <= 0 && levelDbfs >= -60)) {
            throw new IllegalArgumentException("cue level must be -60..0 dBFS: " + levelDbfs);
        }
    }

    /** The default cue: 1141 Hz, 100 ms unit, -15 dBFS. */
    public static RhythmCue standard() {
        return new RhythmCue(DEFAULT_FREQUENCY_HZ, DEFAULT_UNIT_SECONDS, DEFAULT_LEVEL_DBFS);
    }

    /** The cue's length in seconds (11 units). */
    public double durationSeconds() {
        return UNITS * unitSeconds;
    }

    /** The peak amplitude, {@code 10^(level/20)}. */
    public double amplitude() {
        return Math.pow(10, levelDbfs / 20);
    }

    /**
     * The cue as mono samples at {@code sampleRate} (length {@code round(11 units × rate)}), silence between the
     * elements. A rate that cannot carry the tone (Nyquist at or below it) is refused.
     */
    public float[] synthesize(int sampleRate) {
        if (sampleRate <= 2 * frequencyHz) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz cannot carry a " + frequencyHz + " Hz cue");
        }
        float[] out = new float[(int) Math.round(durationSeconds() * sampleRate)];
        double amp = amplitude();
        double w = 2 * Math.PI * frequencyHz / sampleRate;
        int fade = Math.max(1, (int) Math.round(FADE_SECONDS * sampleRate));
        for (int[] on : ON_UNITS) {
            int from = (int) Math.round(on[0] * unitSeconds * sampleRate);
            int to = Math.min(out.length, (int) Math.round(on[1] * unitSeconds * sampleRate));
            int n = to - from;
            int f = Math.min(fade, n / 2);
            for (int i = 0; i < n; i++) {
                double g = 1;
                if (i < f) {
                    g = 0.5 - 0.5 * Math.cos(Math.PI * i / f);
                } else if (i >= n - f) {
                    g = 0.5 - 0.5 * Math.cos(Math.PI * (n - 1 - i) / f);
                }
                // phase runs on from the cue's start, as a keyed oscillator's would
                out[from + i] = (float) (amp * g * Math.sin(w * (from + i)));
            }
        }
        return out;
    }
}
