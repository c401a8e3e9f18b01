package org.aigcmark.detect;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detect.model.Classification;
import org.aigcmark.detect.model.FaceDetector;
import org.aigcmark.detect.model.OnnxImageClassifier;
import org.aigcmark.detection.Evidence;
import org.aigcmark.detection.EvidenceCheck;

/**
 * Plugs an ONNX image classifier into {@link org.aigcmark.detection.Detector}. The score becomes WEAK evidence with
 * its caveat, model name and licence: a statistical score is never proof and never decides a verdict alone.
 * Whole-image models score the image once; face-swap models (spec {@code face_crop}) score each face found by
 * the face stage, and the image's score is the highest face score. Owns the sessions: close it when done.
 */
public final class ModelScoreCheck implements EvidenceCheck, AutoCloseable {
    /** Scores at or above this are reported; lower scores are reported too, as "low", so absence is visible. */
    public static final double DEFAULT_REPORT_THRESHOLD = 0.5;
    /** Faces scored per image at most (largest first), bounding the time on crowd photos. */
    public static final int MAX_FACES = 16;

    private static final String CAVEAT = "a statistical model score, not proof: detectors miss new generators and "
            + "misfire on edited, compressed or unusual real photos";

    private final OnnxImageClassifier classifier;
    private final FaceDetector faces;
    private final double threshold;

    private ModelScoreCheck(OnnxImageClassifier classifier, FaceDetector faces, double threshold) {
        this.classifier = classifier;
        this.faces = faces;
        this.threshold = threshold;
    }

    /**
     * @param classifier the model (owned by this check from now on)
     * @param faces      the face stage, required when the model's spec asks for face crops (owned too); may be null
     * @param threshold  scores at or above it are reported as "suspected"; others as "low"
     */
    public static ModelScoreCheck of(OnnxImageClassifier classifier, FaceDetector faces, double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw AigcmarkException.invalid("threshold must be in (0, 1), got " + threshold);
        }
        if (classifier.spec().faceCrop() && faces == null) {
            throw AigcmarkException.invalid("model " + classifier.spec().name() + " scores face crops: a face detector is required");
        }
        return new ModelScoreCheck(classifier, faces, threshold);
    }

    @Override
    public String name() {
        return "model:" + classifier.spec().name();
    }

    @Override
    public List<Evidence> check(BufferedImage image, List<String> problems) {
        var spec = classifier.spec();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", spec.name());
        d.put("licence", spec.licence());
        d.put("commercialUse", spec.commercialUse());
        d.put("executionProvider", classifier.executionProvider());
        double score;
        String where;
        if (spec.faceCrop()) {
            List<FaceDetector.Face> found = faces.detect(image);
            if (found.isEmpty()) {
                return List.of(); // a face-swap model has nothing to say about an image without faces
            }
            List<FaceDetector.Face> used = found.subList(0, Math.min(MAX_FACES, found.size()));
            List<BufferedImage> crops = new ArrayList<>();
            for (FaceDetector.Face f : used) {
                crops.add(FaceDetector.crop(image, f.box(), spec.faceMargin()));
            }
            List<Classification> scores = classifier.classify(crops);
            List<Map<String, Object>> perFace = new ArrayList<>();
            score = 0;
            for (int i = 0; i < used.size(); i++) {
                Rectangle b = used.get(i).box();
                double s = scores.get(i).fakeScore();
                score = Math.max(score, s);
                perFace.add(Map.of("box", List.of(b.x, b.y, b.width, b.height), "score", round(s),
                        "faceConfidence", round(used.get(i).confidence())));
            }
            d.put("faces", perFace);
            where = "highest of " + used.size() + " face" + (used.size() == 1 ? "" : "s");
        } else {
            Classification c = classifier.classify(image);
            score = c.fakeScore();
            d.put("topLabel", c.topLabel());
            where = "whole image";
        }
        d.put("score", round(score));
        d.put("threshold", threshold);
        d.put("caveat", spec.caveat().isEmpty() ? CAVEAT : spec.caveat() + "; " + CAVEAT);
        String summary = String.format(Locale.ROOT, "model %s scores %.2f AI/fake (%s; %s)%s%s", spec.name(), score, where,
                score >= threshold ? "suspected" : "low", spec.commercialUse() ? "" : " [licence: non-commercial]",
                " - weak evidence, not proof");
        return List.of(new Evidence("model:" + spec.name(), score >= threshold ? Evidence.Kind.MODEL_SCORE : Evidence.Kind.MODEL_SCORE_LOW,
                Evidence.Strength.WEAK, summary, d));
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    @Override
    public void close() {
        classifier.close();
        if (faces != null) {
            faces.close();
        }
    }
}
