package org.aigcmark.detect.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;

/**
 * A generic ONNX image classifier run as its {@link ModelSpec} says (input size, resize, normalisation, layout,
 * labels, which labels mean fake). The model's sha256 must match the spec's pin or it is refused.
 *
 * <p>One session, reused; {@link #classify(List)} may be called from many threads at once
 * ({@code OrtSession.run} is thread-safe). Images are sent in batches of up to {@link #batchSize()} (1 when the
 * model's batch dimension is fixed). {@link #close()} waits for running calls and may be called more than once.
 */
public final class OnnxImageClassifier implements AutoCloseable {
    /** Default images per inference call. */
    public static final int DEFAULT_BATCH = 16;

    private final ModelSpec spec;
    private final OrtSession session;
    private final String provider;
    private final String inputName;
    private final String outputName;
    private final int batchSize;
    private final org.aigcmark.detect.SessionGuard guard = new org.aigcmark.detect.SessionGuard("OnnxImageClassifier");

    private OnnxImageClassifier(ModelSpec spec, byte[] bytes, boolean preferCuda, int maxBatch) {
        this.spec = spec;
        OnnxSessions.Opened opened = OnnxSessions.open(bytes, "model " + spec.name(), preferCuda, 0);
        this.session = opened.session();
        this.provider = opened.provider();
        try {
            this.inputName = spec.inputName() != null ? spec.inputName() : session.getInputNames().iterator().next();
            this.outputName = spec.outputName() != null ? spec.outputName() : session.getOutputNames().iterator().next();
            NodeInfo in = session.getInputInfo().get(inputName);
            if (in == null || !session.getOutputNames().contains(outputName)) {
                throw AigcmarkException.invalid("model " + spec.name() + " has no input \"" + inputName + "\" or output \""
                        + outputName + "\"; it has " + session.getInputNames() + " -> " + session.getOutputNames());
            }
            long[] shape = ((TensorInfo) in.getInfo()).getShape();
            if (shape.length != 4) {
                throw AigcmarkException.invalid("model " + spec.name() + ": input must be 4-D, got " + shape.length + "-D");
            }
            long c = spec.nhwc() ? shape[3] : shape[1];
            long h = spec.nhwc() ? shape[1] : shape[2];
            long w = spec.nhwc() ? shape[2] : shape[3];
            if ((c > 0 && c != 3) || (h > 0 && h != spec.height()) || (w > 0 && w != spec.width())) {
                throw AigcmarkException.invalid("model " + spec.name() + ": input shape " + java.util.Arrays.toString(shape)
                        + " does not match the spec (" + (spec.nhwc() ? "NHWC" : "NCHW") + ", " + spec.width() + "x" + spec.height() + ")");
            }
            this.batchSize = shape[0] > 0 ? (int) Math.min(shape[0], maxBatch) : maxBatch;
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing
            }
            if (e instanceof AigcmarkException ae) {
                throw ae;
            }
            throw new AigcmarkException(Reason.CORRUPT_INPUT, "model " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /** Opens on CPU. */
    public static OnnxImageClassifier open(ModelSpec spec) {
        return open(spec, false);
    }

    /** Opens on CUDA when {@code preferCuda} and the GPU runtime is present, else on CPU (with a log line). */
    public static OnnxImageClassifier open(ModelSpec spec, boolean preferCuda) {
        return open(spec, preferCuda, DEFAULT_BATCH);
    }

    /**
     * Opens the model {@code spec} describes, after checking its file against the spec's sha256.
     *
     * @param spec the model file, its pin, input and labels
     * @param preferCuda try the CUDA execution provider first, else CPU
     * @param maxBatch the most images per inference call, 1..1024
     * @return the classifier; close it when done
     * @throws AigcmarkException with {@link Reason#INVALID_ARGUMENT} for a bad {@code maxBatch} or a model whose input
     *     or output does not fit the spec; {@link Reason#INPUT_UNREADABLE} when the model cannot be read; {@link
     *     Reason#CORRUPT_INPUT} when its hash differs from the pin or ONNX Runtime cannot load it
     */
    public static OnnxImageClassifier open(ModelSpec spec, boolean preferCuda, int maxBatch) {
        if (maxBatch < 1 || maxBatch > 1024) {
            throw AigcmarkException.invalid("maxBatch must be 1..1024, got " + maxBatch);
        }
        return new OnnxImageClassifier(spec, OnnxSessions.readVerified(spec.modelFile(), spec.sha256()), preferCuda, maxBatch);
    }

    /** Opens a model whose bytes the caller already checked against {@code spec.sha256()} (the bundled models). */
    static OnnxImageClassifier open(ModelSpec spec, byte[] verifiedBytes, boolean preferCuda) {
        return new OnnxImageClassifier(spec, verifiedBytes, preferCuda, DEFAULT_BATCH);
    }

    /** The spec this classifier was opened with. */
    public ModelSpec spec() {
        return spec;
    }

    /** "CPU" or "CUDA". */
    public String executionProvider() {
        return provider;
    }

    /**
     * Images per inference call: at most the {@code maxBatch} asked for, 1 when the model's batch dimension is fixed.
     */
    public int batchSize() {
        return batchSize;
    }

    /** Classifies one image; see {@link #classify(List)}. */
    public Classification classify(BufferedImage image) {
        return classify(List.of(image)).get(0);
    }

    /** Classifies images in order, in batches. */
    public List<Classification> classify(List<BufferedImage> images) {
        return guard.use(() -> {
            List<Classification> out = new ArrayList<>(images.size());
            for (int start = 0; start < images.size(); start += batchSize) {
                out.addAll(runBatch(images.subList(start, Math.min(images.size(), start + batchSize))));
            }
            return out;
        });
    }

    private List<Classification> runBatch(List<BufferedImage> images) {
        int n = images.size();
        int per = 3 * spec.width() * spec.height();
        float[] data = new float[n * per];
        for (int i = 0; i < n; i++) {
            ImageTensors.write(ImageTensors.fit(images.get(i), spec), spec, data, i);
        }
        long[] shape = spec.nhwc() ? new long[] {n, spec.height(), spec.width(), 3} : new long[] {n, 3, spec.height(), spec.width()};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
             OrtSession.Result result = session.run(Map.of(inputName, input), java.util.Set.of(outputName))) {
            Object value = result.get(0).getValue();
            float[][] rows = rows(value, n);
            List<Classification> out = new ArrayList<>(n);
            for (float[] row : rows) {
                out.add(toClassification(row));
            }
            return out;
        } catch (OrtException e) {
            throw new AigcmarkException(Reason.INTERNAL, "model " + spec.name() + " failed: " + e.getMessage(), e);
        }
    }

    private float[][] rows(Object value, int n) {
        if (value instanceof float[][] m && m.length == n) {
            return m;
        }
        if (value instanceof float[] v && v.length == n && spec.output() == ModelSpec.Output.SIGMOID) {
            float[][] m = new float[n][];
            for (int i = 0; i < n; i++) {
                m[i] = new float[] {v[i]};
            }
            return m;
        }
        throw AigcmarkException.invalid("model " + spec.name() + ": output must be [batch, classes] floats");
    }

    Classification toClassification(float[] row) {
        int k = spec.labels().size();
        double[] p = new double[k];
        switch (spec.output()) {
            case SIGMOID -> {
                if (row.length != 1) {
                    throw AigcmarkException.invalid("model " + spec.name() + ": sigmoid output needs one value per image, got " + row.length);
                }
                double s = 1 / (1 + Math.exp(-row[0]));
                int fake = spec.isFake(1) ? 1 : 0;
                p[fake] = s;
                p[1 - fake] = 1 - s;
            }
            case PROBABILITIES -> {
                if (row.length == 1 && k == 2) {
                    // One sigmoid unit, as Keras' binary classifiers (MesoNet): it is P(label 1).
                    p[1] = row[0];
                    p[0] = 1.0 - row[0]; // in double: float arithmetic would round P(fake)
                } else if (row.length != k) {
                    throw AigcmarkException.invalid("model " + spec.name() + ": " + row.length + " outputs but " + k + " labels");
                } else {
                    for (int i = 0; i < k; i++) {
                        p[i] = row[i];
                    }
                }
            }
            case LOGITS -> {
                if (row.length != k) {
                    throw AigcmarkException.invalid("model " + spec.name() + ": " + row.length + " outputs but " + k + " labels");
                }
                {
                    double max = Double.NEGATIVE_INFINITY;
                    for (float v : row) {
                        max = Math.max(max, v);
                    }
                    double sum = 0;
                    for (int i = 0; i < k; i++) {
                        p[i] = Math.exp(row[i] - max);
                        sum += p[i];
                    }
                    for (int i = 0; i < k; i++) {
                        p[i] /= sum;
                    }
                }
            }
        }
        double fake = 0;
        int top = 0;
        List<Double> probs = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(p[i])) {
                throw new AigcmarkException(Reason.INTERNAL, "model " + spec.name() + " returned a non-finite score");
            }
            probs.add(p[i]);
            if (spec.isFake(i)) {
                fake += p[i];
            }
            if (p[i] > p[top]) {
                top = i;
            }
        }
        return new Classification(probs, Math.min(1, Math.max(0, fake)), spec.labels().get(top));
    }

    @Override
    public void close() {
        guard.closeOnce(() -> {
            try {
                session.close();
            } catch (OrtException e) {
                // closing is best effort
            }
        });
    }
}
