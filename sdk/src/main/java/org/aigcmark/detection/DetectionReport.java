package org.aigcmark.detection;

import java.util.List;
import java.util.Optional;
import org.aigcmark.InspectReport;
import org.aigcmark.watermark.ThirdPartyMark;
import org.aigcmark.watermark.WatermarkDetection;

/** Everything {@link Detector} found in one file, and the verdict. */
public record DetectionReport(InspectReport metadata, Verdict verdict, List<Evidence> evidence,
                              Optional<WatermarkDetection> watermark, Optional<Boolean> watermarkMatchesLabel,
                              List<ThirdPartyMark> thirdPartyWatermarks, List<String> problems) {
    public DetectionReport {
        evidence = List.copyOf(evidence);
        thirdPartyWatermarks = List.copyOf(thirdPartyWatermarks);
        problems = List.copyOf(problems);
    }
}
