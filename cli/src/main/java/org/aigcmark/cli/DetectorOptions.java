package org.aigcmark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.detect.DetectorSettings;
import org.aigcmark.detection.Detector;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;
import picocli.CommandLine.Option;

/** Options shared by {@code detect} and {@code scan}; {@link DetectorSettings} builds the Detector from them. */
final class DetectorOptions implements AutoCloseable {
    @Option(names = "--key", paramLabel = "KEYFILE", description = "A watermark secret to look for (repeatable).")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--public-key", paramLabel = "PUB", description = "A public key to verify label signatures with (repeatable).")
    List<Path> publicKeys = new ArrayList<>();

    @Option(names = "--c2pa-trust", paramLabel = "PEM",
            description = "X.509 trust anchor(s) for C2PA signatures, PEM (repeatable); without one a correct manifest is 'untrusted'.")
    List<Path> c2paTrust = new ArrayList<>();

    @Option(names = "--metadata-only", description = "Read metadata only: no pixel decode, no watermark, OCR or pixel checks (fast triage).")
    boolean metadataOnly;

    @Option(names = "--models", paramLabel = "DIR",
            description = "The folder with the OCR models (default: $AIGCMARK_MODELS or ~/.cache/aigcmark/models; get them with 'aigcmark models fetch').")
    Path models;

    @Option(names = "--no-ocr", description = "Do not look for visible labels in the pixels.")
    boolean noOcr;

    @Option(names = "--gpu", description = "Run the OCR models on CUDA when the GPU runtime is present (falls back to CPU with a log line).")
    boolean gpu;

    @Option(names = "--model", paramLabel = "SPEC.json",
            description = "An ONNX image classifier to run, described by its spec JSON (sha256-pinned; see docs/DETECT-MODELS.md); "
                    + "its score is weak evidence, never proof (repeatable).")
    List<Path> modelSpecs = new ArrayList<>();

    @Option(names = "--watermark-search", paramLabel = "full|quick", defaultValue = "full",
            description = "Full (default): also find cropped, rotated and aspect-changed copies of our watermark; quick: the"
                    + " image's own geometry only (re-encoded, resized, filtered), about 10x cheaper, for high-volume scans.")
    String watermarkSearch;

    @Option(names = "--text-scheme", paramLabel = "kgw|gumbel", defaultValue = "kgw",
            description = "The text watermark scheme to test in plain text and Markdown files with --key (default: ${DEFAULT-VALUE}).")
    String textScheme;

    @Option(names = "--tokenizer", paramLabel = "NAME", defaultValue = "o200k_base",
            description = "The tokenizer the text watermark was made with: o200k_base or cl100k_base (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--forensic", description = "Add weight-free forensic signals (upsampling peaks) as weak evidence.")
    boolean forensic;

    /** The detector {@link #build} made: it owns the pixel checks and closes them. */
    private Detector built;
    /** The settings {@link #build} used, kept for {@link #resultOptions} and {@link #watermarkKeys}. */
    private DetectorSettings settings;
    /** The watermark keys {@link #build} read (each --key file is read once). */
    private List<WatermarkKey> watermarkKeys = List.of();

    List<WatermarkKey> watermarkKeys() {
        return watermarkKeys;
    }

    /** These options as plain values (the building itself is {@link DetectorSettings#build}, shared with Spark). */
    DetectorSettings settings() {
        return new DetectorSettings(strings(keys), strings(publicKeys), strings(c2paTrust), metadataOnly,
                models == null ? null : models.toString(), noOcr, gpu, strings(modelSpecs), watermarkSearch, textScheme,
                tokenizer, forensic);
    }

    private static List<String> strings(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }

    Detector build(PrintWriter err) {
        settings = settings();
        built = settings.build(note -> err.println("aigcmark: note: " + note));
        watermarkKeys = settings.watermarkKeys();
        return built;
    }

    /**
     * What shapes a result, as {@link #build} set it up: scan's journal compares it before reusing results. Keys and
     * anchors appear as fingerprints, never secrets; effective values (OCR on only when its models were found).
     */
    ObjectNode resultOptions() {
        if (built == null) {
            throw new IllegalStateException("build() first");
        }
        ObjectNode n = ReportJson.MAPPER.createObjectNode();
        n.put("aigcmark", RootCommand.class.getAnnotation(picocli.CommandLine.Command.class).version()[0]);
        n.setAll(settings.describe(built));
        return n;
    }

    @Override
    public void close() {
        if (built != null) {
            built.close();
        }
    }
}
