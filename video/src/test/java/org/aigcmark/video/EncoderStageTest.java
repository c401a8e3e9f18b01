package org.aigcmark.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native memory of the transcode's writing side ({@link VideoOutput}, {@link EncoderStage}) is freed on the failure
 * paths too. Uses the bundled FFmpeg only (no external program).
 */
class EncoderStageTest {
    @TempDir
    Path dir;

    /** An H.264 encoder for a small picture, opened, with the MP4 header written. */
    private VideoOutput openedOutput() {
        VideoOutput out = new VideoOutput(dir.resolve("out.mp4"), VideoContainer.MP4.muxer);
        try {
            VideoOptions.Encoder e = VideoContainer.MP4.chooseEncoder(VideoOptions.Encoder.AUTO, VideoLabeler::buildHas);
            AVCodecContext enc = out.encoder(e.ffmpegName);
            enc.width(64).height(64).pix_fmt(AV_PIX_FMT_YUV420P).time_base(av_make_q(1, 25)).framerate(av_make_q(25, 1));
            enc.bit_rate(200_000);
            out.openEncoder(e.ffmpegName);
            out.open();
            return out;
        } catch (RuntimeException ex) {
            out.close();
            throw ex;
        }
    }

    @Test
    void packetsHandedOverAfterTheEncoderThreadFailedAreFreedNotLeaked() {
        List<AVPacket> handedOver = new ArrayList<>();
        try (VideoOutput out = openedOutput(); EncoderStage stage = new EncoderStage(out, 64, 64)) {
            stage.start();
            AVPacket bad = av_packet_alloc();
            bad.stream_index(7); // no such stream: the muxer refuses it and the encoder thread stops on it
            handedOver.add(bad);
            stage.submitPacket(bad);
            // the decoding side goes on handing packets over until it hears of the failure
            AigcmarkException failure = assertThrows(AigcmarkException.class, () -> {
                for (int i = 0; i < 10_000; i++) {
                    AVPacket p = av_packet_alloc();
                    p.stream_index(7);
                    handedOver.add(p);
                    stage.submitPacket(p);
                }
            });
            assertTrue(failure.getMessage().contains("writing an audio packet"), failure.getMessage());
        }
        // every packet was freed: by the encoder thread, by the stage when it refused it, or by close() from the queue
        // (av_packet_free sets the pointer it is given to NULL)
        for (int i = 0; i < handedOver.size(); i++) {
            assertTrue(handedOver.get(i).isNull(), "packet " + i + " of " + handedOver.size() + " was not freed");
        }
    }

    @Test
    void closeIsIdempotentAndFreesAHalfSetUpOutput() {
        VideoOutput out = new VideoOutput(dir.resolve("half.mp4"), VideoContainer.MP4.muxer);
        VideoOptions.Encoder e = VideoContainer.MP4.chooseEncoder(VideoOptions.Encoder.AUTO, VideoLabeler::buildHas);
        out.encoder(e.ffmpegName); // allocated, never opened: the failure paths leave it like this
        out.close();
        out.close();
        assertEquals(null, out.format());
        assertEquals(null, out.codec());

        VideoOutput opened = openedOutput();
        EncoderStage stage = new EncoderStage(opened, 64, 64);
        stage.start();
        stage.close(); // stops the idle encoder thread before freeing its slots
        stage.close();
        opened.close();
        opened.close();
    }

    @Test
    void anUnknownMuxerIsATypedErrorNotACrashWhileCleaningUp() {
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> new VideoOutput(dir.resolve("x.bin"), "no-such-muxer").close());
        assertEquals(AigcmarkException.Reason.INTERNAL, e.reason());
        assertTrue(e.getMessage().contains("no-such-muxer"), e.getMessage());
    }
}
