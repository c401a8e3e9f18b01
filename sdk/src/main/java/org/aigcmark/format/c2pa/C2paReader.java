package org.aigcmark.format.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a detector needs from a C2PA manifest store (JUMBF): the active manifest, its claim generator, the
 * actions and their {@code digitalSourceType}, and whether a claim signature is present. Written by hand because
 * the only maintained C2PA readers are Rust (c2pa-rs) or Android-only; the JUMBF walk is bounded (depth, box count,
 * declared sizes checked against the parent), CBOR is decoded by Jackson.
 *
 * <p>{@link #read(byte[], byte[], C2paValidator)} also validates the active manifest ({@link C2paValidator});
 * {@link #read(byte[])} alone leaves it {@code unchecked}.
 */
public final class C2paReader {
    private static final ObjectMapper CBOR = new CBORMapper();
    private static final int MAX_DEPTH = 12;
    private static final int MAX_BOXES = 10_000;

    private C2paReader() {}

    /**
     * What the active manifest says.
     *
     * @param activeManifest the active (last) manifest's label, null when the store has none
     * @param manifests how many manifests the store holds
     * @param claimGenerator the claim's generator ({@code claim_generator}, or name and version from
     *     {@code claim_generator_info}), null when absent
     * @param actions the {@code action} of each entry in the {@code c2pa.actions} assertions, in order
     * @param digitalSourceTypes the {@code digitalSourceType} URIs those actions declare
     * @param claimPresent whether the active manifest has a claim
     * @param signaturePresent whether it has a claim signature
     * @param problems what was wrong with the store, as sentences
     * @param validation the validation of the active manifest ({@link C2paValidator.Status#UNCHECKED} when no asset
     *     bytes were given)
     * @param gb45438 the seven Annex E fields of the active manifest's {@value C2paManifestBuilder#GB45438_LABEL}
     *     assertion by key, in the manifest's order; empty when it has none
     * @param softBindings the payloads (hex) of the active manifest's {@code c2pa.soft-binding} blocks that name
     *     aigcmark's watermark ({@value C2paManifestBuilder#SOFT_BINDING_ALG}), in order; empty when none
     * @param aiDisclosure the active manifest's {@code c2pa.ai-disclosure}, null when it has none (or an unreadable one,
     *     then named in {@code problems})
     * @param parent the active manifest's first {@code parentOf} ingredient, null when it has none
     */
    public record Summary(String activeManifest, int manifests, String claimGenerator, List<String> actions,
                          List<String> digitalSourceTypes, boolean claimPresent, boolean signaturePresent,
                          List<String> problems, C2paValidator.Result validation, java.util.Map<String, String> gb45438,
                          List<String> softBindings, C2paAiDisclosure aiDisclosure, Ingredient parent) {
        public Summary {
            actions = List.copyOf(actions);
            digitalSourceTypes = List.copyOf(digitalSourceTypes);
            problems = List.copyOf(problems);
            gb45438 = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gb45438));
            softBindings = List.copyOf(softBindings);
        }

        /** Whether any action declares AI generation (IPTC trainedAlgorithmicMedia and kin). */
        public boolean declaresAi() {
            return digitalSourceTypes.stream().anyMatch(t -> t.endsWith("trainedAlgorithmicMedia")
                    || t.endsWith("compositeWithTrainedAlgorithmicMedia") || t.endsWith("algorithmicMedia"));
        }
    }

    /**
     * A manifest's {@code parentOf} ingredient ({@code c2pa.ingredient}, {@code .v2} or {@code .v3}): the asset it
     * continues.
     *
     * @param title the ingredient's {@code dc:title}, null when absent (aigcmark writes none)
     * @param format its {@code dc:format}, null when absent
     * @param activeManifest the label of the parent's active manifest named by its {@code activeManifest} (v3) or
     *     {@code c2pa_manifest} (v1/v2) hashed URI, null when the ingredient names none (unknown provenance)
     */
    public record Ingredient(String title, String format, String activeManifest) {}

    /** A JUMBF box: type, label (for superboxes, from their description box), payload range, children. */
    record Box(String type, String label, int start, int end, List<Box> children) {}

    /** Parses a manifest store without validating it; never throws, problems are in the summary. */
    public static Summary read(byte[] jumbf) {
        return read(jumbf, null, C2paValidator.NO_ANCHORS);
    }

    /**
     * Parses a manifest store and validates its active manifest against {@code asset} (the whole file the store
     * came from; null skips validation) and the validator's trust anchors. Never throws.
     */
    public static Summary read(byte[] jumbf, byte[] asset, C2paValidator validator) {
        C2paValidator.Result validation = validator.validate(jumbf, asset);
        List<String> problems = new ArrayList<>();
        int[] count = {0};
        List<Box> top = boxes(jumbf, 0, jumbf.length, 0, count, problems);
        Box store = top.stream().filter(b -> b.type.equals("jumb") && "c2pa".equals(b.label)).findFirst().orElse(null);
        if (store == null) {
            problems.add("no JUMBF superbox labelled c2pa");
            return new Summary(null, 0, null, List.of(), List.of(), false, false, problems, validation, java.util.Map.of(),
                    List.of(), null, null);
        }
        List<Box> manifests = store.children.stream().filter(b -> b.type.equals("jumb")).toList();
        if (manifests.isEmpty()) {
            problems.add("the manifest store holds no manifest");
            return new Summary(null, 0, null, List.of(), List.of(), false, false, problems, validation, java.util.Map.of(),
                    List.of(), null, null);
        }
        Box active = manifests.get(manifests.size() - 1); // the last manifest is the active one
        String generator = null;
        boolean claim = false;
        boolean signature = false;
        List<String> actions = new ArrayList<>();
        List<String> sourceTypes = new ArrayList<>();
        java.util.Map<String, String> gb45438 = new java.util.LinkedHashMap<>();
        List<String> softBindings = new ArrayList<>();
        C2paAiDisclosure disclosure = null;
        Ingredient parent = null;
        for (Box part : active.children) {
            String label = part.label == null ? "" : part.label;
            if (label.startsWith("c2pa.claim")) {
                claim = true;
                JsonNode c = cbor(jumbf, content(part), problems);
                if (c != null) {
                    if (c.hasNonNull("claim_generator")) {
                        generator = c.get("claim_generator").asText();
                    } else if (c.has("claim_generator_info")) {
                        JsonNode info = c.get("claim_generator_info");
                        JsonNode first = info.isArray() ? info.path(0) : info;
                        generator = (first.path("name").asText("") + " " + first.path("version").asText("")).strip();
                    }
                }
            } else if (label.startsWith("c2pa.signature")) {
                signature = true;
            } else if (label.startsWith("c2pa.assertions")) {
                for (Box a : part.children) {
                    if (a.label != null && a.label.startsWith("c2pa.actions")) {
                        JsonNode n = cbor(jumbf, content(a), problems);
                        for (JsonNode act : n == null ? List.<JsonNode>of() : iterable(n.path("actions"))) {
                            actions.add(act.path("action").asText());
                            if (act.hasNonNull("digitalSourceType")) {
                                sourceTypes.add(act.get("digitalSourceType").asText());
                            }
                        }
                    } else if (C2paManifestBuilder.GB45438_LABEL.equals(a.label)) {
                        JsonNode n = cbor(jumbf, content(a), problems);
                        if (n != null && n.isObject()) {
                            n.fields().forEachRemaining(e -> gb45438.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
                        }
                    } else if (a.label != null && a.label.startsWith("c2pa.soft-binding")) {
                        softBindings.addAll(ourSoftBindings(cbor(jumbf, content(a), problems)));
                    } else if (C2paManifestBuilder.AI_DISCLOSURE_LABEL.equals(a.label) && disclosure == null) {
                        disclosure = aiDisclosure(cbor(jumbf, content(a), problems), problems);
                    } else if (a.label != null && a.label.startsWith("c2pa.ingredient") && parent == null) {
                        JsonNode n = cbor(jumbf, content(a), problems);
                        if (n != null && "parentOf".equals(n.path("relationship").asText())) {
                            parent = ingredient(n);
                        }
                    }
                }
            }
        }
        if (!claim) {
            problems.add("the active manifest has no claim (not a valid C2PA manifest)");
        }
        if (!signature) {
            problems.add("the active manifest has no claim signature");
        }
        return new Summary(active.label, manifests.size(), generator, actions, sourceTypes, claim, signature, problems,
                validation, gb45438, softBindings, disclosure, parent);
    }

    /** The block values of a soft binding with aigcmark's algorithm, as hex (a bstr, or the hex text written before 2.4). */
    private static List<String> ourSoftBindings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || !C2paManifestBuilder.SOFT_BINDING_ALG.equals(n.path("alg").asText())) {
            return out;
        }
        for (JsonNode block : iterable(n.path("blocks"))) {
            JsonNode v = block.path("value");
            try {
                if (v.isBinary()) {
                    out.add(java.util.HexFormat.of().formatHex(v.binaryValue()));
                } else if (v.isTextual()) {
                    out.add(v.asText().toLowerCase(java.util.Locale.ROOT));
                }
            } catch (java.io.IOException e) {
                // a binary node always yields its bytes; nothing to report
            }
        }
        return out;
    }

    private static C2paAiDisclosure aiDisclosure(JsonNode n, List<String> problems) {
        if (n == null) {
            return null;
        }
        try {
            return new C2paAiDisclosure(text(n, "modelType"), text(n, "modelName"), text(n, "modelIdentifier"),
                    text(n.path("contentProfile"), "humanOversightLevel"));
        } catch (org.aigcmark.AigcmarkException e) {
            problems.add("the c2pa.ai-disclosure assertion is not as C2PA 2.4 defines it: " + e.getMessage());
            return null;
        }
    }

    private static Ingredient ingredient(JsonNode n) {
        JsonNode ref = n.has("activeManifest") ? n.path("activeManifest") : n.path("c2pa_manifest");
        String url = text(ref, "url");
        String label = null;
        if (url != null) {
            // self#jumbf=/c2pa/<label> (absolute) or self#jumbf=c2pa/<label>: the segment after "c2pa/"
            int at = url.indexOf("c2pa/");
            label = at < 0 ? url : url.substring(at + 5);
            int slash = label.indexOf('/');
            label = slash < 0 ? label : label.substring(0, slash);
        }
        return new Ingredient(text(n, "dc:title"), text(n, "dc:format"), label);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    /** Concatenates the JPEG APP11 (JPEG XT) segments of one box instance into JUMBF bytes. */
    public static byte[] fromJpegSegments(List<byte[]> app11Payloads) {
        // Each payload: "JP", En (2 bytes), Z (4 bytes, sequence), then the box; later packets repeat LBox+TBox.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        List<byte[]> sorted = new ArrayList<>(app11Payloads);
        sorted.sort((a, b) -> Long.compare(u32(a, 4), u32(b, 4)));
        boolean first = true;
        for (byte[] p : sorted) {
            if (p.length < 8) {
                continue;
            }
            int skip = first ? 8 : 16;
            if (p.length > skip) {
                out.write(p, skip, p.length - skip);
            }
            first = false;
        }
        return out.toByteArray();
    }

    static List<Box> boxes(byte[] b, int from, int to, int depth, int[] count, List<String> problems) {
        List<Box> out = new ArrayList<>();
        int p = from;
        while (p + 8 <= to) {
            if (++count[0] > MAX_BOXES) {
                problems.add("more than " + MAX_BOXES + " JUMBF boxes");
                return out;
            }
            long len = u32(b, p);
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (len == 1 && p + 16 <= to) {
                len = ((long) u32(b, p + 8) << 32) | u32(b, p + 12);
                header = 16;
            } else if (len == 0) {
                len = to - p;
            }
            if (len < header || p + len > to) {
                problems.add("JUMBF box '" + type + "' at " + p + " declares " + len + " bytes, past its parent");
                return out;
            }
            int start = p + header;
            int end = (int) (p + len);
            String label = null;
            List<Box> children = List.of();
            if (type.equals("jumb")) {
                if (depth >= MAX_DEPTH) {
                    problems.add("JUMBF nested deeper than " + MAX_DEPTH);
                    return out;
                }
                children = boxes(b, start, end, depth + 1, count, problems);
                if (!children.isEmpty() && children.get(0).type.equals("jumd")) {
                    label = descriptionLabel(b, children.get(0));
                }
            }
            out.add(new Box(type, label, start, end, children));
            p = end;
        }
        return out;
    }

    /** jumd: 16-byte type UUID, toggles, then a NUL-terminated label when toggles bit 1 is set. */
    private static String descriptionLabel(byte[] b, Box jumd) {
        int p = jumd.start + 16;
        if (p >= jumd.end || (b[p] & 0x02) == 0) {
            return null;
        }
        int s = p + 1;
        int e = s;
        while (e < jumd.end && b[e] != 0) {
            e++;
        }
        return new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    /** The first content box (not the description) of a superbox. */
    static Box content(Box superbox) {
        return superbox.children.stream().filter(c -> !c.type.equals("jumd")).findFirst().orElse(null);
    }

    private static JsonNode cbor(byte[] b, Box box, List<String> problems) {
        if (box == null) {
            return null;
        }
        try {
            if (box.type.equals("json")) {
                return new ObjectMapper().readTree(new String(b, box.start, box.end - box.start, StandardCharsets.UTF_8));
            }
            return CBOR.readTree(java.util.Arrays.copyOfRange(b, box.start, box.end));
        } catch (java.io.IOException | RuntimeException e) {
            problems.add("unreadable " + box.type + " content: " + e.getMessage());
            return null;
        }
    }

    private static Iterable<JsonNode> iterable(JsonNode n) {
        return n.isArray() ? n : List.of();
    }

    private static long u32(byte[] b, int p) {
        if (p + 4 > b.length) {
            return 0;
        }
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
