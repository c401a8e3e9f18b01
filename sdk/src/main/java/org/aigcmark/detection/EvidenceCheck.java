package org.aigcmark.detection;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A pluggable check over decoded pixels (visible-label OCR, ONNX models, forensic signals). Implementations that
 * hold native resources are AutoCloseable and are closed by whoever created them.
 */
public interface EvidenceCheck {
    /** A short stable name, e.g. {@code "ocr-visible-label"}. */
    String name();

    /** Evidence found in the image; problems that do not stop the check go in {@code problems}. */
    List<Evidence> check(BufferedImage image, List<String> problems);
}
