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

    @Parameters(index = "0", paramLabel = "IN", description = "image to label (JPEG, PNG, WebP; chosen by content)")
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

    @Override
    public Integer call() {
        Labeler labeler = Labeler.create();
        byte[] input = labeler.readInput(in);
        OutputPaths.check(spec.commandLine(), in, out, inPlace, input);
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
        LabelResult r = labeler.label(input, in.toString(), req);
        org.aigcmark.internal.AtomicFiles.write(out, r.bytes());
        var o = spec.commandLine().getOut();
        o.println("wrote " + out + " (" + r.format() + "): AIGC record " + r.label().toBareJson());
        r.visible().ifPresent(p -> o.printf("  visible label \"%s\" at %s, glyph height %d px = %.1f%% of the shortest side%n",
                req(visibleText), p.position().name().toLowerCase(java.util.Locale.ROOT), p.glyphBox().height, p.heightRatio() * 100));
        r.watermarkPayload().ifPresent(p -> o.println("  watermark payload " + p));
        if (signKey != null) {
            o.println("  signed ReservedCode1 with key " + LabelKeys.readSigningKey(signKey).keyId());
        }
        if (!r.pixelsChanged()) {
            o.println("  pixels untouched (compressed image data byte-identical)");
        }
        r.notes().forEach(n -> o.println("  note: " + n));
        return ExitCodes.OK;
    }

    private static String req(String t) {
        return t == null ? VisibleLabelOptions.DEFAULT_TEXT : t;
    }
}
