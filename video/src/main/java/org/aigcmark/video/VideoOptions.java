package org.aigcmark.video;

import org.aigcmark.AigcmarkException;

/**
 * How {@link VideoLabeler} re-encodes.
 *
 * @param visibleSeconds how long the visible label stays from the start ({@link Double#POSITIVE_INFINITY}: the whole
 *                       video); at least 2 s (GB 45438 §5.4), 3 s by default for margin
 * @param encoder        which H.264 encoder: AUTO takes libx264 when the GPL FFmpeg build is on the class path,
 *                       otherwise the LGPL build's libopenh264
 * @param crf            libx264 constant rate factor; 18 by default (visually lossless for most content, so the
 *                       labelled copy does not cost the platform's own re-encode a generation of visible loss)
 * @param preset         libx264 preset; "veryfast" by default (real-time 1080p on two cores)
 * @param bitsPerPixel   libopenh264 has no CRF: bitrate = bitsPerPixel x width x height x fps, but never below the
 *                       source's own video bitrate; 0.15 by default (1080p30: 9.3 Mb/s, 720p25: 3.5 Mb/s)
 * @param progress       called after each frame with (frames done, frames expected or 0); may be null
 */
public record VideoOptions(double visibleSeconds, Encoder encoder, int crf, String preset, double bitsPerPixel,
                           Progress progress) {

    public enum Encoder { AUTO, X264, OPENH264 }

    @FunctionalInterface
    public interface Progress {
        void frames(long done, long expected);
    }

    public VideoOptions {
        if (!(visibleSeconds >= FrameLabeler.MIN_VISIBLE_SECONDS)) {
            throw AigcmarkException.invalid("the start-frame label must stay at least 2 s (GB 45438 §5.4), got " + visibleSeconds);
        }
        if (encoder == null) {
            encoder = Encoder.AUTO;
        }
        if (crf < 0 || crf > 51) {
            throw AigcmarkException.invalid("CRF is 0..51, got " + crf);
        }
        if (preset == null || preset.isBlank()) {
            preset = "veryfast";
        }
        if (!(bitsPerPixel > 0 && bitsPerPixel < 10)) {
            throw AigcmarkException.invalid("bits per pixel must be in (0, 10), got " + bitsPerPixel);
        }
    }

    public static VideoOptions defaults() {
        return new VideoOptions(FrameLabeler.DEFAULT_VISIBLE_SECONDS, Encoder.AUTO, 18, "veryfast", 0.15, null);
    }

    public VideoOptions withVisibleSeconds(double s) {
        return new VideoOptions(s, encoder, crf, preset, bitsPerPixel, progress);
    }

    /** The visible label on every frame, not only the start. */
    public VideoOptions withVisibleWholeVideo() {
        return withVisibleSeconds(Double.POSITIVE_INFINITY);
    }

    public VideoOptions withEncoder(Encoder e) {
        return new VideoOptions(visibleSeconds, e, crf, preset, bitsPerPixel, progress);
    }

    public VideoOptions withCrf(int c) {
        return new VideoOptions(visibleSeconds, encoder, c, preset, bitsPerPixel, progress);
    }

    public VideoOptions withPreset(String p) {
        return new VideoOptions(visibleSeconds, encoder, crf, p, bitsPerPixel, progress);
    }

    public VideoOptions withProgress(Progress p) {
        return new VideoOptions(visibleSeconds, encoder, crf, preset, bitsPerPixel, p);
    }
}
