package org.aigcmark.detection;

/**
 * The platform's decision (CAC Measures Art. 6): {@code label} "1" (labelled as AI-generated), "2" (possibly: the
 * user declared it), "3" (suspected: generation traces found), or null (nothing found), and the rule that decided.
 */
public record Verdict(String label, String rule, String reason) {}
