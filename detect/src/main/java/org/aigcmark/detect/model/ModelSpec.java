package org.aigcmark.detect.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;

/**
 * How to run one ONNX image classifier, read from a JSON file next to the model. The field names follow Hugging
 * Face's {@code config.json} / {@code preprocessor_config.json} where they exist ({@code id2label},
 * {@code image_mean}, {@code image_std}, {@code rescale_factor}, {@code size}, {@code crop_size}), so a spec for a
 * downloaded model is mostly copied from its own config. Immutable.
 *
 * @param name          a short name shown in evidence
 * @param modelFile     the .onnx file (resolved against the spec's folder)
 * @param sha256        the pinned sha256 of the .onnx file: a model whose bytes differ is refused
 * @param inputName     the input tensor (null: the model's first input)
 * @param outputName    the output tensor (null: the model's first output)
 * @param output        how to turn the output into probabilities
 * @param height        input height in pixels
 * @param width         input width in pixels
 * @param resizeMode    how an image becomes {@code height × width}
 * @param mean          per-channel mean, in the model's channel order, applied after {@code rescale}
 * @param std           per-channel standard deviation
 * @param rescale       factor applied to 0..255 samples first (1/255 for most models)
 * @param bgr           channels in BGR order instead of RGB
 * @param nhwc          NHWC layout instead of NCHW
 * @param labels        label names by class index
 * @param fakeLabels    the labels that mean "fake / AI-generated"; the score is the sum of their probabilities
 * @param faceCrop      run the model on face crops (face-swap detectors) instead of the whole image
 * @param faceMargin    margin added around each face box, as a fraction of its size
 * @param licence       the model's licence, shown in evidence
 * @param commercialUse whether the licence allows commercial use (false for research-only weights)
 * @param sourceUrl     where the model came from
 * @param caveat        what the score does and does not show
 */
public record ModelSpec(String name, Path modelFile, String sha256, String inputName, String outputName, Output output,
                        int height, int width, ResizeMode resizeMode, float[] mean, float[] std, float rescale,
                        boolean bgr, boolean nhwc, List<String> labels, Set<String> fakeLabels, boolean faceCrop,
                        double faceMargin, String licence, boolean commercialUse, String sourceUrl, String caveat) {

    /** How the model's output becomes class probabilities. */
    public enum Output {
        /** Raw scores, softmax applied here. */
        LOGITS,
        /**
         * Already probabilities: one per label, or, for two labels, a single value that is the probability of label 1
         * (a Keras-style sigmoid unit, e.g. MesoNet's P(real)).
         */
        PROBABILITIES,
        /** One logit per image: sigmoid gives the probability of the single fake label. */
        SIGMOID
    }

    /** How an image is fitted to the model's input. */
    public enum ResizeMode {
        /** Resize to exactly height × width, ignoring the aspect ratio. */
        STRETCH,
        /** Resize the shortest side to the crop size (keeping the aspect ratio), then take the centre. */
        SHORTEST_EDGE_CENTER_CROP,
        /**
         * Resize to exactly height × width by nearest-neighbour sampling (source pixel {@code floor((x + 0.5) * w / W)}),
         * as Keras' {@code load_img(target_size=...)} and PIL's NEAREST do: models trained on such input (MesoNet) see
         * their own texture; bilinear smoothing moved a MesoNet score by 0.06.
         */
        STRETCH_NEAREST
    }

    static final int MAX_SIDE = 4096;
    static final int MAX_LABELS = 100_000;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelSpec {
        if (name == null || name.isBlank()) {
            throw AigcmarkException.invalid("model spec: name is required");
        }
        if (modelFile == null) {
            throw AigcmarkException.invalid("model spec: model_file is required");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw AigcmarkException.invalid("model spec " + name + ": sha256 must be 64 lowercase hex digits (pin the .onnx file)");
        }
        if (height < 8 || height > MAX_SIDE || width < 8 || width > MAX_SIDE) {
            throw AigcmarkException.invalid("model spec " + name + ": input size must be 8.." + MAX_SIDE + ", got " + width + "x" + height);
        }
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw AigcmarkException.invalid("model spec " + name + ": image_mean and image_std need 3 values");
        }
        for (float v : std) {
            if (!(v > 0)) {
                throw AigcmarkException.invalid("model spec " + name + ": image_std values must be > 0");
            }
        }
        mean = mean.clone();
        std = std.clone();
        if (!(rescale > 0)) {
            throw AigcmarkException.invalid("model spec " + name + ": rescale_factor must be > 0");
        }
        labels = List.copyOf(labels);
        fakeLabels = Set.copyOf(fakeLabels);
        if (labels.isEmpty()) {
            throw AigcmarkException.invalid("model spec " + name + ": id2label is required");
        }
        if (fakeLabels.isEmpty() || !labels.containsAll(fakeLabels)) {
            throw AigcmarkException.invalid("model spec " + name + ": fake_labels must name labels from id2label, got " + fakeLabels);
        }
        if (output == Output.SIGMOID && labels.size() != 2) {
            throw AigcmarkException.invalid("model spec " + name + ": a sigmoid output needs exactly two labels");
        }
        if (!(faceMargin >= 0 && faceMargin <= 2)) {
            throw AigcmarkException.invalid("model spec " + name + ": face_margin must be 0..2");
        }
        licence = licence == null ? "unknown" : licence;
        sourceUrl = sourceUrl == null ? "" : sourceUrl;
        caveat = caveat == null ? "" : caveat;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Whether a class index means fake / AI-generated. */
    public boolean isFake(int classIndex) {
        return classIndex >= 0 && classIndex < labels.size() && fakeLabels.contains(labels.get(classIndex));
    }

    /** Reads a spec file; {@code model_file} is resolved against the spec's folder. */
    public static ModelSpec read(Path json) {
        String text;
        try {
            if (Files.size(json) > MAX_JSON_CHARS) {
                throw AigcmarkException.limit("model spec " + json + " is larger than " + MAX_JSON_CHARS + " bytes");
            }
            text = Files.readString(json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AigcmarkException(Reason.INPUT_UNREADABLE, "cannot read model spec " + json + ": " + e.getMessage(), e);
        }
        Path folder = json.toAbsolutePath().getParent();
        return parse(text, folder);
    }

    /** Parses spec JSON; {@code model_file} is resolved against {@code folder}. */
    public static ModelSpec parse(String text, Path folder) {
        if (!(json(text) instanceof Map<?, ?> root)) {
            throw AigcmarkException.corrupt("model spec must be a JSON object");
        }
        Fields f = new Fields(root);
        String name = f.string("name", null);
        String file = f.string("model_file", null);
        if (file == null) {
            throw AigcmarkException.invalid("model spec: model_file is required");
        }
        int[] hw = size(f);
        String resize = f.string("resize_mode", root.containsKey("crop_size") ? "shortest_edge_center_crop" : "stretch");
        String layout = f.string("layout", "NCHW").toUpperCase(Locale.ROOT);
        String order = f.string("channel_order", "RGB").toUpperCase(Locale.ROOT);
        if (!layout.equals("NCHW") && !layout.equals("NHWC")) {
            throw AigcmarkException.invalid("model spec: layout must be NCHW or NHWC, got " + layout);
        }
        if (!order.equals("RGB") && !order.equals("BGR")) {
            throw AigcmarkException.invalid("model spec: channel_order must be RGB or BGR, got " + order);
        }
        boolean normalize = f.bool("do_normalize", true);
        float[] mean = normalize ? f.floats("image_mean", new float[] {0, 0, 0}) : new float[] {0, 0, 0};
        float[] std = normalize ? f.floats("image_std", new float[] {1, 1, 1}) : new float[] {1, 1, 1};
        float rescale = f.bool("do_rescale", true) ? (float) f.number("rescale_factor", 1.0 / 255.0) : 1f;
        return new ModelSpec(name, folder.resolve(file).normalize(), f.string("sha256", null), f.string("input_name", null),
                f.string("output_name", null), enumOf(Output.class, f.string("output", "logits"), "output"), hw[0], hw[1],
                enumOf(ResizeMode.class, resize, "resize_mode"), mean, std, rescale, order.equals("BGR"),
                layout.equals("NHWC"), labels(root.get("id2label")), Set.copyOf(f.strings("fake_labels")),
                f.bool("face_crop", false), f.number("face_margin", 0.3), f.string("licence", f.string("license", null)),
                f.bool("commercial_use", false), f.string("source_url", null), f.string("caveat", null));
    }

    /** {@code size}: {"height","width"} or {"shortest_edge"}; {@code crop_size} (HF) wins when present. */
    private static int[] size(Fields f) {
        Object crop = f.root.get("crop_size");
        Object size = crop != null ? crop : f.root.get("size");
        if (size instanceof Double d) {
            return new int[] {side(d), side(d)};
        }
        if (size instanceof Map<?, ?> m) {
            Fields s = new Fields(m);
            if (m.containsKey("shortest_edge")) {
                int n = side(s.number("shortest_edge", 0));
                return new int[] {n, n};
            }
            return new int[] {side(s.number("height", 0)), side(s.number("width", 0))};
        }
        throw AigcmarkException.invalid("model spec: size is required ({\"height\": H, \"width\": W})");
    }

    private static int side(double d) {
        if (d != Math.rint(d) || d < 8 || d > MAX_SIDE) {
            throw AigcmarkException.invalid("model spec: input side must be an integer 8.." + MAX_SIDE + ", got " + d);
        }
        return (int) d;
    }

    /** {@code id2label}: {"0": "real", "1": "fake"}, indices 0..n-1 each exactly once. */
    private static List<String> labels(Object o) {
        if (!(o instanceof Map<?, ?> m) || m.isEmpty() || m.size() > MAX_LABELS) {
            throw AigcmarkException.invalid("model spec: id2label must be an object {\"0\": \"real\", \"1\": \"fake\"}");
        }
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            int i;
            try {
                i = Integer.parseInt((String) e.getKey());
            } catch (NumberFormatException x) {
                throw AigcmarkException.invalid("model spec: id2label key \"" + e.getKey() + "\" is not an index");
            }
            if (!(e.getValue() instanceof String label)) {
                throw AigcmarkException.invalid("model spec: id2label values must be strings");
            }
            byIndex.put(i, label);
        }
        if (byIndex.firstKey() != 0 || byIndex.lastKey() != byIndex.size() - 1) {
            throw AigcmarkException.invalid("model spec: id2label indices must be 0.." + (byIndex.size() - 1));
        }
        return new ArrayList<>(byIndex.values());
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AigcmarkException.invalid("model spec: unknown " + field + " \"" + value + "\"");
        }
    }

    /** Spec files come from users and downloads: at most this many characters and this much nesting. */
    static final int MAX_JSON_CHARS = 1 << 20;
    static final int MAX_JSON_DEPTH = 32;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Parses a JSON document (Jackson, strict: duplicate keys, trailing text and deep nesting refused) into the
     * plain values the spec reader checks: Map, List, String, Double (every number), Boolean or null.
     */
    static Object json(String text) {
        if (text.length() > MAX_JSON_CHARS) {
            throw AigcmarkException.limit("JSON larger than " + MAX_JSON_CHARS + " characters");
        }
        try {
            return plain(JSON.readTree(text));
        } catch (JacksonException e) {
            throw AigcmarkException.corrupt("malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(v -> l.add(plain(v)));
            return l;
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        throw AigcmarkException.corrupt("malformed JSON: unexpected " + n.getNodeType());
    }

    /** Typed access to one JSON object. */
    private record Fields(Map<?, ?> root) {
        String string(String key, String fallback) {
            Object v = root.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof String s)) {
                throw AigcmarkException.invalid("model spec: " + key + " must be a string");
            }
            return s;
        }

        double number(String key, double fallback) {
            Object v = root.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Double d) || !Double.isFinite(d)) {
                throw AigcmarkException.invalid("model spec: " + key + " must be a number");
            }
            return d;
        }

        boolean bool(String key, boolean fallback) {
            Object v = root.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Boolean b)) {
                throw AigcmarkException.invalid("model spec: " + key + " must be true or false");
            }
            return b;
        }

        float[] floats(String key, float[] fallback) {
            Object v = root.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof List<?> l) || l.size() != 3) {
                throw AigcmarkException.invalid("model spec: " + key + " must be a list of 3 numbers");
            }
            float[] out = new float[3];
            for (int i = 0; i < 3; i++) {
                if (!(l.get(i) instanceof Double d)) {
                    throw AigcmarkException.invalid("model spec: " + key + " must be a list of 3 numbers");
                }
                out[i] = d.floatValue();
            }
            return out;
        }

        List<String> strings(String key) {
            Object v = root.get(key);
            if (!(v instanceof List<?> l)) {
                throw AigcmarkException.invalid("model spec: " + key + " must be a list of label names");
            }
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw AigcmarkException.invalid("model spec: " + key + " must be a list of label names");
                }
                out.add(s);
            }
            return out;
        }
    }
}
