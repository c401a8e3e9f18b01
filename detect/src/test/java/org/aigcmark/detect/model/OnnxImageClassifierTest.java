package org.aigcmark.detect.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImageClassifierTest {
    @Test
    void matchesTheProbabilitiesTheExportScriptComputed() throws IOException {
        Map<?, ?> golden = (Map<?, ?>) ModelSpec.json(Files.readString(PlumbingModel.dir().resolve("golden/golden.json")));
        List<?> cases = (List<?>) golden.get("cases");
        assertEquals(4, cases.size());
        try (OnnxImageClassifier c = OnnxImageClassifier.open(PlumbingModel.spec())) {
            for (Object o : cases) {
                Map<?, ?> k = (Map<?, ?>) o;
                BufferedImage img = ImageIO.read(PlumbingModel.dir().resolve("golden").resolve((String) k.get("file")).toFile());
                Classification got = c.classify(img);
                List<?> want = (List<?>) k.get("probabilities");
                for (int i = 0; i < want.size(); i++) {
                    assertEquals((Double) want.get(i), got.probabilities().get(i), 1e-4, k.get("file") + " class " + i);
                }
                assertEquals((Double) want.get(1), got.fakeScore(), 1e-4);
            }
        }
    }

    @Test
    void batchedResultsEqualOneAtATime() throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (String f : List.of("01-sky-bridge-cables.jpg", "19-fig-red-bowl.jpg", "21-nuthatch-tree-bark.jpg",
                "12-dogs-window-portrait-orientation.jpg", "31-colorful-cups.jpg")) {
            images.add(ImageIO.read(Fixtures.path("photos/" + f).toFile()));
        }
        try (OnnxImageClassifier batched = OnnxImageClassifier.open(PlumbingModel.spec(), false, 2)) {
            assertEquals(2, batched.batchSize());
            List<Classification> all = batched.classify(images);
            assertEquals(images.size(), all.size());
            for (int i = 0; i < images.size(); i++) {
                Classification one = batched.classify(images.get(i));
                assertEquals(one.fakeScore(), all.get(i).fakeScore(), 1e-5, "image " + i);
                assertEquals(one.topLabel(), all.get(i).topLabel());
            }
            // Many threads on one session give the same answers as one thread.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Classification>> futures = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    for (BufferedImage img : images) {
                        futures.add(pool.submit(() -> batched.classify(img)));
                    }
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertEquals(all.get(i % images.size()).fakeScore(), futures.get(i).get().fakeScore(), 1e-5);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void refusesAModelWhoseBytesDoNotMatchThePin(@TempDir Path dir) throws IOException {
        Files.copy(PlumbingModel.specFile(), dir.resolve("plumbing-cnn.json"));
        byte[] model = Files.readAllBytes(PlumbingModel.dir().resolve("plumbing-cnn.onnx"));
        model[model.length - 5] ^= 1; // one flipped bit in a weight
        Files.write(dir.resolve("plumbing-cnn.onnx"), model);
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> OnnxImageClassifier.open(ModelSpec.read(dir.resolve("plumbing-cnn.json"))));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void refusesGarbageThatMatchesItsOwnPinAsCorruptInput(@TempDir Path dir) throws IOException {
        byte[] garbage = "not an onnx protobuf at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(dir.resolve("m.onnx"), garbage);
        String spec = Files.readString(PlumbingModel.specFile()).replace("\"plumbing-cnn.onnx\"", "\"m.onnx\"")
                .replaceAll("\"sha256\": \"[0-9a-f]{64}\"", "\"sha256\": \"" + org.aigcmark.io.Sha256.hex(garbage) + "\"");
        Files.writeString(dir.resolve("m.json"), spec);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> OnnxImageClassifier.open(ModelSpec.read(dir.resolve("m.json"))));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
    }

    @Test
    void refusesAModelWhoseInputDoesNotMatchTheSpec(@TempDir Path dir) throws IOException {
        String spec = Files.readString(PlumbingModel.specFile()).replace("\"height\": 64", "\"height\": 96")
                .replace("\"plumbing-cnn.onnx\"", "\"" + PlumbingModel.dir().resolve("plumbing-cnn.onnx").toString().replace("\\", "\\\\") + "\"");
        Files.writeString(dir.resolve("m.json"), spec);
        // The exported graph has fixed 64x64 spatial dims; a spec saying 96 must fail at open, not at first use.
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> OnnxImageClassifier.open(ModelSpec.read(dir.resolve("m.json"))));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void cudaRequestFallsBackToCpuWhenTheRuntimeHasNoCuda() throws Exception {
        boolean cudaPresent = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        try (OnnxImageClassifier c = OnnxImageClassifier.open(PlumbingModel.spec(), true)) {
            assertEquals(cudaPresent ? "CUDA" : "CPU", c.executionProvider());
            assertEquals(2, c.classify(new BufferedImage(80, 50, BufferedImage.TYPE_INT_RGB)).probabilities().size());
        }
    }

    @Test
    void closedClassifierSaysSoAndClosesTwice() {
        OnnxImageClassifier c = OnnxImageClassifier.open(PlumbingModel.spec());
        c.close();
        c.close();
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> c.classify(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB)));
        assertEquals(AigcmarkException.Reason.UNAVAILABLE, e.reason());
    }

    @Test
    void plumbingModelSeparatesUpsampledCopiesFromTheRealPhotos() throws IOException {
        // The honest claim for this model: it tells 4x-upsampled crops from real crops of these photos, often.
        int realLow = 0;
        int upsampledHigh = 0;
        int n = 0;
        try (OnnxImageClassifier c = OnnxImageClassifier.open(PlumbingModel.spec())) {
            for (String f : List.of("02-sky-kite.jpg", "09-pale-wood-planks.jpg", "16-autumn-hills.jpg", "20-forest-stream-rocks.jpg",
                    "22-red-flower-garden.jpg", "25-green-leaf-veins.jpg", "29-forest-path.jpg", "33-jetty-by-the-water.jpg")) {
                BufferedImage photo = ImageIO.read(Fixtures.path("photos/" + f).toFile());
                int side = Math.min(photo.getWidth(), photo.getHeight()) / 4;
                int[] crop = photo.getRGB(0, 0, side, side, null, 0, side);
                int[] real = ImageTensors.resize(crop, side, side, 64, 64);
                int[] up = ImageTensors.resize(ImageTensors.resize(real, 64, 64, 16, 16), 16, 16, 64, 64);
                BufferedImage a = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                a.setRGB(0, 0, 64, 64, real, 0, 64);
                BufferedImage b = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                b.setRGB(0, 0, 64, 64, up, 0, 64);
                List<Classification> r = c.classify(List.of(a, b));
                realLow += r.get(0).fakeScore() < 0.5 ? 1 : 0;
                upsampledHigh += r.get(1).fakeScore() >= 0.5 ? 1 : 0;
                n++;
            }
        }
        assertTrue(realLow + upsampledHigh >= (int) (0.7 * 2 * n), "right on " + (realLow + upsampledHigh) + " of " + 2 * n);
    }
}
