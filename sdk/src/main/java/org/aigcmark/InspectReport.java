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
 *
 * @param file the name the caller gave the input (a path, or a label such as {@code "-"})
 * @param format the format's id (e.g. {@code "png"})
 * @param width the image width in pixels, -1 where the format has none or it was not read
 * @param height the image height in pixels, -1 where the format has none or it was not read
 * @param labels every AIGC record found, in file order
 * @param hints provenance that is not an AIGC record (IPTC DigitalSourceType, generator metadata, ...)
 * @param c2pa where a C2PA manifest store was seen (e.g. {@code jpeg-app11}), one entry per store
 * @param c2paManifests what {@code C2paReader} read of each store: active manifest, claim generator, actions
 * @param problems deviations from GB 45438 and damage, as sentences
 * @param damaged whether the file is truncated or damaged (what was read is still reported)
 */
public record InspectReport(String file, org.aigcmark.format.MediaType format, int width, int height, List<FoundLabel> labels,
                            List<ContainerScan.Hint> hints, List<String> c2pa,
                            List<org.aigcmark.format.c2pa.C2paReader.Summary> c2paManifests, List<String> problems,
                            boolean damaged) {

    /**
     * One record as found.
     *
     * @param label the record, as parsed
     * @param source the slot it was read from (e.g. {@code xmp}, {@code png-text}; {@link ContainerScan.Slot#source()})
     * @param form the form the record was written in
     * @param problems its deviations from GB 45438 Annex E
     * @param signature the overall signature status of the record
     * @param signatures each signature's check (ReservedCode1, ReservedCode2)
     */
    public record FoundLabel(AigcLabel label, String source, LabelParser.Form form, List<String> problems,
                             LabelSignatures.Status signature, List<LabelSignatures.Check> signatures) {
        /**
         * The record's seven fields by their GB 45438 Annex E key, in the standard's order ({@link AigcLabel#toMap()}).
         */
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

    /**
     * Whether each C2PA manifest (in {@link #c2paManifests()} order) agrees with the file's first GB 45438 record;
     * inspect decodes no watermark, so the soft-binding check is {@code NOT_APPLICABLE} here (a detection report's
     * {@code DetectionReport.c2paAgreements()} has it).
     */
    public List<org.aigcmark.format.c2pa.C2paAgreement> c2paAgreements() {
        return c2paAgreements(null);
    }

    /**
     * The agreements of {@link #c2paAgreements()}, the soft bindings checked against {@code decodedPayloadHex} (the
     * watermark payload a detection decoded from the content, hex; null when none was decoded).
     */
    public List<org.aigcmark.format.c2pa.C2paAgreement> c2paAgreements(String decodedPayloadHex) {
        AigcLabel first = labels.isEmpty() ? null : labels.get(0).label();
        return c2paManifests.stream().map(m -> org.aigcmark.format.c2pa.C2paAgreement.of(m, first, decodedPayloadHex)).toList();
    }
}
