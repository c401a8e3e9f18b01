package org.aigcmark.detection;

import java.util.Map;

/**
 * One thing a check found. {@code strength}: {@link Strength#PROOF} for a verified implicit label, {@link
 * Strength#STRONG} for an unverified record or our watermark, {@link Strength#TRACE} for generation traces that
 * justify "suspected" (third-party marks, IPTC, C2PA, generator metadata, visible labels), {@link Strength#WEAK}
 * for statistical signals (model scores) that never decide alone.
 */
public record Evidence(String source, String kind, Strength strength, String summary, Map<String, Object> details) {
    public enum Strength { PROOF, STRONG, TRACE, WEAK }

    public Evidence {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
