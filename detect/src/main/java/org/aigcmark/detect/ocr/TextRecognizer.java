package org.aigcmark.detect.ocr;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;

/**
 * PP-OCRv4 CRNN recognition: each crop is resized to height 48 (width by its aspect ratio), normalised to
 * [-1, 1] in BGR order and right-padded to the batch's widest (at least {@link #MIN_WIDTH}), then the
 * per-step class probabilities are CTC-decoded greedily. Class 0 is the CTC blank, 1..n the dictionary lines of
 * {@code ppocr_keys_v1.txt}, and the last class a space.
 */
final class TextRecognizer {
    static final int HEIGHT = 48;
    /**
     * Narrowest batch input. PaddleOCR pads every crop to 320; labels are short, and padding to 96 read the
     * same text in our evaluation at a sixth of the recognition time.
     */
    static final int MIN_WIDTH = 96;
    /** Widest crop accepted (aspect 25:1); longer lines are squeezed. */
    static final int MAX_WIDTH = HEIGHT * 25;
    static final int BATCH = 6;
    private static final float[] MEAN = {0.5f, 0.5f, 0.5f};
    private static final float[] STD = {0.5f, 0.5f, 0.5f};

    /** Recognised text and its mean character probability. */
    record Line(String text, double confidence) {}

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final String[] classes;

    TextRecognizer(OrtEnvironment env, OrtSession session, Path dictionary) {
        this.env = env;
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
        this.classes = loadClasses(dictionary);
    }

    int classCount() {
        return classes.length;
    }

    private static String[] loadClasses(Path dictionary) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dictionary, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AigcmarkException(Reason.INPUT_UNREADABLE, "cannot read " + dictionary + ": " + e.getMessage(), e);
        }
        String[] c = new String[lines.size() + 2];
        c[0] = ""; // CTC blank
        for (int i = 0; i < lines.size(); i++) {
            c[i + 1] = lines.get(i).replace("\r", "");
        }
        c[c.length - 1] = " ";
        return c;
    }

    /**
     * Recognises every crop (a rotated one is read level), in batches of similar aspect ratio; results are in the
     * order of {@code crops}.
     */
    List<Line> recognise(Pixels px, List<Quad> crops) {
        Line[] out = new Line[crops.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < crops.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> crops.get(i).length() / crops.get(i).thickness()));
        for (int from = 0; from < order.size(); from += BATCH) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + BATCH));
            int[] widths = new int[batch.size()];
            int maxW = MIN_WIDTH;
            for (int k = 0; k < batch.size(); k++) {
                Quad q = crops.get(batch.get(k));
                Rectangle r = q.axisAligned() ? q.bounds(px.width, px.height) : null;
                double aspect = r != null ? r.width / (double) r.height : q.length() / q.thickness();
                widths[k] = Math.min(MAX_WIDTH, Math.max(1, (int) Math.ceil(HEIGHT * aspect)));
                maxW = Math.max(maxW, widths[k]);
            }
            int plane = HEIGHT * maxW;
            float[] input = new float[batch.size() * 3 * plane]; // zero = mid grey after normalisation: the padding
            for (int k = 0; k < batch.size(); k++) {
                px.resampleBgr(crops.get(batch.get(k)), widths[k], HEIGHT, input, maxW, k * 3 * plane, plane, MEAN, STD);
            }
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {batch.size(), 3, HEIGHT, maxW});
                 OrtSession.Result r = session.run(Map.of(inputName, t))) {
                OnnxTensor o = (OnnxTensor) r.get(0);
                long[] shape = o.getInfo().getShape();
                if (shape.length != 3 || shape[0] != batch.size() || shape[2] != classes.length) {
                    throw new AigcmarkException(Reason.INTERNAL, "the recognition model returned shape "
                            + java.util.Arrays.toString(shape) + ", expected [" + batch.size() + ", T, " + classes.length
                            + "] for this dictionary");
                }
                int steps = (int) shape[1];
                float[] probs = new float[(int) (shape[0] * steps * shape[2])];
                o.getFloatBuffer().get(probs);
                for (int k = 0; k < batch.size(); k++) {
                    out[batch.get(k)] = decode(probs, k * steps * classes.length, steps);
                }
            } catch (OrtException e) {
                throw new AigcmarkException(Reason.INTERNAL, "text recognition failed: " + e.getMessage(), e);
            }
        }
        return List.of(out);
    }

    /** Greedy CTC: best class per step, repeats collapsed, blanks dropped; confidence is the kept steps' mean. */
    private Line decode(float[] probs, int offset, int steps) {
        int n = classes.length;
        StringBuilder sb = new StringBuilder();
        double sum = 0;
        int kept = 0;
        int prev = -1;
        for (int t = 0; t < steps; t++) {
            int base = offset + t * n;
            int best = 0;
            float bestP = probs[base];
            for (int c = 1; c < n; c++) {
                if (probs[base + c] > bestP) {
                    bestP = probs[base + c];
                    best = c;
                }
            }
            if (best != 0 && best != prev) {
                sb.append(classes[best]);
                sum += bestP;
                kept++;
            }
            prev = best;
        }
        return new Line(sb.toString(), kept == 0 ? 0 : sum / kept);
    }
}
