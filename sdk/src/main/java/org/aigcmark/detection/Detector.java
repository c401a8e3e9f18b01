package org.aigcmark.detection;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.Label;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.text.TextChecker;
import org.aigcmark.text.TextFindings;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.SdxlWatermarkDecoder;
import org.aigcmark.watermark.ThirdPartyMark;
import org.aigcmark.watermark.WatermarkDetection;
import org.aigcmark.watermark.WatermarkPayload;

/**
 * Runs every available check on a file and decides the platform label (CAC Measures Art. 6, GB 45438 §5):
 * metadata records (all containers, signatures), our keyed watermark, third-party watermarks (SD/SDXL),
 * IPTC DigitalSourceType, C2PA presence, generator metadata, and any {@link EvidenceCheck}s plugged in (OCR, models).
 *
 * <p>Rules, first match wins: a record with Label 1/2/3 → that label ("metadata"; with several records, a validly
 * signed one first, else the highest label, see {@link #deciding}); our watermark → "1"
 * ("watermark"); the user declared AI → "2" ("user-declared"); any trace → "3" ("traces"); else no label: "none",
 * or "unchecked" when the file is damaged and its pixels could not be decoded (not fully checked, never a clean
 * "none"). A damaged image is still searched as far as ImageIO decodes it. Immutable and thread-safe.
 */
public final class Detector implements AutoCloseable {
    private final Labeler labeler;
    private final List<WatermarkKey> watermarkKeys;
    private final List<ImageWatermarker> watermarkers;
    private final List<PublicKey> trustedKeys;
    private final OwnedChecks checks;
    private final List<MediaCheck> mediaChecks;
    private final TextChecker text;
    private final boolean pixelChecks;
    private final org.aigcmark.format.c2pa.C2paValidator c2pa;
    /** null unless a benchmark asked for stage timings */
    private final DetectionTimings timings;

    private Detector(Labeler labeler, List<WatermarkKey> keys, List<ImageWatermarker> watermarkers, List<PublicKey> trusted,
                     OwnedChecks checks, List<MediaCheck> mediaChecks, TextChecker text, boolean pixelChecks,
                     org.aigcmark.format.c2pa.C2paValidator c2pa, DetectionTimings timings) {
        this.c2pa = c2pa;
        this.labeler = labeler;
        this.pixelChecks = pixelChecks;
        this.watermarkKeys = List.copyOf(keys);
        this.watermarkers = List.copyOf(watermarkers);
        this.trustedKeys = List.copyOf(trusted);
        this.checks = checks;
        this.mediaChecks = List.copyOf(mediaChecks);
        this.text = text;
        this.timings = timings;
    }

    /**
     * A detector that looks for our watermark under {@code watermarkKeys} (images, video frames, text), verifies
     * record signatures with {@code trustedKeys}, and runs {@code checks} on decoded pixels. It owns the checks from
     * now on: {@link #close()} closes them (ONNX sessions). Media checks (video frames) are the ones on the class path
     * ({@link MediaCheck}, found by {@link java.util.ServiceLoader}).
     */
    public static Detector create(Labeler labeler, List<WatermarkKey> watermarkKeys, List<PublicKey> trustedKeys,
                                  List<EvidenceCheck> checks) {
        return new Detector(labeler, watermarkKeys, watermarkKeys.stream().map(ImageWatermarker::create).toList(),
                trustedKeys, new OwnedChecks(checks), InstalledMediaChecks.ALL, TextChecker.of(watermarkKeys), true,
                org.aigcmark.format.c2pa.C2paValidator.NO_ANCHORS, null);
    }

    /** A detector that reads metadata only (no pixel decode: no watermarks, no pixel checks); for bulk triage. */
    public Detector metadataOnly() {
        return new Detector(labeler, watermarkKeys, watermarkers, trustedKeys, checks, mediaChecks, text, false, c2pa, timings);
    }

    /** A detector that validates C2PA manifests against these X.509 trust anchors (none by default). */
    public Detector withC2paTrustAnchors(List<java.security.cert.X509Certificate> anchors) {
        return new Detector(labeler, watermarkKeys, watermarkers, trustedKeys, checks, mediaChecks, text, pixelChecks,
                new org.aigcmark.format.c2pa.C2paValidator(anchors), timings);
    }

    /**
     * The same detector with this watermark search effort: {@code QUICK} (any orientation, crops, borders and small
     * rotations, about 38 ms per unmarked 1080p image) for high-volume screening, {@code OWN_GEOMETRY} (about 10 ms),
     * {@code FULL} (the default, about 90 ms) to also find aspect changes, larger rotations and their combinations.
     */
    public Detector withWatermarkSearch(org.aigcmark.watermark.WatermarkOptions.Search search) {
        org.aigcmark.watermark.WatermarkOptions options = org.aigcmark.watermark.WatermarkOptions.defaults().withSearch(search);
        return new Detector(labeler, watermarkKeys, watermarkKeys.stream().map(k -> ImageWatermarker.create(k, options)).toList(),
                trustedKeys, checks, mediaChecks, text, pixelChecks, c2pa, timings);
    }

    /** The same detector, testing the text watermark of this scheme with this tokenizer (default: KGW, o200k_base). */
    public Detector withTextWatermark(org.aigcmark.text.watermark.WatermarkScheme scheme, String tokenizer) {
        return new Detector(labeler, watermarkKeys, watermarkers, trustedKeys, checks, mediaChecks,
                text.withWatermark(scheme, tokenizer), pixelChecks, c2pa, timings);
    }

    /** The same detector with these media checks instead of the installed ones (none: videos get metadata only). */
    public Detector withMediaChecks(List<MediaCheck> media) {
        return new Detector(labeler, watermarkKeys, watermarkers, trustedKeys, checks, media, text, pixelChecks, c2pa, timings);
    }

    /** The same detector, adding the thread time of each stage of every detection to {@code timings}. */
    public Detector withTimings(DetectionTimings timings) {
        return new Detector(labeler, watermarkKeys, watermarkers, trustedKeys, checks, mediaChecks, text, pixelChecks, c2pa, timings);
    }

    /** The pixel checks this detector runs (and owns). */
    public List<EvidenceCheck> checks() {
        return checks.list;
    }

    /**
     * Closes the pixel checks it was built with (native sessions). The copies made by the {@code with...} methods
     * share them, so closing any one closes them for all: close once, when done with every copy. Idempotent.
     */
    @Override
    public void close() {
        checks.close();
    }

    /** The checks a detector and its copies share, closed once. */
    private static final class OwnedChecks {
        final List<EvidenceCheck> list;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        OwnedChecks(List<EvidenceCheck> list) {
            this.list = List.copyOf(list);
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            RuntimeException first = null;
            for (EvidenceCheck c : list) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** The media checks on the class path, loaded once. */
    private static final class InstalledMediaChecks {
        static final List<MediaCheck> ALL = org.aigcmark.internal.Plugins.load(MediaCheck.class);
    }

    private long now() {
        return timings == null ? 0 : DetectionTimings.now();
    }

    private void stage(DetectionTimings.Stage stage, long startNanos) {
        if (timings != null) {
            timings.add(stage, startNanos);
        }
    }

    /**
     * Detects one file: one report with the evidence, the problems and the verdict. {@code userDeclared} says the
     * uploader declared the content AI-generated (the Label 2 rule). MP4/MOV/M4A and MKV/WebM are read from disk
     * with bounded memory; other files are read whole, under the labeler's {@link Limits}.
     * Damage and checks that fail are problems in the report, not exceptions.
     *
     * @throws AigcmarkException {@code INPUT_UNREADABLE} when the file is missing, a folder or unreadable;
     *     {@code UNSUPPORTED_FORMAT} for a format no handler reads; {@code CORRUPT_INPUT} for an empty file or one the
     *     parser cannot make sense of; {@code LIMIT_EXCEEDED} over the size limit
     */
    public DetectionReport detect(Path file, boolean userDeclared) {
        return detect(file, userDeclared, null);
    }

    /** As {@link #detect(Path, boolean)}; {@code pixels}, when given, also receives the decoded image. */
    public DetectionReport detect(Path file, boolean userDeclared, java.util.function.Consumer<BufferedImage> pixels) {
        return detect(file, file.toString(), userDeclared, pixels);
    }

    /**
     * As {@link #detect(Path, boolean)}, the report calling the file {@code name} (a service that spooled an upload
     * to a temp file reports it by the upload's name, with the memory bounds of the Path route).
     */
    public DetectionReport detect(Path file, String name, boolean userDeclared) {
        return detect(file, name, userDeclared, null);
    }

    private DetectionReport detect(Path file, String name, boolean userDeclared, java.util.function.Consumer<BufferedImage> pixels) {
        long t = now();
        Optional<byte[]> whole = labeler.readUnlessStreaming(file);
        if (whole.isEmpty()) {
            // A video whose container streams: its metadata is read from disk, never the whole file (no pixels here)
            InspectReport meta = labeler.inspect(file, name, trustedKeys, c2pa);
            return detect(meta, null, file, name, userDeclared, pixels, t);
        }
        stage(DetectionTimings.Stage.READ, t);
        t = now();
        InspectReport meta = labeler.inspect(whole.get(), name, trustedKeys, c2pa);
        return detect(meta, whole.get(), file, name, userDeclared, pixels, t);
    }

    /**
     * As {@link #detect(Path, boolean)} for bytes in memory; {@code name} is what the report and messages call them.
     * A video given in memory is written to a temporary file for the media check, and that file is deleted after.
     */
    public DetectionReport detect(byte[] bytes, String name, boolean userDeclared) {
        return detect(bytes, name, userDeclared, null);
    }

    /** As {@link #detect(byte[], String, boolean)}; {@code pixels}, when given, also receives the decoded image. */
    public DetectionReport detect(byte[] bytes, String name, boolean userDeclared,
                                  java.util.function.Consumer<BufferedImage> pixels) {
        long t = now();
        InspectReport meta = labeler.inspect(bytes, name, trustedKeys, c2pa);
        return detect(meta, bytes, null, name, userDeclared, pixels, t);
    }

    /**
     * The verdict on what inspect found; {@code bytes} (null for a streamed file) serve the pixel and text checks,
     * {@code file} (null for bytes given in memory) the media checks.
     */
    private DetectionReport detect(InspectReport meta, byte[] bytes, Path file, String name, boolean userDeclared,
                                   java.util.function.Consumer<BufferedImage> pixels, long t) {
        List<Evidence> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>(meta.problems());
        for (InspectReport.FoundLabel f : meta.labels()) {
            boolean valid = f.signature() == LabelSignatures.Status.VALID;
            Map<String, Object> d = new LinkedHashMap<>(f.label().toMap());
            d.put("signature", f.signature().json());
            evidence.add(new Evidence("metadata:" + f.source(), Evidence.Kind.AIGC_LABEL,
                    valid ? Evidence.Strength.PROOF : Evidence.Strength.STRONG,
                    "AIGC record, Label " + f.label().label() + signatureNote(f), d));
        }
        for (ContainerScan.Hint h : meta.hints()) {
            if (h.kind() == ContainerScan.HintKind.IPTC_DIGITAL_SOURCE_TYPE && isAiSourceType(h.value())) {
                evidence.add(new Evidence("metadata:" + h.source(), Evidence.Kind.IPTC_DIGITAL_SOURCE_TYPE, Evidence.Strength.TRACE,
                        "IPTC DigitalSourceType says the content was made by an algorithm", Map.of("value", h.value())));
            } else if (h.kind() == ContainerScan.HintKind.EXPLICIT_LABEL) {
                evidence.add(new Evidence("content:" + h.source(), Evidence.Kind.EXPLICIT_LABEL, Evidence.Strength.TRACE,
                        "explicit AI label prompt in the text: \"" + h.value() + "\"", Map.of("text", h.value())));
            } else if (h.kind() == ContainerScan.HintKind.GENERATOR && isGeneratorTrace(h)) {
                evidence.add(new Evidence("metadata:" + h.source(), Evidence.Kind.GENERATOR_METADATA, Evidence.Strength.TRACE,
                        "generator metadata: " + h.value(), Map.of("value", h.value())));
            }
        }
        for (int i = 0; i < meta.c2pa().size(); i++) {
            var m = i < meta.c2paManifests().size() ? meta.c2paManifests().get(i) : null;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("location", meta.c2pa().get(i));
            if (m != null) {
                d.put("claimGenerator", String.valueOf(m.claimGenerator()));
                d.put("digitalSourceTypes", m.digitalSourceTypes());
                d.put("signaturePresent", m.signaturePresent());
                d.put("validation", m.validation().status().id());
                if (m.validation().reason() != null) {
                    d.put("validationReason", m.validation().reason());
                }
                if (m.validation().signer() != null) {
                    d.put("signer", m.validation().signer());
                }
            }
            String status = m == null ? "not validated" : "validation: " + m.validation().status().id();
            String what = m != null && m.declaresAi()
                    ? "a C2PA manifest declares AI generation (" + String.join(", ", m.digitalSourceTypes()) + "; " + status + ")"
                    : "a C2PA manifest store is present (" + status + ")";
            evidence.add(new Evidence("metadata:" + meta.c2pa().get(i), Evidence.Kind.C2PA_MANIFEST, Evidence.Strength.TRACE, what, d));
        }

        stage(DetectionTimings.Stage.METADATA, t);

        Optional<WatermarkDetection> wm = Optional.empty();
        Optional<Boolean> matches = Optional.empty();
        List<ThirdPartyMark> thirdParty = new ArrayList<>();
        DecodedPixels decoded = null;
        String pixelsUnchecked = null;
        if (pixelChecks && bytes != null && isImage(meta.format())) {
            t = now();
            // A damaged image is still searched as far as it decodes: a lost EOI must not hide a watermark
            decoded = meta.damaged() ? salvageQuietly(bytes, meta, name, problems) : decodeQuietly(bytes, name, problems);
            stage(DetectionTimings.Stage.DECODE, t);
            if (decoded == null) {
                pixelsUnchecked = "the pixels could not be decoded";
            }
        } else if (!pixelChecks && isImage(meta.format())) {
            pixelsUnchecked = "metadata-only detection decodes no pixels";
        }
        if (decoded != null && pixels != null) {
            t = now();
            pixels.accept(decoded.image());
            stage(DetectionTimings.Stage.CONSUMER, t);
        }
        if (decoded != null) {
            int w = decoded.width();
            int h = decoded.height();
            t = now();
            for (int i = 0; i < watermarkers.size(); i++) {
                WatermarkDetection d = watermarkers.get(i).detectRgb(decoded.rgb(), w, h);
                if (wm.isEmpty() || d.detected()) {
                    wm = Optional.of(d);
                }
                if (d.detected()) {
                    WatermarkKey key = watermarkKeys.get(i);
                    matches = matchesLabel(meta, List.of(key), d.payload().map(WatermarkPayload::hex));
                    Map<String, Object> det = new LinkedHashMap<>();
                    det.put("payload", d.payload().map(WatermarkPayload::hex).orElse(""));
                    det.put("falsePositiveProbability", d.falsePositiveProbability());
                    matches.ifPresent(m -> det.put("matchesLabel", m));
                    evidence.add(new Evidence("watermark:aigcmark", Evidence.Kind.WATERMARK, Evidence.Strength.STRONG,
                            "aigcmark watermark found (payload " + d.payload().map(WatermarkPayload::hex).orElse("") + ")", det));
                    break;
                }
            }
            stage(DetectionTimings.Stage.WATERMARK, t);
            t = now();
            // The packed RGB if our watermark made it; else straight from the image rows (no frame-sized copy).
            ThirdPartyMark sdxl = decoded.hasRgb() ? SdxlWatermarkDecoder.detectRgb(decoded.rgb(), w, h)
                    : SdxlWatermarkDecoder.detect(decoded.image());
            thirdParty.add(sdxl);
            if (sdxl.detected()) {
                evidence.add(new Evidence("watermark:" + sdxl.scheme(), Evidence.Kind.THIRD_PARTY_WATERMARK, Evidence.Strength.TRACE,
                        "Stable Diffusion invisible watermark (" + sdxl.matchingBits() + "/" + sdxl.totalBits() + " bits)",
                        Map.of("falsePositiveProbability", sdxl.falsePositiveProbability())));
            }
            stage(DetectionTimings.Stage.SDXL, t);
            t = now();
            for (EvidenceCheck c : checks.list) {
                try {
                    evidence.addAll(c.check(decoded.image(), problems));
                } catch (AigcmarkException e) {
                    problems.add(c.name() + ": " + e.getMessage());
                }
            }
            stage(DetectionTimings.Stage.CHECKS, t);
        }
        Optional<TextFindings> textFindings = Optional.empty();
        if (bytes != null && isText(meta.format())) {
            textFindings = checkText(bytes, name, evidence, problems);
        }
        Optional<MediaFindings> media = Optional.empty();
        if (pixelChecks && !meta.damaged()) {
            MediaCheck mc = mediaChecks.stream().filter(c -> c.handles(meta.format())).findFirst().orElse(null);
            if (mc != null) {
                t = now();
                media = checkMedia(mc, meta, bytes, file, evidence, problems);
                if (media.isPresent() && media.get().watermark().detected()) {
                    matches = matchesLabel(meta, watermarkKeys, media.get().watermark().payloadHex());
                    evidence.add(mediaWatermarkEvidence(media.get().watermark(), matches));
                }
                stage(DetectionTimings.Stage.CHECKS, t);
            }
        }
        t = now();
        Verdict verdict = decide(meta, evidence, userDeclared, problems);
        if (verdict.label().isEmpty() && meta.damaged() && decoded == null) {
            // Nothing found in a file that could not be read whole is not a clean "no label"
            verdict = new Verdict(Optional.empty(), Verdict.Rule.UNCHECKED, "the file is damaged"
                    + (pixelsUnchecked == null ? " (" + meta.problems().get(0) + ")" : " and " + pixelsUnchecked)
                    + ", so it was not fully checked; no label was found in what could be read");
        } else if (verdict.rule() == Verdict.Rule.NONE && meta.damaged()) {
            verdict = new Verdict(Optional.empty(), Verdict.Rule.NONE, verdict.reason() + " in what decodes of this damaged file");
        }
        DetectionReport report = new DetectionReport(meta, verdict, evidence, wm, matches, thirdParty, problems,
                Optional.ofNullable(pixelsUnchecked), media, textFindings);
        stage(DetectionTimings.Stage.VERDICT, t);
        if (timings != null) {
            timings.countFile();
        }
        return report;
    }

    /** The text checks (explicit labels, invisible characters, zero-width marks, the keyed text watermark). */
    private Optional<TextFindings> checkText(byte[] bytes, String name, List<Evidence> evidence, List<String> problems) {
        TextFindings f;
        try {
            f = text.check(org.aigcmark.text.TextFiles.decodeUtf8(bytes, name));
        } catch (AigcmarkException e) {
            problems.add("text checks: " + e.getMessage());
            return Optional.empty();
        }
        f.watermark().filter(w -> w.detection().detected()).ifPresent(w -> {
            var d = w.detection();
            Map<String, Object> det = new LinkedHashMap<>();
            det.put("scheme", d.scheme().name().toLowerCase(java.util.Locale.ROOT));
            det.put("z", d.z());
            det.put("pValue", d.pValue());
            det.put("tokensScored", d.tokensScored());
            det.put("tokenizer", w.tokenizer());
            det.put("keyFingerprint", w.keyFingerprint());
            evidence.add(new Evidence("watermark:aigcmark-text", Evidence.Kind.WATERMARK, Evidence.Strength.STRONG, String.format(
                    java.util.Locale.ROOT, "aigcmark text watermark found (%s, z = %.2f, p = %.3g over %d scored tokens)",
                    det.get("scheme"), d.z(), d.pValue(), d.tokensScored()), det));
        });
        if (!f.zeroWidthTags().isEmpty()) {
            boolean keyed = f.zeroWidthKeyed().orElse(false);
            evidence.add(new Evidence("content:zero-width", keyed ? Evidence.Kind.WATERMARK : Evidence.Kind.ZERO_WIDTH_MARK,
                    keyed ? Evidence.Strength.STRONG : Evidence.Strength.TRACE,
                    f.zeroWidthTags().size() + " aigcmark zero-width mark(s) in the text, "
                            + (keyed ? "made with the given key" : f.zeroWidthKeyed().isPresent() ? "made with another key"
                            : "key not checked (give --key)"),
                    Map.of("count", f.zeroWidthTags().size(), "tags", f.zeroWidthTags().stream().distinct().limit(20).toList())));
        }
        return Optional.of(f);
    }

    /** A media check (video frames) on the file, or on the bytes spilled to a temporary file when given in memory. */
    private Optional<MediaFindings> checkMedia(MediaCheck check, InspectReport meta, byte[] bytes, Path file,
                                               List<Evidence> evidence, List<String> problems) {
        Path temp = null;
        try {
            if (file == null) {
                temp = java.nio.file.Files.createTempFile("aigcmark-media-", "." + meta.format().id());
                java.nio.file.Files.write(temp, bytes);
            }
            MediaFindings f = check.check(file != null ? file : temp, new MediaCheck.Context(meta, watermarkKeys, checks.list));
            evidence.addAll(f.evidence());
            problems.addAll(f.problems());
            return Optional.of(f);
        } catch (AigcmarkException | java.io.IOException e) {
            problems.add(check.name() + ": " + e.getMessage());
            return Optional.empty();
        } finally {
            if (temp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(temp);
                } catch (java.io.IOException ignored) {
                    // a temp file left behind is the OS's to clean; the detection stands
                }
            }
        }
    }

    private static Evidence mediaWatermarkEvidence(MediaFindings.Watermark w, Optional<Boolean> matches) {
        Map<String, Object> det = new LinkedHashMap<>(w.details());
        matches.ifPresent(m -> det.put("matchesLabel", m));
        return new Evidence("watermark:aigcmark", Evidence.Kind.WATERMARK, Evidence.Strength.STRONG,
                "aigcmark watermark found " + w.where() + " (payload " + w.payloadHex().orElse("") + ")", det);
    }

    /**
     * Whether a decoded payload is bound to one of the file's records under one of {@code keys} (an image: the key that
     * found it; a video: every key); empty without records.
     */
    private static Optional<Boolean> matchesLabel(InspectReport meta, List<WatermarkKey> keys, Optional<String> payloadHex) {
        if (meta.labels().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(payloadHex.isPresent() && meta.labels().stream().anyMatch(l -> keys.stream().anyMatch(k ->
                WatermarkPayload.fromLabel(k, l.label().contentProducer(), l.label().produceId()).hex().equals(payloadHex.get()))));
    }

    static Verdict decide(InspectReport meta, List<Evidence> evidence, boolean userDeclared) {
        return decide(meta, evidence, userDeclared, new ArrayList<>());
    }

    /**
     * The verdict; a conflict between records is added to {@code problems}. Records decide first: when several
     * carry a valid Label, the one that {@link #deciding} picks wins, never the first in the file.
     */
    static Verdict decide(InspectReport meta, List<Evidence> evidence, boolean userDeclared, List<String> problems) {
        List<InspectReport.FoundLabel> records = meta.labels().stream().filter(f -> f.label().claimRank() > 0).toList();
        if (!records.isEmpty()) {
            InspectReport.FoundLabel f = deciding(records);
            String v = f.label().label();
            boolean signed = f.signature() == LabelSignatures.Status.VALID;
            boolean conflict = records.stream().map(r -> r.label().label()).distinct().count() > 1;
            String why = !conflict ? "" : signed
                    ? "; the records disagree and this one has a valid signature"
                    : "; the records disagree and none has a signature verified with a supplied key, so the highest"
                    + " label wins (1 > 2 > 3)";
            if (conflict) {
                problems.add("conflicting AIGC records: " + String.join(", ", records.stream()
                        .map(r -> "Label " + r.label().label() + " in " + r.source()
                                + (r.signature() == LabelSignatures.Status.VALID ? " (signature valid)" : "")).toList())
                        + "; the verdict takes Label " + v + " from " + f.source()
                        + (signed ? " (valid signature)" : " (highest label)") + ", not the file order");
            }
            return new Verdict(f.label().labelValue(), Verdict.Rule.METADATA, "the file carries an AIGC record with Label " + v + " (" + f.source() + ")"
                    + (f.signature() == LabelSignatures.Status.INVALID ? "; its signature is invalid" : "") + why);
        }
        if (evidence.stream().anyMatch(e -> e.kind() == Evidence.Kind.WATERMARK)) {
            return new Verdict(Optional.of(Label.AI_GENERATED), Verdict.Rule.WATERMARK, "the aigcmark watermark (a content implicit label) was found");
        }
        if (userDeclared) {
            return new Verdict(Optional.of(Label.POSSIBLY_AI), Verdict.Rule.USER_DECLARED, "no implicit label; the uploader declared the content AI-generated");
        }
        List<Evidence> traces = evidence.stream().filter(e -> e.strength() == Evidence.Strength.TRACE).toList();
        if (!traces.isEmpty()) {
            return new Verdict(Optional.of(Label.SUSPECTED_AI), Verdict.Rule.TRACES, "no implicit label, but generation traces: "
                    + String.join("; ", traces.stream().map(Evidence::summary).toList()));
        }
        return new Verdict(Optional.empty(), Verdict.Rule.NONE, "no label and no generation trace found");
    }

    /**
     * The record that decides when a file carries several (GB 45438 §6.1 c allows one, so more is already a
     * problem): a record whose signature verifies with a supplied key outranks every unverified one, because only
     * it is known to come from the key holder unaltered; among records of the same standing the highest label wins,
     * 1 ("is AI-generated") over 2 ("possibly", user-declared) over 3 ("suspected"), the order in which Measures
     * Art. 6 applies them. A weaker record beside a stronger one is what a downgrade looks like (Art. 10 forbids
     * altering labels), so the stronger claim is kept. File order never matters.
     */
    static InspectReport.FoundLabel deciding(List<InspectReport.FoundLabel> records) {
        java.util.Comparator<InspectReport.FoundLabel> strength = java.util.Comparator
                .comparing((InspectReport.FoundLabel f) -> f.signature() == LabelSignatures.Status.VALID)
                .thenComparingInt(f -> f.label().claimRank());
        return records.stream().max(strength).orElseThrow();
    }

    /** One decode per file, shared by every pixel check. */
    private DecodedPixels decodeQuietly(byte[] bytes, String name, List<String> problems) {
        try {
            FormatHandler h = labeler.handlerFor(bytes, name);
            if (h.pixels().isPresent()) {
                return DecodedPixels.of(h.pixels().get().decodeForChecks(bytes, labeler.limits()));
            }
            ContainerScan s = h.scan(bytes, labeler.limits());
            labeler.limits().checkDecode(s.width(), s.height(), bytes.length, name);
            BufferedImage img = readBounded(bytes, name);
            if (img == null) {
                problems.add("pixels could not be decoded: no decoder for " + h.type().id()
                        + (h.handles(MediaType.HEIF) ? " (HEVC/AV1: no such codec in pure Java; the metadata checks ran;"
                        + " convert it to PNG to check the pixels)" : ""));
                return null;
            }
            return DecodedPixels.of(img);
        } catch (java.io.IOException | RuntimeException e) {
            problems.add("pixels could not be decoded: " + e.getMessage());
            return null;
        }
    }

    /**
     * ImageIO's first image of {@code bytes}, its size (the decoder's, which for a GIF is the image's, not the
     * screen's the container states) checked against the limits before the raster is allocated; null when no
     * decoder reads it.
     */
    private BufferedImage readBounded(byte[] bytes, String name) throws java.io.IOException {
        try (javax.imageio.stream.ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(
                new java.io.ByteArrayInputStream(bytes))) {
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            javax.imageio.ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                labeler.limits().checkDecode(r.getWidth(0), r.getHeight(0), bytes.length, name);
                return r.read(0);
            } finally {
                r.dispose();
            }
        }
    }

    /**
     * The pixels of a damaged image, as far as ImageIO decodes them (a truncated JPEG, a PNG with a bad CRC), within
     * the same {@link Limits}: the size comes from the container's header, and an image whose size is
     * unknown is not decoded. The format's own codec refuses damaged files (it serves labelling, which must not
     * rewrite a broken file), so this path is for detection only.
     */
    private DecodedPixels salvageQuietly(byte[] bytes, InspectReport meta, String name, List<String> problems) {
        if (meta.width() <= 0 || meta.height() <= 0) {
            problems.add("pixels could not be decoded: the damaged file does not state its size");
            return null;
        }
        try (javax.imageio.stream.ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(
                new java.io.ByteArrayInputStream(bytes))) {
            long codingCeiling = switch (meta.format()) {
                case JPEG -> Limits.JPEG_PIXELS_PER_BYTE;
                case GIF -> Limits.GIF_PIXELS_PER_BYTE;
                case PNG -> Limits.deflatePixelsPerByte(1); // the bit depth of a damaged IHDR is not trusted
                default -> 0;
            };
            if (codingCeiling > 0) {
                labeler.limits().checkDecode(meta.width(), meta.height(), bytes.length, codingCeiling, name);
            } else {
                labeler.limits().checkDecode(meta.width(), meta.height(), bytes.length, name);
            }
            if (meta.format() == org.aigcmark.format.MediaType.JPEG) {
                org.aigcmark.format.jpeg.JpegHandler.checkScans(bytes);
            }
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                problems.add("pixels could not be decoded: no decoder for the damaged " + meta.format().id());
                return null;
            }
            javax.imageio.ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                if (r.getWidth(0) != meta.width() || r.getHeight(0) != meta.height()) {
                    problems.add("pixels could not be decoded: the decoder sees another size than the header");
                    return null;
                }
                BufferedImage img = r.read(0);
                problems.add("the pixels were decoded from a damaged file: the checks saw what decodes");
                return DecodedPixels.of(img);
            } finally {
                r.dispose();
            }
        } catch (java.io.IOException | RuntimeException e) {
            problems.add("pixels could not be decoded: " + (e instanceof AigcmarkException ? "" : "the file is damaged: ")
                    + e.getMessage());
            return null;
        }
    }

    /** How the record's signature stands, in the words of its first check that is not absent. */
    private static String signatureNote(InspectReport.FoundLabel f) {
        String detail = f.signatures().stream().filter(c -> c.status() == f.signature()).map(LabelSignatures.Check::detail)
                .findFirst().orElse("");
        return switch (f.signature()) {
            case VALID -> " (signature valid)";
            case INVALID -> " (signature INVALID: " + detail + ")";
            case UNVERIFIED -> " (signature unverified: " + detail + ")";
            case ABSENT -> "";
        };
    }

    /** Text checks apply to plain text and Markdown. */
    private static boolean isText(MediaType format) {
        return format == MediaType.TEXT || format == MediaType.MARKDOWN;
    }

    /** Pixel checks apply to still images; documents have none, videos go through a {@link MediaCheck}. */
    private static boolean isImage(MediaType format) {
        return switch (format) {
            case JPEG, PNG, WEBP, GIF, TIFF, HEIF, AVIF -> true;
            default -> false;
        };
    }

    private static boolean isAiSourceType(String v) {
        String t = v.substring(v.lastIndexOf('/') + 1);
        return t.equals("trainedAlgorithmicMedia") || t.equals("compositeWithTrainedAlgorithmicMedia")
                || t.equals("algorithmicMedia") || t.equals("compositeSynthetic");
    }

    private static boolean isGeneratorTrace(ContainerScan.Hint h) {
        String v = h.value();
        return v.startsWith("AUTOMATIC1111") || v.startsWith("ComfyUI") || v.toLowerCase(java.util.Locale.ROOT).matches(
                ".*(stable diffusion|midjourney|dall[-·]?e|firefly|novelai|comfyui|invokeai|fooocus|sdxl|imagen|flux).*");
    }
}
