package org.aigcmark.detection;

import java.util.List;
import java.util.Optional;
import org.aigcmark.InspectReport;
import org.aigcmark.watermark.ThirdPartyMark;
import org.aigcmark.watermark.WatermarkDetection;

/**
 * Everything {@link Detector} found in one file, and the verdict. {@code pixelsUnchecked} says why an image's pixels
 * were not checked (they could not be decoded, or the detection read metadata only); empty when they were, or when
 * the file has none.
 */
public record DetectionReport(InspectReport metadata, Verdict verdict, List<Evidence> evidence,
                              Optional<WatermarkDetection> watermark, Optional<Boolean> watermarkMatchesLabel,
                              List<ThirdPartyMark> thirdPartyWatermarks, List<String> problems,
                              Optional<String> pixelsUnchecked) {
    public DetectionReport {
        evidence = List.copyOf(evidence);
        thirdPartyWatermarks = List.copyOf(thirdPartyWatermarks);
        problems = List.copyOf(problems);
    }

    /** A report whose pixels were checked, or that has none. */
    public DetectionReport(InspectReport metadata, Verdict verdict, List<Evidence> evidence,
                           Optional<WatermarkDetection> watermark, Optional<Boolean> watermarkMatchesLabel,
                           List<ThirdPartyMark> thirdPartyWatermarks, List<String> problems) {
        this(metadata, verdict, evidence, watermark, watermarkMatchesLabel, thirdPartyWatermarks, problems, Optional.empty());
    }
}
