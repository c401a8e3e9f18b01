package org.aigcmark.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.AigcmarkException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A demuxer plus a decoder for the best video stream of a file. Streams packets: video packets are decoded and each
 * frame handed to a {@link FrameSink}; other packets go to a {@link PacketSink} untouched. Only the decoder's own
 * frame pool is held (a few frames), whatever the length of the video.
 */
final class VideoInput implements AutoCloseable {
    /** Frames decoded by every input in this process: tests check with it that labelling decodes a video once. */
    static final java.util.concurrent.atomic.LongAdder DECODED = new java.util.concurrent.atomic.LongAdder();

    interface FrameSink {
        void frame(AVFrame frame, long pts, double seconds);
    }

    interface PacketSink {
        /** Receives a non-video packet; may take ownership (av_interleaved_write_frame unrefs it). */
        void packet(AVPacket packet);
    }

    /** AV_FRAME_FLAG_CORRUPT (libavutil/frame.h: 1 << 0); not exported as a constant by the preset. */
    private static final int FRAME_FLAG_CORRUPT = 1;

    private final String name;
    private AVFormatContext ic;
    private AVCodecContext dec;
    private AVPacket pkt;
    private AVFrame frame;
    final int videoIndex;
    final AVStream stream;
    final int width;
    final int height;
    final int pixelFormat;
    final AVRational frameRate;
    final int rotationDegrees;
    private long startPts = AV_NOPTS_VALUE;
    private long lastPts = AV_NOPTS_VALUE;
    private long frames;
    private long corruptFrames;
    private double lastSeconds;

    VideoInput(Path file) {
        Ffmpeg.init();
        this.name = file.getFileName().toString();
        if (!Files.isReadable(file)) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + file);
        }
        try {
            ic = new AVFormatContext(null);
            int r = avformat_open_input(ic, file.toString(), null, null);
            if (r < 0) {
                ic = null;
                throw r == AVERROR_INVALIDDATA
                        ? new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, name + " is not a readable video container: " + Ffmpeg.error(r))
                        : Ffmpeg.corrupt(name + " cannot be opened as video", r);
            }
            r = avformat_find_stream_info(ic, (PointerPointer<?>) null);
            if (r < 0) {
                throw Ffmpeg.corrupt(name + ": stream parameters could not be read", r);
            }
            int vi = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (vi < 0) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, name + " has no video stream");
            }
            videoIndex = vi;
            stream = ic.streams(vi);
            AVCodecParameters par = stream.codecpar();
            AVCodec codec = avcodec_find_decoder(par.codec_id());
            if (codec == null || codec.isNull()) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, name + ": no decoder for its video codec ("
                        + avcodec_get_name(par.codec_id()).getString() + ")");
            }
            dec = avcodec_alloc_context3(codec);
            check(avcodec_parameters_to_context(dec, par), "decoder parameters");
            dec.pkt_timebase(stream.time_base());
            dec.thread_count(0); // as many threads as cores
            r = avcodec_open2(dec, codec, (AVDictionary) null);
            if (r < 0) {
                throw Ffmpeg.corrupt(name + ": the video decoder did not open", r);
            }
            width = par.width();
            height = par.height();
            pixelFormat = par.format();
            if (width <= 0 || height <= 0) {
                throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, name + ": the video stream has no picture size");
            }
            frameRate = av_guess_frame_rate(ic, stream, null);
            rotationDegrees = rotationOf(par);
            pkt = av_packet_alloc();
            frame = av_frame_alloc();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Clockwise display rotation from the display matrix (0 when none). */
    private static int rotationOf(AVCodecParameters par) {
        AVPacketSideData sd = displayMatrix(par);
        if (sd == null) {
            return 0;
        }
        double ccw = av_display_rotation_get(new IntPointer(sd.data()));
        if (Double.isNaN(ccw)) {
            return 0;
        }
        int cw = (int) Math.round(-ccw / 90.0) * 90;
        return ((cw % 360) + 360) % 360;
    }

    static AVPacketSideData displayMatrix(AVCodecParameters par) {
        if (par.nb_coded_side_data() <= 0) {
            return null;
        }
        AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        return sd == null || sd.isNull() || sd.size() < 36 ? null : sd;
    }

    AVFormatContext format() {
        return ic;
    }

    String formatName() {
        BytePointer n = ic.iformat().name();
        return n == null ? "" : n.getString();
    }

    double fps() {
        return frameRate.num() > 0 && frameRate.den() > 0 ? av_q2d(frameRate) : 0;
    }

    /** Container or stream duration in seconds; 0 when unknown. */
    double durationSeconds() {
        if (stream.duration() > 0) {
            return stream.duration() * av_q2d(stream.time_base());
        }
        return ic.duration() > 0 ? ic.duration() / (double) AV_TIME_BASE : 0;
    }

    long frames() {
        return frames;
    }

    long corruptFrames() {
        return corruptFrames;
    }

    /** Presentation time of the last decoded frame, from the first. */
    double lastSeconds() {
        return lastSeconds;
    }

    private void check(int r, String what) {
        if (r < 0) {
            throw Ffmpeg.corrupt(name + ": " + what, r);
        }
    }

    /**
     * Reads the whole file once. {@code wantFrame} lets the caller skip decoding work it does not need (null =
     * every frame); video packets are always decoded (the codec needs its references).
     */
    void run(FrameSink frames, PacketSink others) {
        int r;
        while ((r = av_read_frame(ic, pkt)) >= 0) {
            try {
                if (pkt.stream_index() == videoIndex) {
                    decode(pkt, frames);
                } else if (others != null) {
                    others.packet(pkt);
                }
            } finally {
                av_packet_unref(pkt);
            }
        }
        if (r != AVERROR_EOF) {
            throw Ffmpeg.corrupt(name + ": reading the file failed", r);
        }
        decode(null, frames);
        if (this.frames == 0) {
            throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, name + ": no video frame could be decoded");
        }
        if (corruptFrames > 0) {
            throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, name + ": " + corruptFrames
                    + " video frame(s) are damaged (decoder reported errors)");
        }
        double expected = durationSeconds();
        double frameDur = fps() > 0 ? 1 / fps() : 0.04;
        if (expected > 1 && lastSeconds + frameDur < expected * 0.9) {
            throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, String.format(java.util.Locale.ROOT,
                    "%s is truncated: video ends at %.2f s of the %.2f s its header announces", name, lastSeconds + frameDur, expected));
        }
    }

    private void decode(AVPacket p, FrameSink sink) {
        int r = avcodec_send_packet(dec, p);
        if (r < 0 && r != AVERROR_EOF) {
            if (r == AVERROR_INVALIDDATA) {
                corruptFrames++;
                return;
            }
            throw Ffmpeg.corrupt(name + ": video decoding failed", r);
        }
        while (true) {
            r = avcodec_receive_frame(dec, frame);
            if (r == Ffmpeg.AVERROR_EAGAIN || r == AVERROR_EOF) {
                return;
            }
            if (r < 0) {
                if (r == AVERROR_INVALIDDATA) {
                    corruptFrames++;
                    continue;
                }
                throw Ffmpeg.corrupt(name + ": video decoding failed", r);
            }
            try {
                if ((frame.flags() & FRAME_FLAG_CORRUPT) != 0 || frame.decode_error_flags() != 0) {
                    corruptFrames++;
                }
                if (frame.width() != width || frame.height() != height) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, name
                            + ": the picture size changes mid-stream (" + width + "x" + height + " to " + frame.width() + "x" + frame.height() + ")");
                }
                long pts = frame.best_effort_timestamp();
                if (pts == AV_NOPTS_VALUE) {
                    pts = lastPts == AV_NOPTS_VALUE ? 0 : lastPts + 1;
                }
                if (startPts == AV_NOPTS_VALUE) {
                    startPts = pts;
                }
                if (lastPts != AV_NOPTS_VALUE && pts <= lastPts) {
                    pts = lastPts + 1; // encoders need strictly increasing timestamps
                }
                lastPts = pts;
                double seconds = (pts - startPts) * av_q2d(stream.time_base());
                lastSeconds = seconds;
                frames++;
                DECODED.increment();
                sink.frame(frame, pts, seconds);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    @Override
    public void close() {
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (pkt != null) {
            av_packet_free(pkt);
            pkt = null;
        }
        if (dec != null) {
            avcodec_free_context(dec);
            dec = null;
        }
        if (ic != null) {
            avformat_close_input(ic);
            ic = null;
        }
    }
}
