package org.aigcmark.stream;

import java.util.Optional;
import org.aigcmark.detection.Verdict;
import org.aigcmark.label.Label;

/**
 * What the platform does with an upload under CAC Measures Art. 6, from the detector's verdict: show the label the
 * verdict names and, where the platform passes the content on, write its propagation fields (ContentPropagator,
 * PropagateID) into the file's record through {@link org.aigcmark.Labeler#propagate}.
 */
public enum PlatformDecision {
    /** The file carries a producer's record (Art. 6(1)): keep it, Label included, and add the platform's fields. */
    KEEP("keep", Optional.empty()),
    /** No implicit label, the uploader declared it AI-generated (Art. 6(2)): a Label 2 ("possibly") record. */
    POSSIBLY("possibly", Optional.of(Label.POSSIBLY_AI)),
    /** No implicit label or declaration, traces found (Art. 6(3)): a Label 3 ("suspected") record. */
    SUSPECTED("suspected", Optional.of(Label.SUSPECTED_AI)),
    /**
     * Our watermark but no record: the platform shows Label 1, and writes no record, because a Label 1 record needs
     * the producer's (the sdk refuses to invent one) and a Label 2 or 3 record would understate what the mark proves.
     */
    SHOW_ONLY("show-only", Optional.empty()),
    /** No label (nothing found, or a damaged file not fully checked): nothing to show or write. */
    NONE("none", Optional.empty());

    private final String id;
    private final Optional<Label> recordLabel;

    PlatformDecision(String id, Optional<Label> recordLabel) {
        this.id = id;
        this.recordLabel = recordLabel;
    }

    /** @return the decision's name in verdict events, e.g. {@code "possibly"} */
    public String id() {
        return id;
    }

    /** @return the Label the propagated record gets; empty for {@link #KEEP} (the record's own) and where none is written */
    public Optional<Label> recordLabel() {
        return recordLabel;
    }

    /** @return whether a propagated record is written for this decision */
    public boolean writesRecord() {
        return this == KEEP || this == POSSIBLY || this == SUSPECTED;
    }

    /**
     * The decision for a verdict: its rule decides (record &gt; watermark &gt; declared &gt; traces, as the detector's).
     *
     * @param verdict the detector's verdict
     * @return the decision
     */
    public static PlatformDecision of(Verdict verdict) {
        return switch (verdict.rule()) {
            case METADATA -> KEEP;
            case WATERMARK -> SHOW_ONLY;
            case USER_DECLARED -> POSSIBLY;
            case TRACES -> SUSPECTED;
            case NONE, UNCHECKED -> NONE;
        };
    }
}
