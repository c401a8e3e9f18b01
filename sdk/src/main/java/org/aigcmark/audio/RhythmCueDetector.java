package org.aigcmark.audio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the rhythm cue ({@link RhythmCue}, "AI" in Morse) in mono PCM, with its position and the measured evidence.
 *
 * <p>How (docs/AUDIO.md, "Rhythm cue"): every 10 ms a 40 ms Hann-windowed Goertzel filter measures the power at the
 * cue's pitch, at the two frequencies where a tone of exactly that pitch leaves the window's spectrum empty (± 2
 * bins, 50 Hz: a pitch test) and at four farther neighbours (± 150 and ± 300 Hz: a broadband test). The envelopes
 * are then matched against the full pattern, dot dash dot dot with gaps of 1, 3 and 1 units and at least 2 quiet
 * units around it (cut short only by the file's ends), for every start on the 10 ms grid and units from 70 to
 * 140 ms. A candidate is a find only when every test holds at once:
 * <ul>
 *   <li>contrast: the weakest tone element is at least {@link #MIN_CONTRAST_DB} above the loudest gap or guard;</li>
 *   <li>evenness: the four tone elements are within {@link #MAX_SPREAD_DB} of each other (one keyed tone);</li>
 *   <li>purity: in every tone element the pitch band is {@link #MIN_PURITY_DB} above the far neighbours (a tone,
 *       not a broadband burst such as a syllable or a drum hit);</li>
 *   <li>pitch: in every tone element the pitch band is {@link #MIN_PITCH_DB} above the Hann-null neighbours, so a
 *       note 15 Hz or more off the cue's pitch is refused;</li>
 *   <li>unless the tone is 20 dB or more above them, the far neighbours themselves do not follow the pattern
 *       (their weakest "on" 3 dB over their loudest "off"), which refuses rhythmic broadband sound;</li>
 *   <li>the tone elements are above {@link #MIN_LEVEL_DBFS}.</li>
 * </ul>
 * The cost is 7 Goertzel recursions over each sample 4 times (the windows overlap) plus a few thousand pattern
 * checks a second on the 100 Hz envelopes: far beyond 200x real time on one core. The envelopes need 24 bytes per
 * 10 ms, so {@link Scan} takes audio of any length in chunks. Thread-safe: a detector holds no state; a
 * {@link Scan} is for one thread.
 */
public final class RhythmCueDetector {
    /** The weakest tone element over the loudest gap or guard, at least (dB). */
    public static final double MIN_CONTRAST_DB = 6.0;
    /** The four tone elements' levels lie within this many dB. */
    public static final double MAX_SPREAD_DB = 6.0;
    /** Pitch band over the far neighbours (± 150, ± 300 Hz) in every tone element, at least (dB). */
    public static final double MIN_PURITY_DB = 6.0;
    /** Pitch band over the Hann-null neighbours (± 50 Hz) in every tone element, at least (dB). */
    public static final double MIN_PITCH_DB = 6.0;
    /** Tone elements quieter than this (dBFS, peak amplitude of the tone) are not considered. */
    public static final double MIN_LEVEL_DBFS = -50.0;
    /** Shortest and longest unit searched (s): the cue's 100 ms, slowed or sped up by about a third. */
    public static final double MIN_UNIT_SECONDS = 0.07;
    /** Longest unit searched (s). */
    public static final double MAX_UNIT_SECONDS = 0.14;

    /** The units searched: the cue's own and steps of 4 % either way, within the limits above. */
    private static final double[] UNITS_SEARCHED = java.util.stream.IntStream.rangeClosed(-12, 12)
            .mapToDouble(k -> RhythmCue.DEFAULT_UNIT_SECONDS * Math.pow(1.04, k))
            .filter(u -> u >= MIN_UNIT_SECONDS * 0.999 && u <= MAX_UNIT_SECONDS * 1.001).toArray();
    private static final double HOP_SECONDS = 0.010;
    private static final double WINDOW_SECONDS = 0.040;
    /** Units of quiet asked for before and after the pattern (the file's ends may cut them). */
    private static final int GUARD_UNITS = 2;
    private static final int[][] OFF_UNITS = {{1, 2}, {5, 8}, {9, 10}};
    private static final double POWER_FLOOR = 1e-14; // -140 dB: digital silence stays finite

    private final double frequencyHz;

    /** A detector for the standard cue's pitch ({@link RhythmCue#DEFAULT_FREQUENCY_HZ}). */
    public static RhythmCueDetector standard() {
        return new RhythmCueDetector(RhythmCue.DEFAULT_FREQUENCY_HZ);
    }

    /** A detector for a cue at this pitch. */
    public RhythmCueDetector(double frequencyHz) {
        if (!(frequencyHz > 20 && frequencyHz < 20_000)) {
            throw new IllegalArgumentException("cue frequency must be 20-20000 Hz: " + frequencyHz);
        }
        this.frequencyHz = frequencyHz;
    }

    /**
     * One cue found.
     *
     * @param startSeconds where its first element starts
     * @param endSeconds   where its last element ends
     * @param unitSeconds  the Morse unit that matched
     * @param frequencyHz  the pitch searched for
     * @param confidence   0.5 when the weakest test just passes, towards 1 as its margin grows: {@code 1 - 0.5 ×
     *                     exp(-margin / 3 dB)}, the margin being the smallest of the tests' margins over their
     *                     thresholds
     * @param contrastDb   weakest tone element over loudest gap or guard
     * @param purityDb     the smallest pitch band over far neighbours among the tone elements
     * @param pitchDb      the smallest pitch band over Hann-null neighbours among the tone elements
     * @param levelDbfs    the tone elements' mean level (peak amplitude of the tone, dBFS)
     */
    public record Found(double startSeconds, double endSeconds, double unitSeconds, double frequencyHz, double confidence,
                        double contrastDb, double purityDb, double pitchDb, double levelDbfs) {}

    /** The cues in {@code mono} sampled at {@code sampleRate}, in time order. */
    public List<Found> detect(float[] mono, int sampleRate) {
        Scan s = scan(sampleRate);
        s.accept(mono, 0, mono.length);
        return s.finish();
    }

    /** A scan over audio given in chunks (for files of any length); call {@link Scan#finish()} once at the end. */
    public Scan scan(int sampleRate) {
        return new Scan(sampleRate);
    }

    /** An incremental scan: feed samples in order, then {@link #finish()}. Not thread-safe. */
    public final class Scan {
        private final int rate;
        private final int hop;
        private final int win;
        private final float[] window;
        private final double[] coef = new double[7];
        private final double norm;
        private float[] pending;
        private int pendingLength;
        private final Envelope tone = new Envelope();
        private final Envelope near = new Envelope();
        private final Envelope far = new Envelope();
        private long samples;

        private Scan(int sampleRate) {
            if (sampleRate < 4000 || sampleRate > 768_000) {
                throw new IllegalArgumentException("sample rate out of range: " + sampleRate);
            }
            if (sampleRate <= 2.2 * (frequencyHz + 300)) {
                throw new IllegalArgumentException("sample rate " + sampleRate + " Hz cannot carry a " + frequencyHz + " Hz cue");
            }
            rate = sampleRate;
            hop = Math.max(1, (int) Math.round(HOP_SECONDS * sampleRate));
            win = (int) Math.round(WINDOW_SECONDS * sampleRate);
            window = new float[win];
            double sum = 0;
            for (int i = 0; i < win; i++) {
                window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / win));
                sum += window[i];
            }
            // a sine of amplitude A reads as power A² at its own frequency
            norm = 4.0 / (sum * sum);
            double nullStep = 2.0 * sampleRate / win; // the Hann window's first spectral null
            double[] f = {frequencyHz, frequencyHz - nullStep, frequencyHz + nullStep,
                    frequencyHz - 150, frequencyHz + 150, frequencyHz - 300, frequencyHz + 300};
            for (int k = 0; k < 7; k++) {
                coef[k] = 2 * Math.cos(2 * Math.PI * f[k] / sampleRate);
            }
            pending = new float[Math.max(4 * win, 1 << 14)];
        }

        /** Feeds {@code length} samples of {@code mono} from {@code offset}. */
        public void accept(float[] mono, int offset, int length) {
            int at = offset;
            int end = offset + length;
            while (at < end) {
                int take = Math.min(end - at, pending.length - pendingLength);
                System.arraycopy(mono, at, pending, pendingLength, take);
                pendingLength += take;
                at += take;
                samples += take;
                int start = 0;
                while (pendingLength - start >= win) {
                    frame(pending, start);
                    start += hop;
                }
                System.arraycopy(pending, start, pending, 0, pendingLength - start);
                pendingLength -= start;
            }
        }

        private void frame(float[] x, int from) {
            double c0 = coef[0], c1 = coef[1], c2 = coef[2], c3 = coef[3], c4 = coef[4], c5 = coef[5], c6 = coef[6];
            double a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0, a4 = 0, b4 = 0, a5 = 0, b5 = 0, a6 = 0, b6 = 0;
            for (int i = 0; i < win; i++) {
                double v = x[from + i] * window[i];
                double s;
                s = v + c0 * a0 - b0; b0 = a0; a0 = s;
                s = v + c1 * a1 - b1; b1 = a1; a1 = s;
                s = v + c2 * a2 - b2; b2 = a2; a2 = s;
                s = v + c3 * a3 - b3; b3 = a3; a3 = s;
                s = v + c4 * a4 - b4; b4 = a4; a4 = s;
                s = v + c5 * a5 - b5; b5 = a5; a5 = s;
                s = v + c6 * a6 - b6; b6 = a6; a6 = s;
            }
            tone.add(norm * (a0 * a0 + b0 * b0 - c0 * a0 * b0));
            near.add(norm * 0.5 * (a1 * a1 + b1 * b1 - c1 * a1 * b1 + a2 * a2 + b2 * b2 - c2 * a2 * b2));
            far.add(norm * 0.25 * (a3 * a3 + b3 * b3 - c3 * a3 * b3 + a4 * a4 + b4 * b4 - c4 * a4 * b4
                    + a5 * a5 + b5 * b5 - c5 * a5 * b5 + a6 * a6 + b6 * b6 - c6 * a6 * b6));
        }

        /** Seconds of audio fed so far. */
        public double seconds() {
            return samples / (double) rate;
        }

        /** The cues found in everything fed, in time order; overlapping candidates give the best one. */
        public List<Found> finish() {
            List<Found> candidates = new ArrayList<>();
            int frames = tone.size;
            if (frames == 0) {
                return List.of();
            }
            double hopS = hop / (double) rate;
            double half = win / 2.0 / rate;
            double total = samples / (double) rate;
            for (double unit : UNITS_SEARCHED) {
                double span = RhythmCue.UNITS * unit;
                // from a little before 0, so that the starts passing for a cue at 0 lie on both sides of it (centred below)
                for (double start = -3.5 * hopS; start + span <= total + 3.5 * hopS; start += hopS) {
                    Found f = match(start, unit, hopS, half, total);
                    if (f != null) {
                        candidates.add(f);
                    }
                }
            }
            // the best alignment has the cleanest elements: rank by the sum of the three measures
            List<Found> ranked = new ArrayList<>(candidates);
            ranked.sort(Comparator.comparingDouble((Found f) -> f.contrastDb() + f.purityDb() + f.pitchDb()).reversed());
            List<Found> kept = new ArrayList<>();
            for (Found c : ranked) {
                if (kept.stream().noneMatch(k -> c.startSeconds() < k.endSeconds() && k.startSeconds() < c.endSeconds())) {
                    kept.add(centred(c, candidates));
                }
            }
            kept.sort(Comparator.comparingDouble(Found::startSeconds));
            return kept;
        }

        /**
         * {@code best} moved to the middle of the starts that pass with its unit around it: the tests pass for starts
         * a little early or late (the element margins), symmetrically about the true one.
         */
        private Found centred(Found best, List<Found> candidates) {
            double lo = best.startSeconds(), hi = best.startSeconds();
            for (Found c : candidates) {
                if (c.unitSeconds() == best.unitSeconds() && Math.abs(c.startSeconds() - best.startSeconds()) < best.unitSeconds()) {
                    lo = Math.min(lo, c.startSeconds());
                    hi = Math.max(hi, c.startSeconds());
                }
            }
            double start = round(Math.max(0, (lo + hi) / 2));
            return new Found(start, round(start + RhythmCue.UNITS * best.unitSeconds()), best.unitSeconds(), best.frequencyHz(),
                    best.confidence(), best.contrastDb(), best.purityDb(), best.pitchDb(), best.levelDbfs());
        }

        /** Frames whose centre lies in [from, to], as [first, last+1), or null when fewer than one. */
        private int[] frames(double from, double to, double hopS, double half) {
            int a = (int) Math.ceil((from - half) / hopS - 1e-9);
            int b = (int) Math.floor((to - half) / hopS + 1e-9) + 1;
            a = Math.max(a, 0);
            b = Math.min(b, tone.size);
            return b > a ? new int[] {a, b} : null;
        }

        private Found match(double start, double unit, double hopS, double half, double total) {
            double margin = Math.max(0.3 * unit, 0.025);
            double minOn = Double.MAX_VALUE, maxOn = -Double.MAX_VALUE, onSum = 0;
            double minPurity = Double.MAX_VALUE, minPitch = Double.MAX_VALUE, minFarOn = Double.MAX_VALUE;
            for (int[] on : RhythmCue.ON_UNITS) {
                int[] r = frames(start + on[0] * unit + margin, start + on[1] * unit - margin, hopS, half);
                if (r == null) {
                    return null;
                }
                double t = tone.mean(r[0], r[1]);
                double level = db(t);
                if (level < MIN_LEVEL_DBFS) {
                    return null;
                }
                minOn = Math.min(minOn, level);
                maxOn = Math.max(maxOn, level);
                onSum += level;
                double farLevel = db(far.mean(r[0], r[1]));
                minPurity = Math.min(minPurity, level - farLevel);
                minPitch = Math.min(minPitch, level - db(near.mean(r[0], r[1])));
                minFarOn = Math.min(minFarOn, farLevel);
            }
            if (maxOn - minOn > MAX_SPREAD_DB || minPurity < MIN_PURITY_DB || minPitch < MIN_PITCH_DB) {
                return null;
            }
            double maxOff = -Double.MAX_VALUE, maxFarOff = -Double.MAX_VALUE;
            int offs = 0;
            for (int[] off : OFF_UNITS) {
                int[] r = frames(start + off[0] * unit + margin, start + off[1] * unit - margin, hopS, half);
                if (r == null) {
                    return null;
                }
                maxOff = Math.max(maxOff, db(tone.mean(r[0], r[1])));
                maxFarOff = Math.max(maxFarOff, db(far.mean(r[0], r[1])));
                offs++;
            }
            // the quiet before and after, cut short only by the file's ends
            double[][] guards = {{start - GUARD_UNITS * unit, start - margin}, {start + RhythmCue.UNITS * unit + margin,
                    start + (RhythmCue.UNITS + GUARD_UNITS) * unit}};
            for (double[] g : guards) {
                double from = Math.max(g[0], 0);
                double to = Math.min(g[1], total);
                if (to - from < 0.5 * unit) {
                    continue; // the file ends at the cue: nothing to compare
                }
                int[] r = frames(from, to, hopS, half);
                if (r == null) {
                    continue;
                }
                maxOff = Math.max(maxOff, db(tone.mean(r[0], r[1])));
                maxFarOff = Math.max(maxFarOff, db(far.mean(r[0], r[1])));
                offs++;
            }
            double contrast = minOn - maxOff;
            // Codec noise around the tone follows the pattern too, far below it; broadband sound that does is refused
            if (contrast < MIN_CONTRAST_DB || minFarOn - maxFarOff >= 3 && minPurity < 20) {
                return null;
            }
            double m = Math.min(contrast - MIN_CONTRAST_DB, Math.min(minPurity - MIN_PURITY_DB, minPitch - MIN_PITCH_DB));
            double confidence = 1 - 0.5 * Math.exp(-m / 3);
            return new Found(round(start), round(start + RhythmCue.UNITS * unit), round(unit), frequencyHz,
                    round(confidence), round(contrast), round(minPurity), round(minPitch), round(onSum / 4));
        }
    }

    /** A growing series of per-frame powers with prefix sums, for means over frame ranges. */
    private static final class Envelope {
        private double[] prefix = new double[1024];
        private int size;

        void add(double power) {
            if (size + 1 >= prefix.length) {
                prefix = java.util.Arrays.copyOf(prefix, prefix.length * 2);
            }
            prefix[size + 1] = prefix[size] + Math.max(power, 0);
            size++;
        }

        double mean(int from, int to) {
            return Math.max(0, (prefix[to] - prefix[from]) / (to - from));
        }
    }

    private static double db(double power) {
        return 10 * Math.log10(power + POWER_FLOOR);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
