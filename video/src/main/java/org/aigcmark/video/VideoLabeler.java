package org.aigcmark.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.format.MediaType;
import org.aigcmark.internal.AtomicFiles;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.watermark.WatermarkPayload;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Labels a video file: decode → visible label on the start (≥ 2 s) and keyed watermark in luma, both in the
 * decoder's YUV planes ({@link FrameLabeler}) → H.264 encode → mux with every audio stream's original packets
 * (no audio re-encode, bit-exact) → the Annex E record in the container through the sdk's {@link Labeler}
 * (MP4/MOV {@code moov/udta/meta} mdta key AIGC, MKV SimpleTag), read back → atomic rename.
 *
 * <p>One pass with the FFmpeg C API (through JavaCPP): JavaCV's FFmpegFrameRecorder cannot re-encode video and copy
 * audio packets in the same output. Frames stream through: memory is the decoder's and encoder's frame pools
 * (a few frames) plus three plane buffers. The container step then rewrites the compressed file in memory (bounded
 * by the sdk's {@code aigcmark.maxFileBytes}, 512 MiB by default). On any failure nothing is written at {@code out}.
 */
public final class VideoLabeler {
    private final Labeler labeler;

    private VideoLabeler(Labeler labeler) {
        this.labeler = labeler;
    }

    public static VideoLabeler create() {
        return new VideoLabeler(Labeler.create());
    }

    public static VideoLabeler create(Labeler labeler) {
        return new VideoLabeler(labeler);
    }

    /** Which H.264 encoders this FFmpeg build has ("libx264" only with the GPL classifier). */
    public static List<String> availableEncoders() {
        Ffmpeg.init();
        List<String> names = new ArrayList<>();
        for (String n : new String[] {"libx264", "libopenh264"}) {
            AVCodec c = avcodec_find_encoder_by_name(n);
            if (c != null && !c.isNull()) {
                names.add(n);
            }
        }
        return names;
    }

    /**
     * Refuses to draw a start label over a video whose first seconds already show ours (the requested text and
     * height, and our defaults), as {@code Labeler} does for images: two plates would stack.
     */
    private static void refuseSecondStartLabel(Path in, org.aigcmark.visible.VisibleLabelOptions wanted) {
        var templates = new java.util.LinkedHashSet<org.aigcmark.visible.VisibleLabelOptions>();
        templates.add(wanted.withPosition(org.aigcmark.visible.VisibleLabelOptions.Position.AUTO));
        templates.add(org.aigcmark.visible.VisibleLabelOptions.defaults());
        for (var t : templates) {
            var found = VideoDetector.visibleLabelAtStart(in, t, VideoDetection.START_LABEL_SECONDS);
            if (found.isPresent()) {
                throw AigcmarkException.invalid(in.getFileName() + " already shows a visible label drawn by aigcmark at its start ("
                        + found.get().position() + String.format(java.util.Locale.ROOT, ", correlation %.2f",
                        found.get().bestCorrelation()) + "); a second one would stack two labels. Label without --visible"
                        + " to replace only the metadata record, or add --visible-again (LabelRequest.withVisibleAgain)"
                        + " to draw another anyway");
            }
        }
    }

    /** Labels {@code in} into {@code out} (written atomically; {@code in} untouched unless it is {@code out}). */
    public VideoLabelResult label(Path in, Path out, LabelRequest request, VideoOptions options) {
        long t0 = System.nanoTime();
        AigcLabel label = request.label().requireValid();
        if (request.visible().isPresent() && !request.visibleAgain()) {
            refuseSecondStartLabel(in, request.visible().get());
        }
        // Our mark already in the frames under this key: kept, not embedded again (a second embed erases the first).
        Optional<String> existingMark = request.watermarkKey().flatMap(k -> VideoDetector.start(in,
                org.aigcmark.visible.VisibleLabelOptions.defaults(), List.of(k), 2 * VideoDetection.START_LABEL_SECONDS).watermark()
                .filter(VideoDetection.WatermarkFindings::detected).flatMap(VideoDetection.WatermarkFindings::payloadHex));
        if (existingMark.isPresent()) {
            request = new LabelRequest(request.label(), request.visible(), request.signingKey(), Optional.empty(),
                    request.visibleAgain());
        }
        VideoOptions opts = options == null ? VideoOptions.defaults() : options;
        String container = outputContainer(in);
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write " + out + ": folder " + dir + " does not exist");
        }
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".encoding");
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write in " + dir + ": " + e.getMessage(), e);
        }
        try {
            Transcode t = new Transcode(in, tmp, container, request, label, opts);
            t.run();
            long c0 = System.nanoTime();
            List<String> notes = new ArrayList<>(t.notes);
            existingMark.ifPresent(p -> notes.add("the input already carries the aigcmark watermark under this key (payload "
                    + p + "); it is kept and no second mark is embedded: a second embed would erase it (Measures Art. 10)"));
            AigcLabel written;
            if (container.equals("matroska")) {
                // the sdk reads Matroska but does not rewrite it: FFmpeg's muxer wrote the SimpleTag (TagName AIGC)
                // during the pass; read it back with the sdk's independent reader before publishing the file
                if (request.signingKey().isPresent()) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                            "signed labels (ReservedCode1) are not supported for Matroska output yet; use MP4");
                }
                var report = labeler.inspect(tmp, List.of());
                boolean found = report.labels().stream().anyMatch(l -> l.label().toBareJson().equals(label.toBareJson()));
                if (!found) {
                    throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the AIGC SimpleTag did not read back from the Matroska output");
                }
                AtomicFiles.write(out, o -> Files.copy(tmp, o));
                written = label;
            } else {
                byte[] encoded = labeler.readInput(tmp);
                // metadata only: the pixels are done; the sdk writes the moov/udta/meta record and reads it back
                LabelRequest metaOnly = new LabelRequest(request.label(), Optional.empty(), request.signingKey(), Optional.empty());
                LabelResult r = labeler.label(encoded, out.getFileName().toString(), metaOnly);
                AtomicFiles.write(out, r.bytes());
                notes.addAll(r.notes());
                written = r.label();
            }
            long c1 = System.nanoTime();
            var timing = new VideoLabelResult.Timing(t.decodeNanos(), t.labelNanos, t.encodeNanos, c1 - c0, c1 - t0,
                    t.labelCpuNanos, t.processCpuNanos);
            return new VideoLabelResult(container, t.encoderDescription, written, t.labeler.placement(),
                    t.labeler.visibleSeconds(), existingMark.or(() -> t.labeler.payload().map(WatermarkPayload::hex)), t.width, t.height,
                    t.rotation, t.framesWritten, t.audioPackets, timing, notes);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover hidden temp file is harmless; the output is either complete or absent
            }
        }
    }

    /** MP4/MOV/MKV by magic bytes; anything else is not a video container this module writes. */
    static String outputContainer(Path in) {
        byte[] head = new byte[64];
        int n;
        try (var s = Files.newInputStream(in)) {
            n = s.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + in + ": " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, in.getFileName() + " is empty");
        }
        MediaType type = MediaType.sniff(Arrays.copyOf(head, n));
        return switch (type) {
            case MP4 -> n >= 12 && new String(head, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("qt  ") ? "mov" : "mp4";
            case MKV -> "matroska";
            default -> throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in.getFileName()
                    + " is not an MP4, MOV or Matroska video (detected: " + type.id() + ")");
        };
    }

    /** One decode → label → encode → mux pass. */
    private static final class Transcode {
        final Path in;
        final Path tmp;
        final String container;
        final LabelRequest request;
        final AigcLabel label;
        final VideoOptions opts;
        final List<String> notes = new ArrayList<>();
        FrameLabeler labeler;
        String encoderDescription;
        int width;
        int height;
        int rotation;
        long framesWritten;
        long audioPackets;
        long labelNanos;
        long encodeNanos;
        long loopNanos;
        long waitNanos;
        long labelCpuNanos;
        long processCpuNanos;

        Transcode(Path in, Path tmp, String container, LabelRequest request, AigcLabel label, VideoOptions opts) {
            this.in = in;
            this.tmp = tmp;
            this.container = container;
            this.request = request;
            this.label = label;
            this.opts = opts;
        }

        /** Busy time of the decoding thread outside labelling (waits for the encoder thread excluded). */
        long decodeNanos() {
            return Math.max(0, loopNanos - labelNanos - waitNanos);
        }

        void run() {
            AVFormatContext oc = null;
            AVCodecContext enc = null;
            AVPacket epkt = null;
            try (VideoInput input = new VideoInput(in)) {
                AVCodecParameters ipar = input.stream.codecpar();
                int fmt = input.pixelFormat;
                if (fmt != AV_PIX_FMT_YUV420P && fmt != AV_PIX_FMT_YUVJ420P) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in.getFileName()
                            + ": only 8-bit 4:2:0 video is supported (this one is " + pixFmtName(fmt) + ")");
                }
                width = input.width;
                height = input.height;
                rotation = input.rotationDegrees;
                if (width % 2 != 0 || height % 2 != 0) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in.getFileName()
                            + ": odd picture sizes (" + width + "x" + height + ") are not supported with 4:2:0");
                }
                boolean fullRange = fmt == AV_PIX_FMT_YUVJ420P || ipar.color_range() == AVCOL_RANGE_JPEG;
                FrameLabeler.Builder fb = FrameLabeler.builder(width, height).rotation(rotation).fullRange(fullRange);
                request.visible().ifPresent(v -> fb.visible(v).visibleSeconds(opts.visibleSeconds()));
                request.watermarkKey().ifPresent(k -> fb.watermark(k,
                        WatermarkPayload.fromLabel(k, label.contentProducer(), label.produceId())));
                labeler = fb.build();

                // ---- output container and streams
                oc = new AVFormatContext(null);
                check(avformat_alloc_output_context2(oc, null, container, tmp.toString()), "output container");
                AVCodec codec = pickEncoder(opts.encoder());
                String encName = codec.name().getString();
                enc = avcodec_alloc_context3(codec);
                double fps = input.fps();
                enc.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P);
                enc.time_base(input.stream.time_base());
                if (input.frameRate.num() > 0) {
                    enc.framerate(input.frameRate);
                }
                enc.sample_aspect_ratio(ipar.sample_aspect_ratio());
                enc.color_range(fullRange ? AVCOL_RANGE_JPEG : ipar.color_range());
                enc.color_primaries(ipar.color_primaries());
                enc.color_trc(ipar.color_trc());
                enc.colorspace(ipar.color_space());
                enc.chroma_sample_location(ipar.chroma_location());
                // a keyframe every 2 s: seeking stays cheap and each 2-s detection segment starts clean
                enc.gop_size(fps > 0 ? (int) Math.round(2 * fps) : 50);
                enc.thread_count(0);
                if (encName.equals("libx264")) {
                    av_opt_set(enc.priv_data(), "crf", Integer.toString(opts.crf()), 0);
                    av_opt_set(enc.priv_data(), "preset", opts.preset(), 0);
                    encoderDescription = "libx264 crf " + opts.crf() + " preset " + opts.preset();
                } else {
                    long bitrate = (long) (opts.bitsPerPixel() * width * height * (fps > 0 ? fps : 25));
                    bitrate = Math.max(bitrate, ipar.bit_rate());
                    enc.bit_rate(bitrate);
                    av_opt_set(enc.priv_data(), "rc_mode", "bitrate", 0);
                    encoderDescription = encName + " " + (bitrate / 1000) + " kb/s";
                }
                if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                    enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
                }
                int r = avcodec_open2(enc, codec, (AVDictionary) null);
                if (r < 0) {
                    throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the " + encName + " encoder did not open: " + Ffmpeg.error(r));
                }
                AVStream vst = avformat_new_stream(oc, null);
                check(avcodec_parameters_from_context(vst.codecpar(), enc), "video stream parameters");
                vst.time_base(enc.time_base());
                vst.avg_frame_rate(input.stream.avg_frame_rate());
                vst.disposition(input.stream.disposition());
                copyMetadata(input.stream.metadata(), vst);
                copyDisplayMatrix(ipar, vst.codecpar());

                AVFormatContext ic = input.format();
                int[] outIndex = new int[ic.nb_streams()];
                Arrays.fill(outIndex, -1);
                int dropped = 0;
                for (int i = 0; i < ic.nb_streams(); i++) {
                    AVStream s = ic.streams(i);
                    if (i == input.videoIndex) {
                        continue;
                    }
                    if (s.codecpar().codec_type() != AVMEDIA_TYPE_AUDIO) {
                        dropped++;
                        continue;
                    }
                    if (avformat_query_codec(oc.oformat(), s.codecpar().codec_id(), FF_COMPLIANCE_NORMAL) != 1) {
                        throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in.getFileName() + ": audio codec "
                                + avcodec_get_name(s.codecpar().codec_id()).getString() + " cannot be copied into " + container);
                    }
                    AVStream as = avformat_new_stream(oc, null);
                    check(avcodec_parameters_copy(as.codecpar(), s.codecpar()), "audio stream parameters");
                    as.codecpar().codec_tag(0);
                    as.time_base(s.time_base());
                    as.disposition(s.disposition());
                    copyMetadata(s.metadata(), as);
                    outIndex[i] = as.index();
                }
                if (dropped > 0) {
                    notes.add(dropped + " non-audio, non-video stream(s) (subtitles, data, extra video) were not copied");
                }
                if (ic.metadata() != null && !ic.metadata().isNull()) {
                    AVDictionary md = new AVDictionary(null);
                    av_dict_copy(md, ic.metadata(), 0);
                    av_dict_set(md, "encoder", (String) null, 0);
                    oc.metadata(md);
                }
                if (container.equals("matroska")) {
                    AVDictionary md = oc.metadata() == null || oc.metadata().isNull() ? new AVDictionary(null) : oc.metadata();
                    av_dict_set(md, "AIGC", label.toBareJson(), 0);
                    oc.metadata(md);
                }
                AVIOContext pb = new AVIOContext(null);
                r = avio_open(pb, tmp.toString(), AVIO_FLAG_WRITE);
                if (r < 0) {
                    throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write " + tmp + ": " + Ffmpeg.error(r));
                }
                oc.pb(pb);
                check(avformat_write_header(oc, (AVDictionary) null), "writing the container header");

                // ---- the pass: this thread demuxes, decodes and labels; an encoder thread encodes and muxes, so
                // decoding and encoding overlap (as in the ffmpeg CLI). A few frame slots bound the memory.
                epkt = av_packet_alloc();
                byte[] y = new byte[width * height];
                byte[] u = new byte[(width / 2) * (height / 2)];
                byte[] v = new byte[u.length];
                EncoderStage stage = new EncoderStage(oc, enc, epkt, width, height);
                // output time bases are fixed once the header is written; read them here, not from the muxer the
                // encoder thread is using
                org.bytedeco.ffmpeg.avutil.AVRational[] outTimeBase = new org.bytedeco.ffmpeg.avutil.AVRational[oc.nb_streams()];
                for (int i = 0; i < outTimeBase.length; i++) {
                    outTimeBase[i] = oc.streams(i).time_base();
                }
                long expected = Math.round(input.durationSeconds() * fps);
                long loopStart = System.nanoTime();
                var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                long cpuStart = os.getProcessCpuTime();
                Thread encoderThread = new Thread(stage, "aigcmark-video-encoder");
                encoderThread.setDaemon(true);
                encoderThread.start();
                try {
                    input.run((frame, pts, seconds) -> {
                        long a = System.nanoTime();
                        long cpuA = threads.getCurrentThreadCpuTime();
                        // planes the labels do not touch go decoder -> encoder natively, without the Java round trip
                        boolean luma = labeler.changesLuma(seconds);
                        boolean chroma = labeler.changesChroma(seconds);
                        if (luma) {
                            copyIn(frame, 0, y, width, height);
                        }
                        if (chroma) {
                            copyIn(frame, 1, u, width / 2, height / 2);
                            copyIn(frame, 2, v, width / 2, height / 2);
                        }
                        labeler.label(y, width, u, v, width / 2, seconds);
                        long b = System.nanoTime();
                        AVFrame slot = stage.takeFreeSlot();
                        long c = System.nanoTime();
                        check(av_frame_make_writable(slot), "frame buffer");
                        if (luma) {
                            copyOut(y, slot, 0, width, height);
                        } else {
                            copyPlane(frame, slot, 0, width, height);
                        }
                        if (chroma) {
                            copyOut(u, slot, 1, width / 2, height / 2);
                            copyOut(v, slot, 2, width / 2, height / 2);
                        } else {
                            copyPlane(frame, slot, 1, width / 2, height / 2);
                            copyPlane(frame, slot, 2, width / 2, height / 2);
                        }
                        slot.pts(pts);
                        long d = System.nanoTime();
                        labelCpuNanos += threads.getCurrentThreadCpuTime() - cpuA; // the slot wait is sleeping, not CPU
                        stage.submit(EncoderStage.Item.frame(slot));
                        long e = System.nanoTime();
                        labelNanos += (b - a) + (d - c);
                        waitNanos += (c - b) + (e - d);
                        framesWritten++;
                        if (opts.progress() != null) {
                            opts.progress().frames(framesWritten, expected);
                        }
                    }, packet -> {
                        int to = outIndex[packet.stream_index()];
                        if (to < 0) {
                            return;
                        }
                        AVPacket copy = av_packet_clone(packet);
                        if (copy == null || copy.isNull()) {
                            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "out of memory copying an audio packet");
                        }
                        av_packet_rescale_ts(copy, ic.streams(packet.stream_index()).time_base(), outTimeBase[to]);
                        copy.stream_index(to);
                        copy.pos(-1);
                        long a = System.nanoTime();
                        stage.submit(EncoderStage.Item.packet(copy));
                        waitNanos += System.nanoTime() - a;
                        audioPackets++;
                    });
                    stage.submit(EncoderStage.Item.END);
                    encoderThread.join();
                    stage.rethrow();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "interrupted while labelling " + in.getFileName());
                } finally {
                    if (encoderThread.isAlive()) {
                        encoderThread.interrupt();
                        try {
                            encoderThread.join();
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    stage.freeSlots();
                }
                encodeNanos = stage.busyNanos;
                processCpuNanos = os.getProcessCpuTime() - cpuStart;
                loopNanos = System.nanoTime() - loopStart;
            } finally {
                if (epkt != null) {
                    av_packet_free(epkt);
                }
                if (enc != null) {
                    avcodec_free_context(enc);
                }
                if (oc != null) {
                    if (oc.pb() != null && !oc.pb().isNull()) {
                        avio_closep(oc.pb());
                    }
                    avformat_free_context(oc);
                }
            }
        }

        private void check(int r, String what) {
            if (r < 0) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, what + " failed: " + Ffmpeg.error(r));
            }
        }
    }

    private static AVCodec pickEncoder(VideoOptions.Encoder choice) {
        AVCodec x264 = avcodec_find_encoder_by_name("libx264");
        AVCodec openh264 = avcodec_find_encoder_by_name("libopenh264");
        boolean hasX264 = x264 != null && !x264.isNull();
        boolean hasOpen = openh264 != null && !openh264.isNull();
        switch (choice) {
            case X264 -> {
                if (!hasX264) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE, "libx264 is only in the GPL FFmpeg build:"
                            + " build the video module with -Dffmpeg.classifier=linux-x86_64-gpl");
                }
                return x264;
            }
            case OPENH264 -> {
                if (!hasOpen) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE, "libopenh264 is not in this FFmpeg build");
                }
                return openh264;
            }
            default -> {
                if (hasX264) {
                    return x264;
                }
                if (hasOpen) {
                    return openh264;
                }
                throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE, "this FFmpeg build has no H.264 encoder");
            }
        }
    }

    /** Copies one plane of a decoded frame into a packed array (rows of {@code w} bytes). */
    static void copyIn(AVFrame f, int plane, byte[] dst, int w, int h) {
        BytePointer src = f.data(plane);
        int ls = f.linesize(plane);
        if (ls == w) {
            src.position(0).get(dst, 0, w * h);
        } else {
            for (int row = 0; row < h; row++) {
                src.position((long) row * ls).get(dst, row * w, w);
            }
        }
    }

    static void copyPlane(AVFrame from, AVFrame to, int plane, int w, int h) {
        av_image_copy_plane(to.data(plane), to.linesize(plane), from.data(plane), from.linesize(plane), w, h);
    }

    static void copyOut(byte[] srcArr, AVFrame f, int plane, int w, int h) {
        BytePointer dst = f.data(plane);
        int ls = f.linesize(plane);
        if (ls == w) {
            dst.position(0).put(srcArr, 0, w * h);
        } else {
            for (int row = 0; row < h; row++) {
                dst.position((long) row * ls).put(srcArr, row * w, w);
            }
        }
    }

    private static void copyMetadata(AVDictionary from, AVStream to) {
        if (from == null || from.isNull()) {
            return;
        }
        AVDictionary md = new AVDictionary(null);
        av_dict_copy(md, from, 0);
        av_dict_set(md, "encoder", (String) null, 0);
        to.metadata(md);
    }

    /** Keeps the display rotation: the display matrix lives in the stream's coded side data (FFmpeg ≥ 6.1). */
    private static void copyDisplayMatrix(AVCodecParameters from, AVCodecParameters to) {
        AVPacketSideData sd = VideoInput.displayMatrix(from);
        if (sd == null) {
            return;
        }
        PointerPointer<?> list = new PointerPointer<>(Ffmpeg.fieldOf(to, AVCodecParameters.class, "coded_side_data"));
        IntPointer count = new IntPointer(Ffmpeg.fieldOf(to, AVCodecParameters.class, "nb_coded_side_data"));
        AVPacketSideData added = av_packet_side_data_new(list, count, AV_PKT_DATA_DISPLAYMATRIX, sd.size(), 0);
        if (added == null || added.isNull()) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "could not keep the display rotation");
        }
        Pointer.memcpy(added.data(), sd.data(), sd.size());
    }

    private static String pixFmtName(int fmt) {
        BytePointer n = av_get_pix_fmt_name(fmt);
        return n == null || n.isNull() ? Integer.toString(fmt) : n.getString().toLowerCase(Locale.ROOT);
    }
}
