package org.aigcmark.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.aigcmark.audio.RhythmCue;
import org.aigcmark.audio.RhythmCueDetector;
import org.aigcmark.detection.Evidence;
import org.aigcmark.detection.MediaCheck;
import org.aigcmark.detection.MediaFindings;
import org.aigcmark.format.MediaType;

/**
 * The audio of WAV, MP3, FLAC and Ogg files for the sdk's {@link org.aigcmark.detection.Detector} (registered in
 * {@code META-INF/services}): FFmpeg decodes it to 16 kHz mono in chunks (bounded memory, any length) and the sdk's
 * {@link RhythmCueDetector} looks for the GB 45438 §5.3 rhythm cue; each cue found is {@link Evidence.Kind#AUDIO_CUE}
 * evidence, a trace like a visible label. {@link VideoFrameCheck} runs the same search on a video's sound track and
 * on audio-only MP4/M4A. Stateless and thread-safe.
 */
public final class AudioCueCheck implements MediaCheck {
    /** The rate the audio is searched at: the cue's 1141 Hz tone is far below its Nyquist limit, and it is cheap. */
    public static final int ANALYSIS_RATE = 16_000;

    @Override
    public String name() {
        return "audio-cue";
    }

    @Override
    public boolean handles(MediaType format) {
        return format == MediaType.WAV || format == MediaType.MP3 || format == MediaType.FLAC || format == MediaType.OGG;
    }

    @Override
    public MediaFindings check(Path file, Context context) {
        Search s = search(file);
        return new MediaFindings("audio", evidence(s), new MediaFindings.Watermark(false, false, Optional.empty(), "",
                Map.of("note", "audio carries no aigcmark watermark")), List.of(), details(s), summary(s), List.of());
    }

    /**
     * What the search over one file's audio found.
     *
     * @param source  what the audio was
     * @param seconds how much was searched
     * @param cues    the cues found, in time order
     * @param nanos   how long the decoding and search took
     */
    record Search(AudioTrack.Source source, double seconds, List<RhythmCueDetector.Found> cues, long nanos) {}

    /** Decodes the first audio stream of {@code file} and searches it for the cue. */
    static Search search(Path file) {
        long t = System.nanoTime();
        RhythmCueDetector.Scan scan = RhythmCueDetector.standard().scan(ANALYSIS_RATE);
        AudioTrack.Source src = AudioTrack.stream(file, ANALYSIS_RATE, 1, chunk -> scan.accept(chunk[0], 0, chunk[0].length));
        List<RhythmCueDetector.Found> cues = scan.finish();
        return new Search(src, scan.seconds(), cues, System.nanoTime() - t);
    }

    static List<Evidence> evidence(Search s) {
        List<Evidence> out = new ArrayList<>();
        for (RhythmCueDetector.Found f : s.cues()) {
            out.add(new Evidence("audio:rhythm-cue", Evidence.Kind.AUDIO_CUE, Evidence.Strength.TRACE, describe(f), cueMap(f)));
        }
        return out;
    }

    static String describe(RhythmCueDetector.Found f) {
        return String.format(Locale.ROOT, "audio rhythm cue \"短长短短\" (Morse \"AI\", GB 45438 §5.3) at %.2f-%.2f s: a %.0f Hz"
                        + " tone in dot-dash-dot-dot with %.0f ms units, %.1f dB over its gaps, %.1f dB purer than its"
                        + " neighbourhood; confidence %.2f", f.startSeconds(), f.endSeconds(), f.frequencyHz(),
                f.unitSeconds() * 1000, f.contrastDb(), f.purityDb(), f.confidence());
    }

    static Map<String, Object> cueMap(RhythmCueDetector.Found f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startSeconds", f.startSeconds());
        m.put("endSeconds", f.endSeconds());
        m.put("confidence", f.confidence());
        m.put("frequencyHz", f.frequencyHz());
        m.put("unitSeconds", f.unitSeconds());
        m.put("contrastDb", f.contrastDb());
        m.put("purityDb", f.purityDb());
        m.put("pitchDb", f.pitchDb());
        m.put("levelDbfs", f.levelDbfs());
        return m;
    }

    static Map<String, Object> details(Search s) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("codec", s.source().codec());
        n.put("sampleRate", s.source().sampleRate());
        n.put("channels", s.source().channels());
        n.put("bitrate", s.source().bitrate());
        n.put("durationSeconds", Math.round(s.seconds() * 1000) / 1000.0);
        Map<String, Object> searched = new LinkedHashMap<>();
        searched.put("frequencyHz", RhythmCue.DEFAULT_FREQUENCY_HZ);
        searched.put("unitSeconds", List.of(RhythmCueDetector.MIN_UNIT_SECONDS, RhythmCueDetector.MAX_UNIT_SECONDS));
        searched.put("analysisRate", ANALYSIS_RATE);
        n.put("cueSearch", searched);
        n.put("cues", s.cues().stream().map(AudioCueCheck::cueMap).toList());
        return n;
    }

    static List<String> summary(Search s) {
        List<String> b = new ArrayList<>();
        b.add(String.format(Locale.ROOT, "audio: %s, %d Hz, %d channel(s), %.2f s searched for the rhythm cue", s.source().codec(),
                s.source().sampleRate(), s.source().channels(), s.seconds()));
        if (s.cues().isEmpty()) {
            b.add("audio rhythm cue: none found");
        }
        for (RhythmCueDetector.Found f : s.cues()) {
            b.add(String.format(Locale.ROOT, "audio rhythm cue at %.2f s (confidence %.2f)", f.startSeconds(), f.confidence()));
        }
        return b;
    }
}
