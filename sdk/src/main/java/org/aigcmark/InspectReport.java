package org.aigcmark;

import java.util.List;
import java.util.Map;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;
import org.aigcmark.label.LabelSignatures;

/**
 * What {@code inspect} found in one file: every AIGC record with its slot, problems and signature status, the
 * provenance hints that are not AIGC records, and damage. Immutable.
 */
public record InspectReport(String file, org.aigcmark.format.MediaType format, int width, int height, List<FoundLabel> labels,
                            List<ContainerScan.Hint> hints, List<String> c2pa,
                            List<org.aigcmark.format.c2pa.C2paReader.Summary> c2paManifests, List<String> problems,
                            boolean damaged) {

    /** One record as found. */
    public record FoundLabel(AigcLabel label, String source, LabelParser.Form form, List<String> problems,
                             LabelSignatures.Status signature, List<LabelSignatures.Check> signatures) {
        public Map<String, String> fields() {
            return label.toMap();
        }
    }

    public InspectReport {
        labels = List.copyOf(labels);
        hints = List.copyOf(hints);
        c2pa = List.copyOf(c2pa);
        c2paManifests = List.copyOf(c2paManifests);
        problems = List.copyOf(problems);
    }

    /** Whether the file carries at least one AIGC record. */
    public boolean labeled() {
        return !labels.isEmpty();
    }
}
