package org.aigcmark.detect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Labeler;
import org.aigcmark.detect.model.BundledModels;
import org.aigcmark.detect.model.FaceDetector;
import org.aigcmark.detect.model.ModelSpec;
import org.aigcmark.detect.model.OnnxImageClassifier;
import org.aigcmark.detect.ocr.ModelStore;
import org.aigcmark.detect.ocr.OcrModels;
import org.aigcmark.detect.ocr.VisibleLabelFinder;
import org.aigcmark.detection.Detector;
import org.aigcmark.detection.EvidenceCheck;
import org.aigcmark.detection.forensic.ForensicSignalCheck;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.io.Sha256;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.report.ReportJson;
import org.aigcmark.text.watermark.WatermarkScheme;
import org.aigcmark.watermark.WatermarkOptions;

/**
 * Plain values that say how to build a {@link Detector}: the options of the CLI's {@code detect} and {@code scan}
 * ({@code --key}, {@code --public-key}, {@code --c2pa-trust}, {@code --metadata-only}, {@code --models},
 * {@code --no-ocr}, {@code --gpu}, {@code --model}, {@code --watermark-search}, {@code --text-scheme},
 * {@code --tokenizer}, {@code --forensic}), for the CLI and for engines that build their detectors elsewhere
 * (a Spark executor, a stream task). Serializable: files are named by path strings and read by {@link #build}, where
 * the detector is made, so keys and models must be readable there ({@link #resolve} maps the names first, e.g. to
 * files a cluster shipped). Immutable; {@link #defaults()} then the {@code with...} methods.
 *
 * @param keys watermark key files to look for ({@code aigcmark keygen --alg watermark})
 * @param publicKeys public key PEMs that verify label signatures
 * @param c2paTrust PEM files of X.509 trust anchors for C2PA signatures
 * @param metadataOnly read metadata only: no pixel decode, watermark, OCR or model
 * @param models the OCR models folder, or null for {@link ModelStore#defaultDirectory()} (OCR is then skipped,
 *     with a note, when no models are there; a folder given and empty is an error)
 * @param noOcr do not look for visible labels in the pixels
 * @param gpu run the ONNX models on CUDA when the GPU runtime is present
 * @param modelSpecs ONNX classifier spec JSON files ({@code docs/DETECT-MODELS.md}), or names of bundled models
 *     ({@link BundledModels}: {@code mesonet}, {@code mesonet-df}, ...)
 * @param watermarkSearch {@code full}, {@code quick} or {@code own} (the image's own geometry only)
 * @param textScheme the text watermark scheme: {@code kgw} or {@code gumbel}
 * @param tokenizer the text watermark's tokenizer: {@code o200k_base} or {@code cl100k_base}
 * @param forensic add the weight-free forensic signals as weak evidence
 * @param ocrRegion where OCR looks for visible labels: {@code whole} (the whole image, the default) or {@code bands}
 *     (the outer 20% of each side only: cheaper, but a label elsewhere is missed)
 * @param ocrMaxSide the OCR detector's input is at most this many pixels on its longer side (64..4096; larger finds
 *     smaller text and costs more; default {@link VisibleLabelFinder#DEFAULT_LIMIT_SIDE})
 * @param onnxThreads threads each OCR session of ONNX Runtime may use (0..256; 0, the default, is its own choice, one
 *     a core): a service or scan that runs W detections at once on C cores sets C / W, so the sessions do not ask for
 *     W x C threads on C cores; results do not depend on it
 */
public record DetectorSettings(List<String> keys, List<String> publicKeys, List<String> c2paTrust, boolean metadataOnly,
                               String models, boolean noOcr, boolean gpu, List<String> modelSpecs, String watermarkSearch,
                               String textScheme, String tokenizer, boolean forensic, String ocrRegion,
                               int ocrMaxSide, int onnxThreads) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the lists (unmodifiable, serializable) and checks the named choices. */
    public DetectorSettings {
        keys = List.copyOf(keys);
        publicKeys = List.copyOf(publicKeys);
        c2paTrust = List.copyOf(c2paTrust);
        modelSpecs = List.copyOf(modelSpecs);
        watermarkSearch = watermarkSearch.toLowerCase(Locale.ROOT);
        textScheme = textScheme.toLowerCase(Locale.ROOT);
        if (WatermarkOptions.Search.byName(watermarkSearch).isEmpty()) {
            throw AigcmarkException.invalid("--watermark-search must be full, quick, own or deep, got " + watermarkSearch);
        }
        if (!textScheme.equals("kgw") && !textScheme.equals("gumbel")) {
            throw AigcmarkException.invalid("--text-scheme must be kgw or gumbel, got " + textScheme);
        }
        ocrRegion = ocrRegion.toLowerCase(Locale.ROOT);
        if (!ocrRegion.equals("whole") && !ocrRegion.equals("bands")) {
            throw AigcmarkException.invalid("--ocr-region must be whole or bands, got " + ocrRegion);
        }
        ocrOptions(ocrRegion, ocrMaxSide, false, onnxThreads); // checks the side and the threads
    }

    /** The settings without the OCR search settings (whole image, default detector input). */
    public DetectorSettings(List<String> keys, List<String> publicKeys, List<String> c2paTrust, boolean metadataOnly,
                            String models, boolean noOcr, boolean gpu, List<String> modelSpecs, String watermarkSearch,
                            String textScheme, String tokenizer, boolean forensic) {
        this(keys, publicKeys, c2paTrust, metadataOnly, models, noOcr, gpu, modelSpecs, watermarkSearch, textScheme,
                tokenizer, forensic, "whole", VisibleLabelFinder.DEFAULT_LIMIT_SIDE, 0);
    }

    /** With this OCR search: {@code region} {@code whole} or {@code bands}, detector input at most {@code maxSide}. */
    public DetectorSettings withOcrSearch(String region, int maxSide) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, models, noOcr, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, region, maxSide, onnxThreads);
    }

    /**
     * With {@code n} ONNX Runtime threads for each OCR session (0: its default, one a core). Not part of {@link
     * #describe}: it changes how fast, not what is found.
     */
    public DetectorSettings withOnnxThreads(int n) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, models, noOcr, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, n);
    }

    /** The threads each ONNX session gets when {@code workers} detections run at once on {@code cores} cores. */
    public static int onnxThreadsFor(int cores, int workers) {
        return Math.max(1, cores / Math.max(1, workers));
    }

    /** The finder options these settings ask for. */
    static VisibleLabelFinder.Options ocrOptions(String region, int maxSide, boolean gpu, int threads) {
        return VisibleLabelFinder.Options.defaults().withCuda(gpu)
                .withBandFraction(region.equals("bands") ? VisibleLabelFinder.DEFAULT_BAND : VisibleLabelFinder.WHOLE_IMAGE)
                .withLimitSide(maxSide).withIntraOpThreads(threads);
    }

    /** The CLI's defaults: no keys, full search, OCR on when its models are in the default folder, KGW/o200k_base. */
    public static DetectorSettings defaults() {
        return new DetectorSettings(List.of(), List.of(), List.of(), false, null, false, false, List.of(), "full", "kgw",
                "o200k_base", false);
    }

    /** With these watermark key files. */
    public DetectorSettings withKeys(List<String> files) {
        return new DetectorSettings(files, publicKeys, c2paTrust, metadataOnly, models, noOcr, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** With these public key PEMs for label signatures. */
    public DetectorSettings withPublicKeys(List<String> files) {
        return new DetectorSettings(keys, files, c2paTrust, metadataOnly, models, noOcr, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** With these C2PA trust anchor PEMs. */
    public DetectorSettings withC2paTrust(List<String> files) {
        return new DetectorSettings(keys, publicKeys, files, metadataOnly, models, noOcr, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** Metadata only (true) or every check (false). */
    public DetectorSettings withMetadataOnly(boolean on) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, on, models, noOcr, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** With this OCR models folder (null: the default folder). */
    public DetectorSettings withModels(String folder) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, folder, noOcr, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** Without OCR (true) or with it when its models are found (false). */
    public DetectorSettings withNoOcr(boolean off) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, models, off, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** The ONNX models on CUDA when present (true) or on the CPU (false). */
    public DetectorSettings withGpu(boolean on) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, models, noOcr, on, modelSpecs,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** With these ONNX classifier spec files. */
    public DetectorSettings withModelSpecs(List<String> files) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, models, noOcr, gpu, files,
                watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** With this watermark search: {@code full}, {@code quick} or {@code own}. */
    public DetectorSettings withWatermarkSearch(String search) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, models, noOcr, gpu, modelSpecs,
                search, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** With this text watermark scheme ({@code kgw}, {@code gumbel}) and tokenizer. */
    public DetectorSettings withTextWatermark(String scheme, String tokenizerName) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, models, noOcr, gpu, modelSpecs,
                watermarkSearch, scheme, tokenizerName, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /** With (true) or without the forensic signals. */
    public DetectorSettings withForensic(boolean on) {
        return new DetectorSettings(keys, publicKeys, c2paTrust, metadataOnly, models, noOcr, gpu, modelSpecs,
                watermarkSearch, textScheme, tokenizer, on, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /**
     * The same settings with every file name passed through {@code where} (keys, public keys, trust anchors, model
     * specs and the models folder): e.g. to the copy a cluster shipped to this machine.
     */
    public DetectorSettings resolve(UnaryOperator<String> where) {
        return new DetectorSettings(keys.stream().map(where).toList(), publicKeys.stream().map(where).toList(),
                c2paTrust.stream().map(where).toList(), metadataOnly, models == null ? null : where.apply(models), noOcr,
                gpu, modelSpecs.stream().map(where).toList(), watermarkSearch, textScheme, tokenizer, forensic, ocrRegion, ocrMaxSide, onnxThreads);
    }

    /**
     * The watermark keys, read from {@link #keys()}.
     *
     * @throws AigcmarkException {@code KEY_INVALID} for a file that is not a watermark key
     */
    public List<WatermarkKey> watermarkKeys() {
        return keys.stream().map(f -> WatermarkKey.read(Path.of(f))).toList();
    }

    /**
     * The label signature keys, read from {@link #publicKeys()}.
     *
     * @throws AigcmarkException {@code KEY_INVALID} for a file that is not an Ed25519 or SM2 public key
     */
    public List<PublicKey> trustedKeys() {
        return publicKeys.stream().map(f -> LabelKeys.readPublicKey(Path.of(f))).toList();
    }

    /**
     * The C2PA trust anchors, read from {@link #c2paTrust()}.
     *
     * @throws AigcmarkException {@code KEY_INVALID} or {@code INPUT_UNREADABLE} for a file without a certificate
     */
    public List<X509Certificate> trustAnchors() {
        return C2paValidator.fromPemFiles(c2paTrust.stream().map(Path::of).toList()).trustAnchors();
    }

    /**
     * Reads the keys and opens the models, and returns the detector; the caller owns it and closes it (ONNX sessions).
     * On failure whatever was opened is closed.
     *
     * @param notes receives what was left out and why (e.g. OCR without its models), one line each
     * @throws AigcmarkException {@code KEY_INVALID} for a bad key file, {@code INVALID_ARGUMENT} for a models folder
     *     or spec that cannot be used
     */
    public Detector build(Consumer<String> notes) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            List<EvidenceCheck> checks = new ArrayList<>();
            if (!metadataOnly && !noOcr) {
                Path dir = modelsFolder();
                OcrModels found = models != null ? ModelStore.standard().locate(dir) : ModelStore.standard().find(dir).orElse(null);
                if (found == null) {
                    notes.accept("visible-label OCR skipped: no models in " + dir + " (run 'aigcmark models fetch')");
                    // The report says it too: a label drawn in the pixels would go unseen, which is not "no label".
                    checks.add(EvidenceCheck.notRun(VisibleLabelCheck.NAME, "no OCR models in " + dir
                            + " (run 'aigcmark models fetch'); a label drawn in the pixels would not be found"));
                } else {
                    VisibleLabelCheck ocr = VisibleLabelCheck.open(found, ocrOptions(ocrRegion, ocrMaxSide, gpu, onnxThreads));
                    opened.add(ocr);
                    checks.add(ocr);
                }
            }
            if (!metadataOnly) {
                for (String specFile : modelSpecs) {
                    ModelScoreCheck check = openModel(specFile, opened);
                    opened.add(check);
                    checks.add(check);
                }
                if (forensic) {
                    checks.add(ForensicSignalCheck.standard());
                }
            }
            List<WatermarkKey> watermarkKeys = watermarkKeys();
            List<PublicKey> trusted = trustedKeys();
            List<X509Certificate> anchors = trustAnchors();
            Detector d = Detector.create(Labeler.create(), watermarkKeys, trusted, checks);
            opened.clear(); // the detector owns the checks now
            d = d.withC2paTrustAnchors(anchors);
            WatermarkOptions.Search search = WatermarkOptions.Search.byName(watermarkSearch).orElseThrow();
            if (search != WatermarkOptions.Search.FULL) { // FULL is the detector's own default
                d = d.withWatermarkSearch(search);
            }
            d = d.withTextWatermark(textScheme.equals("gumbel") ? WatermarkScheme.GUMBEL : WatermarkScheme.KGW, tokenizer);
            return metadataOnly ? d.metadataOnly() : d;
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * What shapes a result, for comparing runs (the scan journal): key and anchor fingerprints, never secrets, and
     * effective values ({@code ocr} true only when {@code built} runs OCR, i.e. its models were found).
     *
     * @param built the detector {@link #build} made from these settings
     */
    public ObjectNode describe(Detector built) {
        ObjectNode n = ReportJson.MAPPER.createObjectNode();
        sorted(n.putArray("watermarkKeys"), watermarkKeys().stream().map(WatermarkKey::fingerprint));
        n.put("watermarkSearch", watermarkSearch);
        n.put("metadataOnly", metadataOnly);
        n.put("ocr", built.checks().stream().anyMatch(c -> c instanceof VisibleLabelCheck));
        n.put("ocrSearch", ocrRegion + "/" + ocrMaxSide);
        sorted(n.putArray("models"), metadataOnly ? Stream.empty() : modelSpecs.stream()
                .map(f -> bundled(f) ? "bundled:" + BundledModels.spec(f).sha256() : sha256(Path.of(f))));
        n.put("forensic", forensic && !metadataOnly);
        n.put("textWatermark", textScheme + "/" + tokenizer);
        sorted(n.putArray("publicKeys"), trustedKeys().stream().map(LabelKeys::keyId));
        sorted(n.putArray("c2paTrust"), trustAnchors().stream().map(DetectorSettings::sha256));
        return n;
    }

    private Path modelsFolder() {
        return models != null ? Path.of(models) : ModelStore.defaultDirectory();
    }

    /** A spec file, or a bundled model's name ({@code mesonet}) when no such file exists. */
    private static boolean bundled(String specOrName) {
        return BundledModels.isBundled(specOrName) && !Files.exists(Path.of(specOrName));
    }

    /** A model check; face-swap models get the BlazeFace stage from the models folder. */
    private ModelScoreCheck openModel(String specOrName, List<AutoCloseable> opened) {
        boolean isBundled = bundled(specOrName);
        ModelSpec spec = isBundled ? BundledModels.spec(specOrName) : ModelSpec.read(Path.of(specOrName));
        FaceDetector faces = null;
        if (spec.faceCrop()) {
            Path dir = modelsFolder();
            Path blazeFace = FaceDetector.find(dir).orElseThrow(() -> AigcmarkException.invalid("model " + spec.name()
                    + " scores faces but BlazeFace is not in " + dir + " (run 'aigcmark models fetch blazeface --dir " + dir + "')"));
            faces = FaceDetector.open(blazeFace, gpu);
            opened.add(faces);
        }
        OnnxImageClassifier classifier = isBundled ? BundledModels.open(specOrName, gpu) : OnnxImageClassifier.open(spec, gpu);
        ModelScoreCheck check = ModelScoreCheck.of(classifier, faces, ModelScoreCheck.DEFAULT_REPORT_THRESHOLD);
        if (faces != null) {
            opened.remove(faces); // the check closes it now
        }
        return check;
    }

    private static void sorted(ArrayNode into, Stream<String> values) {
        values.sorted().distinct().forEach(into::add);
    }

    private static String sha256(Object fileOrCert) {
        try {
            byte[] bytes = fileOrCert instanceof Path p ? Files.readAllBytes(p) : ((X509Certificate) fileOrCert).getEncoded();
            return Sha256.hex(bytes);
        } catch (IOException | GeneralSecurityException e) {
            return "unreadable:" + fileOrCert; // build() already read it, so this does not happen in practice
        }
    }
}
