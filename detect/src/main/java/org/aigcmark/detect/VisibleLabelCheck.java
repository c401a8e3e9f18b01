package org.aigcmark.detect;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aigcmark.detect.ocr.LabelFinding;
import org.aigcmark.detect.ocr.OcrModels;
import org.aigcmark.detect.ocr.VisibleLabelFinder;
import org.aigcmark.detect.ocr.VisibleLabelScan;
import org.aigcmark.detection.Evidence;
import org.aigcmark.detection.EvidenceCheck;

/**
 * Plugs the OCR visible-label finder into {@link org.aigcmark.detection.Detector}: every text line that reads as an
 * explicit AI label (an AI element and a generation element) becomes TRACE evidence with its box, its height
 * relative to the shortest side and whether it meets GB 45438 §5.2 (≥ 5%, on an edge or corner).
 * Owns the ONNX sessions: close it when done. Thread-safe.
 */
public final class VisibleLabelCheck implements EvidenceCheck, AutoCloseable {
    /** The check's name in reports. */
    public static final String NAME = "ocr-visible-label";
    private final VisibleLabelFinder finder;

    private VisibleLabelCheck(VisibleLabelFinder finder) {
        this.finder = finder;
    }

    /**
     * Opens the OCR sessions with the finder's default options.
     *
     * @param models the PaddleOCR model files
     * @param preferCuda try the CUDA execution provider first; falls back to CPU with a log line
     * @return the check; close it when done
     * @throws org.aigcmark.AigcmarkException with {@link org.aigcmark.AigcmarkException.Reason#CORRUPT_INPUT} when
     *     the models cannot be loaded
     */
    public static VisibleLabelCheck open(OcrModels models, boolean preferCuda) {
        return open(models, VisibleLabelFinder.Options.defaults().withCuda(preferCuda));
    }

    /**
     * Opens the OCR sessions with these finder options (where to search, detector input size, CUDA).
     *
     * @param models the PaddleOCR model files
     * @param options the finder's options
     * @return the check; close it when done
     * @throws org.aigcmark.AigcmarkException with {@link org.aigcmark.AigcmarkException.Reason#CORRUPT_INPUT} when
     *     the models cannot be loaded
     */
    public static VisibleLabelCheck open(OcrModels models, VisibleLabelFinder.Options options) {
        return new VisibleLabelCheck(VisibleLabelFinder.open(models, options));
    }

    /** The execution provider in use ("CPU" or "CUDA"). */
    public String executionProvider() {
        return finder.executionProvider();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Evidence> check(BufferedImage image, List<String> problems) {
        VisibleLabelScan scan = finder.scan(image);
        int shortest = Math.min(image.getWidth(), image.getHeight());
        List<Evidence> out = new ArrayList<>();
        for (LabelFinding f : scan.labels()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("text", f.text());
            d.put("box", List.of(f.box().x, f.box().y, f.box().width, f.box().height));
            d.put("heightRatio", Math.round(f.heightRatio() * 10000) / 10000.0);
            // the glyph (ink) height measured in the pixels and the least GB 45438 §5.2 asks for, both in pixels
            d.put("textHeight", f.textHeight());
            d.put("minTextHeight", (int) Math.ceil(VisibleLabelFinder.MIN_HEIGHT_RATIO * shortest));
            d.put("position", f.position().name().toLowerCase(Locale.ROOT));
            d.put("compliant", f.compliant());
            if (f.angle() != 0) {
                d.put("angle", Math.round(f.angle() * 10) / 10.0);
            }
            d.put("confidence", Math.round(f.confidence() * 1000) / 1000.0);
            out.add(new Evidence("pixels:ocr", Evidence.Kind.VISIBLE_LABEL, Evidence.Strength.TRACE,
                    String.format(Locale.ROOT, "visible label \"%s\" at %s, text height %.1f%% of the shortest side (%s)",
                            f.matchedPhrase(), f.position().name().toLowerCase(Locale.ROOT), f.heightRatio() * 100,
                            f.compliant() ? "compliant" : "not compliant with GB 45438 §5.2"), d));
        }
        return out;
    }

    @Override
    public void close() {
        finder.close();
    }
}
