package org.aigcmark.label;

import java.util.Optional;

/**
 * The three values of the Annex E {@code Label} field (GB 45438-2025), in the order CAC Measures Art. 6 applies them:
 * the content is AI-generated (the producer's record), possibly AI-generated (the uploader declared it), suspected
 * AI-generated (generation traces were found). A record's raw field is kept as read ({@link AigcLabel#label()}, which
 * may hold a value outside the standard); {@link AigcLabel#labelValue()} gives this type.
 */
public enum Label {
    /** "1": the content is AI-generated. */
    AI_GENERATED("1", "AI-generated"),
    /** "2": possibly AI-generated: the user declared it. */
    POSSIBLY_AI("2", "possibly AI-generated: user-declared"),
    /** "3": suspected AI-generated: traces were found. */
    SUSPECTED_AI("3", "suspected AI-generated");

    private final String code;
    private final String meaning;

    Label(String code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The field's value as written in a record: "1", "2" or "3". */
    public String code() {
        return code;
    }

    /** What the value means, in a few words for reports. */
    public String meaning() {
        return meaning;
    }

    /**
     * How strong the claim is: 3 for {@link #AI_GENERATED}, 2 for {@link #POSSIBLY_AI}, 1 for {@link #SUSPECTED_AI}.
     * When records disagree, the stronger claim is the one kept (see {@code Detector.deciding}).
     */
    public int claimRank() {
        return 3 - ordinal();
    }

    /** The value for a record's raw field; empty for anything outside the standard (null, "", "4", " 1"). */
    public static Optional<Label> of(String code) {
        if (code != null) {
            for (Label l : values()) {
                if (l.code.equals(code)) {
                    return Optional.of(l);
                }
            }
        }
        return Optional.empty();
    }
}
