package org.aigcmark.detect.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.io.Sha256;

/**
 * The detector models that ship inside this module, usable by name ({@code detect --model mesonet}): MesoNet
 * (Afchar et al., WIFS 2018, Apache-2.0), converted from the upstream Keras weights by
 * {@code detect/tools/convert_mesonet.py}. Each is a face-forgery model from 2018 (face crops, Deepfake or Face2Face
 * weights): weak evidence that says little about modern face swaps or generated images (docs/DETECT-MODELS.md).
 * The spec and model travel as resources with the upstream LICENSE and NOTICE; the model's bytes are checked
 * against the spec's sha256 pin before a session is built from them.
 */
public final class BundledModels {
    /** The name {@code mesonet} alone means MesoInception-4 with the Deepfake weights (the best published figure). */
    public static final String DEFAULT_MESONET = "mesoinception-df";

    private static final String FOLDER = "mesonet/";
    /** Bundled name to the upstream weight file it was converted from. */
    private static final Map<String, String> SOURCES = Map.of(
            "mesonet-df", "Meso4_DF.h5", "mesonet-f2f", "Meso4_F2F.h5",
            "mesoinception-df", "MesoInception_DF.h5", "mesoinception-f2f", "MesoInception_F2F.h5");
    private static final Map<String, String> ALIASES = Map.of("mesonet", DEFAULT_MESONET, "mesoinception", DEFAULT_MESONET);
    /** Resources are ours, but bounded all the same. */
    private static final int MAX_RESOURCE = 1 << 24;

    private BundledModels() {
    }

    /** The bundled model names, sorted (aliases left out). */
    public static List<String> names() {
        return SOURCES.keySet().stream().sorted().toList();
    }

    /** Whether {@code name} is a bundled model or one of its aliases ({@code mesonet}). */
    public static boolean isBundled(String name) {
        return name != null && (SOURCES.containsKey(key(name)) || ALIASES.containsKey(key(name)));
    }

    /** The bundled name that {@code name} stands for (aliases resolved). */
    public static String canonical(String name) {
        String k = key(name);
        String resolved = ALIASES.getOrDefault(k, k);
        if (!SOURCES.containsKey(resolved)) {
            throw AigcmarkException.invalid("no bundled model \"" + name + "\"; bundled: " + names() + " (and \"mesonet\")");
        }
        return resolved;
    }

    /** The upstream Keras weight file the bundled model was converted from, e.g. {@code Meso4_DF.h5}. */
    public static String upstreamWeights(String name) {
        return SOURCES.get(canonical(name));
    }

    /** The spec JSON of a bundled model, as shipped (write it next to the model to use it as a file). */
    public static String specJson(String name) {
        return new String(resource(canonical(name) + ".json"), StandardCharsets.UTF_8);
    }

    /** The spec of a bundled model; its {@code modelFile} is a display path, the bytes come from {@link #modelBytes}. */
    public static ModelSpec spec(String name) {
        String n = canonical(name);
        return ModelSpec.parse(specJson(n), Path.of("bundled"));
    }

    /**
     * The bundled model's ONNX bytes, checked against its spec's pin.
     *
     * @throws AigcmarkException {@code CORRUPT_INPUT} when the resource does not match the pin (a damaged jar)
     */
    public static byte[] modelBytes(String name) {
        ModelSpec spec = spec(name);
        byte[] bytes = resource(spec.modelFile().getFileName().toString());
        String actual = Sha256.hex(bytes);
        if (!actual.equals(spec.sha256())) {
            throw new AigcmarkException(Reason.CORRUPT_INPUT, "bundled model " + spec.name() + " has sha256 " + actual
                    + " but its spec pins " + spec.sha256() + "; the jar is damaged");
        }
        return bytes;
    }

    /** The upstream licence text (Apache-2.0) and NOTICE that travel with the models. */
    public static String legalNotices() {
        return new String(resource("NOTICE"), StandardCharsets.UTF_8) + "\n" + new String(resource("LICENSE"), StandardCharsets.UTF_8);
    }

    /**
     * Opens a bundled model (CPU, or CUDA when asked and present). Face models need the face stage too
     * ({@link FaceDetector}); {@code ModelScoreCheck} takes both.
     */
    public static OnnxImageClassifier open(String name, boolean preferCuda) {
        ModelSpec spec = spec(name);
        return OnnxImageClassifier.open(spec, modelBytes(name), preferCuda);
    }

    static byte[] resource(String file) {
        try (InputStream in = BundledModels.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new AigcmarkException(Reason.INTERNAL, "bundled resource " + FOLDER + file + " is missing from the jar");
            }
            byte[] bytes = in.readNBytes(MAX_RESOURCE + 1);
            if (bytes.length > MAX_RESOURCE) {
                throw new AigcmarkException(Reason.INTERNAL, "bundled resource " + FOLDER + file + " is too large");
            }
            return bytes;
        } catch (IOException e) {
            throw new AigcmarkException(Reason.INTERNAL, "cannot read bundled resource " + FOLDER + file, e);
        }
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
