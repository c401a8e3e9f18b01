package org.aigcmark.detection;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A pluggable check over decoded pixels (visible-label OCR, ONNX models, forensic signals). A check that holds
 * native resources releases them in {@link #close()}; the {@link Detector} built with it owns it and closes it, so
 * callers never track native sessions. Implementations are thread-safe: one check serves every thread of a scan.
 */
public interface EvidenceCheck extends AutoCloseable {
    /** A short stable name, e.g. {@code "ocr-visible-label"}. */
    String name();

    /** Evidence found in the image; problems that do not stop the check go in {@code problems}. */
    List<Evidence> check(BufferedImage image, List<String> problems);

    /** Releases what the check holds; nothing by default. Called once, by the detector that owns the check. */
    @Override
    default void close() {}

    /**
     * A check that was asked for but cannot run here (OCR without its models, a model that failed to load): it finds
     * nothing and says so in every report's problems, so an absent finding is never read as "no label"
     * ({@code "<name> did not run: <why>"}).
     */
    static EvidenceCheck notRun(String name, String why) {
        String problem = name + " did not run: " + why;
        return new EvidenceCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Evidence> check(BufferedImage image, List<String> problems) {
                problems.add(problem);
                return List.of();
            }
        };
    }
}
