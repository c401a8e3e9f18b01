package org.aigcmark.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.MediaLabeler;
import org.aigcmark.audio.CueInsertion;
import org.aigcmark.audio.CuePosition;
import org.aigcmark.audio.RhythmCue;
import org.aigcmark.audio.WavCueSplicer;
import org.aigcmark.format.MediaType;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * The sdk's {@link MediaLabeler} for the audio cue (registered in {@code META-INF/services} before the video
 * labeller): a request with {@link LabelRequest#wantsAudioCue()} puts the standard {@link RhythmCue}, or the user's
 * spoken prompt ({@link LabelRequest#spokenPrompt()}, resampled by FFmpeg to the file's rate and channel layout), at
 * each position, and the record is then written by the format's handler through {@link Labeler#label}, as for any
 * label.
 * <ul>
 * <li>A PCM or float WAV is spliced from disk to disk by {@link WavCueSplicer} (bounded memory, any size; the
 *     content's samples unchanged, RF64 past 4 GiB).</li>
 * <li>Other audio files (MP3, FLAC, Ogg, M4A, other WAV encodings) are decoded by FFmpeg, the clip spliced in
 *     ({@link CueInsertion#insert}), and encoded again with the input's codec and bitrate in the same container (its
 *     tags carried over).</li>
 * <li>A video (MP4/MOV, Matroska/WebM) keeps its length and its picture: the clip is mixed over its first sound track
 *     ({@link CueInsertion#mix}, the sound ducked around it), the track encoded again with its codec and bitrate, and
 *     the video packets copied as they are ({@link SoundTrackRemux}). A video without a sound track is refused: its
 *     explicit label is the visible one (GB 45438 §5.4), and a track made only to carry a cue would be a surprise.</li>
 * </ul>
 */
public final class AudioCueMediaLabeler implements MediaLabeler {
    /** Bitrate for a lossy input whose bitrate FFmpeg cannot tell. */
    static final int DEFAULT_BITRATE = 128_000;
    /** Around a mixed spoken prompt the sound is ducked from this long before to this long after it (s). */
    static final double PROMPT_GUARD_SECONDS = 0.2;

    @Override
    public boolean handles(MediaType format) {
        return format == MediaType.WAV || format == MediaType.MP3 || format == MediaType.FLAC || format == MediaType.OGG
                || format == MediaType.MP4 || format == MediaType.MKV;
    }

    @Override
    public boolean handles(MediaType format, LabelRequest request) {
        return request.wantsAudioCue() && handles(format);
    }

    @Override
    public LabelResult label(Labeler labeler, Path in, Path out, LabelRequest request) {
        if (request.visible().isPresent() || request.watermarkKey().isPresent()) {
            throw new AigcmarkException(AigcmarkException.Reason.INVALID_ARGUMENT, in + ": the audio cue cannot be"
                    + " combined with a visible label or an image watermark in one run");
        }
        Set<CuePosition> positions = request.cues().isEmpty() ? EnumSet.of(CuePosition.START) : request.cues();
        MediaType type = MediaType.sniff(labeler.readHead(in));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("aigcmark-cue-");
            Optional<WavCueSplicer.Layout> pcmWav = type == MediaType.WAV ? WavCueSplicer.layout(in) : Optional.empty();
            if (pcmWav.isPresent()) {
                WavCueSplicer.Layout l = pcmWav.get();
                float[][] clip = clip(request, l.sampleRate(), l.channels(), in);
                Path cued = dir.resolve("cued.wav");
                List<Double> starts = WavCueSplicer.splice(in, cued, positions, clip);
                return finish(labeler, cued, out, request, describe(request, "spliced in at", starts)
                        + String.format(Locale.ROOT, "; the other samples copied as they were (%d-bit %s PCM, %d Hz, %d channel(s))",
                        l.bitsPerSample(), l.floating() ? "float" : "integer", l.sampleRate(), l.channels()));
            }
            boolean[] streams = AudioTrack.streams(in);
            if (!streams[1]) {
                throw new AigcmarkException(streams[0] ? AigcmarkException.Reason.UNSUPPORTED_FORMAT : AigcmarkException.Reason.CORRUPT_INPUT,
                        in + " has no sound track for the audio cue" + (streams[0] ? ": a video without sound takes the"
                                + " visible label (--visible), GB 45438 §5.4" : ""));
            }
            AudioTrack.Pcm pcm = AudioTrack.decode(in);
            AudioTrack.Source src = pcm.source();
            float[][] clip = clip(request, pcm.sampleRate(), pcm.channels().length, in);
            boolean lossless = src.codecId() == avcodec.AV_CODEC_ID_FLAC || src.codec().startsWith("pcm_");
            int bitrate = lossless ? 0 : src.bitrate() > 0 ? src.bitrate() : DEFAULT_BITRATE;
            String encoded = String.format(Locale.ROOT, "; audio re-encoded: %s, %d Hz, %d channel(s)%s", src.codec(),
                    pcm.sampleRate(), pcm.channels().length, bitrate > 0 ? String.format(Locale.ROOT, " at %d kbps", bitrate / 1000) : "");
            if (streams[0]) {
                if (pcm.channels()[0].length < clip[0].length) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in + ": its sound track ("
                            + String.format(Locale.ROOT, "%.2f s", pcm.seconds()) + ") is shorter than the audio cue");
                }
                CueInsertion.Result r = request.spokenPrompt().isPresent()
                        ? CueInsertion.mix(pcm.channels(), pcm.sampleRate(), positions, clip, PROMPT_GUARD_SECONDS)
                        : CueInsertion.mix(pcm.channels(), pcm.sampleRate(), positions, RhythmCue.standard());
                VideoContainer container = VideoContainer.of(in);
                Path track = dir.resolve("track.mka");
                AudioTrack.encode(new AudioTrack.Pcm(r.channels(), pcm.sampleRate(), src), track, "matroska", src.codecId(),
                        bitrate, java.util.Map.of(), src.streamTags());
                Path cued = dir.resolve("cued." + (container == VideoContainer.MOV ? "mov" : container == VideoContainer.WEBM ? "webm"
                        : container == VideoContainer.MATROSKA ? "mkv" : "mp4"));
                int dropped = SoundTrackRemux.replaceAudio(in, track, cued, container.muxer);
                return finish(labeler, cued, out, request, describe(request, "mixed over the sound track at", r.cueStartSeconds())
                        + encoded + "; the video packets copied as they were, the length unchanged"
                        + (dropped > 0 ? "; " + dropped + " stream(s) neither video nor audio dropped" : ""));
            }
            CueInsertion.Result r = CueInsertion.insert(pcm.channels(), pcm.sampleRate(), positions, clip);
            Path cued = dir.resolve("cued." + type.extensions().getFirst());
            AudioTrack.encode(new AudioTrack.Pcm(r.channels(), pcm.sampleRate(), src), cued, muxer(type), src.codecId(),
                    bitrate, src.metadata(), src.streamTags());
            return finish(labeler, cued, out, request, describe(request, "spliced in at", r.cueStartSeconds()) + encoded);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot stage " + in
                    + " in a temporary folder for the audio cue: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Writes the record into the cued file through the handler, as for any label, and puts {@code note} first. */
    private static LabelResult finish(Labeler labeler, Path cued, Path out, LabelRequest request, String note) {
        LabelResult labelled = labeler.label(cued, out, request.withoutCues());
        List<String> notes = new ArrayList<>();
        notes.add(note);
        notes.addAll(labelled.notes());
        return new LabelResult(new byte[0], labelled.format(), labelled.label(), true, labelled.visible(),
                labelled.watermarkPayload(), notes, labelled.existingWatermark());
    }

    private static String describe(LabelRequest request, String how, List<Double> starts) {
        RhythmCue cue = RhythmCue.standard();
        String what = request.spokenPrompt().map(p -> "spoken prompt " + p.getFileName()).orElse(String.format(Locale.ROOT,
                "audio rhythm cue (%.0f Hz, %.0f ms unit, %.0f dBFS)", cue.frequencyHz(), cue.unitSeconds() * 1000, cue.levelDbfs()));
        return what + " " + how + " " + starts.stream().map(s -> String.format(Locale.ROOT, "%.2f s", s))
                .collect(Collectors.joining(", "));
    }

    /**
     * What goes in, one array per channel at {@code sampleRate}: the spoken prompt decoded by FFmpeg to that rate and
     * channel count (at most {@link CueInsertion#MAX_PROMPT_SECONDS}), or the rhythm cue in every channel.
     */
    static float[][] clip(LabelRequest request, int sampleRate, int channels, Path in) {
        if (request.spokenPrompt().isPresent()) {
            Path prompt = request.spokenPrompt().get();
            if (!Files.isRegularFile(prompt)) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "the spoken prompt " + prompt + " is not a readable file");
            }
            if (AudioTrack.durationSeconds(prompt) > CueInsertion.MAX_PROMPT_SECONDS) {
                throw new AigcmarkException(AigcmarkException.Reason.LIMIT_EXCEEDED, "the spoken prompt " + prompt
                        + " is longer than " + CueInsertion.MAX_PROMPT_SECONDS + " s");
            }
            float[][] c = AudioTrack.decode(prompt, sampleRate, channels).channels();
            if (c[0].length == 0) {
                throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, "the spoken prompt " + prompt + " holds no sound");
            }
            if (c[0].length > (long) CueInsertion.MAX_PROMPT_SECONDS * sampleRate) {
                throw new AigcmarkException(AigcmarkException.Reason.LIMIT_EXCEEDED, "the spoken prompt " + prompt
                        + " is longer than " + CueInsertion.MAX_PROMPT_SECONDS + " s");
            }
            return c;
        }
        RhythmCue cue = RhythmCue.standard();
        if (sampleRate <= 2.2 * cue.frequencyHz()) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in + ": " + sampleRate
                    + " Hz audio cannot carry the " + cue.frequencyHz() + " Hz cue");
        }
        float[] tone = cue.synthesize(sampleRate);
        float[][] c = new float[channels][];
        java.util.Arrays.fill(c, tone);
        return c;
    }

    /** FFmpeg's muxer for an audio file of this format. */
    static String muxer(MediaType type) {
        return switch (type) {
            case WAV -> "wav";
            case MP3 -> "mp3";
            case FLAC -> "flac";
            case OGG -> "ogg";
            case MP4 -> "ipod"; // M4A: ftyp "M4A "
            case MKV -> "matroska"; // audio-only Matroska (.mka)
            default -> throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                    type.displayName() + " cannot take the audio cue");
        };
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary folder left behind is the OS's to clean; the label stands
        }
    }
}
