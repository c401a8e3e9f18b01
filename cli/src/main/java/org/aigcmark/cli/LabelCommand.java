package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

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

    @Parameters(index = "0", paramLabel = "IN", description = "The file to label: image (JPEG, PNG, WebP, GIF, TIFF), video (MP4/MOV, MKV/WebM, AVI, FLV; the metadata record only for AVI and FLV), audio (WAV, MP3, FLAC, Ogg) or document (Markdown, DOCX/XLSX/PPTX, PDF), chosen by content; - reads standard input.")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Where to write (same format as IN); - writes to standard output, and messages then go to standard error.")
    Path out;

    @Option(names = "--producer", required = true, paramLabel = "CODE",
            description = "ContentProducer: your 27-character provider code (TC260-PG-20252A).")
    String producer;

    @Option(names = "--produce-id", required = true, paramLabel = "ID", description = "ProduceID: your unique id for this content.")
    String produceId;

    @Option(names = "--visible", description = "Also draw a visible label (default text \"AI生成\").")
    boolean visible;

    @Option(names = "--visible-again", description = "Draw the visible label even if the input already shows one of ours"
            + " (refused by default, since two labels would stack).")
    boolean visibleAgain;

    @Option(names = "--visible-text", paramLabel = "T", description = "The visible label text; it must contain an AI element and a generation element.")
    String visibleText;

    @Option(names = "--visible-position", paramLabel = "P",
            description = "Where the visible label goes: auto (default: the calmest corner), bottom_right, bottom_left, top_right, top_left, bottom or top.")
    VisibleLabelOptions.Position visiblePosition;

    @Option(names = "--visible-height", paramLabel = "PERCENT", description = "The glyph height in %% of the shortest side (at least 5, default 6).")
    Double visibleHeight;

    @Option(names = "--sign-key", paramLabel = "PEM", description = "Sign the label into ReservedCode1 with this private key (Ed25519 or SM2).")
    Path signKey;

    @Option(names = "--watermark", description = "Also embed the invisible watermark (needs --key).")
    boolean watermark;

    @Option(names = "--key", paramLabel = "KEYFILE", description = "The watermark secret, made by 'aigcmark keygen --alg watermark'.")
    Path watermarkKey;

    @Option(names = "--c2pa", description = "Also write a signed C2PA manifest (JPEG, PNG, WebP, MP4/MOV): c2pa.created with"
            + " digitalSourceType trainedAlgorithmicMedia, the GB 45438 record, a hard binding over the labelled file."
            + " A file that has a manifest keeps it as the new one's parentOf ingredient (c2pa.opened); without --c2pa"
            + " the label breaks that manifest's hard binding, and a note says so. Needs --c2pa-cert and --c2pa-key.")
    boolean c2pa;

    @Option(names = "--c2pa-cert", paramLabel = "CHAIN.pem", description = "The C2PA signer certificate, then its chain"
            + " (PEM; 'aigcmark keygen --alg c2pa -o P' writes a test one as P.pem).")
    Path c2paCert;

    @Option(names = "--c2pa-key", paramLabel = "KEY.pem", description = "The C2PA signer's private key, P-256 PKCS#8 PEM (P.key).")
    Path c2paKey;

    @Option(names = "--c2pa-tsa", paramLabel = "URL", description = "An RFC 3161 time-stamp authority (http/https) asked for a"
            + " time-stamp over the C2PA claim signature (stored as sigTst2). None by default. With --c2pa only.")
    java.net.URI c2paTsa;

    @Option(names = "--c2pa-model", paramLabel = "NAME", description = "With --c2pa: the name of the model that made the"
            + " content, written into the C2PA 2.4 AI disclosure assertion (c2pa.ai-disclosure, modelName).")
    String c2paModel;

    @Option(names = "--c2pa-model-id", paramLabel = "ID", description = "With --c2pa: the model's unique identifier (a URI,"
            + " PURL, ...), c2pa.ai-disclosure modelIdentifier.")
    String c2paModelId;

    @Option(names = "--c2pa-model-type", paramLabel = "TYPE", description = "With --c2pa-model/-id: the model type"
            + " (default c2pa.types.model; e.g. c2pa.types.model.pytorch), c2pa.ai-disclosure modelType.")
    String c2paModelType;

    @Option(names = "--c2pa-oversight", paramLabel = "LEVEL", description = "With --c2pa-model/-id: fully_autonomous,"
            + " prompt_guided or human_validated, c2pa.ai-disclosure contentProfile.humanOversightLevel.")
    String c2paOversight;

    @Option(names = "--cue", paramLabel = "POS", description = "Audio: also put the rhythm cue \"短长短短\" (Morse \"AI\","
            + " GB 45438 §5.3) at start, end or middle (repeatable), re-encoding the audio with its codec and bitrate"
            + " (WAV, MP3, FLAC, Ogg, M4A); in a video (MP4/MOV, MKV/WebM) mixed over its sound track, the pictures copied.")
    java.util.List<String> cues;

    @Option(names = "--spoken-prompt", paramLabel = "FILE", description = "Audio, video sound tracks: put this recording"
            + " of a spoken prompt (a WAV, at most 30 s; e.g. \"本内容由人工智能生成\") in place of the rhythm cue, at the"
            + " --cue positions (start when none), resampled to the file's rate and channels.")
    Path spokenPrompt;

    @Option(names = "--in-place", description = "Allow OUT to be IN (written atomically); not with -.")
    boolean inPlace;

    @Option(names = "--visible-seconds", paramLabel = "S",
            description = "Video: keep the visible label for the first S seconds (at least 2, default 3).")
    Double visibleSeconds;

    @Option(names = "--visible-whole", description = "Video: keep the visible label on every frame.")
    boolean visibleWhole;

    @Option(names = "--video-encoder", paramLabel = "E",
            description = {"Video: the encoder, auto (default), x264, openh264, vp9, vp8 or av1. The output keeps the input's",
                    "container: MP4/MOV/MKV get H.264 (libx264 with the GPL ffmpeg build, else libopenh264; MKV may also",
                    "take vp9, vp8 or av1), WebM gets VP9 (libvpx-vp9), or VP8 (libvpx) or AV1 (libsvtav1) when asked."})
    org.aigcmark.video.VideoOptions.Encoder videoEncoder;

    @Option(names = "--crf", paramLabel = "N",
            description = "Video: the constant rate factor of the encoder used: x264 0-51 (default 18), vp9 0-63 (default 24),"
                    + " vp8 4-63 (default 10), av1 1-63 (default 30); openh264 has none, so use --bitrate.")
    Integer crf;

    @Option(names = "--bitrate", paramLabel = "KBPS",
            description = "Video: the target bitrate in kb/s instead of a CRF (openh264's knob; default 0.15 bit per pixel,"
                    + " at least the source's; 1-500000).")
    Integer bitrateKbps;

    /** What messages call IN and OUT ("-": standard input/output, which go through temp files). */
    private String shownIn;
    private String shownOut;

    @Override
    public Integer call() {
        StdStreams.refuseInPlace(spec, inPlace, in, out);
        // "-": standard input and output go through temp files, so the file path below serves them unchanged
        try (StdStreams.Input input = StdStreams.input(spec, in); StdStreams.Output output = StdStreams.output(spec, out)) {
            shownIn = input.name();
            shownOut = StdStreams.isDash(out) ? "standard output" : out.toString();
            in = input.path();
            out = output.path();
            int code = label();
            output.send();
            return code;
        }
    }

    private Integer label() {
        boolean pixels = visible || visibleText != null || visiblePosition != null || visibleHeight != null
                || watermark || watermarkKey != null;
        if (pixels && VideoCli.isVideo(in)) {
            return labelVideo(); // with --c2pa, the manifest is added to the final MP4/MOV container
        }
        refuseEncoderOptionsWithoutPixels();
        Labeler labeler = Labeler.create();
        OutputPaths.check(spec.commandLine(), in, out, inPlace, labeler.readHead(in));
        LabelRequest req = request();
        LabelResult r = labeler.label(in, out, req); // MP4/MKV stream from disk; written atomically
        var o = spec.commandLine().getOut();
        o.println("wrote " + shownOut + " (" + r.format().id() + "): AIGC record " + r.label().toBareJson());
        r.visible().ifPresent(p -> o.printf("  visible label \"%s\" at %s, glyph height %d px = %.1f%% of the shortest side%n",
                req(visibleText), p.position().name().toLowerCase(java.util.Locale.ROOT), p.glyphBox().height, p.heightRatio() * 100));
        r.existingWatermark().ifPresentOrElse(
                p -> o.println("  watermark: the input already carries the aigcmark watermark, payload " + p + "; kept, not embedded again"),
                () -> r.watermarkPayload().ifPresent(p -> o.println("  watermark payload " + p)));
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
        if (visibleAgain) {
            req = req.withVisibleAgain();
        }
        if (c2pa != (c2paCert != null) || c2pa != (c2paKey != null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--c2pa needs both --c2pa-cert CHAIN.pem and"
                    + " --c2pa-key KEY.pem, and they apply only with --c2pa");
        }
        if (c2paTsa != null && !c2pa) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--c2pa-tsa applies only with --c2pa");
        }
        boolean disclosure = c2paModel != null || c2paModelId != null;
        if ((disclosure || c2paModelType != null || c2paOversight != null) && (!c2pa || !disclosure)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--c2pa-model/--c2pa-model-id apply only"
                    + " with --c2pa, and --c2pa-model-type/--c2pa-oversight only with one of them");
        }
        if (c2pa) {
            var signing = org.aigcmark.format.c2pa.C2paSigning.fromPemFiles(c2paCert, c2paKey);
            if (disclosure) {
                signing = signing.withAiDisclosure(new org.aigcmark.format.c2pa.C2paAiDisclosure(c2paModelType, c2paModel,
                        c2paModelId, c2paOversight));
            }
            req = req.withC2pa(c2paTsa == null ? signing : signing.withTimeStampAuthority(c2paTsa));
        }
        if (signKey != null) {
            req = req.withSigningKey(LabelKeys.readSigningKey(signKey));
        }
        for (String c : cues == null ? java.util.List.<String>of() : cues) {
            try {
                req = req.withCue(org.aigcmark.audio.CuePosition.of(c));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--cue: " + e.getMessage());
            }
        }
        if (spokenPrompt != null) {
            req = req.withSpokenPrompt(spokenPrompt);
        }
        if (watermark || watermarkKey != null) {
            if (watermarkKey == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--watermark needs --key KEYFILE");
            }
            req = req.withWatermark(org.aigcmark.key.WatermarkKey.read(watermarkKey));
        }
        return req;
    }

    /** Without pixel work nothing is re-encoded: an encoder knob would be silently ignored, so it is refused. */
    private void refuseEncoderOptionsWithoutPixels() {
        if (videoEncoder != null || crf != null || bitrateKbps != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--video-encoder, --crf and --bitrate apply"
                    + " when a video is re-encoded (--visible or --watermark); without them only the metadata changes");
        }
    }

    /** Video with a visible label or watermark: decode, label the frames, re-encode (the video module). */
    private Integer labelVideo() {
        OutputPaths.refuseOverwritingInput(spec.commandLine(), in, out, inPlace);
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
        if (bitrateKbps != null) {
            long maxKbps = org.aigcmark.video.VideoOptions.MAX_BITRATE / 1000;
            if (bitrateKbps < 1 || bitrateKbps > maxKbps) {
                // past this no encoder opens: a usage error naming the range, not an internal one from the encoder
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--bitrate is in kb/s, 1-" + maxKbps
                        + ", got " + bitrateKbps);
            }
            options = options.withBitrate(bitrateKbps * 1000L);
        }
        VideoCli.label(in, out, shownOut, req, options, spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    private static String req(String t) {
        return t == null ? VisibleLabelOptions.DEFAULT_TEXT : t;
    }
}
