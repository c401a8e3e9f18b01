package org.aigcmark.detection;

import java.util.List;
import java.util.Optional;
import org.aigcmark.InspectReport;
import org.aigcmark.text.TextFindings;
import org.aigcmark.watermark.ThirdPartyMark;
import org.aigcmark.watermark.WatermarkDetection;

/**
 * Everything {@link Detector} found in one file, and the verdict: the same report for an image, a video, a document
 * or a text, whoever asks (SDK, CLI, service).
 *
 * @param metadata              what inspect read from the container (records, signatures, hints, C2PA)
 * @param verdict               the platform's decision and the rule that made it
 * @param evidence              every finding, strongest first within each check
 * @param watermark             our watermark search in a still image's pixels; empty when not searched (no key, no
 *                              pixels, or not a still image: a video's is in {@code media})
 * @param watermarkMatchesLabel whether the decoded payload is bound to one of the file's records (image or video);
 *                              empty when no watermark was found or the file has no record
 * @param thirdPartyWatermarks  third-party marks looked for in the pixels (SD/SDXL), found or not
 * @param problems              what went wrong without stopping the detection
 * @param pixelsUnchecked       why an image's pixels were not checked (not decodable, or metadata-only detection);
 *                              empty when they were, or when the file has none
 * @param media                 what a {@link MediaCheck} found in the content (video frames); empty for other files,
 *                              for metadata-only detection and for damaged files
 * @param text                  what the text checks found (plain text and Markdown); empty for other files
 */
public record DetectionReport(InspectReport metadata, Verdict verdict, List<Evidence> evidence,
                              Optional<WatermarkDetection> watermark, Optional<Boolean> watermarkMatchesLabel,
                              List<ThirdPartyMark> thirdPartyWatermarks, List<String> problems,
                              Optional<String> pixelsUnchecked, Optional<MediaFindings> media,
                              Optional<TextFindings> text) {
    public DetectionReport {
        evidence = List.copyOf(evidence);
        thirdPartyWatermarks = List.copyOf(thirdPartyWatermarks);
        problems = List.copyOf(problems);
    }

    /**
     * The watermark payload this detection decoded (hex): from a still image's pixels or from a video's frames; empty
     * when none was decoded.
     */
    public Optional<String> decodedWatermarkPayload() {
        if (media.isPresent()) {
            MediaFindings.Watermark w = media.get().watermark();
            return w != null && w.detected() ? w.payloadHex() : Optional.empty();
        }
        return watermark.filter(WatermarkDetection::detected).flatMap(WatermarkDetection::payload)
                .map(org.aigcmark.watermark.WatermarkPayload::hex);
    }

    /**
     * Whether each C2PA manifest (in {@code metadata().c2paManifests()} order) agrees with the file's first GB 45438
     * record and its soft binding with {@link #decodedWatermarkPayload()}.
     */
    public List<org.aigcmark.format.c2pa.C2paAgreement> c2paAgreements() {
        return metadata.c2paAgreements(decodedWatermarkPayload().orElse(null));
    }

    /** A report whose pixels were checked, or that has none, with no media or text findings. */
    public DetectionReport(InspectReport metadata, Verdict verdict, List<Evidence> evidence,
                           Optional<WatermarkDetection> watermark, Optional<Boolean> watermarkMatchesLabel,
                           List<ThirdPartyMark> thirdPartyWatermarks, List<String> problems) {
        this(metadata, verdict, evidence, watermark, watermarkMatchesLabel, thirdPartyWatermarks, problems, Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
