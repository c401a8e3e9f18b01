package org.aigcmark.stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.report.ReportJson;

/**
 * One upload event, as the platform's upload service writes it to the uploads topic (JSON, UTF-8):
 *
 * <pre>{@code
 * {"eventId": "u-123", "tenant": "acme",
 *  "object": "2026/12/07/u-123.jpg",           // a reference the ObjectStore resolves, or instead:
 *  "inline": "<base64>", "name": "photo.jpg",  // the bytes themselves, up to aigcmark.inline.max.bytes
 *  "declaredAi": true,                         // the uploader declared it AI-generated (Measures Art. 6)
 *  "options": {"metadataOnly": false},
 *  "propagate": true, "propagateId": "acme-u-123"}
 * }</pre>
 *
 * @param eventId the event's id, echoed in the verdict (required)
 * @param tenant the platform tenant, echoed in the verdict (required)
 * @param object the object reference, or empty when the bytes are inline
 * @param inline the inline bytes, or null when the event names an object
 * @param name what reports call the file: {@code name}, else the object reference, else the event id
 * @param declaredAi the uploader's declaration that the content is AI-generated (the Label 2 rule)
 * @param metadataOnly read metadata only (no pixel decode, no watermark), for bulk triage
 * @param propagate whether the platform wants its propagated label (ContentPropagator, PropagateID) written
 * @param propagateId the PropagateID to write: {@code propagateId}, else the event id
 */
public record UploadEvent(String eventId, String tenant, Optional<String> object, byte[] inline, String name,
                          boolean declaredAi, boolean metadataOnly, boolean propagate, String propagateId) {
    /** One reader made once: {@code ObjectMapper.readTree} set one up for every event. */
    private static final ObjectReader TREE = ReportJson.MAPPER.reader();

    /** Fills the defaults. */
    public UploadEvent {
        object = object == null ? Optional.empty() : object;
    }

    /**
     * Parses an event, refusing inline bytes over {@code inlineMaxBytes} before they are decoded.
     *
     * @param json the record value
     * @param inlineMaxBytes the most bytes an event may carry inline
     * @return the event
     * @throws AigcmarkException {@code CORRUPT_INPUT} when the value is not a JSON object; {@code INVALID_ARGUMENT}
     *     when a field is missing or of the wrong type (neither or both of {@code object} and {@code inline}, bad
     *     base64); {@code LIMIT_EXCEEDED} when the inline bytes are over the limit
     */
    public static UploadEvent parse(byte[] json, int inlineMaxBytes) {
        JsonNode root;
        try {
            root = json == null ? null : TREE.readTree(json);
        } catch (JacksonException e) {
            throw AigcmarkException.corrupt("the event is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw AigcmarkException.corrupt("the event is not JSON: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode o)) {
            throw AigcmarkException.corrupt("the event is not a JSON object");
        }
        String eventId = text(o, "eventId", true);
        String tenant = text(o, "tenant", true);
        String object = text(o, "object", false);
        String inlineText = text(o, "inline", false);
        if ((object == null) == (inlineText == null)) {
            throw AigcmarkException.invalid("the event needs exactly one of \"object\" and \"inline\"");
        }
        byte[] inline = null;
        if (inlineText != null) {
            // base64 is 4 characters per 3 bytes: refuse by length before decoding, so a huge string costs no buffer
            long decodedAtMost = (long) inlineText.length() / 4 * 3 + 3;
            if (decodedAtMost - 3 > inlineMaxBytes) {
                throw AigcmarkException.limit("inline bytes of about " + decodedAtMost + " are over the limit of "
                        + inlineMaxBytes + " (aigcmark.inline.max.bytes); send an object reference instead");
            }
            try {
                inline = Base64.getMimeDecoder().decode(inlineText);
            } catch (IllegalArgumentException e) {
                throw AigcmarkException.invalid("\"inline\" is not base64: " + e.getMessage());
            }
            if (inline.length > inlineMaxBytes) {
                throw AigcmarkException.limit("inline bytes of " + inline.length + " are over the limit of "
                        + inlineMaxBytes + " (aigcmark.inline.max.bytes); send an object reference instead");
            }
            if (inline.length == 0) {
                throw AigcmarkException.invalid("\"inline\" is empty");
            }
        }
        String name = text(o, "name", false);
        JsonNode options = o.path("options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw AigcmarkException.invalid("\"options\" must be an object");
        }
        String propagateId = text(o, "propagateId", false);
        return new UploadEvent(eventId, tenant, Optional.ofNullable(object), inline,
                name != null ? name : object != null ? object : eventId,
                bool(o, "declaredAi"), bool(options, "metadataOnly"), bool(o, "propagate"),
                propagateId != null ? propagateId : eventId);
    }

    private static String text(JsonNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw AigcmarkException.invalid("the event has no \"" + field + "\"");
            }
            return null;
        }
        if (!v.isTextual() || (required && v.asText().isBlank())) {
            throw AigcmarkException.invalid("\"" + field + "\" must be a non-empty string");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw AigcmarkException.invalid("\"" + field + "\" must be true or false");
        }
        return v.booleanValue();
    }
}
