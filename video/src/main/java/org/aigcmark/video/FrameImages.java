package org.aigcmark.video;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.aigcmark.AigcmarkException;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns decoded frames into the {@link BufferedImage}s that pixel checks take, as displayed (display rotation
 * applied). One converter holds one native BGR buffer and one or two images, reused for every frame: the image
 * handed out is overwritten by the next call, so callers must be done with it by then.
 */
final class FrameImages implements AutoCloseable {
    private final int width;
    private final int height;
    private final int rotationDegrees;
    private SwsContext sws;
    private final BytePointer bgr;
    private final PointerPointer<BytePointer> dst;
    private final IntPointer dstStride;
    private final BufferedImage stored;
    private final BufferedImage shown;
    private int configuredFormat = -1;

    FrameImages(int width, int height, int rotationDegrees) {
        this.width = width;
        this.height = height;
        this.rotationDegrees = ((rotationDegrees % 360) + 360) % 360;
        this.bgr = new BytePointer((long) width * height * 3);
        this.dst = new PointerPointer<>(bgr, null, null, null);
        this.dstStride = new IntPointer(width * 3, 0, 0, 0);
        this.stored = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        this.shown = this.rotationDegrees == 0 ? stored : this.rotationDegrees == 180
                ? new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR)
                : new BufferedImage(height, width, BufferedImage.TYPE_3BYTE_BGR);
    }

    /** The frame as shown (rotated by the display matrix), in an image reused by the next call. */
    BufferedImage toImage(AVFrame frame) {
        int format = frame.format();
        if (sws == null || format != configuredFormat) {
            sws = sws_getCachedContext(sws, width, height, format, width, height, AV_PIX_FMT_BGR24, SWS_BILINEAR,
                    null, null, (DoublePointer) null);
            if (sws == null || sws.isNull()) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                        "frames in pixel format " + format + " cannot be converted to RGB");
            }
            // The stream's matrix when tagged; untagged HD is nearly always BT.709, untagged SD BT.601.
            int space = frame.colorspace();
            int coefficients = space != AVCOL_SPC_UNSPECIFIED ? space : height >= 720 ? SWS_CS_ITU709 : SWS_CS_DEFAULT;
            sws_setColorspaceDetails(sws, sws_getCoefficients(coefficients), frame.color_range() == AVCOL_RANGE_JPEG ? 1 : 0,
                    sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
            configuredFormat = format;
        }
        sws_scale(sws, frame.data(), frame.linesize(), 0, height, dst, dstStride);
        byte[] pixels = ((DataBufferByte) stored.getRaster().getDataBuffer()).getData();
        bgr.position(0).get(pixels, 0, pixels.length);
        return rotationDegrees == 0 ? stored : rotate();
    }

    /** Clockwise rotation of {@code stored} into {@code shown}. */
    private BufferedImage rotate() {
        byte[] src = ((DataBufferByte) stored.getRaster().getDataBuffer()).getData();
        byte[] out = ((DataBufferByte) shown.getRaster().getDataBuffer()).getData();
        int sw = shown.getWidth();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int tx;
                int ty;
                switch (rotationDegrees) {
                    case 90 -> { tx = height - 1 - y; ty = x; }
                    case 180 -> { tx = width - 1 - x; ty = height - 1 - y; }
                    default -> { tx = y; ty = width - 1 - x; } // 270
                }
                int s = (y * width + x) * 3;
                int d = (ty * sw + tx) * 3;
                out[d] = src[s];
                out[d + 1] = src[s + 1];
                out[d + 2] = src[s + 2];
            }
        }
        return shown;
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        dst.close();
        dstStride.close();
        bgr.close();
    }
}
