package org.aigcmark.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.c2pa.C2paAgreement;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelSignatures;

/**
 * The stable JSON shape of reports (users' scripts depend on it): {@code format}, {@code labels[]} with the seven
 * Annex E keys plus {@code producerCode}/{@code propagatorCode} (only when the field holds a provider code with a
 * unified social credit code: {@code uscc}, {@code checksumValid}, {@code listedAs}), {@code source}, {@code form},
 * {@code problems}, {@code signature} and {@code signatures[]};
 * then {@code digitalSourceType}, {@code generators}, {@code c2pa}, {@code problems}, {@code damaged}.
 */
public final class ReportJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    /**
     * An inspect report as a JSON tree, in the shape above ({@code file}, {@code format}, {@code width} and
     * {@code height} when known, then the fields listed); a new node each call, for the caller to extend.
     */
    public static ObjectNode toNode(InspectReport r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("file", r.file());
        o.put("format", r.format().id());
        if (r.width() > 0) {
            o.put("width", r.width());
            o.put("height", r.height());
        }
        ArrayNode labels = o.putArray("labels");
        for (InspectReport.FoundLabel f : r.labels()) {
            ObjectNode l = labels.addObject();
            for (Map.Entry<String, String> e : f.label().toMap().entrySet()) {
                l.put(e.getKey(), e.getValue());
            }
            providerCode(l, "producerCode", f.label().contentProducer());
            if (!f.label().contentPropagator().equals(f.label().contentProducer())) {
                providerCode(l, "propagatorCode", f.label().contentPropagator());
            }
            l.put("source", f.source());
            l.put("form", f.form().name().toLowerCase(java.util.Locale.ROOT));
            strings(l.putArray("problems"), f.problems());
            l.put("signature", f.signature().json());
            ArrayNode sigs = l.putArray("signatures");
            for (LabelSignatures.Check c : f.signatures()) {
                if (c.status() == LabelSignatures.Status.ABSENT) {
                    continue;
                }
                ObjectNode s = sigs.addObject();
                s.put("field", c.field().key());
                s.put("status", c.status().json());
                s.put("algorithm", c.algorithm());
                s.put("keyId", c.keyId());
                s.put("detail", c.detail());
            }
        }
        hints(o.putArray("digitalSourceType"), r.hints(), ContainerScan.HintKind.IPTC_DIGITAL_SOURCE_TYPE);
        hints(o.putArray("generators"), r.hints(), ContainerScan.HintKind.GENERATOR);
        o.set("c2pa", c2paNode(r, r.c2paAgreements()));
        strings(o.putArray("problems"), r.problems());
        o.put("damaged", r.damaged());
        return o;
    }

    /**
     * The {@code c2pa} object: each manifest store as read, with what its active manifest says of the GB 45438 record,
     * watermark, model and parent, and {@code agreements}: the report's own verdict on whether each manifest agrees
     * with the file's record and decoded watermark ({@code c2paAgreements()}, one per manifest).
     */
    private static ObjectNode c2paNode(InspectReport r, List<C2paAgreement> agreements) {
        ObjectNode c2pa = MAPPER.createObjectNode();
        c2pa.put("present", !r.c2pa().isEmpty());
        strings(c2pa.putArray("locations"), r.c2pa());
        ArrayNode manifests = c2pa.putArray("manifests");
        for (int i = 0; i < r.c2paManifests().size(); i++) {
            org.aigcmark.format.c2pa.C2paReader.Summary m = r.c2paManifests().get(i);
            ObjectNode n = manifests.addObject();
            n.put("activeManifest", m.activeManifest());
            n.put("manifestCount", m.manifests());
            n.put("claimGenerator", m.claimGenerator());
            strings(n.putArray("actions"), m.actions());
            strings(n.putArray("digitalSourceTypes"), m.digitalSourceTypes());
            n.put("claimPresent", m.claimPresent());
            n.put("signaturePresent", m.signaturePresent());
            n.put("validated", m.validation().status() == org.aigcmark.format.c2pa.C2paValidator.Status.VALID);
            ObjectNode v = n.putObject("validation");
            v.put("status", m.validation().status().id());
            v.put("reason", m.validation().reason());
            v.put("signer", m.validation().signer());
            v.put("issuer", m.validation().issuer());
            v.put("algorithm", m.validation().algorithm());
            strings(v.putArray("codes"), m.validation().codes());
            if (m.validation().timeStamp() != null) {
                ObjectNode t = v.putObject("timeStamp");
                t.put("time", m.validation().timeStamp().time() == null ? null : m.validation().timeStamp().time().toString());
                t.put("authority", m.validation().timeStamp().tsa());
                t.put("problem", m.validation().timeStamp().problem());
            }
            strings(n.putArray("problems"), m.problems());
            marks(n, m, agreements.get(i));
        }
        return c2pa;
    }

    /** The manifest's own marks and whether they agree with the record and the decoded watermark. */
    private static void marks(ObjectNode n, org.aigcmark.format.c2pa.C2paReader.Summary m, C2paAgreement a) {
        if (m.gb45438().isEmpty()) {
            n.putNull("gb45438");
        } else {
            ObjectNode g = n.putObject("gb45438");
            m.gb45438().forEach(g::put);
        }
        strings(n.putArray("softBindings"), m.softBindings());
        if (m.aiDisclosure() == null) {
            n.putNull("aiDisclosure");
        } else {
            ObjectNode d = n.putObject("aiDisclosure");
            d.put("modelType", m.aiDisclosure().modelType());
            d.put("modelName", m.aiDisclosure().modelName());
            d.put("modelIdentifier", m.aiDisclosure().modelIdentifier());
            d.put("humanOversightLevel", m.aiDisclosure().humanOversightLevel());
        }
        if (m.parent() == null) {
            n.putNull("parentIngredient");
        } else {
            ObjectNode p = n.putObject("parentIngredient");
            p.put("title", m.parent().title());
            p.put("format", m.parent().format());
            p.put("activeManifest", m.parent().activeManifest());
        }
        ObjectNode g = n.putObject("agreement");
        g.put("record", a.record().id());
        strings(g.putArray("differingFields"), a.differingFields());
        g.put("softBinding", a.softBinding().id());
        strings(g.putArray("problems"), a.problems());
    }

    /** The text lines of a manifest's own marks and their agreement with the record and the decoded watermark. */
    private static void markLines(StringBuilder sb, org.aigcmark.format.c2pa.C2paReader.Summary m, C2paAgreement a) {
        if (m.aiDisclosure() != null) {
            sb.append("    AI disclosure: model ").append(m.aiDisclosure().modelName()).append(", identifier ")
                    .append(m.aiDisclosure().modelIdentifier()).append(", type ").append(m.aiDisclosure().modelType()).append('\n');
        }
        if (m.parent() != null) {
            sb.append("    parent ingredient: ").append(m.parent().title() == null ? "" : m.parent().title() + ", ")
                    .append(m.parent().activeManifest() == null ? "no manifest (unknown provenance)"
                            : "active manifest " + m.parent().activeManifest()).append('\n');
        }
        if (a.record() != C2paAgreement.Status.NOT_APPLICABLE) {
            sb.append("    GB 45438 record and manifest: ").append(a.record() == C2paAgreement.Status.AGREE ? "agree"
                    : "DISAGREE (" + String.join(", ", a.differingFields()) + ")").append('\n');
        }
        if (a.softBinding() != C2paAgreement.Status.NOT_APPLICABLE) {
            sb.append("    soft binding and decoded watermark: ").append(a.softBinding() == C2paAgreement.Status.AGREE
                    ? "match" : "DO NOT match").append('\n');
        }
        for (String p : a.problems()) {
            sb.append("    problem: ").append(p).append('\n');
        }
    }

    /**
     * What a provider code says about its organisation, when it carries a unified social credit code: {@code uscc},
     * {@code checksumValid} (GB 32100-2015) and {@code listedAs}, the name a public list gives it (null when
     * unlisted): information for an analyst, never verification.
     */
    private static void providerCode(ObjectNode l, String key, String value) {
        org.aigcmark.label.ProducerCodes.of(value).ifPresent(c -> {
            ObjectNode n = l.putObject(key);
            n.put("uscc", c.uscc());
            n.put("checksumValid", c.checksumValid());
            n.put("listedAs", c.listedAs());
        });
    }

    /** The text line for a provider code's USCC and listing, or "" when the value carries none. */
    private static String providerCodeLine(String field, String value) {
        return org.aigcmark.label.ProducerCodes.of(value).map(c -> "    " + field + " USCC " + c.uscc()
                + (c.checksumValid() ? " (check character valid)" : " (check character INVALID)")
                + (c.listedAs() == null ? ", not in the public list" : ", listed as " + c.listedAs()
                        + " (public list, information only, not verified)") + "\n").orElse("");
    }

    /**
     * A detection report: the inspect fields, then {@code verdict} ({@code label}, {@code rule}, {@code reason}),
     * {@code evidence[]}, {@code watermark} and {@code thirdPartyWatermarks[]}.
     */
    public static ObjectNode toNode(org.aigcmark.detection.DetectionReport d) {
        ObjectNode o = toNode(d.metadata());
        o.set("c2pa", c2paNode(d.metadata(), d.c2paAgreements())); // same place; soft binding checked against the mark
        ObjectNode v = o.putObject("verdict");
        v.put("label", d.verdict().labelCode());
        v.put("rule", d.verdict().rule().id());
        v.put("reason", d.verdict().reason());
        ArrayNode ev = o.putArray("evidence");
        for (org.aigcmark.detection.Evidence e : d.evidence()) {
            ObjectNode n = ev.addObject();
            n.put("source", e.source());
            n.put("kind", e.kind().id());
            n.put("strength", e.strength().name().toLowerCase(java.util.Locale.ROOT));
            n.put("summary", e.summary());
            n.set("details", MAPPER.valueToTree(e.details()));
        }
        ObjectNode w = o.putObject("watermark");
        if (d.media().isPresent()) {
            // a video: the watermark searched in its frames
            org.aigcmark.detection.MediaFindings.Watermark m = d.media().get().watermark();
            w.put("checked", m.checked());
            w.put("detected", m.detected());
            w.setAll((ObjectNode) MAPPER.valueToTree(m.details()));
            d.watermarkMatchesLabel().ifPresent(x -> w.put("matchesLabel", x));
        } else {
            w.put("checked", d.watermark().isPresent());
            d.watermark().ifPresent(m -> {
                w.put("detected", m.detected());
                w.put("payload", m.payload().map(org.aigcmark.watermark.WatermarkPayload::hex).orElse(null));
                w.put("score", m.score());
                w.put("falsePositiveProbability", m.falsePositiveProbability());
                w.put("unmarkedScoreProbability", m.unmarkedScoreProbability());
                d.watermarkMatchesLabel().ifPresent(x -> w.put("matchesLabel", x));
                w.put("note", m.note());
            });
            if (d.watermark().isEmpty()) {
                w.put("detected", false);
                w.put("note", "not checked: " + d.pixelsUnchecked().orElse(d.text().isPresent()
                        ? "a text's watermark is under \"text\"" : "give --key to look for the aigcmark watermark"));
            }
        }
        ArrayNode tp = o.putArray("thirdPartyWatermarks");
        for (org.aigcmark.watermark.ThirdPartyMark m : d.thirdPartyWatermarks()) {
            ObjectNode n = tp.addObject();
            n.put("scheme", m.scheme());
            n.put("detected", m.detected());
            n.put("matchingBits", m.matchingBits());
            n.put("totalBits", m.totalBits());
            n.put("falsePositiveProbability", m.falsePositiveProbability());
            n.put("note", m.note());
        }
        ArrayNode problems = o.putArray("problems");
        d.problems().forEach(problems::add);
        d.media().ifPresent(m -> {
            o.set("visibleLabels", MAPPER.valueToTree(m.visibleLabels()));
            o.set(m.section(), MAPPER.valueToTree(m.details()));
        });
        d.text().ifPresent(t -> o.set("text", toNode(t)));
        return o;
    }

    /**
     * What the text checks found: {@code chars}, {@code watermark} (null without a key: scheme, status, z, p-values,
     * tokens, window, tokenizer, key fingerprint), {@code explicitLabels[]} (with {@code evasions[]}: {@code homoglyphs}, {@code letter-spaced}), {@code invisibleCharacters[]} (the first
     * ones) with {@code invisibleCharactersTotal}, and {@code zeroWidthMarks} ({@code matchesKey} null without a key).
     */
    public static ObjectNode toNode(org.aigcmark.text.TextFindings t) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("chars", t.chars());
        if (t.watermark().isPresent()) {
            var kw = t.watermark().get();
            var wm = kw.detection();
            ObjectNode w = root.putObject("watermark");
            w.put("scheme", wm.scheme().name().toLowerCase(java.util.Locale.ROOT));
            w.put("status", wm.status().name());
            w.put("detected", wm.detected());
            finite(w, "z", wm.z());
            w.put("pValue", wm.pValue());
            w.put("tokens", wm.tokens());
            w.put("tokensScored", wm.tokensScored());
            w.put("windowsTested", wm.windowsTested());
            w.put("windowStartToken", wm.windowStart());
            w.put("windowEndToken", wm.windowEnd());
            finite(w, "documentZ", wm.documentZ());
            w.put("documentPValue", wm.documentPValue());
            w.put("falsePositiveRate", wm.threshold());
            w.put("tokenizer", kw.tokenizer());
            w.put("keyFingerprint", kw.keyFingerprint());
        } else {
            root.putNull("watermark");
        }
        ArrayNode labels = root.putArray("explicitLabels");
        for (org.aigcmark.text.ExplicitLabelFinding f : t.explicitLabels()) {
            ObjectNode n = labels.addObject();
            n.put("start", f.start());
            n.put("end", f.end());
            n.put("text", f.text());
            n.put("location", f.location().name());
            ArrayNode ev = n.putArray("evasions");
            f.evasions().forEach(e -> ev.add(e.label()));
        }
        ArrayNode inv = root.putArray("invisibleCharacters");
        for (org.aigcmark.text.InvisibleCharacterFinding f : t.invisible().findings()) {
            ObjectNode n = inv.addObject();
            n.put("index", f.index());
            n.put("length", f.length());
            n.put("kind", f.kind().name());
            n.put("codePoint", f.codePointHex());
            n.put("detail", f.detail());
        }
        root.put("invisibleCharactersTotal", t.invisible().total());
        ObjectNode zwm = root.putObject("zeroWidthMarks");
        zwm.put("count", t.zeroWidthTags().size());
        ArrayNode tags = zwm.putArray("tags");
        t.zeroWidthTags().stream().distinct().limit(20).forEach(tags::add);
        t.zeroWidthKeyed().ifPresentOrElse(k -> zwm.put("matchesKey", k), () -> zwm.putNull("matchesKey"));
        return root;
    }

    /** The text checks' findings as report lines, without indentation (the {@code text detect} output). */
    public static List<String> toLines(org.aigcmark.text.TextFindings t) {
        List<String> out = new java.util.ArrayList<>();
        if (t.watermark().isEmpty()) {
            out.add("watermark: not tested (give --key)");
        } else {
            var wm = t.watermark().get().detection();
            if (wm.status() == org.aigcmark.text.watermark.WatermarkDetection.Status.INSUFFICIENT_TEXT) {
                out.add(String.format(java.util.Locale.ROOT, "watermark: insufficient text (%d distinct tokens scored, need %d)",
                        wm.tokensScored(), org.aigcmark.text.watermark.WatermarkConfig.of(wm.scheme()).minTokens()));
            } else {
                out.add(String.format(java.util.Locale.ROOT, "watermark: %s (%s, z = %.2f, p = %.3g after %d windows, %d tokens,"
                                + " %d scored, strongest window tokens %d..%d)", wm.detected() ? "DETECTED" : "not detected",
                        wm.scheme(), wm.z(), wm.pValue(), wm.windowsTested(), wm.tokens(), wm.tokensScored(),
                        wm.windowStart(), wm.windowEnd()));
            }
        }
        out.add("explicit labels: " + (t.explicitLabels().isEmpty() ? "none" : t.explicitLabels().size()));
        for (org.aigcmark.text.ExplicitLabelFinding f : t.explicitLabels()) {
            out.add(String.format("  %s at %d..%d: %s%s", f.location(), f.start(), f.end(), f.text(), f.evasions().isEmpty() ? ""
                    : " (evasion: " + String.join(", ", f.evasions().stream().map(org.aigcmark.text.ExplicitLabelFinding.Evasion::label).toList()) + ")"));
        }
        out.add("invisible characters: " + (t.invisible().total() == 0 ? "none" : t.invisible().total()));
        if (!t.zeroWidthTags().isEmpty()) {
            out.add("zero-width marks: " + t.zeroWidthTags().size() + t.zeroWidthKeyed()
                    .map(k -> k ? " (made with this key)" : " (not this key)").orElse(""));
        }
        var findings = t.invisible().findings();
        for (org.aigcmark.text.InvisibleCharacterFinding f : findings.subList(0, Math.min(20, findings.size()))) {
            out.add(String.format("  %s at %d: %s %s", f.kind(), f.index(), f.codePointHex(), f.detail()));
        }
        return out;
    }

    private static void finite(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    /** A human-readable summary of a detection report. */
    public static String toText(org.aigcmark.detection.DetectionReport d) {
        StringBuilder sb = new StringBuilder(toText(d.metadata(), d.c2paAgreements()));
        sb.append("  verdict: ").append(d.verdict().label().isPresent() ? "Label " + d.verdict().labelCode()
                        : d.verdict().rule() == org.aigcmark.detection.Verdict.Rule.UNCHECKED ? "not fully checked" : "no label")
                .append(" [").append(d.verdict().rule().id()).append("] ").append(d.verdict().reason()).append('\n');
        for (String p : d.problems()) {
            if (!d.metadata().problems().contains(p)) { // those were printed with the file's metadata
                sb.append("  problem: ").append(p).append('\n');
            }
        }
        if (d.media().isEmpty()) { // a video's watermark is in its media lines below
            d.watermark().ifPresentOrElse(m -> sb.append("  aigcmark watermark: ").append(m.detected()
                    ? "found, payload " + m.payload().map(org.aigcmark.watermark.WatermarkPayload::hex).orElse("")
                      + String.format(" (false-positive probability <= %.1e)", m.falsePositiveProbability())
                      + d.watermarkMatchesLabel().map(x -> x ? ", matches the label" : ", does NOT match the label").orElse("")
                    : "not found (" + m.note() + ")").append('\n'),
                    () -> sb.append("  aigcmark watermark: not checked")
                            .append(d.pixelsUnchecked().map(why -> ": " + why).orElse(d.text().isPresent()
                                    ? " in pixels (a text: see the text watermark below)" : " (no --key)")).append('\n'));
        }
        for (org.aigcmark.watermark.ThirdPartyMark m : d.thirdPartyWatermarks()) {
            sb.append("  third-party watermark ").append(m.scheme()).append(": ").append(m.detected() ? "found" : "not found")
                    .append(" (").append(m.matchingBits()).append('/').append(m.totalBits()).append(" bits)\n");
        }
        for (org.aigcmark.detection.Evidence e : d.evidence()) {
            sb.append("  evidence [").append(e.strength().name().toLowerCase(java.util.Locale.ROOT)).append("] ")
                    .append(e.source()).append(": ").append(e.summary()).append('\n');
            // A model score is judged by its licence and caveat: the text shows them as the JSON does.
            if (e.details().get("licence") instanceof String licence) {
                sb.append("    licence: ").append(licence).append(Boolean.FALSE.equals(e.details().get("commercialUse"))
                        ? " (non-commercial)" : "").append('\n');
            }
            if (e.details().get("caveat") instanceof String caveat && !caveat.isEmpty()) {
                sb.append("    caveat: ").append(caveat).append('\n');
            }
        }
        d.media().ifPresent(m -> {
            m.summary().forEach(line -> sb.append("  ").append(line).append('\n'));
            d.watermarkMatchesLabel().ifPresent(x -> sb.append(x ? "  the watermark matches the label\n"
                    : "  the watermark does NOT match the label\n"));
        });
        d.text().ifPresent(t -> toLines(t).forEach(line -> sb.append(line.startsWith(" ") ? "  " : "  text ").append(line).append('\n')));
        return sb.toString();
    }

    /** An inspect report as indented JSON text ({@link #toNode(InspectReport)} written by {@link #write}). */
    public static String toJson(InspectReport r) {
        return write(toNode(r));
    }

    /**
     * {@code node} (a JSON tree, or any value Jackson serialises) as indented JSON text; a value Jackson cannot write
     * is an {@link AigcmarkException} with {@code Reason.INTERNAL}.
     */
    public static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot write JSON", e);
        }
    }

    /** A human-readable summary of a report. */
    public static String toText(InspectReport r) {
        return toText(r, r.c2paAgreements());
    }

    private static String toText(InspectReport r, List<C2paAgreement> agreements) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.file()).append(": ").append(r.format().id());
        if (r.width() > 0) {
            sb.append(' ').append(r.width()).append('x').append(r.height());
        }
        sb.append('\n');
        if (r.labels().isEmpty()) {
            sb.append("  no AIGC label record\n");
        }
        for (InspectReport.FoundLabel f : r.labels()) {
            AigcLabel l = f.label();
            sb.append("  AIGC label in ").append(f.source()).append(" (").append(f.form().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" form), signature ").append(f.signature().json()).append('\n');
            sb.append("    Label=").append(l.label()).append(labelMeaning(l.label())).append('\n');
            sb.append("    ContentProducer=").append(l.contentProducer()).append("  ProduceID=").append(l.produceId()).append('\n');
            sb.append("    ContentPropagator=").append(l.contentPropagator()).append("  PropagateID=").append(l.propagateId()).append('\n');
            sb.append(providerCodeLine("ContentProducer", l.contentProducer()));
            if (!l.contentPropagator().equals(l.contentProducer())) {
                sb.append(providerCodeLine("ContentPropagator", l.contentPropagator()));
            }
            for (LabelSignatures.Check c : f.signatures()) {
                if (c.status() != LabelSignatures.Status.ABSENT) {
                    sb.append("    ").append(c.field().key()).append(": ").append(c.status().json()).append(" (").append(c.detail()).append(")\n");
                }
            }
            for (String p : f.problems()) {
                sb.append("    problem: ").append(p).append('\n');
            }
        }
        for (ContainerScan.Hint h : r.hints()) {
            sb.append("  ").append(h.kind().id()).append(" (").append(h.source()).append("): ").append(h.value()).append('\n');
        }
        if (!r.c2pa().isEmpty()) {
            sb.append("  C2PA manifest present: ").append(String.join(", ", r.c2pa())).append('\n');
            for (int i = 0; i < r.c2paManifests().size(); i++) {
                org.aigcmark.format.c2pa.C2paReader.Summary m = r.c2paManifests().get(i);
                sb.append("    active manifest ").append(m.activeManifest()).append(", claim generator ").append(m.claimGenerator())
                        .append(", digitalSourceType ").append(m.digitalSourceTypes()).append(m.signaturePresent() ? ", signed" : ", unsigned")
                        .append(", validation ").append(m.validation().status().id())
                        .append(m.validation().signer() == null ? "" : " (signer " + m.validation().signer() + ")")
                        .append(m.validation().reason() == null ? "" : ": " + m.validation().reason())
                        .append(m.validation().timeStamp() == null || m.validation().timeStamp().time() == null ? ""
                                : ", time-stamped " + m.validation().timeStamp().time())
                        .append('\n');
                markLines(sb, m, agreements.get(i));
            }
        }
        for (String p : r.problems()) {
            sb.append("  problem: ").append(p).append('\n');
        }
        return sb.toString();
    }

    private static String labelMeaning(String v) {
        return org.aigcmark.label.Label.of(v).map(l -> " (" + l.meaning() + ")").orElse("");
    }

    private static void hints(ArrayNode a, List<ContainerScan.Hint> hints, ContainerScan.HintKind kind) {
        for (ContainerScan.Hint h : hints) {
            if (h.kind() == kind) {
                ObjectNode n = a.addObject();
                n.put("source", h.source());
                n.put("value", h.value());
            }
        }
    }

    private static void strings(ArrayNode a, List<String> l) {
        l.forEach(a::add);
    }
}
