package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.audio.CuePosition;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.detection.Evidence;
import org.aigcmark.detection.MediaCheck;
import org.aigcmark.detection.MediaFindings;
import org.aigcmark.detection.Verdict;
import org.aigcmark.label.Label;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audio rhythm cue through the pipeline: {@link AudioCueCheck} (FFmpeg decoding, the sdk's detector), the
 * {@link Detector}'s verdict (a trace, Label 3, when no record), and {@link AudioCueMediaLabeler} putting the cue in
 * through {@link Labeler} (then the record still decides). Inputs are made or checked by the ffmpeg program.
 */
class AudioCueTest {
    static final String CODE = "001191110102MACQD9K64010000";
    static final Path CUED_MP3 = Fixtures.path("audio-cue/espeak-zh-cue-at-2.25s-64k.mp3");
    static final Path SPEECH_MP3 = Fixtures.path("audio-cue/espeak-en-64k.mp3");
    static final Path PROMPT = Fixtures.path("audio-cue/espeak-zh-prompt-16k.wav");

    @TempDir
    Path tmp;

    private static MediaCheck.Context context() {
        InspectReport none = new InspectReport("x", org.aigcmark.format.MediaType.MP3, 0, 0, List.of(), List.of(), List.of(),
                List.of(), List.of(), false);
        return new MediaCheck.Context(none, List.of(), List.of());
    }

    @Test
    void theCheckFindsTheCueInRealSpeechAfterMp3At64Kbps() {
        MediaFindings f = new AudioCueCheck().check(CUED_MP3, context());
        assertEquals(1, f.evidence().size(), f.evidence().toString());
        Evidence e = f.evidence().get(0);
        assertEquals(Evidence.Kind.AUDIO_CUE, e.kind());
        assertEquals(Evidence.Strength.TRACE, e.strength());
        assertEquals(2.25, (double) e.details().get("startSeconds"), 0.06);
        assertEquals("audio", f.section());
        assertEquals(44100, f.details().get("sampleRate"), "the input's own rate, not the analysis rate");
    }

    @Test
    void theCheckFindsNothingInRealClipsWithoutIt() {
        for (String clip : List.of("audio-cue/espeak-en-64k.mp3", "audio-cue/freedesktop-alarm-clock-elapsed.oga",
                "audio-cue/freedesktop-phone-incoming-call.oga")) {
            MediaFindings f = new AudioCueCheck().check(Fixtures.path(clip), context());
            assertEquals(List.of(), f.evidence(), clip);
            assertTrue(f.summary().contains("audio rhythm cue: none found"), f.summary().toString());
        }
    }

    @Test
    void theDetectorGivesTheTraceVerdictForACueInAnM4aWithoutARecord() throws Exception {
        Tools.require("ffmpeg");
        Path m4a = tmp.resolve("cued.m4a");
        Tools.ffmpeg("-i", CUED_MP3.toString(), "-c:a", "aac", "-b:a", "96k", m4a.toString());
        try (Detector d = Detector.create(Labeler.create(), List.of(), List.of(), List.of())) {
            DetectionReport r = d.detect(m4a, false);
            assertEquals(Optional.of(Label.SUSPECTED_AI), r.verdict().label(), r.verdict().reason());
            assertEquals(Verdict.Rule.TRACES, r.verdict().rule());
            assertTrue(r.verdict().reason().contains("rhythm cue"), r.verdict().reason());
            List<Evidence> cues = r.evidence().stream().filter(e -> e.kind() == Evidence.Kind.AUDIO_CUE).toList();
            assertEquals(1, cues.size(), r.evidence().toString());
            assertEquals(2.25, (double) cues.get(0).details().get("startSeconds"), 0.08);
        }
    }

    @Test
    void aCueLabelledIntoAnM4aIsFoundAtZeroAndTheRecordStillDecides() throws Exception {
        Tools.require("ffmpeg", "ffprobe");
        Path m4a = tmp.resolve("speech.m4a");
        Tools.ffmpeg("-i", SPEECH_MP3.toString(), "-c:a", "aac", "-b:a", "96k", m4a.toString());
        double before = Double.parseDouble(Tools.ffprobe(m4a, "format=duration").replace("duration=", "").trim());
        Path out = tmp.resolve("labelled.m4a");
        LabelResult lr = Labeler.create().label(m4a, out, LabelRequest.produced(CODE, "cue-1").withCue(CuePosition.START));
        assertTrue(lr.pixelsChanged(), "the audio was re-encoded");
        assertTrue(lr.notes().get(0).contains("rhythm cue"), lr.notes().toString());
        // an independent reader: the file grew by the cue and its pause, and carries the record
        double after = Double.parseDouble(Tools.ffprobe(out, "format=duration").replace("duration=", "").trim());
        assertEquals(before + 1.1 + 0.25, after, 0.1);
        assertTrue(Tools.ffprobe(out, "format_tags=AIGC").contains("cue-1"));
        assertTrue(Tools.ffprobe(out, "stream=codec_name").contains("aac"));
        try (Detector d = Detector.create(Labeler.create(), List.of(), List.of(), List.of())) {
            DetectionReport r = d.detect(out, false);
            assertEquals(Verdict.Rule.METADATA, r.verdict().rule(), "the record wins over the cue");
            assertEquals(Optional.of(Label.AI_GENERATED), r.verdict().label());
            List<Evidence> cues = r.evidence().stream().filter(e -> e.kind() == Evidence.Kind.AUDIO_CUE).toList();
            assertEquals(1, cues.size(), r.evidence().toString());
            assertEquals(0.0, (double) cues.get(0).details().get("startSeconds"), 0.06);
        }
    }

    @Test
    void aCueLabelledIntoAWavIsFoundAtZero() throws Exception {
        Tools.require("ffmpeg");
        Path wav = tmp.resolve("speech.wav");
        Tools.ffmpeg("-i", SPEECH_MP3.toString(), "-c:a", "pcm_s16le", wav.toString());
        try {
            Labeler.create().inspect(wav, List.of());
        } catch (AigcmarkException e) {
            // the WAV record handler comes with the audio metadata work (issue 15); until it is merged there is no record to write
            Assumptions.abort("no WAV handler in this build: " + e.getMessage());
        }
        Path out = tmp.resolve("labelled.wav");
        Labeler.create().label(wav, out, LabelRequest.produced(CODE, "cue-wav").withCue(CuePosition.START).withCue(CuePosition.END));
        try (Detector d = Detector.create(Labeler.create(), List.of(), List.of(), List.of())) {
            DetectionReport r = d.detect(out, false);
            List<Evidence> cues = r.evidence().stream().filter(e -> e.kind() == Evidence.Kind.AUDIO_CUE).toList();
            assertEquals(2, cues.size(), r.evidence().toString());
            assertEquals(0.0, (double) cues.get(0).details().get("startSeconds"), 0.02);
            assertEquals(Verdict.Rule.METADATA, r.verdict().rule());
        }
    }

    @Test
    void theCueGoesIntoAVideosSoundTrackWithThePicturesCopied() throws Exception {
        Tools.require("ffmpeg", "ffprobe");
        Path clip = Fixtures.path("video/sample-360p-2s5.mp4");
        Path out = tmp.resolve("cued.mp4");
        LabelResult lr = Labeler.create().label(clip, out, LabelRequest.produced(CODE, "v-cue").withCue(CuePosition.START));
        assertTrue(lr.notes().get(0).contains("mixed over the sound track"), lr.notes().toString());
        // ffprobe: the same two streams, each as long as before, the video packets byte for byte and at the same times
        assertEquals(Tools.ffprobe(clip, "stream=index,codec_type,codec_name,width,height,sample_rate,channels"),
                Tools.ffprobe(out, "stream=index,codec_type,codec_name,width,height,sample_rate,channels"));
        List<String> durationsIn = List.of(Tools.ffprobe(clip, "stream=duration").split("\n"));
        List<String> durationsOut = List.of(Tools.ffprobe(out, "stream=duration").split("\n"));
        assertEquals(durationsIn.size(), durationsOut.size());
        for (int i = 0; i < durationsIn.size(); i++) {
            assertEquals(Double.parseDouble(durationsIn.get(i).replace("duration=", "")),
                    Double.parseDouble(durationsOut.get(i).replace("duration=", "")), 0.05, "stream " + i + " keeps its length");
        }
        assertEquals(videoPacketHashes(clip), videoPacketHashes(out), "the video packets are copied as they were");
        assertEquals(Tools.videoPtsTimes(clip), Tools.videoPtsTimes(out));
        assertTrue(Tools.ffprobe(out, "format_tags=AIGC").contains("v-cue"), "the record is in the MP4");
        try (Detector d = Detector.create(Labeler.create(), List.of(), List.of(), List.of())) {
            DetectionReport r = d.detect(out, false);
            List<Evidence> cues = r.evidence().stream().filter(e -> e.kind() == Evidence.Kind.AUDIO_CUE).toList();
            assertEquals(1, cues.size(), r.evidence().toString());
            assertEquals(0.0, (double) cues.get(0).details().get("startSeconds"), 0.06);
            DetectionReport before = d.detect(clip, false);
            assertEquals(List.of(), before.evidence().stream().filter(e -> e.kind() == Evidence.Kind.AUDIO_CUE).toList(),
                    "the input had no cue");
        }
    }

    @Test
    void theCueGoesIntoAMatroskaSoundTrackInTheMiddle() throws Exception {
        Tools.require("ffmpeg", "ffprobe");
        Path mkv = tmp.resolve("clip.mkv");
        Tools.ffmpeg("-i", Fixtures.path("video/sample-720p.mp4").toString(), "-c", "copy", mkv.toString());
        Path out = tmp.resolve("cued.mkv");
        Labeler.create().label(mkv, out, LabelRequest.produced(CODE, "mkv-cue").withCue(CuePosition.MIDDLE));
        assertEquals(Tools.ffprobe(mkv, "stream=index,codec_type,codec_name"), Tools.ffprobe(out, "stream=index,codec_type,codec_name"));
        assertEquals(videoPacketHashes(mkv), videoPacketHashes(out), "the video packets are copied as they were");
        assertEquals(seconds(mkv), seconds(out), 0.05);
        try (Detector d = Detector.create(Labeler.create(), List.of(), List.of(), List.of())) {
            List<Evidence> cues = d.detect(out, false).evidence().stream().filter(e -> e.kind() == Evidence.Kind.AUDIO_CUE).toList();
            assertEquals(1, cues.size(), cues.toString());
            double start = (double) cues.get(0).details().get("startSeconds");
            assertTrue(start > 1.0 && start < 3.0, "the cue is near the middle of the 5 s clip: " + start);
        }
    }

    @Test
    void theSpokenPromptIsMixedOverAVideosSoundTrack() throws Exception {
        Tools.require("ffmpeg", "ffprobe");
        Path clip = Fixtures.path("video/sample-720p.mp4");
        Path out = tmp.resolve("prompted.mp4");
        LabelResult lr = Labeler.create().label(clip, out, LabelRequest.produced(CODE, "v-prompt").withSpokenPrompt(PROMPT));
        assertTrue(lr.notes().get(0).contains("spoken prompt") && lr.notes().get(0).contains("mixed over the sound track"),
                lr.notes().toString());
        assertEquals(videoPacketHashes(clip), videoPacketHashes(out), "the video packets are copied as they were");
        assertEquals(seconds(clip), seconds(out), 0.05, "the length is kept");
        float[] prompt = Tools.monoPcm(PROMPT, 16_000);
        double inOutput = Tools.correlationNear(Tools.monoPcm(out, 16_000), prompt, 0, 1600);
        double inInput = Tools.correlationNear(Tools.monoPcm(clip, 16_000), prompt, 0, 1600);
        assertTrue(inOutput > 0.7 && inInput < 0.3, "correlation with the prompt: " + inOutput + " after, " + inInput + " before");
    }

    @Test
    void aVideoWithoutSoundIsRefusedWithAReason() throws Exception {
        Tools.require("ffmpeg");
        Path silent = tmp.resolve("silent.mp4");
        Tools.ffmpeg("-i", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-an", "-c", "copy", silent.toString());
        AigcmarkException e = org.junit.jupiter.api.Assertions.assertThrows(AigcmarkException.class, () -> Labeler.create()
                .label(silent, tmp.resolve("o.mp4"), LabelRequest.produced(CODE, "v").withCue(CuePosition.START)));
        assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("no sound track"), e.getMessage());
    }

    @Test
    void theSpokenPromptGoesInAtStartMiddleAndEndOfAWav() throws Exception {
        Tools.require("ffmpeg", "ffprobe");
        Path wav = tmp.resolve("speech.wav");
        Tools.ffmpeg("-i", SPEECH_MP3.toString(), "-ac", "2", "-c:a", "pcm_s16le", wav.toString());
        Path out = tmp.resolve("prompted.wav");
        LabelResult lr = Labeler.create().label(wav, out, LabelRequest.produced(CODE, "prompt-wav").withSpokenPrompt(PROMPT)
                .withCue(CuePosition.START).withCue(CuePosition.MIDDLE).withCue(CuePosition.END));
        assertTrue(lr.notes().get(0).contains("spoken prompt"), lr.notes().toString());
        double promptSeconds = seconds(PROMPT);
        double before = seconds(wav);
        assertEquals(before + 3 * (promptSeconds + 0.25) + 0.25, seconds(out), 0.02, "ffprobe reads the longer file");
        assertTrue(Tools.ffprobe(out, "stream=codec_name,channels").contains("pcm_s16le"));
        List<Double> starts = startsFrom(lr.notes().get(0));
        assertEquals(3, starts.size(), lr.notes().toString());
        assertEquals(0.0, starts.get(0), 1e-9);
        assertEquals(before + 2 * promptSeconds + 4 * 0.25, starts.get(2), 0.01, "the end prompt follows the content and a pause");
        assertPromptAt(out, starts, 0.95);
        assertTrue(Tools.correlationNear(Tools.monoPcm(wav, 16_000), Tools.monoPcm(PROMPT, 16_000), 0, 1600) < 0.5,
                "the input alone does not correlate with the prompt");
    }

    @Test
    void theSpokenPromptGoesIntoAnMp3ReEncoded() throws Exception {
        Tools.require("ffmpeg", "ffprobe");
        Path out = tmp.resolve("prompted.mp3");
        LabelResult lr = Labeler.create().label(SPEECH_MP3, out, LabelRequest.produced(CODE, "prompt-mp3").withSpokenPrompt(PROMPT)
                .withCue(CuePosition.END));
        assertTrue(Tools.ffprobe(out, "stream=codec_name").contains("mp3"));
        assertTrue(Tools.ffprobe(out, "format_tags=AIGC").contains("prompt-mp3"), "the record is in the MP3");
        assertPromptAt(out, startsFrom(lr.notes().get(0)), 0.8);
    }

    /** The prompt fixture, decoded by the ffmpeg CLI, correlates with the output at each start (a 0.1 s search). */
    private static void assertPromptAt(Path out, List<Double> starts, double min) {
        float[] signal = Tools.monoPcm(out, 16_000);
        float[] prompt = Tools.monoPcm(PROMPT, 16_000);
        for (double s : starts) {
            double c = Tools.correlationNear(signal, prompt, (int) Math.round(s * 16_000), 1600);
            assertTrue(c >= min, "the prompt at " + s + " s correlates " + c);
        }
    }

    private static List<Double> startsFrom(String note) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+\\.\\d+) s").matcher(note.substring(note.indexOf(" at ")));
        List<Double> starts = new java.util.ArrayList<>();
        while (m.find()) {
            starts.add(Double.parseDouble(m.group(1)));
        }
        return starts;
    }

    private static double seconds(Path f) {
        return Double.parseDouble(Tools.ffprobe(f, "format=duration").replace("duration=", "").trim());
    }

    private static List<String> videoPacketHashes(Path f) {
        String out = Tools.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_packets", "-show_data_hash", "md5",
                "-show_entries", "packet=data_hash", "-of", "csv=p=0", f.toString());
        return List.of(out.strip().split("\n"));
    }
}
