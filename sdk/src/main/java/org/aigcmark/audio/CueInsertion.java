package org.aigcmark.audio;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Puts the rhythm cue into decoded audio, every channel alike. {@link #insert} splices it in with a short silence
 * between cue and content (the file grows by 1.35 s per cue; for audio-only files, where nothing else must stay in
 * step); {@link #mix} lays it over the content, ducking the content by {@link #DUCK_DB} around the cue (for a
 * video's sound track, whose length must not change). Samples are floats in [-1, 1]; mixed sums are clipped there.
 */
public final class CueInsertion {
    /** Silence between the cue and the content when splicing (s): the detector's quiet guard, and a breath. */
    public static final double PAD_SECONDS = 0.25;
    /** The longest spoken prompt taken (s): a prompt is a sentence, and it is held in memory at the file's rate. */
    public static final int MAX_PROMPT_SECONDS = 30;
    /** How far the content is lowered under a mixed cue (dB). */
    public static final double DUCK_DB = -12.0;

    private CueInsertion() {}

    /**
     * Audio with cues in it.
     *
     * @param channels        the samples, one array per channel
     * @param cueStartSeconds where each cue starts in them, in time order
     */
    public record Result(float[][] channels, List<Double> cueStartSeconds) {}

    /**
     * Splices {@code cue} in at each of {@code positions} (duplicates count once): START before the content, END
     * after it, MIDDLE at the quietest 10 ms within a second of the midpoint, each separated from the content by
     * {@link #PAD_SECONDS} of silence.
     */
    public static Result insert(float[][] channels, int sampleRate, Set<CuePosition> positions, RhythmCue cue) {
        return insert(channels, sampleRate, positions, everyChannel(cue.synthesize(sampleRate), channels.length));
    }

    /**
     * As {@link #insert(float[][], int, Set, RhythmCue)} with any clip in place of the rhythm (a spoken prompt, GB 45438
     * §5.3's other audio label): {@code clip} holds one array per channel of {@code channels}, at their rate.
     */
    public static Result insert(float[][] channels, int sampleRate, Set<CuePosition> positions, float[][] clip) {
        requireChannels(channels);
        requireClip(clip, channels.length);
        int pad = (int) Math.round(PAD_SECONDS * sampleRate);
        int length = channels[0].length;
        Set<CuePosition> at = positions.isEmpty() ? EnumSet.noneOf(CuePosition.class) : EnumSet.copyOf(positions);
        int split = at.contains(CuePosition.MIDDLE) ? quietestNear(channels, sampleRate, length / 2) : -1;
        int added = at.size() * (clip[0].length + pad) + (at.contains(CuePosition.MIDDLE) ? pad : 0);
        float[][] out = new float[channels.length][length + added];
        List<Double> starts = new ArrayList<>();
        for (int c = 0; c < channels.length; c++) {
            int w = 0;
            if (at.contains(CuePosition.START)) {
                if (c == 0) {
                    starts.add(0.0);
                }
                System.arraycopy(clip[c], 0, out[c], 0, clip[c].length);
                w = clip[c].length + pad;
            }
            if (split >= 0) {
                System.arraycopy(channels[c], 0, out[c], w, split);
                w += split + pad;
                if (c == 0) {
                    starts.add(w / (double) sampleRate);
                }
                System.arraycopy(clip[c], 0, out[c], w, clip[c].length);
                w += clip[c].length + pad;
                System.arraycopy(channels[c], split, out[c], w, length - split);
                w += length - split;
            } else {
                System.arraycopy(channels[c], 0, out[c], w, length);
                w += length;
            }
            if (at.contains(CuePosition.END)) {
                w += pad;
                if (c == 0) {
                    starts.add(w / (double) sampleRate);
                }
                System.arraycopy(clip[c], 0, out[c], w, clip[c].length);
            }
        }
        return new Result(out, List.copyOf(starts));
    }

    /**
     * Lays {@code cue} over the content at each of {@code positions} without changing its length: START at 0, END
     * ending with the content, MIDDLE centred on the quietest 10 ms near the midpoint; the content is lowered by
     * {@link #DUCK_DB} from 2 units before to 2 units after the cue, with 20 ms ramps. Content shorter than the
     * cue is refused.
     */
    public static Result mix(float[][] channels, int sampleRate, Set<CuePosition> positions, RhythmCue cue) {
        return mix(channels, sampleRate, positions, everyChannel(cue.synthesize(sampleRate), channels.length), 2 * cue.unitSeconds());
    }

    /**
     * As {@link #mix(float[][], int, Set, RhythmCue)} with any clip in place of the rhythm (a spoken prompt), one array
     * per channel at their rate; the content is ducked from {@code guardSeconds} before to {@code guardSeconds} after it.
     */
    public static Result mix(float[][] channels, int sampleRate, Set<CuePosition> positions, float[][] clip, double guardSeconds) {
        requireChannels(channels);
        requireClip(clip, channels.length);
        int clipLength = clip[0].length;
        int length = channels[0].length;
        if (length < clipLength) {
            throw new IllegalArgumentException("audio of " + length + " samples is shorter than the cue");
        }
        float[][] out = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            out[c] = channels[c].clone();
        }
        List<Double> starts = new ArrayList<>();
        for (CuePosition p : EnumSet.copyOf(positions.isEmpty() ? EnumSet.noneOf(CuePosition.class) : positions)) {
            int start = switch (p) {
                case START -> 0;
                case END -> length - clipLength;
                case MIDDLE -> Math.clamp(quietestNear(channels, sampleRate, length / 2) - clipLength / 2, 0, length - clipLength);
            };
            starts.add(start / (double) sampleRate);
            int guard = (int) Math.round(guardSeconds * sampleRate);
            int ramp = (int) Math.round(0.02 * sampleRate);
            int from = Math.max(0, start - guard);
            int to = Math.min(length, start + clipLength + guard);
            double duck = Math.pow(10, DUCK_DB / 20);
            for (int i = from; i < to; i++) {
                int edge = Math.min(i - from, to - 1 - i);
                double g = edge >= ramp ? duck : 1 - (1 - duck) * edge / (double) ramp;
                boolean in = i >= start && i < start + clipLength;
                for (int c = 0; c < out.length; c++) {
                    out[c][i] = (float) Math.clamp(out[c][i] * g + (in ? clip[c][i - start] : 0f), -1.0, 1.0);
                }
            }
        }
        starts.sort(null);
        return new Result(out, List.copyOf(starts));
    }

    /** The start of the quietest 10 ms (all channels' energy) within a second of {@code around}. */
    static int quietestNear(float[][] channels, int sampleRate, int around) {
        int step = Math.max(1, sampleRate / 100);
        int reach = sampleRate;
        int length = channels[0].length;
        int best = Math.clamp(around, 0, length);
        double bestEnergy = Double.MAX_VALUE;
        for (int s = Math.max(0, around - reach); s + step <= Math.min(length, around + reach); s += step) {
            double e = 0;
            for (float[] ch : channels) {
                for (int i = s; i < s + step; i++) {
                    e += ch[i] * ch[i];
                }
            }
            // prefer the midpoint among equally quiet moments
            e += 1e-12 * Math.abs(s - around);
            if (e < bestEnergy) {
                bestEnergy = e;
                best = s;
            }
        }
        return best;
    }

    /** The mono {@code tone} as the same array for each of {@code n} channels (read only). */
    static float[][] everyChannel(float[] tone, int n) {
        float[][] clip = new float[Math.max(1, n)][];
        java.util.Arrays.fill(clip, tone);
        return clip;
    }

    private static void requireClip(float[][] clip, int channels) {
        if (clip.length != channels) {
            throw new IllegalArgumentException("the clip has " + clip.length + " channel(s), the audio " + channels);
        }
        requireChannels(clip);
    }

    private static void requireChannels(float[][] channels) {
        if (channels.length == 0) {
            throw new IllegalArgumentException("no channels");
        }
        for (float[] c : channels) {
            if (c.length != channels[0].length) {
                throw new IllegalArgumentException("channels differ in length");
            }
        }
    }
}
