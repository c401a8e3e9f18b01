package org.aigcmark.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.visible.VisibleLabelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "label", mixinStandardHelpOptions = true,
        description = {"Write the GB 45438 Annex E AIGC record into a copy of IN (lossless), optionally with a visible",
                "label, a producer signature (ReservedCode1) and an invisible watermark."})
public final class LabelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "file to label: image (JPEG, PNG, WebP), video (MP4/MOV, MKV/WebM) or document (Markdown, DOCX/XLSX/PPTX, PDF); chosen by content")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "where to write (same format as IN)")
    Path out;

    @Option(names = "--producer", required = true, paramLabel = "CODE",
            description = "ContentProducer: your 27-character provider code (TC260-PG-20252A)")
    String producer;

    @Option(names = "--produce-id", required = true, paramLabel = "ID", description = "ProduceID: your unique id for this content")
    String produceId;

    @Option(names = "--visible", description = "also draw a visible label (default text \"AI生成\")")
    boolean visible;

    @Option(names = "--visible-text", paramLabel = "T", description = "visible label text; must contain an AI element and a generation element")
    String visibleText;

    @Option(names = "--visible-position", paramLabel = "P",
            description = "auto (default: calmest corner), bottom_right, bottom_left, top_right, top_left, bottom, top")
    VisibleLabelOptions.Position visiblePosition;

    @Option(names = "--visible-height", paramLabel = "PERCENT", description = "glyph height in %% of the shortest side (>= 5, default 6)")
    Double visibleHeight;

    @Option(names = "--sign-key", paramLabel = "PEM", description = "sign the label into ReservedCode1 with this private key (Ed25519 or SM2)")
    Path signKey;

    @Option(names = "--watermark", description = "also embed the invisible watermark (needs --key)")
    boolean watermark;

    @Option(names = "--key", paramLabel = "KEYFILE", description = "watermark secret made by 'aigcmark keygen --alg watermark'")
    Path watermarkKey;

    @Option(names = "--in-place", description = "allow OUT to be IN (written atomically)")
    boolean inPlace;

    @Option(names = "--visible-seconds", paramLabel = "S",
            description = "video: keep the visible label for the first S seconds (>= 2, default 3)")
    Double visibleSeconds;

    @Option(names = "--visible-whole", description = "video: keep the visible label on every frame")
    boolean visibleWhole;

    @Option(names = "--video-encoder", paramLabel = "E",
            description = "video: auto (default: libx264 with the GPL ffmpeg build, else libopenh264), x264, openh264")
    org.aigcmark.video.VideoOptions.Encoder videoEncoder;

    @Option(names = "--crf", paramLabel = "N", description = "video, libx264: constant rate factor (default 18)")
    Integer crf;

    @Override
    public Integer call() {
        boolean pixels = visible || visibleText != null || visiblePosition != null || visibleHeight != null
                || watermark || watermarkKey != null;
        if (pixels && VideoCli.isVideo(in)) {
            return labelVideo();
        }
        Labeler labeler = Labeler.create();
        OutputPaths.check(spec.commandLine(), in, out, inPlace, labeler.readHead(in));
        LabelRequest req = request();
        LabelResult r = labeler.label(in, out, req); // MP4/MKV stream from disk; written atomically
        var o = spec.commandLine().getOut();
        o.println("wrote " + out + " (" + r.format() + "): AIGC record " + r.label().toBareJson());
        r.visible().ifPresent(p -> o.printf("  visible label \"%s\" at %s, glyph height %d px = %.1f%% of the shortest side%n",
                req(visibleText), p.position().name().toLowerCase(java.util.Locale.ROOT), p.glyphBox().height, p.heightRatio() * 100));
        r.watermarkPayload().ifPresent(p -> o.println("  watermark payload " + p));
        if (signKey != null) {
            o.println("  signed ReservedCode1 with key " + LabelKeys.readSigningKey(signKey).keyId());
        }
        if (!r.pixelsChanged()) {
            o.println("  content untouched: only the metadata changed (the media data is byte-identical)");
        }
        r.notes().forEach(n -> o.println("  note: " + n));
        return ExitCodes.OK;
    }

    /** The request the options describe (same for images and video). */
    private LabelRequest request() {
        LabelRequest req = new LabelRequest(AigcLabel.produced(producer, produceId), null, null, null);
        if (visible || visibleText != null || visiblePosition != null || visibleHeight != null) {
            req = req.withVisible(new VisibleLabelOptions(visibleText, visiblePosition,
                    visibleHeight == null ? VisibleLabelOptions.DEFAULT_FRACTION : visibleHeight / 100.0));
        }
        if (signKey != null) {
            req = req.withSigningKey(LabelKeys.readSigningKey(signKey));
        }
        if (watermark || watermarkKey != null) {
            if (watermarkKey == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--watermark needs --key KEYFILE");
            }
            req = req.withWatermark(org.aigcmark.key.WatermarkKey.read(watermarkKey));
        }
        return req;
    }

    /** Video with a visible label or watermark: decode, label the frames, re-encode (the video module). */
    private Integer labelVideo() {
        if (!inPlace && in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "OUT is IN: add --in-place to overwrite it");
        }
        LabelRequest req = request();
        var options = org.aigcmark.video.VideoOptions.defaults();
        if (visibleWhole) {
            options = options.withVisibleWholeVideo();
        } else if (visibleSeconds != null) {
            options = options.withVisibleSeconds(visibleSeconds);
        }
        if (videoEncoder != null) {
            options = options.withEncoder(videoEncoder);
        }
        if (crf != null) {
            options = options.withCrf(crf);
        }
        VideoCli.label(in, out, req, options, spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    private static String req(String t) {
        return t == null ? VisibleLabelOptions.DEFAULT_TEXT : t;
    }
}
