package org.aigcmark.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aigcmark.AigcmarkException;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * The encoding half of the pipeline, on its own thread: encodes labelled frames (H.264, VP9, VP8 or AV1) and is the
 * only writer of the muxer (audio packets come through the same queue, so interleaving stays single-threaded). Frames
 * travel in a fixed set of {@link #SLOTS} encoder frames: the decoding side blocks when all are in flight, which
 * bounds memory.
 *
 * <p>{@link #close()} stops the thread (and waits for it) before it frees the frame slots and any packet still
 * queued, so no path, failure or not, frees memory the encoder is using or leaks what was handed over.
 */
final class EncoderStage implements Runnable, AutoCloseable {
    static final int SLOTS = 4;

    record Item(AVFrame frame, AVPacket packet, boolean end) {
        static final Item END = new Item(null, null, true);

        static Item frame(AVFrame f) {
            return new Item(f, null, false);
        }

        static Item packet(AVPacket p) {
            return new Item(null, p, false);
        }
    }

    private final AVFormatContext oc;
    private final AVCodecContext enc;
    private final AVPacket pkt;
    private final BlockingQueue<Item> work = new ArrayBlockingQueue<>(64);
    private final BlockingQueue<AVFrame> free = new ArrayBlockingQueue<>(SLOTS);
    private final AVFrame[] all = new AVFrame[SLOTS];
    private volatile RuntimeException failure;
    private volatile boolean finished;
    private Thread thread;
    long busyNanos;

    /** The muxer, encoder and packet of {@code out}, which must outlive this stage. */
    EncoderStage(VideoOutput out, int width, int height) {
        this.oc = out.format();
        this.enc = out.codec();
        this.pkt = out.packet();
        for (int i = 0; i < SLOTS; i++) {
            AVFrame f = av_frame_alloc();
            if (f == null || f.isNull()) {
                freeSlots();
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "out of memory allocating a frame");
            }
            all[i] = f;
            f.format(AV_PIX_FMT_YUV420P).width(width).height(height);
            int r = av_frame_get_buffer(f, 0);
            if (r < 0) {
                freeSlots();
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "frame buffer: " + Ffmpeg.error(r));
            }
            free.add(f);
        }
    }

    /** A frame slot to fill; blocks while the encoder is behind. */
    AVFrame takeFreeSlot() {
        try {
            while (true) {
                AVFrame f = free.poll(100, TimeUnit.MILLISECONDS);
                if (f != null) {
                    return f;
                }
                rethrowIfStopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "interrupted");
        }
    }

    /** Starts the encoder thread. */
    void start() {
        thread = new Thread(this, "aigcmark-video-encoder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a filled frame slot ({@link #takeFreeSlot()}) to the encoder. */
    void submitFrame(AVFrame slot) {
        submit(Item.frame(slot));
    }

    /** Hands a packet to the muxer; takes ownership: it is freed once written, or here if it cannot be queued. */
    void submitPacket(AVPacket packet) {
        try {
            submit(Item.packet(packet));
        } catch (RuntimeException e) {
            av_packet_free(packet);
            throw e;
        }
    }

    /** Flushes the encoder, writes the trailer, waits for the thread; throws what the encoder thread failed with. */
    void finish() throws InterruptedException {
        submit(Item.END);
        thread.join();
        rethrow();
    }

    private void submit(Item item) {
        try {
            // a stopped encoder takes nothing more: what would sit in the queue after its last drain would leak
            rethrowIfStopped();
            while (!work.offer(item, 100, TimeUnit.MILLISECONDS)) {
                rethrowIfStopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "interrupted");
        }
    }

    private void rethrowIfStopped() {
        rethrow();
        if (finished) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the encoder stopped early");
        }
    }

    void rethrow() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                Item it = work.take();
                long t = System.nanoTime();
                if (it.end()) {
                    encode(null);
                    check(av_write_trailer(oc), "finishing the container");
                    busyNanos += System.nanoTime() - t;
                    return;
                }
                if (it.frame() != null) {
                    encode(it.frame());
                    free.add(it.frame()); // the encoder keeps its own reference if it needs the picture later
                } else {
                    AVPacket p = it.packet();
                    try {
                        check(av_interleaved_write_frame(oc, p), "writing an audio packet");
                    } finally {
                        av_packet_free(p);
                    }
                }
                busyNanos += System.nanoTime() - t;
            }
        } catch (InterruptedException e) {
            // the decoding side failed and stopped us
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            finished = true;
            freeQueuedPackets();
        }
    }

    private void encode(AVFrame f) {
        int r = avcodec_send_frame(enc, f);
        if (r < 0) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "encoding failed: " + Ffmpeg.error(r));
        }
        while (true) {
            r = avcodec_receive_packet(enc, pkt);
            if (r == Ffmpeg.AVERROR_EAGAIN || r == AVERROR_EOF) {
                return;
            }
            if (r < 0) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "encoding failed: " + Ffmpeg.error(r));
            }
            av_packet_rescale_ts(pkt, enc.time_base(), oc.streams(0).time_base());
            pkt.stream_index(0);
            check(av_interleaved_write_frame(oc, pkt), "writing a video packet");
        }
    }

    private static void check(int r, String what) {
        if (r < 0) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, what + " failed: " + Ffmpeg.error(r));
        }
    }

    /**
     * Stops the encoder thread if it still runs and waits for it (an interrupt of this thread meanwhile is kept for
     * later: the natives must not be freed under the encoder), then frees the queued packets and the frame slots.
     */
    @Override
    public void close() {
        if (thread != null) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                thread.interrupt();
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        freeQueuedPackets();
        freeSlots();
    }

    /** Packets still queued were handed over (cloned) for the muxer: free them. */
    private void freeQueuedPackets() {
        Item it;
        while ((it = work.poll()) != null) {
            if (it.packet() != null) {
                av_packet_free(it.packet());
            }
        }
    }

    private void freeSlots() {
        for (int i = 0; i < all.length; i++) {
            if (all[i] != null) {
                av_frame_free(all[i]);
                all[i] = null;
            }
        }
    }
}
