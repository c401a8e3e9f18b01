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
import org.aigcmark.io.AtomicFiles;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.watermark.WatermarkPayload;
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
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Labels a video file: decode → visible label on the start (≥ 2 s) and keyed watermark in luma, both in the
 * decoder's YUV planes ({@link FrameLabeler}) → encode (H.264 for MP4/MOV/Matroska, VP9/VP8/AV1 for WebM) → mux
 * into the input's container with every audio stream's original packets (no audio re-encode, bit-exact) → the
 * Annex E record in the container through the sdk's {@link Labeler} (MP4/MOV {@code moov/udta/meta} mdta key AIGC,
 * Matroska/WebM SimpleTag), read back → atomic rename.
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

    /** A video labeller over the sdk's default {@link Labeler} (the container record is written by it). */
    public static VideoLabeler create() {
        return new VideoLabeler(Labeler.create());
    }

    /** A video labeller whose container record goes through {@code labeler} (its registry and limits). */
    public static VideoLabeler create(Labeler labeler) {
        return new VideoLabeler(labeler);
    }

    /**
     * Which of the video encoders the pipeline drives this FFmpeg build has, by FFmpeg name ("libx264" only with
     * the GPL classifier; the default LGPL build has libopenh264, libvpx-vp9, libvpx and libsvtav1).
     */
    public static List<String> availableEncoders() {
        List<String> names = new ArrayList<>();
        for (VideoOptions.Encoder e : VideoOptions.Encoder.values()) {
            if (e != VideoOptions.Encoder.AUTO && buildHas(e.ffmpegName)) {
                names.add(e.ffmpegName);
            }
        }
        return names;
    }

    /** Frames this process has watermarked: how much vector kernels compiled now would still be worth. */
    private static final java.util.concurrent.atomic.LongAdder FRAMES_MARKED = new java.util.concurrent.atomic.LongAdder();
    /**
     * Frames after which the Vector API watermark kernels have repaid their compilation: in a fresh process the first
     * 1080p frame through them costs ~1.1 s of CPU (~2.4 s with the JIT's threads) while they are compiled. Warm, the
     * embed of a 1080p frame costs 2.5 ms with them against 12 ms with the plain loops since the watermark's layout 2
     * (its flat-floor search runs in both; it was 0.7 against 4.6 ms before, hence 600 frames then): 2.4 s / 9.5 ms
     * is ~250 frames (measured 2026-12-07, issue 19).
     */
    static final long VECTOR_PAYBACK_FRAMES = 250;

    /**
     * System property that fixes the watermark kernels of the file pipeline ({@code vector} or {@code scalar}; the
     * results are bit-identical), whatever the video's length: for measuring the two in fresh processes
     * (docs/VIDEO.md, fourth round) and for a process that knows it will label much more than this one video.
     */
    static final String KERNELS_PROPERTY = "aigcmark.video.kernels";

    /**
     * The watermark kernels for a video of {@code expectedFrames}: the plain loops until this process has watermarked
     * {@link #VECTOR_PAYBACK_FRAMES} frames (this video's included), then the Vector API ones, used directly (results
     * are bit-identical). The sdk's AUTO choice warms the vector kernels on a thread of its own, which costs a fresh
     * process several seconds of CPU on small rows before it switches; a video's 1080-row frames compile them faster.
     */
    static org.aigcmark.watermark.WatermarkOptions.Kernels embedKernels(long expectedFrames) {
        String told = System.getProperty(KERNELS_PROPERTY, "");
        if (told.equals("vector")) {
            return org.aigcmark.watermark.WatermarkOptions.Kernels.VECTOR;
        }
        if (told.equals("scalar")) {
            return org.aigcmark.watermark.WatermarkOptions.Kernels.SCALAR;
        }
        return FRAMES_MARKED.sum() + expectedFrames >= VECTOR_PAYBACK_FRAMES
                ? org.aigcmark.watermark.WatermarkOptions.Kernels.VECTOR : org.aigcmark.watermark.WatermarkOptions.Kernels.SCALAR;
    }

    static boolean buildHas(String encoderName) {
        Ffmpeg.init();
        AVCodec c = avcodec_find_encoder_by_name(encoderName);
        return c != null && !c.isNull();
    }

    /**
     * The visible labels a start label must not be drawn over (as {@code Labeler} refuses for images: two plates
     * would stack): the requested text and height, and our defaults; none when no start label is drawn or the
     * caller asked to draw another anyway.
     */
    private static List<org.aigcmark.visible.VisibleLabelOptions> labelsNotToStack(LabelRequest request) {
        if (request.visible().isEmpty() || request.visibleAgain()) {
            return List.of();
        }
        var templates = new java.util.LinkedHashSet<org.aigcmark.visible.VisibleLabelOptions>();
        templates.add(request.visible().get().withPosition(org.aigcmark.visible.VisibleLabelOptions.Position.AUTO));
        templates.add(org.aigcmark.visible.VisibleLabelOptions.defaults());
        return List.copyOf(templates);
    }

    /** The pass met our mark under the labelling key in the input's frames: it stops, and labelling goes on without one. */
    private static final class MarkAlreadyThere extends RuntimeException {
        final String payload;

        MarkAlreadyThere(String payload) {
            super(null, null, false, false);
            this.payload = payload;
        }
    }

    /**
     * The input already carries our mark under this key and no visible label is asked for: nothing left to draw, and
     * re-encoding would only cost the frames a generation of quality, so only the container record changes, as for a
     * metadata-only label.
     */
    private VideoLabelResult recordOnly(Path in, Path out, LabelRequest request, VideoContainer container,
                                        Optional<String> existingMark, long t0) {
        LabelRequest metaOnly = new LabelRequest(request.label(), Optional.empty(), request.signingKey(), Optional.empty(),
                false, Optional.empty());
        LabelResult r = labeler.label(in, out, metaOnly);
        List<String> notes = new ArrayList<>();
        notes.add("the input already carries the aigcmark watermark under this key (payload " + existingMark.get()
                + "); it is kept, and with nothing else to draw the frames are not re-encoded: only the container"
                + " record changed");
        notes.addAll(r.notes());
        if (request.c2pa().isPresent()) {
            notes.add(signC2pa(out, r.label(), existingMark, false, request.c2pa().get()));
        }
        return VideoLabelResult.recordOnly(container.muxer, r.label(), existingMark, System.nanoTime() - t0, notes);
    }

    /**
     * Adds the signed C2PA manifest to the labelled MP4/MOV {@code out} (after its record, so the hard binding covers
     * it), with the frames' watermark {@code payload} as a {@code c2pa.soft-binding} (and {@code c2pa.watermarked.bound}
     * when {@code embeddedNow}); the store must validate against the file (trust aside) and the record read back.
     * Returns the note that names the manifest.
     */
    private String signC2pa(Path out, AigcLabel label, Optional<String> payload, boolean embeddedNow,
                            org.aigcmark.format.c2pa.C2paSigning signing) {
        byte[] bytes;
        try {
            labeler.limits().checkBytes(Files.size(out), out.toString());
            bytes = Files.readAllBytes(out);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot read back " + out + ": " + e.getMessage(), e);
        }
        var manifest = org.aigcmark.format.c2pa.C2paManifestBuilder.forLabel(label);
        if (payload.isPresent()) {
            manifest = manifest.withWatermark(payload.get(), embeddedNow);
        }
        var signed = org.aigcmark.format.c2pa.C2paSigner.sign(bytes, manifest, signing);
        AtomicFiles.write(out, signed.bytes());
        org.aigcmark.InspectReport check = labeler.inspect(out, List.of());
        boolean intact = check.c2paManifests().size() == 1 && check.c2paManifests().get(0).validation().status()
                == org.aigcmark.format.c2pa.C2paValidator.Status.UNTRUSTED;
        if (!intact || check.labels().stream().noneMatch(l -> l.label().equals(label))) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "read-back of the C2PA manifest just written into "
                    + out + " failed");
        }
        return "C2PA manifest " + signed.manifestLabel() + " signed by " + signing.chain().get(0).getSubjectX500Principal().getName()
                + (payload.isPresent() ? "; the frames' watermark is its soft binding (payload " + payload.get() + ")" : "");
    }

    /** Labels {@code in} into {@code out} (written atomically; {@code in} untouched unless it is {@code out}). */
    public VideoLabelResult label(Path in, Path out, LabelRequest request, VideoOptions options) {
        long t0 = System.nanoTime();
        AigcLabel label = request.label().requireValid();
        if (request.c2pa().isPresent()) {
            // refused before any decoding: the sdk writes C2PA manifests into MP4/MOV, not Matroska/WebM
            VideoContainer c = VideoContainer.of(in);
            if (c != VideoContainer.MP4 && c != VideoContainer.MOV) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in.getFileName() + ": C2PA"
                        + " manifests are written into MP4/MOV video only (a Matroska/WebM output has no C2PA embedding yet)");
            }
        }
        // Another producer's signed record is not replaced (Measures Art. 10): refused before anything is decoded.
        labeler.requireReplaceableRecord(in, request);
        VideoOptions opts = options == null ? VideoOptions.defaults() : options;
        // everything that can be refused without decoding is refused here, before a byte is written
        VideoContainer container = VideoContainer.of(in);
        container.checkOutputName(out);
        VideoOptions.Encoder encoder = container.chooseEncoder(opts.encoder(), VideoLabeler::buildHas);
        if (opts.crf().isPresent()) {
            encoder.crf(opts.crf());
        }
        AtomicFiles.requireWritable(out, null);
        Path dir = out.toAbsolutePath().getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".encoding");
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write in " + dir + ": " + e.getMessage(), e);
        }
        try {
            // Our start label already in the frames: refused. Our mark already there under this key: kept, not
            // embedded again (a second embed erases the first). The pass itself watches for both (StartCheck), so
            // the video is decoded once; in the rare case of a mark found, the pass starts over without embedding.
            Optional<String> found = Optional.empty();
            Transcode pass = new Transcode(in, tmp, container, encoder, request, label, opts, labelsNotToStack(request),
                    request.watermarkKey());
            try {
                pass.run();
            } catch (MarkAlreadyThere m) {
                found = Optional.of(m.payload);
                request = new LabelRequest(request.label(), request.visible(), request.signingKey(), Optional.empty(),
                        request.visibleAgain(), request.c2pa());
                if (request.visible().isEmpty()) {
                    return recordOnly(in, out, request, container, found, t0);
                }
                pass = new Transcode(in, tmp, container, encoder, request, label, opts, List.of(), Optional.empty());
                pass.run();
            }
            Transcode t = pass;
            Optional<String> existingMark = found;
            long c0 = System.nanoTime();
            List<String> notes = new ArrayList<>(t.notes);
            if (!labeler.inspect(in, List.of()).c2pa().isEmpty()) {
                // FFmpeg writes a new container: the input's manifest store does not come along, which must not be silent
                notes.add("warning: the input's C2PA manifest is not carried into the re-encoded video (FFmpeg writes a new"
                        + " container), so this copy loses its provenance; label without --visible/--watermark to keep it"
                        + (request.c2pa().isPresent() ? " (the new manifest cannot name it as its parent here)" : ""));
            }
            // metadata only: the pixels are done; the sdk writes the record (MP4/MOV moov/udta/meta, Matroska/WebM
            // SimpleTag), signs it when asked, adds the C2PA manifest after it (so the hard binding covers the final
            // container, record included), reads both back and publishes OUT atomically (file to file, so the
            // sdk's handling of big files applies here too)
            existingMark.ifPresent(p -> notes.add("the input already carries the aigcmark watermark under this key (payload "
                    + p + "); it is kept and no second mark is embedded: a second embed would erase it (Measures Art. 10)"));
            LabelRequest metaOnly = new LabelRequest(request.label(), Optional.empty(), request.signingKey(), Optional.empty(),
                    false, Optional.empty());
            LabelResult r = labeler.label(tmp, out, metaOnly);
            notes.addAll(r.notes());
            AigcLabel written = r.label();
            if (request.c2pa().isPresent()) {
                // the manifest declares the frames' watermark as its soft binding, which the sdk's metadata step cannot know
                notes.add(signC2pa(out, written, existingMark.or(() -> t.labeler.payload().map(WatermarkPayload::hex)),
                        existingMark.isEmpty(), request.c2pa().get()));
            }
            long c1 = System.nanoTime();
            var timing = new VideoLabelResult.Timing(t.decodeNanos(), t.labelNanos, t.encodeNanos, c1 - c0, c1 - t0,
                    t.labelCpuNanos, t.processCpuNanos, t.watermarkCpuNanos, t.visibleCpuNanos, t.visibleFrames,
                    t.startCheckCpuNanos);
            return new VideoLabelResult(container.muxer, t.encoderDescription, written, t.labeler.placement(),
                    t.labeler.visibleSeconds(), existingMark.or(() -> t.labeler.payload().map(WatermarkPayload::hex)), t.width, t.height,
                    t.rotation, t.framesWritten, t.durationSeconds, t.audioPackets, timing, notes);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover hidden temp file is harmless; the output is either complete or absent
            }
        }
    }

    /** One decode → label → encode → mux pass. */
    private static final class Transcode {
        final Path in;
        final Path tmp;
        final VideoContainer container;
        final VideoOptions.Encoder encoder;
        final LabelRequest request;
        final AigcLabel label;
        final VideoOptions opts;
        final List<String> notes = new ArrayList<>();
        /** Visible labels the input must not show at its start (refused), and the key whose mark it must not carry. */
        final List<org.aigcmark.visible.VisibleLabelOptions> notToStack;
        final Optional<org.aigcmark.key.WatermarkKey> markKey;
        StartCheck startCheck;
        FrameLabeler labeler;
        String encoderDescription;
        int width;
        int height;
        int rotation;
        long framesWritten;
        double durationSeconds;
        long audioPackets;
        long labelNanos;
        long encodeNanos;
        long loopNanos;
        long waitNanos;
        long labelCpuNanos;
        long processCpuNanos;
        long watermarkCpuNanos;
        long visibleCpuNanos;
        long startCheckCpuNanos;
        long visibleFrames;

        Transcode(Path in, Path tmp, VideoContainer container, VideoOptions.Encoder encoder, LabelRequest request,
                  AigcLabel label, VideoOptions opts, List<org.aigcmark.visible.VisibleLabelOptions> notToStack,
                  Optional<org.aigcmark.key.WatermarkKey> markKey) {
            this.notToStack = notToStack;
            this.markKey = markKey;
            this.in = in;
            this.tmp = tmp;
            this.container = container;
            this.encoder = encoder;
            this.request = request;
            this.label = label;
            this.opts = opts;
        }

        /** Busy time of the decoding thread outside labelling (waits for the encoder thread excluded). */
        long decodeNanos() {
            return Math.max(0, loopNanos - labelNanos - waitNanos);
        }

        /**
         * The pass. The input, the output and the encoder stage are closed on every path (innermost first: the encoder
         * thread is stopped before the muxer and encoder it writes through are freed).
         */
        void run() {
            try (VideoInput input = new VideoInput(in)) {
                boolean fullRange = requireSupportedPicture(input);
                expectedFrames = Math.round(input.durationSeconds() * input.fps());
                labeler = frameLabeler(fullRange);
                if (!notToStack.isEmpty() || markKey.isPresent()) {
                    startCheck = new StartCheck(width, height, rotation, notToStack, markKey,
                            VideoDetection.START_LABEL_SECONDS, 2 * VideoDetection.START_LABEL_SECONDS);
                }
                try (VideoOutput output = new VideoOutput(tmp, container.muxer)) {
                    setUpVideo(input, output, fullRange);
                    int[] outIndex = setUpAudio(input, output);
                    copyContainerMetadata(input.format(), output.format());
                    output.open();
                    pass(input, output, outIndex);
                }
            }
        }

        /** Refuses what the pipeline cannot label (not 8-bit 4:2:0, odd sizes); returns whether it is full range. */
        private boolean requireSupportedPicture(VideoInput input) {
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
            return fmt == AV_PIX_FMT_YUVJ420P || input.stream.codecpar().color_range() == AVCOL_RANGE_JPEG;
        }

        long expectedFrames;

        private FrameLabeler frameLabeler(boolean fullRange) {
            FrameLabeler.Builder fb = FrameLabeler.builder(width, height).rotation(rotation).fullRange(fullRange);
            request.visible().ifPresent(v -> fb.visible(v).visibleSeconds(opts.visibleSeconds()));
            request.watermarkKey().ifPresent(k -> fb.watermark(k,
                    WatermarkPayload.fromLabel(k, label.contentProducer(), label.produceId())).watermarkOptions(
                    org.aigcmark.watermark.WatermarkOptions.defaults().withKernels(embedKernels(expectedFrames))));
            return fb.build();
        }

        /** The encoder, set up like the input's video (colour, aspect, rotation), and the video stream it feeds. */
        private void setUpVideo(VideoInput input, VideoOutput output, boolean fullRange) {
            AVCodecParameters ipar = input.stream.codecpar();
            AVCodecContext enc = output.encoder(encoder.ffmpegName);
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
            long bitsPerPixelRate = Math.max((long) (opts.bitsPerPixel() * width * height * (fps > 0 ? fps : 25)), ipar.bit_rate());
            encoderDescription = configureRate(enc, encoder, opts, bitsPerPixelRate);
            AVStream vst = output.openEncoder(encoder.ffmpegName);
            vst.avg_frame_rate(input.stream.avg_frame_rate());
            vst.disposition(input.stream.disposition());
            copyMetadata(input.stream.metadata(), vst);
            copyDisplayMatrix(ipar, vst.codecpar());
        }

        /**
         * An output stream for each audio stream (its packets are copied, not re-encoded); other streams are dropped
         * with a note. Returns the output index of each input stream, -1 for those not copied.
         */
        private int[] setUpAudio(VideoInput input, VideoOutput output) {
            AVFormatContext ic = input.format();
            AVFormatContext oc = output.format();
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
                            + avcodec_get_name(s.codecpar().codec_id()).getString() + " cannot be copied into " + container.displayName
                            + (container == VideoContainer.WEBM ? " (WebM holds Opus or Vorbis audio only)" : ""));
                }
                AVStream as = output.addStream();
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
            return outIndex;
        }

        /**
         * This thread demuxes, decodes and labels; the encoder stage's thread encodes and muxes, so decoding and
         * encoding overlap (as in the ffmpeg CLI). A few frame slots bound the memory.
         */
        private void pass(VideoInput input, VideoOutput output, int[] outIndex) {
            AVFormatContext ic = input.format();
            AVFormatContext oc = output.format();
            byte[] y = new byte[width * height];
            byte[] u = new byte[(width / 2) * (height / 2)];
            byte[] v = new byte[u.length];
            // output time bases are fixed once the header is written; read them here, not from the muxer the
            // encoder thread is using
            AVRational[] outTimeBase = new AVRational[oc.nb_streams()];
            for (int i = 0; i < outTimeBase.length; i++) {
                outTimeBase[i] = oc.streams(i).time_base();
            }
            durationSeconds = input.durationSeconds();
            long expected = Math.round(durationSeconds * input.fps());
            long loopStart = System.nanoTime();
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            try (EncoderStage stage = new EncoderStage(output, width, height)) {
                stage.start();
                input.run((frame, pts, seconds) -> {
                    long a = System.nanoTime();
                    long cpuA = threads.getCurrentThreadCpuTime();
                    // planes the labels do not touch go decoder -> encoder natively, without the Java round trip
                    boolean luma = labeler.changesLuma(seconds);
                    boolean chroma = labeler.changesChroma(seconds);
                    boolean watched = startCheck != null && startCheck.wants(seconds);
                    if (luma || watched) {
                        copyIn(frame, 0, y, width, height);
                    }
                    long cpuB = threads.getCurrentThreadCpuTime();
                    if (watched) {
                        // the frame as decoded, before anything is drawn on it
                        startCheck.frame(y, seconds, in.getFileName().toString());
                    }
                    if (startCheck != null) {
                        startCheck.markFound().ifPresent(p -> {
                            throw new MarkAlreadyThere(p);
                        });
                    }
                    long cpuC = threads.getCurrentThreadCpuTime();
                    if (chroma) {
                        copyIn(frame, 1, u, width / 2, height / 2);
                        copyIn(frame, 2, v, width / 2, height / 2);
                    }
                    long cpuD = threads.getCurrentThreadCpuTime();
                    labeler.embedWatermark(y, width);
                    long cpuE = threads.getCurrentThreadCpuTime();
                    if (labeler.drawVisible(y, width, u, v, width / 2, seconds)) {
                        visibleFrames++;
                    }
                    long cpuF = threads.getCurrentThreadCpuTime();
                    startCheckCpuNanos += cpuC - cpuB;
                    watermarkCpuNanos += cpuE - cpuD;
                    visibleCpuNanos += cpuF - cpuE;
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
                    stage.submitFrame(slot);
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
                    stage.submitPacket(copy);
                    waitNanos += System.nanoTime() - a;
                    audioPackets++;
                });
                if (startCheck != null) {
                    // a video shorter than the watched start: its frames are all in, the search runs now
                    startCheck.awaitMark().ifPresent(p -> {
                        throw new MarkAlreadyThere(p);
                    });
                }
                stage.finish();
                encodeNanos = stage.busyNanos;
                if (labeler.payload().isPresent()) {
                    FRAMES_MARKED.add(framesWritten);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "interrupted while labelling " + in.getFileName());
            }
            processCpuNanos = os.getProcessCpuTime() - cpuStart;
            loopNanos = System.nanoTime() - loopStart;
        }

        private static void copyContainerMetadata(AVFormatContext ic, AVFormatContext oc) {
            if (ic.metadata() != null && !ic.metadata().isNull()) {
                AVDictionary md = new AVDictionary(null);
                av_dict_copy(md, ic.metadata(), 0);
                av_dict_set(md, "encoder", (String) null, 0);
                // the sdk writes the one record after the pass (a relabel replaces it, never duplicates it)
                av_dict_set(md, "AIGC", (String) null, 0);
                oc.metadata(md);
            }
        }

        private static void check(int r, String what) {
            if (r < 0) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, what + " failed: " + Ffmpeg.error(r));
            }
        }
    }

    /**
     * Sets the encoder's rate control from the options; returns how it encodes, for the report. A CRF is the
     * encoder's constant-quality mode, a bitrate its average-bitrate mode; libopenh264 only has the latter.
     */
    private static String configureRate(AVCodecContext enc, VideoOptions.Encoder encoder, VideoOptions opts, long bitsPerPixelRate) {
        Pointer priv = enc.priv_data();
        long bitrate = opts.bitrate();
        switch (encoder) {
            case X264 -> {
                av_opt_set(priv, "preset", opts.preset(), 0);
                if (bitrate > 0) {
                    enc.bit_rate(bitrate);
                    return "libx264 " + kbps(bitrate) + " preset " + opts.preset();
                }
                int crf = encoder.crf(opts.crf());
                av_opt_set(priv, "crf", Integer.toString(crf), 0);
                return "libx264 crf " + crf + " preset " + opts.preset();
            }
            case OPENH264 -> {
                encoder.crf(opts.crf()); // refuses a CRF: it has none
                long b = bitrate > 0 ? bitrate : bitsPerPixelRate;
                enc.bit_rate(b);
                av_opt_set(priv, "rc_mode", "bitrate", 0);
                return "libopenh264 " + kbps(b);
            }
            case VP9, VP8 -> {
                // realtime speed 8: the pace of x264 veryfast; at CRF 24 about x264 CRF 18's SSIM (docs/VIDEO.md)
                av_opt_set(priv, "deadline", "realtime", 0);
                av_opt_set(priv, "cpu-used", "8", 0);
                if (encoder == VideoOptions.Encoder.VP9) {
                    av_opt_set(priv, "row-mt", "1", 0);
                }
                if (bitrate > 0) {
                    enc.bit_rate(bitrate);
                    return encoder.ffmpegName + " " + kbps(bitrate) + " realtime";
                }
                int crf = encoder.crf(opts.crf());
                av_opt_set(priv, "crf", Integer.toString(crf), 0);
                if (encoder == VideoOptions.Encoder.VP9) {
                    enc.bit_rate(0); // CRF with no bitrate: libvpx-vp9's constant-quality mode
                    return "libvpx-vp9 crf " + crf + " realtime";
                }
                // VP8 has no pure constant-quality mode: CRF is constrained quality under a bitrate cap
                enc.bit_rate(bitsPerPixelRate);
                return "libvpx crf " + crf + " realtime, at most " + kbps(bitsPerPixelRate);
            }
            case AV1 -> {
                av_opt_set(priv, "preset", "10", 0);
                if (bitrate > 0) {
                    enc.bit_rate(bitrate);
                    return "libsvtav1 " + kbps(bitrate) + " preset 10";
                }
                int crf = encoder.crf(opts.crf());
                enc.bit_rate(0);
                av_opt_set(priv, "crf", Integer.toString(crf), 0);
                return "libsvtav1 crf " + crf + " preset 10";
            }
            default -> throw new IllegalStateException("AUTO is resolved before encoding");
        }
    }

    private static String kbps(long bitsPerSecond) {
        return (bitsPerSecond / 1000) + " kb/s";
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
