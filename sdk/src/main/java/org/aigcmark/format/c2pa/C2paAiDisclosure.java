package org.aigcmark.format.c2pa;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.aigcmark.AigcmarkException;

/**
 * What a manifest's {@code c2pa.ai-disclosure} assertion says about the model that made the content (C2PA 2.4, 18.28
 * "AI Disclosure", CDDL {@code ai-model-disclosure-map}): {@code modelType} (required: a value of the specification's
 * model type table, e.g. {@value #GENERIC_MODEL}, or an entity-specific namespaced type), and optionally {@code
 * modelName}, {@code modelIdentifier} (a URI, PURL, ...) and {@code contentProfile.humanOversightLevel}. The
 * specification's other fields ({@code scientificDomain}, {@code metadata}) are not written.
 *
 * @param modelType the model type, e.g. {@value #GENERIC_MODEL} or {@code c2pa.types.model.pytorch}
 * @param modelName the model's human-readable name, or null
 * @param modelIdentifier the model's unique identifier (e.g. {@code pkg:huggingface/org/model@rev}), or null
 * @param humanOversightLevel {@code fully_autonomous}, {@code prompt_guided} or {@code human_validated}, or null
 */
public record C2paAiDisclosure(String modelType, String modelName, String modelIdentifier, String humanOversightLevel) {
    /** The model type for "an AI/ML model not described by any other model type" (C2PA 2.4, table 12). */
    public static final String GENERIC_MODEL = "c2pa.types.model";
    /** The human oversight levels C2PA 2.4 defines. */
    public static final Set<String> OVERSIGHT_LEVELS = Set.of("fully_autonomous", "prompt_guided", "human_validated");

    /**
     * Checks the fields.
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} for a blank model type, an empty name or identifier, or an
     *     oversight level the specification does not define
     */
    public C2paAiDisclosure {
        modelType = modelType == null || modelType.isBlank() ? GENERIC_MODEL : modelType.strip();
        if (!modelType.matches("([\\da-zA-Z_-]+\\.)+[\\da-zA-Z_-]+")) {
            throw AigcmarkException.invalid("the AI disclosure's model type must be a dotted label such as "
                    + GENERIC_MODEL + " or c2pa.types.model.pytorch, not \"" + modelType + "\"");
        }
        if ((modelName != null && modelName.isBlank()) || (modelIdentifier != null && modelIdentifier.isBlank())) {
            throw AigcmarkException.invalid("the AI disclosure's model name and identifier may be left out, not empty");
        }
        if (humanOversightLevel != null && !OVERSIGHT_LEVELS.contains(humanOversightLevel)) {
            throw AigcmarkException.invalid("the human oversight level must be one of " + OVERSIGHT_LEVELS + ", not \""
                    + humanOversightLevel + "\"");
        }
    }

    /** A disclosure of the model {@code name} with identifier {@code identifier} (either may be null), of the generic model type. */
    public static C2paAiDisclosure of(String name, String identifier) {
        return new C2paAiDisclosure(GENERIC_MODEL, name, identifier, null);
    }

    /** The assertion's CBOR map, field names as in the specification's CDDL. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modelType", modelType);
        if (modelName != null) {
            m.put("modelName", modelName);
        }
        if (modelIdentifier != null) {
            m.put("modelIdentifier", modelIdentifier);
        }
        if (humanOversightLevel != null) {
            m.put("contentProfile", Map.of("humanOversightLevel", humanOversightLevel));
        }
        return m;
    }
}
