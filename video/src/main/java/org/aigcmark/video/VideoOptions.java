package org.aigcmark.video;

import java.util.Locale;
import java.util.OptionalInt;
import org.aigcmark.AigcmarkException;

/**
 * How {@link VideoLabeler} re-encodes. The output keeps the input's container; the encoder is one that container
 * may hold (see {@link Encoder} and docs/VIDEO.md).
 *
 * @param visibleSeconds how long the visible label stays from the start ({@link Double#POSITIVE_INFINITY}: the whole
 *                       video); at least 2 s (GB 45438 §5.4), 3 s by default for margin
 * @param encoder        AUTO: for MP4/MOV/Matroska libx264 when the GPL FFmpeg build is on the class path, else the
 *                       LGPL build's libopenh264; for WebM libvpx-vp9, else libvpx (VP8), else libsvtav1
 * @param crf            constant rate factor, empty for the encoder's default (libx264 18 of 0-51, libvpx-vp9 24 of
 *                       0-63, libvpx VP8 10 of 4-63, libsvtav1 30 of 1-63); libopenh264 has none and refuses it
 * @param bitrate        target video bitrate in bit/s instead of a CRF, 0 for none (libopenh264: bitsPerPixel rule)
 * @param preset         libx264 preset; "veryfast" by default (real-time 1080p on two cores)
 * @param bitsPerPixel   libopenh264's bitrate without {@code bitrate}, and libvpx VP8's cap in constrained-quality
 *                       mode: bitsPerPixel x width x height x fps, never below the source's own video bitrate; 0.15
 *                       by default (1080p30: 9.3 Mb/s, 720p25: 3.5 Mb/s)
 * @param progress       called after each frame with (frames done, frames expected or 0); may be null
 */
public record VideoOptions(double visibleSeconds, Encoder encoder, OptionalInt crf, long bitrate, String preset,
                           double bitsPerPixel, Progress progress) {

    /** The video encoders the pipeline drives, by FFmpeg name, with the codec each writes and its CRF range. */
    public enum Encoder {
        AUTO(null, null, -1, -1, -1),
        X264("libx264", "H.264", 0, 51, 18),
        /** Rate-controlled by bitrate only: no CRF. */
        OPENH264("libopenh264", "H.264", -1, -1, -1),
        VP9("libvpx-vp9", "VP9", 0, 63, 24),
        VP8("libvpx", "VP8", 4, 63, 10),
        AV1("libsvtav1", "AV1", 1, 63, 30);

        public final String ffmpegName;
        public final String codec;
        final int crfMin;
        final int crfMax;
        final int defaultCrf;

        Encoder(String ffmpegName, String codec, int crfMin, int crfMax, int defaultCrf) {
            this.ffmpegName = ffmpegName;
            this.codec = codec;
            this.crfMin = crfMin;
            this.crfMax = crfMax;
            this.defaultCrf = defaultCrf;
        }

        /** Whether this encoder takes a constant rate factor (libopenh264 and AUTO do not). */
        public boolean hasCrf() {
            return crfMin >= 0;
        }

        /** The CRF to encode with: the requested one (checked against this encoder's range) or the default. */
        int crf(OptionalInt requested) {
            if (requested.isEmpty()) {
                return defaultCrf;
            }
            int c = requested.getAsInt();
            if (!hasCrf()) {
                throw AigcmarkException.invalid(ffmpegName + " has no constant rate factor (CRF): it is rate-controlled by"
                        + " bitrate; give a bitrate (--bitrate KBPS) instead, or use the GPL build's libx264 for CRF");
            }
            if (c < crfMin || c > crfMax) {
                throw AigcmarkException.invalid(ffmpegName + " takes a CRF of " + crfMin + ".." + crfMax + ", got " + c);
            }
            return c;
        }

        /** The name the CLI's --video-encoder takes. */
        public String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Receives progress while a video is re-encoded, on the thread that called {@link VideoLabeler#label} (the
     * decoding one, not the encoder's).
     */
    @FunctionalInterface
    public interface Progress {
        /**
         * Called after each frame is labelled and handed to the encoder.
         *
         * @param done frames labelled so far
         * @param expected frames expected from the input's duration and frame rate (an estimate; 0 when unknown)
         */
        void frames(long done, long expected);
    }

    /** The highest bitrate accepted, in bit/s (500 Mb/s, beyond intra-only mastering): encoders refuse to open far above. */
    public static final long MAX_BITRATE = 500_000_000L;

    public VideoOptions {
        if (!(visibleSeconds >= FrameLabeler.MIN_VISIBLE_SECONDS)) {
            throw AigcmarkException.invalid("the start-frame label must stay at least 2 s (GB 45438 §5.4), got " + visibleSeconds);
        }
        if (encoder == null) {
            encoder = Encoder.AUTO;
        }
        if (crf == null) {
            crf = OptionalInt.empty();
        }
        if (crf.isPresent() && (crf.getAsInt() < 0 || crf.getAsInt() > 63)) {
            throw AigcmarkException.invalid("CRF is 0..63 (libx264 0..51), got " + crf.getAsInt());
        }
        if (bitrate < 0 || bitrate > MAX_BITRATE) {
            throw AigcmarkException.invalid("the bitrate is 0 (automatic) to " + MAX_BITRATE + " bit/s, got " + bitrate);
        }
        if (crf.isPresent() && bitrate > 0) {
            // libx264 would silently drop one of the two: say so instead
            throw AigcmarkException.invalid("give a CRF or a bitrate, not both");
        }
        if (preset == null || preset.isBlank()) {
            preset = "veryfast";
        }
        if (!(bitsPerPixel > 0 && bitsPerPixel < 10)) {
            throw AigcmarkException.invalid("bits per pixel must be in (0, 10), got " + bitsPerPixel);
        }
    }

    /**
     * A 3 s start label, {@link Encoder#AUTO}, the encoder's default CRF, preset "veryfast", 0.15 bits per pixel, no
     * progress.
     */
    public static VideoOptions defaults() {
        return new VideoOptions(FrameLabeler.DEFAULT_VISIBLE_SECONDS, Encoder.AUTO, OptionalInt.empty(), 0, "veryfast", 0.15, null);
    }

    /**
     * A copy whose visible label stays {@code s} seconds from the start.
     *
     * @throws AigcmarkException with {@link org.aigcmark.AigcmarkException.Reason#INVALID_ARGUMENT} when {@code s} is
     *     under 2
     */
    public VideoOptions withVisibleSeconds(double s) {
        return new VideoOptions(s, encoder, crf, bitrate, preset, bitsPerPixel, progress);
    }

    /** The visible label on every frame, not only the start. */
    public VideoOptions withVisibleWholeVideo() {
        return withVisibleSeconds(Double.POSITIVE_INFINITY);
    }

    /** A copy with another encoder; null means {@link Encoder#AUTO}. */
    public VideoOptions withEncoder(Encoder e) {
        return new VideoOptions(visibleSeconds, e, crf, bitrate, preset, bitsPerPixel, progress);
    }

    /**
     * A copy with a constant rate factor. The encoder's own range is checked when it opens.
     *
     * @throws AigcmarkException with {@link org.aigcmark.AigcmarkException.Reason#INVALID_ARGUMENT} for a CRF outside
     *     0..63 or when a bitrate is set too
     */
    public VideoOptions withCrf(int c) {
        return new VideoOptions(visibleSeconds, encoder, OptionalInt.of(c), bitrate, preset, bitsPerPixel, progress);
    }

    /** Target video bitrate in bit/s (instead of a CRF). */
    public VideoOptions withBitrate(long bitsPerSecond) {
        return new VideoOptions(visibleSeconds, encoder, crf, bitsPerSecond, preset, bitsPerPixel, progress);
    }

    /** A copy with another libx264 preset; null or blank means "veryfast". */
    public VideoOptions withPreset(String p) {
        return new VideoOptions(visibleSeconds, encoder, crf, bitrate, p, bitsPerPixel, progress);
    }

    /** A copy that reports progress to {@code p}; null reports none. */
    public VideoOptions withProgress(Progress p) {
        return new VideoOptions(visibleSeconds, encoder, crf, bitrate, preset, bitsPerPixel, p);
    }
}
