package org.aigcmark.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.MediaLabeler;
import org.aigcmark.audio.CueInsertion;
import org.aigcmark.audio.RhythmCue;
import org.aigcmark.format.MediaType;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * The sdk's {@link MediaLabeler} for the audio rhythm cue (registered in {@code META-INF/services} before the video
 * labeller): a request with {@link LabelRequest#cues()} on a WAV, MP3, FLAC, Ogg or audio-only MP4/M4A file is
 * decoded by FFmpeg, the standard {@link RhythmCue} spliced in at each position ({@link CueInsertion#insert}, at
 * the file's own rate and channels), encoded again with the input's codec and bitrate in the same container (its
 * tags carried over), and the record then written by the format's handler through {@link Labeler#label}, as for any
 * label. A video's sound track is not done yet (refused: splicing would put sound and picture out of step, and
 * mixing it needs a remux of the video packets).
 */
public final class AudioCueMediaLabeler implements MediaLabeler {
    /** Bitrate for a lossy input whose bitrate FFmpeg cannot tell. */
    static final int DEFAULT_BITRATE = 128_000;

    @Override
    public boolean handles(MediaType format) {
        return format == MediaType.WAV || format == MediaType.MP3 || format == MediaType.FLAC || format == MediaType.OGG
                || format == MediaType.MP4;
    }

    @Override
    public boolean handles(MediaType format, LabelRequest request) {
        return !request.cues().isEmpty() && handles(format);
    }

    @Override
    public LabelResult label(Labeler labeler, Path in, Path out, LabelRequest request) {
        if (request.visible().isPresent() || request.watermarkKey().isPresent()) {
            throw new AigcmarkException(AigcmarkException.Reason.INVALID_ARGUMENT, in + ": the audio cue cannot be"
                    + " combined with a visible label or an image watermark in one run");
        }
        boolean[] streams = AudioTrack.streams(in);
        if (streams[0]) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in + ": the rhythm cue goes into"
                    + " audio files; a video's sound track is not supported yet");
        }
        if (!streams[1]) {
            throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, in + " has no audio stream for the rhythm cue");
        }
        MediaType type = MediaType.sniff(labeler.readHead(in));
        AudioTrack.Pcm pcm = AudioTrack.decode(in);
        AudioTrack.Source src = pcm.source();
        RhythmCue cue = RhythmCue.standard();
        if (pcm.sampleRate() <= 2.2 * cue.frequencyHz()) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in + ": " + pcm.sampleRate()
                    + " Hz audio cannot carry the " + cue.frequencyHz() + " Hz cue");
        }
        CueInsertion.Result r = CueInsertion.insert(pcm.channels(), pcm.sampleRate(), request.cues(), cue);
        boolean lossless = src.codecId() == avcodec.AV_CODEC_ID_FLAC || src.codec().startsWith("pcm_");
        int bitrate = lossless ? 0 : src.bitrate() > 0 ? src.bitrate() : DEFAULT_BITRATE;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("aigcmark-cue-");
            Path cued = dir.resolve("cued." + type.extensions().getFirst());
            AudioTrack.encode(new AudioTrack.Pcm(r.channels(), pcm.sampleRate(), src), cued, muxer(type), src.codecId(),
                    bitrate, src.metadata(), src.streamTags());
            LabelResult labelled = labeler.label(cued, out, request.withoutCues());
            List<String> notes = new ArrayList<>();
            notes.add(String.format(Locale.ROOT, "audio rhythm cue (%.0f Hz, %.0f ms unit, %.0f dBFS) spliced in at %s; audio"
                            + " re-encoded: %s, %d Hz, %d channel(s)%s", cue.frequencyHz(), cue.unitSeconds() * 1000,
                    cue.levelDbfs(), r.cueStartSeconds().stream().map(s -> String.format(Locale.ROOT, "%.2f s", s))
                            .collect(Collectors.joining(", ")), src.codec(), pcm.sampleRate(), r.channels().length,
                    bitrate > 0 ? String.format(Locale.ROOT, " at %d kbps", bitrate / 1000) : ""));
            notes.addAll(labelled.notes());
            return new LabelResult(new byte[0], labelled.format(), labelled.label(), true, labelled.visible(),
                    labelled.watermarkPayload(), notes, labelled.existingWatermark());
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot stage " + in
                    + " in a temporary folder for the audio cue: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** FFmpeg's muxer for an audio file of this format. */
    static String muxer(MediaType type) {
        return switch (type) {
            case WAV -> "wav";
            case MP3 -> "mp3";
            case FLAC -> "flac";
            case OGG -> "ogg";
            case MP4 -> "ipod"; // M4A: ftyp "M4A "
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
