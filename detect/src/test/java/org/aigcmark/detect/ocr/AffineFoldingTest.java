package org.aigcmark.detect.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.aigcmark.AigcmarkException;
import org.aigcmark.visible.VisibleLabelOptions;
import org.aigcmark.visible.VisibleLabelOptions.Position;
import org.aigcmark.visible.VisibleLabelRenderer;
import org.junit.jupiter.api.Test;

/** The folded PP-OCRv4 models compute what the originals do, on a real photo with a real label. */
class AffineFoldingTest {
    private static OrtSession session(OrtEnvironment env, byte[] model) throws Exception {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(1);
        return env.createSession(model, so);
    }

    private static float[] run(OrtEnvironment env, OrtSession s, float[] input, long[] shape) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
             OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    private static final BufferedImage LABELLED = VisibleLabelFinderTest.photo("14-evening-boats-lake.jpg", 1080);
    private static final Rectangle PLATE = VisibleLabelRenderer.render(LABELLED,
            new VisibleLabelOptions("AI生成", Position.BOTTOM_RIGHT, 0.06), 1).plate();

    @Test
    void foldedDetectorGivesTheSameProbabilityMapAndBoxes() throws Exception {
        OcrModels models = TestModels.require();
        byte[] original = Files.readAllBytes(models.detection());
        AffineFolding.Result r = AffineFolding.fold(original);
        // PPLCNetV3 + LKPAN as exported: 28 convolutions followed by a scalar Mul/Add, 24 hard-swishes, 23 scalar
        // affine steps feeding convolutions only
        assertEquals(28, r.convAffines());
        assertEquals(24, r.hardSwishes());
        assertEquals(23, r.affinesIntoConv());
        assertTrue(r.nodesAfter() < r.nodesBefore() - 100, r.nodesBefore() + " -> " + r.nodesAfter());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Pixels px = Pixels.of(LABELLED);
        int tw = 864;
        int th = 480;
        float[] input = new float[3 * tw * th];
        px.resampleBgr(new Rectangle(0, 0, px.width, px.height), tw, th, input, tw, 0, tw * th, TextDetector.MEAN, TextDetector.STD);
        try (OrtSession a = session(env, original); OrtSession b = session(env, r.model())) {
            float[] pa = run(env, a, input, new long[] {1, 3, th, tw});
            float[] pb = run(env, b, input, new long[] {1, 3, th, tw});
            assertEquals(pa.length, pb.length);
            double maxDiff = 0;
            int text = 0;
            for (int i = 0; i < pa.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(pa[i] - pb[i]));
                text += pa[i] > TextDetector.BINARY_THRESHOLD ? 1 : 0;
            }
            assertTrue(text > 500, "the label is text for DB: " + text + " pixels");
            assertTrue(maxDiff < 1e-4, "max difference " + maxDiff);
            List<TextDetector.Box> boxesA = TextDetector.components(pa, tw, th);
            List<TextDetector.Box> boxesB = TextDetector.components(pb, tw, th);
            assertEquals(boxesA.stream().map(TextDetector.Box::rect).toList(), boxesB.stream().map(TextDetector.Box::rect).toList());
        }
    }

    @Test
    void foldedRecogniserReadsTheSame() throws Exception {
        OcrModels models = TestModels.require();
        byte[] original = Files.readAllBytes(models.recognition());
        AffineFolding.Result r = AffineFolding.fold(original);
        assertTrue(r.hardSwishes() > 0, "the recogniser's PPLCNetV3 has hard-swishes too: " + r);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Pixels px = Pixels.of(LABELLED);
        int w = 320;
        float[] input = new float[3 * 48 * w];
        // the label's plate, at the recogniser's height
        px.resampleBgr(PLATE, w, 48, input, w, 0, 48 * w,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
        try (OrtSession a = session(env, original); OrtSession b = session(env, r.model())) {
            float[] la = run(env, a, input, new long[] {1, 3, 48, w});
            float[] lb = run(env, b, input, new long[] {1, 3, 48, w});
            double maxDiff = 0;
            for (int i = 0; i < la.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(la[i] - lb[i]));
            }
            assertTrue(maxDiff < 1e-4, "max difference " + maxDiff);
        }
    }

    @Test
    void aModelWithNothingToFoldComesBackAsItIs() {
        // ModelProto { ir_version 8, graph { node { input "x" output "y" op_type "Relu" } } }
        byte[] relu = {0x08, 0x08, 0x3a, 0x0e, 0x0a, 0x0c, 0x0a, 0x01, 'x', 0x12, 0x01, 'y', 0x22, 0x04, 'R', 'e', 'l', 'u'};
        AffineFolding.Result r = AffineFolding.fold(relu);
        assertSame(relu, r.model());
        assertEquals(1, r.nodesBefore());
        assertEquals(0, r.convAffines() + r.hardSwishes() + r.affinesIntoConv());
    }

    @Test
    void aTruncatedModelIsCorruptInput() throws Exception {
        byte[] original = Files.readAllBytes(TestModels.require().detection());
        byte[] cut = Arrays.copyOf(original, original.length / 2);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> AffineFolding.fold(cut));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
        byte[] junk = new byte[64];
        Arrays.fill(junk, (byte) 0xff);
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT,
                assertThrows(AigcmarkException.class, () -> AffineFolding.fold(junk)).reason());
        assertFalse(Arrays.equals(original, AffineFolding.fold(original).model()));
        assertArrayEquals(original, Files.readAllBytes(TestModels.require().detection()), "the file is not changed");
    }
}
