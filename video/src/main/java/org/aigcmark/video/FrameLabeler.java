package org.aigcmark.video;

import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.visible.VisibleLabelOptions;
import org.aigcmark.visible.VisibleLabelRenderer;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkOptions;
import org.aigcmark.watermark.WatermarkPayload;

/**
 * Labels video frames as a generator produces them, in their YUV 4:2:0 planes (no file, no RGB round trip): the
 * visible label on every frame whose timestamp is inside the start window (GB 45438 §5.4: the start frame, at least
 * 2 s; optionally the whole video), and the keyed watermark in the luma of every frame.
 *
 * <p>The label is rendered once at construction. Per frame, nothing is allocated once the JIT has compiled the
 * code (tested): the visible label is blended from its pre-rendered alpha, and the watermark is the sdk's
 * {@link ImageWatermarker#embedLuma}, which caches its pattern per payload and reuses per-thread scratch arrays
 * while the frame size stays the same.
 *
 * <p>Not thread-safe: one instance per stream (the file pipeline uses one).
 */
public final class FrameLabeler {
    /** Default start window: 3 s, a margin over the 2 s minimum so a frame-rate change or cut keeps ≥ 2 s. */
    public static final double DEFAULT_VISIBLE_SECONDS = 3.0;
    /** GB 45438 §5.4: the start-frame label stays at least 2 s. */
    public static final double MIN_VISIBLE_SECONDS = 2.0;

    private final int width;
    private final int height;
    private final YuvLabelOverlay overlay;
    private final double visibleSeconds;
    private final ImageWatermarker watermarker;
    private final WatermarkPayload payload;

    private FrameLabeler(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.visibleSeconds = b.visibleSeconds;
        this.overlay = b.visible == null ? null
                : YuvLabelOverlay.render(b.width, b.height, b.rotationDegrees, b.visible, b.fullRange);
        if (b.watermarkKey != null) {
            if (b.payload == null) {
                throw AigcmarkException.invalid("a watermark needs a payload (WatermarkPayload.fromLabel)");
            }
            this.watermarker = ImageWatermarker.create(b.watermarkKey, b.watermarkOptions);
            this.payload = b.payload;
        } else {
            this.watermarker = null;
            this.payload = null;
        }
    }

    /**
     * A builder for frames of {@code width} x {@code height} pixels, as stored (before display rotation).
     *
     * @throws AigcmarkException with {@link org.aigcmark.AigcmarkException.Reason#INVALID_ARGUMENT} unless both sides
     *     are positive and even (4:2:0 chroma)
     */
    public static Builder builder(int width, int height) {
        return new Builder(width, height);
    }

    /**
     * Labels one frame in place. {@code y} has {@code yStride} bytes per row, {@code u}/{@code v} are the 4:2:0
     * chroma planes with {@code uvStride}; {@code seconds} is the frame's presentation time from the start of the
     * video. Returns true when the visible label was drawn on this frame.
     */
    public boolean label(byte[] y, int yStride, byte[] u, byte[] v, int uvStride, double seconds) {
        embedWatermark(y, yStride);
        return drawVisible(y, yStride, u, v, uvStride, seconds);
    }

    /** The watermark step of {@link #label} alone (the file pipeline times the two steps apart). */
    void embedWatermark(byte[] y, int yStride) {
        if (watermarker != null) {
            watermarker.embedLuma(y, width, height, yStride, payload);
        }
    }

    /** The visible-label step of {@link #label} alone; true when the label was drawn. */
    boolean drawVisible(byte[] y, int yStride, byte[] u, byte[] v, int uvStride, double seconds) {
        if (overlay != null && seconds < visibleSeconds) {
            overlay.blendLuma(y, yStride);
            overlay.blendChroma(u, uvStride);
            overlay.blendChroma(v, uvStride);
            return true;
        }
        return false;
    }

    /** Whether {@link #label} changes the luma of a frame at {@code seconds} (callers may skip copying it otherwise). */
    public boolean changesLuma(double seconds) {
        return watermarker != null || changesChroma(seconds);
    }

    /** Whether {@link #label} changes the chroma of a frame at {@code seconds} (only the visible label does). */
    public boolean changesChroma(double seconds) {
        return overlay != null && seconds < visibleSeconds;
    }

    /** The frame width in pixels, as stored. */
    public int width() {
        return width;
    }

    /** The frame height in pixels, as stored. */
    public int height() {
        return height;
    }

    /** Seconds from the start during which the visible label is drawn (infinite for the whole video). */
    public double visibleSeconds() {
        return visibleSeconds;
    }

    /** Where the visible label goes (display coordinates), when there is one. */
    public Optional<VisibleLabelRenderer.Placement> placement() {
        return overlay == null ? Optional.empty() : Optional.of(overlay.placement());
    }

    /** The watermark payload every frame gets, or empty when no watermark was asked for. */
    public Optional<WatermarkPayload> payload() {
        return Optional.ofNullable(payload);
    }

    YuvLabelOverlay overlay() {
        return overlay;
    }

    /**
     * Collects what a {@link FrameLabeler} draws and embeds; nothing is drawn or embedded unless asked. Not
     * thread-safe.
     */
    public static final class Builder {
        private final int width;
        private final int height;
        private int rotationDegrees;
        private boolean fullRange;
        private VisibleLabelOptions visible;
        private double visibleSeconds = DEFAULT_VISIBLE_SECONDS;
        private WatermarkKey watermarkKey;
        private WatermarkPayload payload;
        private WatermarkOptions watermarkOptions = WatermarkOptions.defaults();

        private Builder(int width, int height) {
            if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
                throw AigcmarkException.invalid("YUV 4:2:0 frames need positive even sides, got " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
        }

        /** Clockwise display rotation of the stored frames (0, 90, 180, 270), so the label reads upright. */
        public Builder rotation(int degrees) {
            this.rotationDegrees = degrees;
            return this;
        }

        /** Y in 0..255 (full/JPEG range) instead of 16..235. */
        public Builder fullRange(boolean full) {
            this.fullRange = full;
            return this;
        }

        /** Draws this visible label on the frames of the start window; null (the default) draws none. */
        public Builder visible(VisibleLabelOptions options) {
            this.visible = options;
            return this;
        }

        /** How long the visible label stays from the start; {@link Double#POSITIVE_INFINITY} = the whole video. */
        public Builder visibleSeconds(double seconds) {
            if (!(seconds >= MIN_VISIBLE_SECONDS)) {
                throw AigcmarkException.invalid("GB 45438 §5.4 asks for the start-frame label for at least 2 s, got " + seconds);
            }
            this.visibleSeconds = seconds;
            return this;
        }

        /**
         * Embeds the keyed watermark carrying {@code payload} in every frame's luma. A key without a payload makes
         * {@link #build()} throw {@code INVALID_ARGUMENT}; a null key embeds none.
         */
        public Builder watermark(WatermarkKey key, WatermarkPayload payload) {
            this.watermarkKey = key;
            this.payload = payload;
            return this;
        }

        /** Tunes the watermark; null means {@link WatermarkOptions#defaults()}. */
        public Builder watermarkOptions(WatermarkOptions options) {
            this.watermarkOptions = options == null ? WatermarkOptions.defaults() : options;
            return this;
        }

        /**
         * Renders the visible label once and prepares the watermarker.
         *
         * @return a labeler for one stream
         * @throws AigcmarkException with {@link org.aigcmark.AigcmarkException.Reason#INVALID_ARGUMENT} when a
         *     watermark key was given without a payload, or the label text is not compliant
         */
        public FrameLabeler build() {
            return new FrameLabeler(this);
        }
    }
}
