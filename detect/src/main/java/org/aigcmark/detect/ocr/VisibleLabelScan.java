package org.aigcmark.detect.ocr;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What one image gave: every text line read in the edge bands (label or not), and the time each stage took.
 *
 * @param lines            all recognised lines, labels first (compliant, then by confidence)
 * @param detectionNanos   time in DB detection, pre- and post-processing included
 * @param recognitionNanos time in recognition and decoding
 * @param executionProvider "CPU" or "CUDA"
 */
public record VisibleLabelScan(List<LabelFinding> lines, long detectionNanos, long recognitionNanos,
                               String executionProvider) {

    public VisibleLabelScan {
        lines = List.copyOf(lines);
    }

    /** Lines that read as an explicit AI label (AI element and generation element), compliant or not. */
    public List<LabelFinding> labels() {
        return lines.stream().filter(LabelFinding::isLabelText).toList();
    }

    /** Labels that are also big enough and on an edge or corner. */
    public List<LabelFinding> compliant() {
        return lines.stream().filter(LabelFinding::compliant).toList();
    }

    /** The most convincing label: compliant first, then the most confident. */
    public Optional<LabelFinding> best() {
        return labels().stream().max(Comparator.comparing(LabelFinding::compliant)
                .thenComparingDouble(LabelFinding::confidence));
    }

    /** Detection and recognition time together, in nanoseconds. */
    public long totalNanos() {
        return detectionNanos + recognitionNanos;
    }
}
