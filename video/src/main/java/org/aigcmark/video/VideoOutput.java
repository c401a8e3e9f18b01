package org.aigcmark.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;

import java.nio.file.Path;
import org.aigcmark.AigcmarkException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * The writing side of a transcode, the counterpart of {@link VideoInput}: a muxer for one file, the video encoder
 * that feeds it, and the encoder's packet. It owns their native memory: {@link #close()} frees whatever was allocated,
 * at whatever step a failure stopped the setup, and may be called more than once.
 *
 * <p>Setup runs in this order: {@link #encoder(String)} (then the caller sets the encoder's fields),
 * {@link #openEncoder(String)} (the encoder and the video stream, stream 0), {@link #addStream()} for each copied
 * stream, {@link #open()} (the file and the container header). The encoder thread ({@link EncoderStage}) then writes
 * through {@link #format()}, {@link #codec()} and {@link #packet()}.
 */
final class VideoOutput implements AutoCloseable {
    private final Path file;
    private AVFormatContext oc;
    private AVCodecContext enc;
    private AVCodec codec;
    private AVPacket pkt;

    /** @param muxer FFmpeg's muxer name ({@link VideoContainer#muxer}) */
    VideoOutput(Path file, String muxer) {
        Ffmpeg.init();
        this.file = file;
        AVFormatContext ctx = new AVFormatContext(null);
        int r = avformat_alloc_output_context2(ctx, null, muxer, file.toString());
        if (r < 0 || ctx.isNull()) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "output container (" + muxer + ") failed: "
                    + Ffmpeg.error(r));
        }
        oc = ctx;
    }

    AVFormatContext format() {
        return oc;
    }

    /** The encoder's context, allocated by {@link #encoder(String)}. */
    AVCodecContext codec() {
        return enc;
    }

    /** The packet the encoder thread receives encoded video into. */
    AVPacket packet() {
        if (pkt == null) {
            pkt = av_packet_alloc();
            if (pkt == null || pkt.isNull()) {
                pkt = null;
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "out of memory allocating a packet");
            }
        }
        return pkt;
    }

    /** Allocates the context of the named encoder, for the caller to set its fields before {@link #openEncoder}. */
    AVCodecContext encoder(String ffmpegName) {
        codec = avcodec_find_encoder_by_name(ffmpegName);
        if (codec == null || codec.isNull()) {
            throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE, ffmpegName + " is not in this FFmpeg build");
        }
        AVCodecContext c = avcodec_alloc_context3(codec);
        if (c == null || c.isNull()) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "out of memory allocating the " + ffmpegName + " encoder");
        }
        enc = c;
        return enc;
    }

    /** Opens the encoder set up through {@link #encoder(String)} and adds the video stream (stream 0) it feeds. */
    AVStream openEncoder(String ffmpegName) {
        if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        int r = avcodec_open2(enc, codec, (AVDictionary) null);
        if (r < 0) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the " + ffmpegName + " encoder did not open: " + Ffmpeg.error(r));
        }
        AVStream vst = addStream();
        check(avcodec_parameters_from_context(vst.codecpar(), enc), "video stream parameters");
        vst.time_base(enc.time_base());
        return vst;
    }

    /** A new output stream, owned by the muxer. */
    AVStream addStream() {
        AVStream s = avformat_new_stream(oc, null);
        if (s == null || s.isNull()) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "out of memory adding an output stream");
        }
        return s;
    }

    /** Opens the file and writes the container header; the streams' time bases are final from here on. */
    void open() {
        AVIOContext pb = new AVIOContext(null);
        int r = avio_open(pb, file.toString(), AVIO_FLAG_WRITE);
        if (r < 0) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write " + file + ": " + Ffmpeg.error(r));
        }
        oc.pb(pb);
        check(avformat_write_header(oc, (AVDictionary) null), "writing the container header");
    }

    private static void check(int r, String what) {
        if (r < 0) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, what + " failed: " + Ffmpeg.error(r));
        }
    }

    @Override
    public void close() {
        if (pkt != null) {
            av_packet_free(pkt);
            pkt = null;
        }
        if (enc != null) {
            avcodec_free_context(enc);
            enc = null;
        }
        if (oc != null) {
            if (oc.pb() != null && !oc.pb().isNull()) {
                avio_closep(oc.pb());
            }
            avformat_free_context(oc);
            oc = null;
        }
    }
}
