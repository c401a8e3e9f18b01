package org.aigcmark.label;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tolerant reader of AIGC label text as found in the wild: the wrapped {@code {"AIGC":{...}}} and bare
 * {@code {"Label":...}} forms, a leading {@code AIGC} prefix or byte order mark before the object, text after it,
 * numeric values, keys out of order, unknown keys, duplicate keys, and Tencent Cloud's
 * {@code ServiceProvider}/{@code ServiceUser} schema (mapped onto the Annex E fields). Deviations never stop the
 * read: they become {@link ParsedLabel#problems()}. A JSON object that carries none of the Annex E keys (nor
 * Tencent's) is not a label (empty result).
 */
public final class LabelParser {
    /** Longest label text we look at; real records are a few hundred bytes. */
    public static final int MAX_LENGTH = 64 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(MAX_LENGTH).build())
            .build();

    /** The keys of Tencent Cloud's schema ({@code {"AIGC":{"ServiceProvider":...,"ServiceUser":...}}}); either marks it. */
    private static final List<String> TENCENT_KEYS = List.of("ServiceProvider", "ServiceUser");

    private LabelParser() {}

    /** How the record was written. */
    public enum Form { WRAPPED, BARE }

    /**
     * A label read from text, with what was wrong with it.
     *
     * @param label the seven fields as read (absent ones empty)
     * @param form whether the record was wrapped in {@code "AIGC"} or bare
     * @param problems the deviations from Annex E, as sentences
     * @param raw the text it was read from, unchanged
     */
    public record ParsedLabel(AigcLabel label, Form form, List<String> problems, String raw) {
        public ParsedLabel {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Reads one label from {@code text}, tolerating the deviations listed above; never throws.
     *
     * @param text the slot's text; null, text over {@link #MAX_LENGTH} characters, text that is not a JSON object
     *     (after an optional {@code AIGC}, {@code AIGC=} or {@code AIGC:} prefix) and an object with none of the Annex
     *     E keys all give an empty result
     * @return the label with its form and problems, or empty when the text is not a label
     */
    public static Optional<ParsedLabel> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        if (s.startsWith("\uFEFF")) { // written by tools that save UTF-8 "with BOM"
            problems.add("a byte order mark (U+FEFF) before the record");
            s = s.substring(1).strip();
        }
        // Some writers prefix the object with the bare word AIGC (e.g. "AIGC{...}" in a JPEG APP segment).
        int brace = s.indexOf('{');
        if (brace < 0) {
            return Optional.empty();
        }
        if (brace > 0) {
            String prefix = s.substring(0, brace).strip();
            if (!prefix.equals("AIGC") && !prefix.equals("AIGC=") && !prefix.equals("AIGC:")) {
                return Optional.empty();
            }
        }
        s = s.substring(brace);
        Map<String, Object> top;
        try (JsonParser p = JSON.createParser(s)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            top = readObject(p, problems, 0);
            if (trailingText(p)) {
                problems.add("text after the JSON object");
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        Form form;
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = top.get("AIGC") instanceof Map<?, ?> inner ? (Map<String, Object>) inner : null;
        if (fields != null) {
            form = Form.WRAPPED;
            if (top.size() > 1) {
                problems.add("keys beside \"AIGC\" in the wrapper: " + new ArrayList<>(top.keySet()));
            }
        } else {
            form = Form.BARE;
            fields = top;
        }
        boolean anyKnown = AigcLabel.KEYS.stream().anyMatch(fields::containsKey);
        if (!anyKnown && TENCENT_KEYS.stream().anyMatch(fields::containsKey)) {
            fields = fromTencentSchema(fields, problems);
        } else if (!anyKnown) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (!AigcLabel.KEYS.contains(key)) {
                String canonical = AigcLabel.KEYS.stream().filter(k -> k.equalsIgnoreCase(key)).findFirst().orElse(null);
                if (canonical != null && !fields.containsKey(canonical)) {
                    problems.add("key \"" + key + "\" should be spelled \"" + canonical + "\" (keys are case-sensitive)");
                    values.put(canonical, stringOf(v, canonical, problems));
                } else {
                    problems.add("unknown key \"" + key + "\"");
                }
                continue;
            }
            values.put(key, stringOf(v, key, problems));
        }
        List<String> missing = AigcLabel.KEYS.stream().filter(k -> !values.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            problems.add("missing keys " + missing);
        }
        List<String> present = fields.keySet().stream().filter(AigcLabel.KEYS::contains).toList();
        List<String> expectedOrder = AigcLabel.KEYS.stream().filter(present::contains).toList();
        if (!present.equals(expectedOrder)) {
            problems.add("keys are not in Annex E order " + AigcLabel.KEYS);
        }
        AigcLabel label = AigcLabel.fromMap(values);
        for (String p : label.problems()) {
            // A reader reports, it does not reject: empty propagation fields are legal on a first write.
            problems.add(p);
        }
        return Optional.of(new ParsedLabel(label, form, problems, text));
    }

    /** Whether anything but white space follows the object (words that are not JSON included: still a record). */
    private static boolean trailingText(JsonParser p) {
        try {
            return p.nextToken() != null;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Tencent Cloud's variant (seen in EXIF ImageDescription): {@code ServiceProvider}, {@code ServiceUser},
     * {@code Time}, {@code ContentId} instead of the Annex E keys. Read as a record so a detector does not miss it:
     * ServiceProvider as ContentProducer, ContentId as ProduceID; the rest has no Annex E field and is named in the
     * problem, so the report says plainly that this is not the standard's schema.
     */
    private static Map<String, Object> fromTencentSchema(Map<String, Object> tencent, List<String> problems) {
        Map<String, Object> mapped = new LinkedHashMap<>();
        List<String> unmapped = new ArrayList<>();
        for (Map.Entry<String, Object> e : tencent.entrySet()) {
            switch (e.getKey()) {
                case "ServiceProvider" -> mapped.put("ContentProducer", e.getValue());
                case "ContentId" -> mapped.put("ProduceID", e.getValue());
                default -> unmapped.add(e.getKey() + " \"" + e.getValue() + "\"");
            }
        }
        problems.add("the Tencent Cloud ServiceProvider/ServiceUser schema, not GB 45438 Annex E: ServiceProvider is read as "
                + "ContentProducer and ContentId as ProduceID" + (unmapped.isEmpty() ? "" : "; no Annex E field for "
                + String.join(", ", unmapped)));
        return mapped;
    }

    private static String stringOf(Object v, String key, List<String> problems) {
        if (v instanceof String s) {
            return s;
        }
        if (v == null) {
            problems.add(key + " is null, expected a string");
            return "";
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            problems.add(key + " is a JSON " + (v instanceof Map<?, ?> ? "object" : "array") + ", expected a string");
            return "";
        }
        problems.add(key + " is a JSON " + (v instanceof Boolean ? "boolean" : "number") + " (" + v
                + "), expected a string");
        return String.valueOf(v);
    }

    private static Map<String, Object> readObject(JsonParser p, List<String> problems, int depth) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            Object value = readValue(p, problems, depth + 1);
            if (m.containsKey(name)) {
                problems.add("duplicate key \"" + name + "\" (the last value is used)");
                m.remove(name);
            }
            m.put(name, value);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unterminated object");
        }
        return m;
    }

    private static Object readValue(JsonParser p, List<String> problems, int depth) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT:
                return readObject(p, problems, depth);
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == null) {
                        throw new IOException("unterminated array");
                    }
                    l.add(readValue(p, problems, depth + 1));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + t);
        }
    }
}
