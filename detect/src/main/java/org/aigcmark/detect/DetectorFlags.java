package org.aigcmark.detect;

import java.util.ArrayList;
import java.util.List;
import org.aigcmark.detect.ocr.VisibleLabelFinder;
import picocli.CommandLine.Option;

/**
 * The command-line options that shape a detector ({@code detect}, {@code scan}, {@code serve}, {@code spark-scan}), one
 * picocli mixin for every command that takes them, giving {@link DetectorSettings}. File names stay strings: on a
 * cluster they are read on the executors (docs/SCALE.md). picocli is an optional dependency of this module: only
 * command-line front ends need it.
 */
public final class DetectorFlags {
    /** Creates the options at their defaults (those of {@link DetectorSettings#defaults()}). */
    public DetectorFlags() {}

    @Option(names = "--key", paramLabel = "KEYFILE", description = "A watermark secret to look for (repeatable).")
    List<String> keys = new ArrayList<>();

    @Option(names = "--public-key", paramLabel = "PUB", description = "A public key to verify label signatures with (repeatable).")
    List<String> publicKeys = new ArrayList<>();

    @Option(names = "--c2pa-trust", paramLabel = "PEM",
            description = "X.509 trust anchor(s) for C2PA signatures, PEM (repeatable); without one a correct manifest is 'untrusted'.")
    List<String> c2paTrust = new ArrayList<>();

    @Option(names = "--metadata-only", description = "Read metadata only: no pixel decode, no watermark, OCR or pixel checks (fast triage).")
    boolean metadataOnly;

    @Option(names = "--models", paramLabel = "DIR",
            description = "The folder with the OCR models (default: $AIGCMARK_MODELS or ~/.cache/aigcmark/models; get them with 'aigcmark models fetch';"
                    + " on a cluster, the folder on each executor).")
    String models;

    @Option(names = "--no-ocr", description = "Do not look for visible labels in the pixels.")
    boolean noOcr;

    @Option(names = "--gpu", description = "Run the OCR models on CUDA when the GPU runtime is present (falls back to CPU with a log line).")
    boolean gpu;

    @Option(names = "--model", paramLabel = "SPEC.json|NAME",
            description = "An ONNX image classifier to run, described by its spec JSON (sha256-pinned; see docs/DETECT-MODELS.md), "
                    + "or a bundled model by name (mesonet, mesonet-df, mesonet-f2f, mesoinception-df, mesoinception-f2f: 2018 face-forgery "
                    + "models, need BlazeFace: 'aigcmark models fetch blazeface'); its score is weak evidence, never proof (repeatable).")
    List<String> modelSpecs = new ArrayList<>();

    @Option(names = "--watermark-search", paramLabel = "full|quick|own|deep", defaultValue = "full",
            description = "Full (default): also find cropped, rotated and aspect-changed copies of our watermark; quick:"
                    + " mirrored, cropped, framed and slightly rotated copies (one change at a time), about 2x cheaper on"
                    + " images without the mark, for high-volume scans; own: only the image's own geometry (re-encoded,"
                    + " resized, mirrored, turned by 90 degrees), about 8x cheaper than full, for the highest volumes; deep:"
                    + " full, then copies pasted small into another picture, crops down to a tenth of the area and"
                    + " perspective warps, 2-3x the cost of full, for examining single files.")
    String watermarkSearch;

    @Option(names = "--text-scheme", paramLabel = "kgw|gumbel", defaultValue = "kgw",
            description = "The text watermark scheme to test in plain text and Markdown files with --key (default: ${DEFAULT-VALUE}).")
    String textScheme;

    @Option(names = "--tokenizer", paramLabel = "NAME", defaultValue = "o200k_base",
            description = "The tokenizer the text watermark was made with: o200k_base or cl100k_base (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--forensic", description = "Add weight-free forensic signals (upsampling peaks) as weak evidence.")
    boolean forensic;

    @Option(names = "--ocr-region", paramLabel = "whole|bands", defaultValue = "whole",
            description = "Where OCR looks for a visible label: the whole image (default) or the outer 20%% bands only (cheaper;"
                    + " a label elsewhere is missed).")
    String ocrRegion;

    @Option(names = "--ocr-max-side", paramLabel = "PX", defaultValue = "" + VisibleLabelFinder.DEFAULT_LIMIT_SIDE,
            description = "The OCR text detector's input is at most PX on its longer side (default: ${DEFAULT-VALUE}; larger finds"
                    + " smaller text at a higher cost).")
    int ocrMaxSide;

    /** These options as settings. */
    public DetectorSettings settings() {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, models, noOcr, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, 0);
    }
}
