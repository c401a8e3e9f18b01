package org.aigcmark.video;

import java.util.List;
import java.util.Optional;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.visible.VisibleLabelRenderer;

/**
 * What {@link VideoLabeler#label} wrote.
 *
 * @param format          output container, the input's ("mp4", "mov", "matroska", "webm")
 * @param encoder         the video encoder used (libx264, libopenh264, libvpx-vp9, libvpx, libsvtav1) and its rate setting
 * @param label           the AIGC record written into the container (read back after writing)
 * @param visible         where the visible label went, when asked
 * @param visibleSeconds  how long it stays from the start (infinite: the whole video)
 * @param watermarkPayload the watermark payload (hex), when asked
 * @param width           frame width (unchanged)
 * @param height          frame height (unchanged)
 * @param rotationDegrees clockwise display rotation (kept)
 * @param frames          video frames written
 * @param durationSeconds the input video stream's duration (0 when the container does not say); a visible label
 *                        asked for longer than this covers the whole video
 * @param audioPackets    audio packets copied bit-exact
 * @param timing          where the time went
 * @param notes           things worth knowing that did not stop the work
 */
public record VideoLabelResult(String format, String encoder, AigcLabel label,
                               Optional<VisibleLabelRenderer.Placement> visible, double visibleSeconds,
                               Optional<String> watermarkPayload, int width, int height, int rotationDegrees,
                               long frames, double durationSeconds, long audioPackets, Timing timing, List<String> notes) {
    public VideoLabelResult {
        notes = List.copyOf(notes);
    }

    /** A label that changed only the container record: the frames and audio were copied, nothing was re-encoded. */
    static VideoLabelResult recordOnly(String format, AigcLabel label, Optional<String> watermarkPayload, long nanos,
                                       List<String> notes) {
        return new VideoLabelResult(format, "", label, Optional.empty(), 0, watermarkPayload, 0, 0, 0, 0, 0, 0,
                new Timing(0, 0, 0, nanos, nanos, 0, 0, 0, 0, 0, 0), notes);
    }

    /** Whether the frames were decoded and encoded again (false when only the container record changed). */
    public boolean reencoded() {
        return !encoder.isEmpty();
    }

    /**
     * Where the time went. Busy (wall) nanoseconds per stage: decoding (demux + decode, on the reading thread),
     * labelling (plane copies + overlay + watermark, on the reading thread), encoding (encode + mux, on the encoder
     * thread; overlaps the other two), the container record step, and the whole call. Wall time of a stage is
     * inflated when threads compete for few cores, so the SDK's share is also given in CPU time:
     * {@code labelCpuNanos} (CPU of the label sections) over {@code processCpuNanos} (CPU of the whole process,
     * FFmpeg's native threads included, during the pass).
     *
     * @param decodeNanos busy time decoding
     * @param labelNanos busy time labelling frames
     * @param encodeNanos busy time encoding and muxing
     * @param containerNanos time writing the container record
     * @param totalNanos time of the whole call
     * @param labelCpuNanos CPU time of the label sections (plane copies, checks, watermark, visible label)
     * @param processCpuNanos CPU time of the whole process during the pass
     * @param watermarkCpuNanos CPU time of the watermark embed, all frames
     * @param visibleCpuNanos CPU time of drawing the visible label, all frames
     * @param visibleFrames frames the visible label was drawn on
     * @param startCheckCpuNanos CPU time of watching the start for a label or mark already there
     */
    public record Timing(long decodeNanos, long labelNanos, long encodeNanos, long containerNanos, long totalNanos,
                         long labelCpuNanos, long processCpuNanos, long watermarkCpuNanos, long visibleCpuNanos,
                         long visibleFrames, long startCheckCpuNanos) {
        /**
         * CPU time of the label sections outside the watermark, the visible label and the start check: copying planes
         * between FFmpeg's frames and the Java arrays the labels work in.
         */
        public long copyCpuNanos() {
            return Math.max(0, labelCpuNanos - watermarkCpuNanos - visibleCpuNanos - startCheckCpuNanos);
        }

        /**
         * Throughput of the pass: {@code frames} over the total time, in frames per second; 0 when no time was
         * measured.
         */
        public double framesPerSecond(long frames) {
            return totalNanos == 0 ? 0 : frames * 1e9 / totalNanos;
        }

        /** Share of the pass's CPU time spent in the SDK's per-frame work (copies, overlay, watermark). */
        public double labelCpuShare() {
            return processCpuNanos <= 0 ? 0 : (double) labelCpuNanos / processCpuNanos;
        }
    }
}
