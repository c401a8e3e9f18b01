package org.aigcmark.video;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.aigcmark.AigcmarkException;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The audio of a file as float PCM, through FFmpeg (JavaCV's grabber and recorder): decode it whole or stream it in
 * chunks, and encode PCM back with a given codec, bitrate and container. For the audio rhythm cue: its detection
 * ({@link AudioCueCheck}), its insertion ({@link AudioCueMediaLabeler}) and the bench's attacks.
 */
public final class AudioTrack {
    /** Decoded audio held in memory is capped at this many samples (all channels): 240 MB of floats. */
    public static final long MAX_SAMPLES = 60_000_000L;

    private AudioTrack() {}

    /**
     * Audio decoded whole.
     *
     * @param channels   the samples, one array per channel, in [-1, 1]
     * @param sampleRate samples per second
     * @param source     what the input was (codec, bitrate, container, metadata), for encoding it back alike
     */
    public record Pcm(float[][] channels, int sampleRate, Source source) {
        /** Length in seconds. */
        public double seconds() {
            return channels[0].length / (double) sampleRate;
        }

        /** The channels averaged to one. */
        public float[] mono() {
            float[] m = new float[channels[0].length];
            for (float[] c : channels) {
                for (int i = 0; i < m.length; i++) {
                    m[i] += c[i] / channels.length;
                }
            }
            return m;
        }
    }

    /**
     * What a decoded input was.
     *
     * @param container   FFmpeg's name of the input format (e.g. {@code "mp3"}, {@code "mov,mp4,m4a,3gp,3g2,mj2"})
     * @param codec       the audio codec's name (e.g. {@code "mp3"}, {@code "aac"}, {@code "vorbis"})
     * @param codecId     FFmpeg's codec id
     * @param bitrate     the audio bitrate in bits per second (0 when unknown, e.g. PCM)
     * @param sampleRate  the input's sample rate
     * @param channels    the input's channel count
     * @param hasVideo    whether the file has a video stream
     * @param metadata    the container's tags
     * @param streamTags  the audio stream's tags
     */
    public record Source(String container, String codec, int codecId, int bitrate, int sampleRate, int channels,
                         boolean hasVideo, Map<String, String> metadata, Map<String, String> streamTags) {}

    /**
     * Which streams a file has: {@code [video, audio]}; a cover picture (attached picture) is not video. Reads the
     * container's header only.
     */
    public static boolean[] streams(Path file) {
        return withStreamInfo(file, ic -> {
            boolean video = false, audio = false;
            for (int i = 0; i < ic.nb_streams(); i++) {
                org.bytedeco.ffmpeg.avformat.AVStream st = ic.streams(i);
                int type = st.codecpar().codec_type();
                if (type == avutil.AVMEDIA_TYPE_VIDEO && (st.disposition() & org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC) == 0) {
                    video = true;
                } else if (type == avutil.AVMEDIA_TYPE_AUDIO) {
                    audio = true;
                }
            }
            return new boolean[] {video, audio};
        });
    }

    /** The file's duration as its container declares it (s; 0 when it declares none). Reads the header only. */
    public static double durationSeconds(Path file) {
        return withStreamInfo(file, ic -> ic.duration() == avutil.AV_NOPTS_VALUE ? 0 : ic.duration() / (double) avutil.AV_TIME_BASE);
    }

    /** {@code read} applied to the file's opened container once its stream parameters are known; closed after. */
    private static <T> T withStreamInfo(Path file, java.util.function.Function<org.bytedeco.ffmpeg.avformat.AVFormatContext, T> read) {
        Ffmpeg.init();
        org.bytedeco.ffmpeg.avformat.AVFormatContext ic = new org.bytedeco.ffmpeg.avformat.AVFormatContext(null);
        int r = org.bytedeco.ffmpeg.global.avformat.avformat_open_input(ic, file.toString(), null, null);
        if (r < 0) {
            throw Ffmpeg.corrupt(file.getFileName() + " cannot be opened", r);
        }
        try {
            r = org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info(ic, (org.bytedeco.javacpp.PointerPointer<?>) null);
            if (r < 0) {
                throw Ffmpeg.corrupt(file.getFileName() + ": stream parameters could not be read", r);
            }
            return read.apply(ic);
        } finally {
            org.bytedeco.ffmpeg.global.avformat.avformat_close_input(ic);
        }
    }

    /** Decodes the first audio stream whole at its own rate and channels ({@code LIMIT_EXCEEDED} over {@link #MAX_SAMPLES}). */
    public static Pcm decode(Path file) {
        return decode(file, 0, 0);
    }

    /** Decodes the first audio stream whole, resampled to {@code sampleRate} and mixed to {@code channels} (0: keep). */
    public static Pcm decode(Path file, int sampleRate, int channels) {
        FloatArrays[] acc = new FloatArrays[1];
        Source src = stream(file, sampleRate, channels, (chunk) -> {
            if (acc[0] == null) {
                acc[0] = new FloatArrays(chunk.length);
            }
            acc[0].append(chunk, file);
        });
        float[][] ch = acc[0] == null ? new float[Math.max(1, channels == 0 ? src.channels() : channels)][0] : acc[0].arrays();
        return new Pcm(ch, sampleRate == 0 ? src.sampleRate() : sampleRate, src);
    }

    /**
     * Streams the first audio stream to {@code sink} in planar chunks ({@code chunk[channel][i]}), resampled to
     * {@code sampleRate} and mixed to {@code channels} (0: keep), and returns what the input was. Bounded memory.
     *
     * @throws AigcmarkException {@code CORRUPT_INPUT} when the file has no audio stream or FFmpeg cannot read it
     */
    public static Source stream(Path file, int sampleRate, int channels, Consumer<float[][]> sink) {
        Ffmpeg.init();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
            if (sampleRate > 0) {
                g.setSampleRate(sampleRate);
            }
            if (channels > 0) {
                g.setAudioChannels(channels);
            }
            g.start();
            if (!g.hasAudio()) {
                throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, file.getFileName() + " has no audio stream");
            }
            // the grabber reports the rates it was asked to resample to; the stream's own are in its parameters
            org.bytedeco.ffmpeg.avcodec.AVCodecParameters par = g.getFormatContext().streams(g.getAudioStream()).codecpar();
            Source src = new Source(g.getFormat(), g.getAudioCodecName(), g.getAudioCodec(), g.getAudioBitrate(),
                    par.sample_rate(), par.ch_layout().nb_channels(), g.hasVideo(), Map.copyOf(g.getMetadata()),
                    Map.copyOf(g.getAudioMetadata()));
            int nch = channels > 0 ? channels : g.getAudioChannels();
            Frame f;
            while ((f = g.grabSamples()) != null) {
                if (f.samples == null) {
                    continue;
                }
                sink.accept(planar(f.samples, nch));
            }
            g.stop();
            return src;
        } catch (FrameGrabber.Exception e) {
            throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, file.getFileName() + ": FFmpeg cannot decode its audio: "
                    + e.getMessage(), e);
        }
    }

    private static float[][] planar(Buffer[] samples, int nch) {
        if (samples.length >= nch && nch > 1) {
            float[][] out = new float[nch][];
            for (int c = 0; c < nch; c++) {
                FloatBuffer b = (FloatBuffer) samples[c];
                out[c] = new float[b.remaining()];
                b.duplicate().get(out[c]);
            }
            return out;
        }
        FloatBuffer b = ((FloatBuffer) samples[0]).duplicate();
        int n = b.remaining() / nch;
        float[][] out = new float[nch][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < nch; c++) {
                out[c][i] = b.get();
            }
        }
        return out;
    }

    /**
     * Encodes {@code pcm} into {@code out} (not atomically: callers write a temp file) with {@code codecId} at
     * {@code bitrate} (bits/s; 0 for the codec's default) in the container {@code format} (an FFmpeg muxer name:
     * {@code wav}, {@code mp3}, {@code flac}, {@code ogg}, {@code ipod}), carrying the container and stream tags.
     */
    public static void encode(Pcm pcm, Path out, String format, int codecId, int bitrate, Map<String, String> metadata,
                              Map<String, String> streamTags) {
        Ffmpeg.init();
        int nch = pcm.channels().length;
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), nch)) {
            r.setFormat(format);
            r.setAudioCodec(codecId);
            r.setSampleRate(pcm.sampleRate());
            r.setAudioChannels(nch);
            if (bitrate > 0) {
                r.setAudioBitrate(bitrate);
            }
            if (codecId == avcodec.AV_CODEC_ID_VORBIS || codecId == avcodec.AV_CODEC_ID_OPUS) {
                r.setAudioOption("strict", "experimental"); // FFmpeg's own Vorbis encoder is marked experimental
            }
            // PCM encoders take one sample format each; FLAC would otherwise get 32-bit samples
            int sampleFormat = switch (codecId) {
                case avcodec.AV_CODEC_ID_PCM_S16LE, avcodec.AV_CODEC_ID_PCM_S16BE, avcodec.AV_CODEC_ID_FLAC -> avutil.AV_SAMPLE_FMT_S16;
                case avcodec.AV_CODEC_ID_PCM_S24LE, avcodec.AV_CODEC_ID_PCM_S24BE, avcodec.AV_CODEC_ID_PCM_S32LE,
                     avcodec.AV_CODEC_ID_PCM_S32BE -> avutil.AV_SAMPLE_FMT_S32;
                case avcodec.AV_CODEC_ID_PCM_F32LE, avcodec.AV_CODEC_ID_PCM_F32BE -> avutil.AV_SAMPLE_FMT_FLT;
                case avcodec.AV_CODEC_ID_PCM_F64LE, avcodec.AV_CODEC_ID_PCM_F64BE -> avutil.AV_SAMPLE_FMT_DBL;
                case avcodec.AV_CODEC_ID_PCM_U8 -> avutil.AV_SAMPLE_FMT_U8;
                default -> -1;
            };
            if (sampleFormat >= 0) {
                r.setSampleFormat(sampleFormat);
            }
            r.setMetadata(metadata);
            r.setAudioMetadata(streamTags);
            r.start();
            int length = pcm.channels()[0].length;
            int block = 4096;
            float[] inter = new float[block * nch];
            for (int at = 0; at < length; at += block) {
                int n = Math.min(block, length - at);
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < nch; c++) {
                        inter[i * nch + c] = pcm.channels()[c][at + i];
                    }
                }
                r.recordSamples(pcm.sampleRate(), nch, FloatBuffer.wrap(inter, 0, n * nch));
            }
            r.stop();
        } catch (org.bytedeco.javacv.FrameRecorder.Exception e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "FFmpeg cannot encode " + out.getFileName() + ": "
                    + e.getMessage(), e);
        }
    }


    /** Growing per-channel float arrays. */
    private static final class FloatArrays {
        private float[][] a;
        private int size;

        FloatArrays(int channels) {
            a = new float[channels][1 << 16];
        }

        void append(float[][] chunk, Path file) {
            int n = chunk[0].length;
            if ((long) (size + n) * a.length > MAX_SAMPLES) {
                throw new AigcmarkException(AigcmarkException.Reason.LIMIT_EXCEEDED, file.getFileName()
                        + ": the audio is longer than the " + MAX_SAMPLES + " samples decoded audio may hold in memory");
            }
            if (size + n > a[0].length) {
                int cap = Math.max(a[0].length * 2, size + n);
                for (int c = 0; c < a.length; c++) {
                    a[c] = java.util.Arrays.copyOf(a[c], cap);
                }
            }
            for (int c = 0; c < a.length; c++) {
                System.arraycopy(chunk[c], 0, a[c], size, n);
            }
            size += n;
        }

        float[][] arrays() {
            float[][] out = new float[a.length][];
            for (int c = 0; c < a.length; c++) {
                out[c] = java.util.Arrays.copyOf(a[c], size);
            }
            return out;
        }
    }
}
