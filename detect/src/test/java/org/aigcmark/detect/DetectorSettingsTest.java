package org.aigcmark.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.Detector;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/** The settings travel to another JVM intact (Spark tasks, stream tasks) and build what the CLI's options built. */
class DetectorSettingsTest {
    private static final String KEY = Fixtures.path("keys/test-watermark.key").toString();
    private static final String PUB = Fixtures.path("keys/test-ed25519.pub").toString();

    @Test
    void survivesJavaSerialization() throws IOException, ClassNotFoundException {
        DetectorSettings s = DetectorSettings.defaults().withKeys(List.of(KEY)).withPublicKeys(List.of(PUB))
                .withWatermarkSearch("QUICK").withModels("/models").withMetadataOnly(true).withTextWatermark("gumbel", "cl100k_base");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertEquals(s, back);
        assertEquals("quick", s.watermarkSearch(), "named choices are kept in lower case, as the journal records them");
    }

    @Test
    void buildsTheDetectorAndDescribesItWithoutSecrets() {
        List<String> notes = new ArrayList<>();
        DetectorSettings s = DetectorSettings.defaults().withKeys(List.of(KEY)).withPublicKeys(List.of(PUB))
                .withModels(Path.of("target/no-models-here").toString()).withNoOcr(true);
        try (Detector d = s.build(notes::add)) {
            assertEquals(List.of(), d.checks(), "no OCR, no models");
            var described = s.describe(d);
            assertEquals(WatermarkKey.read(Path.of(KEY)).fingerprint(), described.path("watermarkKeys").get(0).asText());
            assertFalse(described.path("ocr").asBoolean());
            assertEquals("kgw/o200k_base", described.path("textWatermark").asText());
            assertFalse(described.toString().contains(WatermarkKey.read(Path.of(KEY)).toPem().split("\n")[1]), "no secret");
        }
        assertEquals(List.of(), notes, "OCR was turned off, so there is nothing to note");
    }

    @Test
    void absentModelsAndBadChoicesAreErrors() {
        List<String> notes = new ArrayList<>();
        // OCR on with a models folder given that lacks them: an error, as the CLI's --models (the default folder is a note)
        DetectorSettings given = DetectorSettings.defaults().withModels(Path.of("target/no-models-here").toString());
        AigcmarkException absent = assertThrows(AigcmarkException.class, () -> given.build(notes::add).close());
        assertEquals(AigcmarkException.Reason.UNAVAILABLE, absent.reason());
        AigcmarkException bad = assertThrows(AigcmarkException.class, () -> DetectorSettings.defaults().withWatermarkSearch("deepest"));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, bad.reason());
        assertTrue(bad.getMessage().contains("--watermark-search must be full, quick, own or deep"), bad.getMessage());
        AigcmarkException badKey = assertThrows(AigcmarkException.class,
                () -> DetectorSettings.defaults().withKeys(List.of(PUB)).build(notes::add).close());
        assertEquals(AigcmarkException.Reason.KEY_INVALID, badKey.reason());
        AigcmarkException region = assertThrows(AigcmarkException.class, () -> DetectorSettings.defaults().withOcrSearch("centre", 960));
        assertTrue(region.getMessage().contains("--ocr-region must be whole or bands"), region.getMessage());
        assertThrows(AigcmarkException.class, () -> DetectorSettings.defaults().withOcrSearch("whole", 10));
    }

    @Test
    void theOcrSearchComesFromTheFlagsAndShowsInTheJournal() {
        DetectorFlags flags = new DetectorFlags();
        new picocli.CommandLine(flags).parseArgs("--ocr-region", "BANDS", "--ocr-max-side", "1280", "--no-ocr");
        DetectorSettings s = flags.settings();
        assertEquals("bands", s.ocrRegion());
        assertEquals(1280, s.ocrMaxSide());
        assertEquals(DetectorSettings.defaults().withNoOcr(true).withOcrSearch("bands", 1280), s);
        DetectorFlags plain = new DetectorFlags();
        new picocli.CommandLine(plain).parseArgs();
        assertEquals("whole", plain.settings().ocrRegion(), "the whole image by default");
        try (Detector d = s.build(n -> { })) {
            assertEquals("bands/1280", s.describe(d).path("ocrSearch").asText());
        }
    }

    /** Serve and scan size the OCR sessions to their workers: cores / workers threads each, at least one. */
    @Test
    void onnxThreadsFollowTheWorkersAndReachTheOcrSessions() {
        assertEquals(1, DetectorSettings.onnxThreadsFor(2, 2));
        assertEquals(1, DetectorSettings.onnxThreadsFor(2, 8));
        assertEquals(4, DetectorSettings.onnxThreadsFor(16, 4));
        assertEquals(2, DetectorSettings.onnxThreadsFor(2, 1));
        DetectorSettings s = DetectorSettings.defaults().withOcrSearch("bands", 1280).withOnnxThreads(3);
        assertEquals(3, DetectorSettings.ocrOptions(s.ocrRegion(), s.ocrMaxSide(), false, s.onnxThreads()).intraOpThreads());
        assertEquals(0, DetectorSettings.defaults().onnxThreads(), "ONNX Runtime's own choice unless a caller says");
        assertEquals("bands", s.ocrRegion(), "the other settings kept");
        assertThrows(AigcmarkException.class, () -> DetectorSettings.defaults().withOnnxThreads(-1));
    }
}
