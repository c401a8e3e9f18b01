package org.aigcmark.detect.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.aigcmark.AigcmarkException;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
    private static final String PIN = "0".repeat(64);

    @Test
    void readsTheProjectsSpecFile() {
        ModelSpec s = PlumbingModel.spec();
        assertEquals("aigcmark-plumbing-cnn", s.name());
        assertEquals(64, s.width());
        assertEquals(List.of("real", "synthetic"), s.labels());
        assertTrue(s.isFake(1));
        assertFalse(s.isFake(0));
        assertEquals(PlumbingModel.dir().resolve("plumbing-cnn.onnx"), s.modelFile());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, s.std());
        assertTrue(s.commercialUse());
    }

    @Test
    void readsHuggingFaceStylePreprocessorFields() {
        ModelSpec s = ModelSpec.parse("""
                {"name": "vit", "model_file": "m.onnx", "sha256": "%s", "crop_size": {"height": 224, "width": 224},
                 "size": {"shortest_edge": 256}, "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225],
                 "rescale_factor": 0.00392156862745098, "id2label": {"1": "Fake", "0": "Real"}, "fake_labels": ["Fake"],
                 "license": "cc-by-nc-4.0"}""".formatted(PIN), Path.of("/models"));
        assertEquals(224, s.height());
        assertEquals(ModelSpec.ResizeMode.SHORTEST_EDGE_CENTER_CROP, s.resizeMode());
        assertEquals(List.of("Real", "Fake"), s.labels());
        assertEquals(Set.of("Fake"), s.fakeLabels());
        assertEquals("cc-by-nc-4.0", s.licence());
        assertFalse(s.commercialUse(), "commercial use must be declared, never assumed");
        assertEquals(Path.of("/models/m.onnx"), s.modelFile());
    }

    @Test
    void refusesSpecsThatCannotBeRunSafely() {
        String ok = """
                {"name": "x", "model_file": "m.onnx", "sha256": "%s", "size": {"height": 64, "width": 64},
                 "id2label": {"0": "real", "1": "fake"}, "fake_labels": ["fake"]}""";
        ModelSpec.parse(ok.formatted(PIN), Path.of("."));
        assertThrows(AigcmarkException.class, () -> ModelSpec.parse(ok.formatted("abc"), Path.of(".")), "short pin");
        assertThrows(AigcmarkException.class, () -> ModelSpec.parse(ok.formatted(PIN).replace("\"fake\"]", "\"ai\"]"), Path.of(".")),
                "fake label not in id2label");
        assertThrows(AigcmarkException.class, () -> ModelSpec.parse(ok.formatted(PIN).replace("\"1\"", "\"2\""), Path.of(".")),
                "gap in id2label");
        assertThrows(AigcmarkException.class, () -> ModelSpec.parse(ok.formatted(PIN).replace("64,", "99999,"), Path.of(".")),
                "absurd input size");
        assertThrows(AigcmarkException.class, () -> ModelSpec.parse(ok.formatted(PIN).substring(10), Path.of(".")), "malformed");
        assertThrows(AigcmarkException.class, () -> ModelSpec.parse("[".repeat(100) + "]".repeat(100), Path.of(".")), "deep nesting");
        assertThrows(AigcmarkException.class, () -> ModelSpec.parse("{\"a\": 1, \"a\": 2}", Path.of(".")), "duplicate key");
        // the JSON reader itself refuses these (not only the spec checks after it)
        for (String bad : new String[] {"[".repeat(100) + "]".repeat(100), "{\"a\": 1, \"a\": 2}", "{} x", "{\"a\": 01}", "[1,]"}) {
            AigcmarkException e = assertThrows(AigcmarkException.class, () -> ModelSpec.json(bad), bad);
            assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason(), bad);
        }
        assertEquals(java.util.Map.of("a", java.util.List.of(1.0, 2.5), "b", true, "c", "\u00e9"),
                ModelSpec.json("{\"a\": [1, 2.5], \"b\": true, \"c\": \"\\u00e9\"}"));
    }
}
