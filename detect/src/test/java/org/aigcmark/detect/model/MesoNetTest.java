package org.aigcmark.detect.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detect.DetectorSettings;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.detection.Evidence;
import org.aigcmark.io.Sha256;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The bundled MesoNet models reproduce upstream's scores on its four face crops (the numbers of
 * shared/models/mesonet/SOURCE.md, from a PyTorch rebuild; detect/tools/convert_mesonet.py reproduces them with numpy
 * and OpenCV's ONNX importer), and run by name through the face stage.
 */
class MesoNetTest {
    private static final List<String> CROPS = List.of("df00204.jpg", "df01254.jpg", "real00240.jpg", "real00772.jpg");
    /** P(real) per crop, from SOURCE.md (4 decimals). */
    private static final Map<String, double[]> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("mesonet-df", new double[] {0.0414, 0.0487, 0.9897, 0.9977});
        EXPECTED.put("mesoinception-df", new double[] {0.0262, 0.0010, 1.0000, 1.0000});
        EXPECTED.put("mesonet-f2f", new double[] {0.8312, 0.6411, 0.8810, 0.9524});
        EXPECTED.put("mesoinception-f2f", new double[] {0.9987, 1.0000, 1.0000, 0.9908});
    }

    /**
     * The spec resizes as upstream does (Keras load_img: PIL NEAREST to 256x256, then /255): rounding of the expected
     * values (5e-5) plus JPEG decoding (ImageIO vs libjpeg in PIL, up to 1 level per sample) stay well under 2e-3.
     */
    private static final double TOLERANCE = 2e-3;

    @Test
    void reproducesUpstreamScoresOnItsFaceCrops() throws IOException {
        double worst = 0;
        for (Map.Entry<String, double[]> e : EXPECTED.entrySet()) {
            try (OnnxImageClassifier model = BundledModels.open(e.getKey(), false)) {
                List<BufferedImage> crops = new ArrayList<>();
                for (String crop : CROPS) {
                    crops.add(ImageIO.read(Fixtures.path("faces/mesonet/" + crop).toFile()));
                }
                List<Classification> scored = model.classify(crops);
                for (int i = 0; i < CROPS.size(); i++) {
                    double real = scored.get(i).probabilities().get(1);
                    String what = e.getKey() + " on " + CROPS.get(i);
                    assertEquals(e.getValue()[i], real, TOLERANCE, what);
                    assertEquals(1 - real, scored.get(i).fakeScore(), 1e-9, "label 0 is fake: " + what);
                    worst = Math.max(worst, Math.abs(real - e.getValue()[i]));
                }
            }
        }
        System.out.printf("MesoNet: largest difference to SOURCE.md %.5f%n", worst);
    }

    @Test
    void deepfakeModelsPutTheUpstreamCropsOnTheRightSide() throws IOException {
        for (String name : List.of("mesonet", "mesonet-df", "mesoinception-df")) {
            try (OnnxImageClassifier model = BundledModels.open(name, false)) {
                for (String crop : CROPS) {
                    double fake = model.classify(ImageIO.read(Fixtures.path("faces/mesonet/" + crop).toFile())).fakeScore();
                    assertEquals(crop.startsWith("df"), fake >= 0.5, name + " on " + crop + ": " + fake);
                }
            }
        }
    }

    @Test
    void bundledModelsArePinnedAndCarryTheirLicence() {
        assertEquals(List.of("mesoinception-df", "mesoinception-f2f", "mesonet-df", "mesonet-f2f"), BundledModels.names());
        for (String name : BundledModels.names()) {
            ModelSpec spec = BundledModels.spec(name);
            assertEquals(name, spec.name());
            assertEquals(spec.sha256(), Sha256.hex(BundledModels.resource(name + ".onnx")));
            assertEquals("Apache-2.0", spec.licence());
            assertTrue(spec.commercialUse());
            assertTrue(spec.faceCrop());
            assertEquals(256, spec.width());
            assertEquals(1 / 255f, spec.rescale(), 1e-9);
            assertTrue(spec.caveat().contains("2018"), spec.caveat());
        }
        assertEquals("mesoinception-df", BundledModels.canonical("MesoNet"));
        assertTrue(BundledModels.legalNotices().contains("Apache License"));
        assertTrue(BundledModels.legalNotices().contains("Darius Afchar"));
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> BundledModels.spec("xception"));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
    }

    @Test
    void detectByNameRunsTheFaceStageAndReportsTheScore() {
        Path blazeDir = PlumbingModel.blazeFace().getParent();
        DetectorSettings settings = DetectorSettings.defaults().withNoOcr(true).withModels(blazeDir.toString())
                .withModelSpecs(List.of("mesonet"));
        List<String> notes = new ArrayList<>();
        try (Detector d = settings.build(notes::add)) {
            DetectionReport face = d.detect(Fixtures.path("faces/astronaut-nasa.jpg"), false);
            List<Evidence> scores = face.evidence().stream().filter(ev -> ev.source().equals("model:mesoinception-df")).toList();
            assertEquals(1, scores.size(), face.evidence().toString());
            Evidence ev = scores.get(0);
            assertEquals(Evidence.Strength.WEAK, ev.strength());
            assertEquals("Apache-2.0", ev.details().get("licence"));
            assertTrue(((String) ev.details().get("caveat")).contains("2018"), ev.details().toString());
            assertEquals(1, ((List<?>) ev.details().get("faces")).size(), "one face: " + ev.details());
            double score = (Double) ev.details().get("score");
            System.out.println("mesonet on the NASA astronaut (a real photo): " + ev.summary());
            assertEquals(score >= 0.5 ? Evidence.Kind.MODEL_SCORE : Evidence.Kind.MODEL_SCORE_LOW, ev.kind());
            assertTrue(settings.describe(d).path("models").get(0).asText().startsWith("bundled:"));
            DetectionReport noFace = d.detect(Fixtures.path("photos/19-fig-red-bowl.jpg"), false);
            assertFalse(noFace.evidence().stream().anyMatch(x -> x.source().startsWith("model:")),
                    "a face model says nothing about an image without faces");
        }
    }

    @Test
    void faceModelByNameWithoutBlazeFaceIsAUsageErrorThatSaysHow() {
        DetectorSettings settings = DetectorSettings.defaults().withNoOcr(true).withModels("target/no-models-here")
                .withModelSpecs(List.of("mesonet-df"));
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> settings.build(x -> { }).close());
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("models fetch blazeface"), e.getMessage());
    }

}
