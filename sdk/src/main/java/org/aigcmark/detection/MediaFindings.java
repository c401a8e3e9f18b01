package org.aigcmark.detection;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link MediaCheck} found in a file's content, in the form {@link Detector} folds into its report.
 *
 * @param section       the report section that holds {@code details} ({@code "video"})
 * @param evidence      evidence in the form the image checks give it (visible labels, per-video model scores); the
 *                      watermark is not among it: the detector turns {@code watermark} into evidence, comparing its
 *                      payload with the file's records
 * @param watermark     the keyed watermark search over the content
 * @param visibleLabels each visible label seen, as the report's {@code visibleLabels[]} entries
 * @param details       the rest of the findings (size, duration, frames checked, per-check summaries, notes), as the
 *                      report's {@code section} object
 * @param summary       the same findings as lines of the text report, without indentation
 * @param problems      what went wrong without stopping the check
 */
public record MediaFindings(String section, List<Evidence> evidence, Watermark watermark,
                            List<Map<String, Object>> visibleLabels, Map<String, Object> details, List<String> summary,
                            List<String> problems) {
    public MediaFindings {
        evidence = List.copyOf(evidence);
        visibleLabels = List.copyOf(visibleLabels);
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
        summary = List.copyOf(summary);
        problems = List.copyOf(problems);
    }

    /**
     * The keyed watermark across the content.
     *
     * @param checked    whether it was searched for (false without a key, or when the frames are too small)
     * @param detected   whether a payload was decoded
     * @param payloadHex the payload (16 hex digits) when detected
     * @param where      where it was found, for the verdict's reason, e.g. {@code "in 3 of 4 2-s segments"}
     * @param details    the report's {@code watermark} fields after {@code checked}/{@code detected} (payload,
     *                   segments, false-positive bound, or a {@code note} saying why it was not checked)
     */
    public record Watermark(boolean checked, boolean detected, Optional<String> payloadHex, String where,
                            Map<String, Object> details) {
        public Watermark {
            details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
        }
    }
}
