package org.aigcmark.label;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.aigcmark.AigcmarkException;

/**
 * The GB 45438-2025 Annex E file-metadata implicit label: seven string fields in a fixed order.
 *
 * <p>Values are restricted to the Annex E charset (0x21, 0x23-0x5B, 0x5D-0x7E: printable ASCII without space,
 * {@code "} and {@code \}), so serialisation never needs escaping and is byte-exact. {@link #toJson()} gives the
 * wrapped form {@code {"AIGC": {...}}} exactly as the Annex E template prints it; {@link #toBareJson()} gives the
 * bare object that the TC260 XMP property and OOXML custom property carry. A null value is stored as the empty
 * string; the charset and required fields are checked by {@link #requireValid()}, not by the constructor.
 *
 * @param label Label: "1" AI-generated, "2" possibly (declared by the user), "3" suspected (traces found)
 * @param contentProducer ContentProducer, the generating service provider's name or code
 * @param produceId ProduceID, the producer's identifier for this content
 * @param reservedCode1 ReservedCode1, where the producer's signature goes
 * @param contentPropagator ContentPropagator, the propagating platform's name or code
 * @param propagateId PropagateID, the platform's identifier for this content
 * @param reservedCode2 ReservedCode2, where the propagator's signature goes
 */
public record AigcLabel(String label, String contentProducer, String produceId, String reservedCode1,
                        String contentPropagator, String propagateId, String reservedCode2) {

    /** The Annex E keys in their normative order. */
    public static final List<String> KEYS = List.of("Label", "ContentProducer", "ProduceID", "ReservedCode1",
            "ContentPropagator", "PropagateID", "ReservedCode2");

    /** TC260-PG-20252A provider code: "00" + 20-character subject id + 5-character service extension. */
    public static final Pattern PROVIDER_CODE = Pattern.compile("^00[0-9A-Z]{25}$");

    public AigcLabel {
        label = nullToEmpty(label);
        contentProducer = nullToEmpty(contentProducer);
        produceId = nullToEmpty(produceId);
        reservedCode1 = nullToEmpty(reservedCode1);
        contentPropagator = nullToEmpty(contentPropagator);
        propagateId = nullToEmpty(propagateId);
        reservedCode2 = nullToEmpty(reservedCode2);
    }

    /**
     * A producer's first write: Label "1" and, as Annex E note 1 says, the propagation fields equal to the
     * production fields.
     */
    public static AigcLabel produced(String contentProducer, String produceId) {
        return new AigcLabel("1", contentProducer, produceId, "", contentProducer, produceId, "");
    }

    /** Builds from a key-to-value map (missing keys become empty strings). */
    public static AigcLabel fromMap(Map<String, String> m) {
        return new AigcLabel(m.get("Label"), m.get("ContentProducer"), m.get("ProduceID"), m.get("ReservedCode1"),
                m.get("ContentPropagator"), m.get("PropagateID"), m.get("ReservedCode2"));
    }

    /**
     * How strong the claim is: 3 for Label "1" (is AI-generated), 2 for "2" (possibly: the user declared it), 1 for
     * "3" (suspected: traces found), 0 for a value outside the standard. This is the order in which CAC Measures
     * Art. 6 applies the three cases; when records disagree, the stronger claim is the one kept (see
     * {@code Detector.deciding}).
     */
    public int claimRank() {
        return labelValue().map(Label::claimRank).orElse(0);
    }

    /** The Label field as the standard's value; empty when it holds anything else. */
    public java.util.Optional<Label> labelValue() {
        return Label.of(label);
    }

    /** The values in Annex E order. */
    public List<String> values() {
        return List.of(label, contentProducer, produceId, reservedCode1, contentPropagator, propagateId, reservedCode2);
    }

    /** The fields by their Annex E key ({@link #KEYS}), in the normative order; a new, modifiable map. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> v = values();
        for (int i = 0; i < KEYS.size(); i++) {
            m.put(KEYS.get(i), v.get(i));
        }
        return m;
    }

    /** A copy with ReservedCode1, the producer's signature field, set to {@code v}. */
    public AigcLabel withReservedCode1(String v) {
        return new AigcLabel(label, contentProducer, produceId, v, contentPropagator, propagateId, reservedCode2);
    }

    /** A copy with ReservedCode2, the propagator's signature field, set to {@code v}. */
    public AigcLabel withReservedCode2(String v) {
        return new AigcLabel(label, contentProducer, produceId, reservedCode1, contentPropagator, propagateId, v);
    }

    /** The platform's propagation step: its code and id, optionally a new Label; ReservedCode2 is cleared. */
    public AigcLabel propagated(String newLabel, String propagator, String propagateIdValue) {
        return new AigcLabel(newLabel == null ? label : newLabel, contentProducer, produceId, reservedCode1,
                propagator, propagateIdValue, "");
    }

    /** The bare Annex E object: {@code {"Label":"1","ContentProducer":...,"ReservedCode2":""}}. */
    public String toBareJson() {
        StringBuilder sb = new StringBuilder(160);
        sb.append('{');
        List<String> v = values();
        for (int i = 0; i < KEYS.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(KEYS.get(i)).append("\":\"").append(v.get(i)).append('"');
        }
        return sb.append('}').toString();
    }

    /** The wrapped form exactly as the Annex E b) template: {@code {"AIGC": {...}}} (one space after the colon). */
    public String toJson() {
        return "{\"AIGC\": " + toBareJson() + "}";
    }

    /**
     * Checks the rules a writer must obey and throws {@link AigcmarkException.Reason#INVALID_ARGUMENT} naming the
     * first violation. Provider codes that do not follow the 27-character rule are only warnings (legacy names
     * such as "doubao" are still seen), returned by {@link #warnings()}.
     */
    public AigcLabel requireValid() {
        List<String> p = problems();
        // Readers accept empty propagation fields (some writers leave them empty); we never write them empty.
        if (contentPropagator.isEmpty()) {
            p.add("ContentPropagator is required (on a first write it equals ContentProducer)");
        }
        if (propagateId.isEmpty()) {
            p.add("PropagateID is required (on a first write it equals ProduceID)");
        }
        if (!p.isEmpty()) {
            throw AigcmarkException.invalid("invalid AIGC label: " + p.get(0));
        }
        return this;
    }

    /** Rule violations (empty when the label can be written). */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (!label.equals("1") && !label.equals("2") && !label.equals("3")) {
            p.add("Label must be \"1\", \"2\" or \"3\", got \"" + label + "\"");
        }
        List<String> v = values();
        for (int i = 0; i < KEYS.size(); i++) {
            String bad = firstBadCharacter(v.get(i));
            if (bad != null) {
                p.add(KEYS.get(i) + " contains " + bad
                        + ", outside the Annex E charset (printable ASCII without space, '\"' and '\\')");
            }
        }
        if (!isPlatformOnly()) {
            if (contentProducer.isEmpty()) {
                p.add("ContentProducer is required");
            }
            if (produceId.isEmpty()) {
                p.add("ProduceID is required");
            }
        }
        return p;
    }

    /**
     * A platform's record for content that came without a producer record: Label "2" (the user declared it) or
     * "3" (suspected), producer fields empty, propagation fields set. Measures Art. 6 (2)/(3) has the platform add
     * its propagation elements; there is no producer to name, so empty producer fields are correct here, while a
     * Label "1" record (the producer's claim) must name its producer.
     */
    public boolean isPlatformOnly() {
        return (label.equals("2") || label.equals("3")) && contentProducer.isEmpty() && produceId.isEmpty()
                && !contentPropagator.isEmpty() && !propagateId.isEmpty();
    }

    /**
     * Non-fatal remarks: provider codes that do not follow TC260-PG-20252A, and codes whose unified social credit
     * code fails its GB 32100-2015 check character ({@link ProducerCodes}).
     */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (!contentProducer.isEmpty() && !PROVIDER_CODE.matcher(contentProducer).matches()) {
            w.add("ContentProducer \"" + contentProducer
                    + "\" is not a 27-character provider code (00 + 25 of [0-9A-Z], TC260-PG-20252A)");
        }
        if (!contentPropagator.isEmpty() && !contentPropagator.equals(contentProducer)
                && !PROVIDER_CODE.matcher(contentPropagator).matches()) {
            w.add("ContentPropagator \"" + contentPropagator
                    + "\" is not a 27-character provider code (00 + 25 of [0-9A-Z], TC260-PG-20252A)");
        }
        String producer = ProducerCodes.checksumProblem("ContentProducer", contentProducer);
        if (producer != null) {
            w.add(producer);
        }
        String propagator = contentPropagator.equals(contentProducer) ? null
                : ProducerCodes.checksumProblem("ContentPropagator", contentPropagator);
        if (propagator != null) {
            w.add(propagator);
        }
        return w;
    }

    /** Whether every character of {@code s} is in the Annex E charset. */
    public static boolean inCharset(String s) {
        return firstBadCharacter(s) == null;
    }

    /** Describes the first character outside 0x21, 0x23-0x5B, 0x5D-0x7E, or null. */
    static String firstBadCharacter(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean ok = cp == 0x21 || (cp >= 0x23 && cp <= 0x5B) || (cp >= 0x5D && cp <= 0x7E);
            if (!ok) {
                String shown = cp == ' ' ? "a space" : cp < 0x20 || cp == 0x7F ? "a control character"
                        : "'" + new String(Character.toChars(cp)) + "'";
                return shown + String.format(" (U+%04X) at position %d", cp, i);
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
