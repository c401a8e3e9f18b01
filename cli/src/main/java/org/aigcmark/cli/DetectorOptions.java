package org.aigcmark.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.detect.ModelScoreCheck;
import org.aigcmark.detect.VisibleLabelCheck;
import org.aigcmark.detect.model.FaceDetector;
import org.aigcmark.detect.model.ModelSpec;
import org.aigcmark.detect.model.OnnxImageClassifier;
import org.aigcmark.detect.ocr.ModelStore;
import org.aigcmark.detect.ocr.OcrModels;
import org.aigcmark.detection.Detector;
import org.aigcmark.detection.EvidenceCheck;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.report.ReportJson;
import picocli.CommandLine.Option;

/** Options shared by {@code detect} and {@code scan}, and the Detector they build. */
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

    /** What {@link #build} opened before the detector took it over (closed here if building fails half-way). */
    private final List<AutoCloseable> opened = new ArrayList<>();
    /** The detector {@link #build} made: it owns the pixel checks and closes them. */
    private Detector built;

    /** The watermark keys {@link #build} read (each --key file is read once). */
    private List<WatermarkKey> watermarkKeys = List.of();

    List<WatermarkKey> watermarkKeys() {
        return watermarkKeys;
    }

    Detector build(PrintWriter err) {
        List<EvidenceCheck> checks = new ArrayList<>();
        if (!metadataOnly && !noOcr) {
            Path dir = models != null ? models : ModelStore.defaultDirectory();
            OcrModels found = models != null ? ModelStore.standard().locate(dir) : ModelStore.standard().find(dir).orElse(null);
            if (found == null) {
                err.println("aigcmark: note: visible-label OCR skipped: no models in " + dir + " (run 'aigcmark models fetch')");
                // The report says it too: a label drawn in the pixels would go unseen, which is not "no label".
                checks.add(EvidenceCheck.notRun(VisibleLabelCheck.NAME, "no OCR models in " + dir
                        + " (run 'aigcmark models fetch'); a label drawn in the pixels would not be found"));
            } else {
                VisibleLabelCheck ocr = VisibleLabelCheck.open(found, gpu);
                opened.add(ocr);
                checks.add(ocr);
            }
        }
        if (!metadataOnly) {
            for (Path specFile : modelSpecs) {
                checks.add(openModel(specFile));
            }
            if (forensic) {
                checks.add(org.aigcmark.detection.forensic.ForensicSignalCheck.standard());
            }
        }
        watermarkKeys = keys.stream().map(WatermarkKey::read).toList();
        List<java.security.PublicKey> trusted = publicKeys.stream().map(LabelKeys::readPublicKey).toList();
        var anchors = org.aigcmark.format.c2pa.C2paValidator.fromPemFiles(c2paTrust).trustAnchors();
        Detector d = Detector.create(Labeler.create(), watermarkKeys, trusted, checks);
        built = d;
        opened.clear(); // the detector owns the checks now
        d = d.withC2paTrustAnchors(anchors);
        resultOptions = describe(checks, trusted, anchors);
        d = switch (watermarkSearch.toLowerCase(java.util.Locale.ROOT)) {
            case "full" -> d;
            case "quick" -> d.withWatermarkSearch(org.aigcmark.watermark.WatermarkOptions.Search.QUICK);
            default -> throw org.aigcmark.AigcmarkException.invalid("--watermark-search must be full or quick, got " + watermarkSearch);
        };
        d = d.withTextWatermark(switch (textScheme.toLowerCase(java.util.Locale.ROOT)) {
            case "kgw" -> org.aigcmark.text.watermark.WatermarkScheme.KGW;
            case "gumbel" -> org.aigcmark.text.watermark.WatermarkScheme.GUMBEL;
            default -> throw org.aigcmark.AigcmarkException.invalid("--text-scheme must be kgw or gumbel, got " + textScheme);
        }, tokenizer);
        return metadataOnly ? d.metadataOnly() : d;
    }

    private ObjectNode resultOptions;

    /**
     * What shapes a result, as {@link #build} set it up: scan's journal compares it before reusing results. Keys and
     * anchors appear as fingerprints, never secrets; effective values (OCR on only when its models were found).
     */
    ObjectNode resultOptions() {
        if (resultOptions == null) {
            throw new IllegalStateException("build() first");
        }
        return resultOptions.deepCopy();
    }

    private ObjectNode describe(List<EvidenceCheck> checks, List<java.security.PublicKey> trusted,
                                List<java.security.cert.X509Certificate> anchors) {
        ObjectNode n = ReportJson.MAPPER.createObjectNode();
        n.put("aigcmark", RootCommand.class.getAnnotation(picocli.CommandLine.Command.class).version()[0]);
        sorted(n.putArray("watermarkKeys"), watermarkKeys.stream().map(WatermarkKey::fingerprint));
        n.put("watermarkSearch", watermarkSearch.toLowerCase(java.util.Locale.ROOT));
        n.put("metadataOnly", metadataOnly);
        n.put("ocr", checks.stream().anyMatch(c -> c instanceof VisibleLabelCheck));
        sorted(n.putArray("models"), metadataOnly ? java.util.stream.Stream.empty() : modelSpecs.stream().map(DetectorOptions::sha256));
        n.put("forensic", forensic && !metadataOnly);
        n.put("textWatermark", textScheme.toLowerCase(java.util.Locale.ROOT) + "/" + tokenizer);
        sorted(n.putArray("publicKeys"), trusted.stream().map(LabelKeys::keyId));
        sorted(n.putArray("c2paTrust"), anchors.stream().map(DetectorOptions::sha256));
        return n;
    }

    private static void sorted(ArrayNode into, java.util.stream.Stream<String> values) {
        values.sorted().distinct().forEach(into::add);
    }

    private static String sha256(Object fileOrCert) {
        try {
            byte[] bytes = fileOrCert instanceof Path p ? java.nio.file.Files.readAllBytes(p)
                    : ((java.security.cert.X509Certificate) fileOrCert).getEncoded();
            return org.aigcmark.io.Sha256.hex(bytes);
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            return "unreadable:" + fileOrCert; // build() already read it, so this does not happen in practice
        }
    }

    /** A model check; face-swap models get the BlazeFace stage from the models folder. */
    private ModelScoreCheck openModel(Path specFile) {
        ModelSpec spec = ModelSpec.read(specFile);
        FaceDetector faces = null;
        if (spec.faceCrop()) {
            Path dir = models != null ? models : ModelStore.defaultDirectory();
            Path blazeFace = FaceDetector.find(dir).orElseThrow(() -> org.aigcmark.AigcmarkException.invalid("model " + spec.name()
                    + " scores faces but BlazeFace is not in " + dir + " (run detect/tools/fetch-blazeface.sh " + dir + ")"));
            faces = FaceDetector.open(blazeFace, gpu);
            opened.add(faces);
        }
        OnnxImageClassifier classifier = OnnxImageClassifier.open(spec, gpu);
        ModelScoreCheck check = ModelScoreCheck.of(classifier, faces, ModelScoreCheck.DEFAULT_REPORT_THRESHOLD);
        if (faces != null) {
            opened.remove(faces); // the check closes it now
        }
        opened.add(check);
        return check;
    }

    @Override
    public void close() {
        if (built != null) {
            built.close();
        }
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                // closing is best effort; native sessions die with the process anyway
            }
        }
    }
}
