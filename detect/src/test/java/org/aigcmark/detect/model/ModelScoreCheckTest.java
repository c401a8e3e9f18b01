package org.aigcmark.detect.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detect.ModelScoreCheck;
import org.aigcmark.detection.Evidence;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelScoreCheckTest {
    @Test
    void wholeImageScoreIsWeakEvidenceWithItsCaveatAndLicence() throws IOException {
        BufferedImage photo = ImageIO.read(Fixtures.path("photos/19-fig-red-bowl.jpg").toFile());
        try (ModelScoreCheck check = ModelScoreCheck.of(OnnxImageClassifier.open(PlumbingModel.spec()), null, 0.5)) {
            List<String> problems = new ArrayList<>();
            List<Evidence> ev = check.check(photo, problems);
            assertEquals(1, ev.size());
            Evidence e = ev.get(0);
            assertEquals(Evidence.Strength.WEAK, e.strength());
            assertEquals("model:aigcmark-plumbing-cnn", e.source());
            double score = (Double) e.details().get("score");
            assertEquals(score >= 0.5 ? "model-score" : "model-score-low", e.kind().id());
            assertTrue(e.summary().contains("not proof"), e.summary());
            assertTrue(((String) e.details().get("caveat")).contains("plumbing test model"));
            assertEquals(true, e.details().get("commercialUse"));
            assertTrue(problems.isEmpty());
        }
    }

    @Test
    void faceModelScoresEachFaceAndReportsTheHighest(@TempDir Path dir) throws IOException {
        // The plumbing model stands in for a face-swap model: same spec, face_crop switched on, non-commercial.
        String spec = Files.readString(PlumbingModel.specFile())
                .replace("\"face_crop\": false", "\"face_crop\": true")
                .replace("\"commercial_use\": true", "\"commercial_use\": false")
                .replace("\"plumbing-cnn.onnx\"", "\"" + PlumbingModel.dir().resolve("plumbing-cnn.onnx").toString().replace("\\", "\\\\") + "\"");
        Files.writeString(dir.resolve("face.json"), spec);
        ModelSpec faceSpec = ModelSpec.read(dir.resolve("face.json"));
        assertTrue(faceSpec.faceCrop());
        assertThrows(AigcmarkException.class, () -> ModelScoreCheck.of(OnnxImageClassifier.open(faceSpec), null, 0.5),
                "a face model without a face stage");
        BufferedImage astronaut = ImageIO.read(Fixtures.path("faces/astronaut-nasa.jpg").toFile());
        BufferedImage noFace = ImageIO.read(Fixtures.path("photos/19-fig-red-bowl.jpg").toFile());
        try (ModelScoreCheck check = ModelScoreCheck.of(OnnxImageClassifier.open(faceSpec),
                FaceDetector.open(PlumbingModel.blazeFace(), false), 0.5)) {
            List<Evidence> ev = check.check(astronaut, new ArrayList<>());
            assertEquals(1, ev.size());
            Evidence e = ev.get(0);
            List<?> faces = (List<?>) e.details().get("faces");
            assertEquals(1, faces.size());
            assertEquals(((Map<?, ?>) faces.get(0)).get("score"), e.details().get("score"));
            assertTrue(e.summary().contains("non-commercial"), e.summary());
            assertFalse((Boolean) e.details().get("commercialUse"));
            assertTrue(check.check(noFace, new ArrayList<>()).isEmpty(), "no faces, nothing to say");
        }
    }

    @Test
    void aHighScoreAloneNeverDecidesAVerdict() {
        // golden-1 is a 4x-upsampled crop: the plumbing model scores it 0.985 "synthetic".
        Path file = PlumbingModel.dir().resolve("golden/golden-1-synthetic.png");
        try (ModelScoreCheck check = ModelScoreCheck.of(OnnxImageClassifier.open(PlumbingModel.spec()), null, 0.5)) {
            org.aigcmark.detection.Detector detector = org.aigcmark.detection.Detector.create(org.aigcmark.Labeler.create(),
                    List.of(), List.of(), List.of(check));
            org.aigcmark.detection.DetectionReport report = detector.detect(file, false);
            Evidence score = report.evidence().stream().filter(e -> e.source().startsWith("model:")).findFirst().orElseThrow();
            assertEquals("model-score", score.kind().id());
            assertTrue((Double) score.details().get("score") > 0.9, score.toString());
            assertEquals(null, report.verdict().labelCode(), "weak evidence must not set a label: " + report.verdict());
        }
    }
}
