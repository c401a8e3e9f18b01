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
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelSignatures;

/**
 * The stable JSON shape of reports (users' scripts depend on it): {@code format}, {@code labels[]} with the seven
 * Annex E keys plus {@code source}, {@code form}, {@code problems}, {@code signature} and {@code signatures[]};
 * then {@code digitalSourceType}, {@code generators}, {@code c2pa}, {@code problems}, {@code damaged}.
 */
public final class ReportJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    public static ObjectNode toNode(InspectReport r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("file", r.file());
        o.put("format", r.format());
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
        hints(o.putArray("digitalSourceType"), r.hints(), "iptc-digital-source-type");
        hints(o.putArray("generators"), r.hints(), "generator");
        ObjectNode c2pa = o.putObject("c2pa");
        c2pa.put("present", !r.c2pa().isEmpty());
        strings(c2pa.putArray("locations"), r.c2pa());
        ArrayNode manifests = c2pa.putArray("manifests");
        for (org.aigcmark.format.c2pa.C2paReader.Summary m : r.c2paManifests()) {
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
            strings(n.putArray("problems"), m.problems());
        }
        strings(o.putArray("problems"), r.problems());
        o.put("damaged", r.damaged());
        return o;
    }

    /**
     * A detection report: the inspect fields, then {@code verdict} ({@code label}, {@code rule}, {@code reason}),
     * {@code evidence[]}, {@code watermark} and {@code thirdPartyWatermarks[]}.
     */
    public static ObjectNode toNode(org.aigcmark.detection.DetectionReport d) {
        ObjectNode o = toNode(d.metadata());
        ObjectNode v = o.putObject("verdict");
        v.put("label", d.verdict().label());
        v.put("rule", d.verdict().rule());
        v.put("reason", d.verdict().reason());
        ArrayNode ev = o.putArray("evidence");
        for (org.aigcmark.detection.Evidence e : d.evidence()) {
            ObjectNode n = ev.addObject();
            n.put("source", e.source());
            n.put("kind", e.kind());
            n.put("strength", e.strength().name().toLowerCase(java.util.Locale.ROOT));
            n.put("summary", e.summary());
            n.set("details", MAPPER.valueToTree(e.details()));
        }
        ObjectNode w = o.putObject("watermark");
        w.put("checked", d.watermark().isPresent());
        d.watermark().ifPresent(m -> {
            w.put("detected", m.detected());
            w.put("payload", m.payload().map(org.aigcmark.watermark.WatermarkPayload::hex).orElse(null));
            w.put("score", m.score());
            w.put("falsePositiveProbability", m.falsePositiveProbability());
            d.watermarkMatchesLabel().ifPresent(x -> w.put("matchesLabel", x));
            w.put("note", m.note());
        });
        if (d.watermark().isEmpty()) {
            w.put("detected", false);
            w.put("note", "not checked: " + d.pixelsUnchecked().orElse("give --key to look for the aigcmark watermark"));
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
        return o;
    }

    /** A human-readable summary of a detection report. */
    public static String toText(org.aigcmark.detection.DetectionReport d) {
        StringBuilder sb = new StringBuilder(toText(d.metadata()));
        sb.append("  verdict: ").append(d.verdict().label() != null ? "Label " + d.verdict().label()
                        : d.verdict().rule().equals("unchecked") ? "not fully checked" : "no label")
                .append(" [").append(d.verdict().rule()).append("] ").append(d.verdict().reason()).append('\n');
        for (String p : d.problems()) {
            if (!d.metadata().problems().contains(p)) { // those were printed with the file's metadata
                sb.append("  problem: ").append(p).append('\n');
            }
        }
        d.watermark().ifPresentOrElse(m -> sb.append("  aigcmark watermark: ").append(m.detected()
                ? "found, payload " + m.payload().map(org.aigcmark.watermark.WatermarkPayload::hex).orElse("")
                  + String.format(" (false-positive probability <= %.1e)", m.falsePositiveProbability())
                  + d.watermarkMatchesLabel().map(x -> x ? ", matches the label" : ", does NOT match the label").orElse("")
                : "not found (" + m.note() + ")").append('\n'),
                () -> sb.append("  aigcmark watermark: not checked")
                        .append(d.pixelsUnchecked().map(why -> ": " + why).orElse(" (no --key)")).append('\n'));
        for (org.aigcmark.watermark.ThirdPartyMark m : d.thirdPartyWatermarks()) {
            sb.append("  third-party watermark ").append(m.scheme()).append(": ").append(m.detected() ? "found" : "not found")
                    .append(" (").append(m.matchingBits()).append('/').append(m.totalBits()).append(" bits)\n");
        }
        for (org.aigcmark.detection.Evidence e : d.evidence()) {
            sb.append("  evidence [").append(e.strength().name().toLowerCase(java.util.Locale.ROOT)).append("] ")
                    .append(e.source()).append(": ").append(e.summary()).append('\n');
        }
        return sb.toString();
    }

    public static String toJson(InspectReport r) {
        return write(toNode(r));
    }

    public static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot write JSON", e);
        }
    }

    /** A human-readable summary of a report. */
    public static String toText(InspectReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.file()).append(": ").append(r.format());
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
            sb.append("  ").append(h.kind()).append(" (").append(h.source()).append("): ").append(h.value()).append('\n');
        }
        if (!r.c2pa().isEmpty()) {
            sb.append("  C2PA manifest present: ").append(String.join(", ", r.c2pa())).append('\n');
            for (org.aigcmark.format.c2pa.C2paReader.Summary m : r.c2paManifests()) {
                sb.append("    active manifest ").append(m.activeManifest()).append(", claim generator ").append(m.claimGenerator())
                        .append(", digitalSourceType ").append(m.digitalSourceTypes()).append(m.signaturePresent() ? ", signed" : ", unsigned")
                        .append(", validation ").append(m.validation().status().id())
                        .append(m.validation().signer() == null ? "" : " (signer " + m.validation().signer() + ")")
                        .append(m.validation().reason() == null ? "" : ": " + m.validation().reason())
                        .append('\n');
            }
        }
        for (String p : r.problems()) {
            sb.append("  problem: ").append(p).append('\n');
        }
        return sb.toString();
    }

    private static String labelMeaning(String v) {
        return switch (v) {
            case "1" -> " (AI-generated)";
            case "2" -> " (possibly AI-generated: user-declared)";
            case "3" -> " (suspected AI-generated)";
            default -> "";
        };
    }

    private static void hints(ArrayNode a, List<ContainerScan.Hint> hints, String kind) {
        for (ContainerScan.Hint h : hints) {
            if (h.kind().equals(kind)) {
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
