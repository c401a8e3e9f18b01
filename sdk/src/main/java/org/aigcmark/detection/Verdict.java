package org.aigcmark.detection;

import java.util.Optional;
import org.aigcmark.label.Label;

/**
 * The platform's decision (CAC Measures Art. 6) and the rule that made it.
 *
 * @param label  the label the file gets: {@link Label#AI_GENERATED} (it carries a producer's record or our
 *               watermark), {@link Label#POSSIBLY_AI} (the uploader declared it), {@link Label#SUSPECTED_AI}
 *               (generation traces); empty when nothing was found, or when the file could not be fully checked
 * @param rule   which rule decided
 * @param reason the decision in a sentence, naming what decided it
 */
public record Verdict(Optional<Label> label, Rule rule, String reason) {
    /** The rules, first match wins (see {@link Detector}). */
    public enum Rule {
        /** A record in the file's metadata: its Label. */
        METADATA("metadata"),
        /** Our watermark (a content implicit label): Label 1. */
        WATERMARK("watermark"),
        /** No implicit label, but the uploader declared the content AI-generated: Label 2. */
        USER_DECLARED("user-declared"),
        /** No implicit label, but generation traces (third-party marks, IPTC, C2PA, visible labels): Label 3. */
        TRACES("traces"),
        /** Nothing found. */
        NONE("none"),
        /** Nothing found in a damaged file whose content could not be checked: never a clean "none". */
        UNCHECKED("unchecked");

        private final String id;

        Rule(String id) {
            this.id = id;
        }

        /** The rule's name in reports, e.g. {@code "user-declared"}. */
        public String id() {
            return id;
        }
    }

    public Verdict {
        java.util.Objects.requireNonNull(label, "label");
        java.util.Objects.requireNonNull(rule, "rule");
    }

    /** The label's code ("1", "2", "3") as reports write it; null when there is none. */
    public String labelCode() {
        return label.map(Label::code).orElse(null);
    }
}
