package org.aigcmark.format.c2pa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aigcmark.label.AigcLabel;

/**
 * Whether a file's two marks point to each other: the C2PA manifest's {@value C2paManifestBuilder#GB45438_LABEL}
 * assertion against the GB 45438 record read from the file, and the manifest's soft binding ({@value
 * C2paManifestBuilder#SOFT_BINDING_ALG}) against the watermark payload decoded from the pixels. A disagreement is
 * data ({@link #problems()}), never an exception; a side that is missing makes that check {@link Status#NOT_APPLICABLE}.
 *
 * @param record whether the assertion's fields equal the record's
 * @param differingFields the Annex E keys whose values differ (empty unless {@code record} is {@link Status#DISAGREE})
 * @param softBinding whether the decoded watermark payload is one of the manifest's soft-binding payloads
 * @param problems each disagreement as a sentence
 */
public record C2paAgreement(Status record, List<String> differingFields, Status softBinding, List<String> problems) {
    /** The outcome of one check. */
    public enum Status {
        /** Both sides are present and equal. */
        AGREE("agree"),
        /** Both sides are present and differ. */
        DISAGREE("disagree"),
        /** One side is missing (no assertion, no record, no soft binding or no decoded watermark). */
        NOT_APPLICABLE("not-applicable");

        private final String id;

        Status(String id) {
            this.id = id;
        }

        /** The JSON spelling. */
        public String id() {
            return id;
        }
    }

    public C2paAgreement {
        differingFields = List.copyOf(differingFields);
        problems = List.copyOf(problems);
    }

    /**
     * Compares {@code manifest}'s marks with {@code record} (the file's GB 45438 record, null when it has none) and
     * {@code decodedPayloadHex} (the watermark payload decoded from the content, null when none was decoded).
     */
    public static C2paAgreement of(C2paReader.Summary manifest, AigcLabel record, String decodedPayloadHex) {
        List<String> problems = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        Status recordStatus = Status.NOT_APPLICABLE;
        if (record != null && !manifest.gb45438().isEmpty()) {
            Map<String, String> ours = record.toMap();
            for (String key : AigcLabel.KEYS) {
                String inRecord = ours.get(key) == null ? "" : ours.get(key);
                String inManifest = manifest.gb45438().getOrDefault(key, "");
                if (!inRecord.equals(inManifest)) {
                    differing.add(key);
                }
            }
            recordStatus = differing.isEmpty() ? Status.AGREE : Status.DISAGREE;
            if (!differing.isEmpty()) {
                problems.add("the C2PA manifest's " + C2paManifestBuilder.GB45438_LABEL + " assertion does not match the"
                        + " GB 45438 record (" + String.join(", ", differing) + " differ): one of the two marks was changed");
            }
        }
        Status soft = Status.NOT_APPLICABLE;
        if (decodedPayloadHex != null && !manifest.softBindings().isEmpty()) {
            soft = manifest.softBindings().contains(decodedPayloadHex.toLowerCase(Locale.ROOT)) ? Status.AGREE : Status.DISAGREE;
            if (soft == Status.DISAGREE) {
                problems.add("the decoded watermark payload " + decodedPayloadHex + " is not the manifest's soft binding "
                        + String.join(", ", manifest.softBindings()));
            }
        }
        return new C2paAgreement(recordStatus, differing, soft, problems);
    }
}
