package org.aigcmark.format.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aigcmark.AigcmarkException;

/**
 * The asset a new manifest continues (C2PA "parentOf" ingredient): the manifests of the store it carried, kept byte for
 * byte, and the {@code c2pa.ingredient.v3} assertion that names its active manifest. As c2pa-rs writes it: the
 * {@code activeManifest} hashed URI covers the manifest superbox's content (description box and children), the
 * {@code claimSignature} one the signature superbox's; {@code validationResults} say how that manifest validated against
 * the file before it was changed (without trust anchors: the labeller is given none).
 */
record C2paParent(List<byte[]> manifestBoxes, Map<String, Object> ingredient) {
    private static final CBORMapper CBOR = new CBORMapper();

    /** A parent without a manifest (unknown provenance): only its relationship and format are stated. */
    static C2paParent unknown(String format) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dc:format", format);
        m.put("relationship", "parentOf");
        return new C2paParent(List.of(), m);
    }

    /**
     * The parent that carried {@code store}; {@code asset} is the whole file before the change.
     *
     * @throws AigcmarkException {@code CORRUPT_INPUT} when the store cannot be walked or holds no manifest with a claim
     *     and a signature
     */
    static C2paParent of(byte[] store, byte[] asset, String format) {
        List<String> problems = new ArrayList<>();
        List<C2paReader.Box> top = C2paReader.boxes(store, 0, store.length, 0, new int[] {0}, problems);
        C2paReader.Box root = top.size() == 1 && top.get(0).type().equals("jumb") && "c2pa".equals(top.get(0).label())
                ? top.get(0) : null;
        if (root == null || !problems.isEmpty()) {
            throw AigcmarkException.corrupt("the file's C2PA manifest store cannot be read"
                    + (problems.isEmpty() ? "" : ": " + problems.get(0)) + "; a new manifest cannot name it as its parent");
        }
        List<byte[]> manifests = new ArrayList<>();
        C2paReader.Box active = null;
        int rawStart = root.start();
        for (C2paReader.Box child : root.children()) {
            if (child.type().equals("jumb")) {
                manifests.add(Arrays.copyOfRange(store, rawStart, child.end()));
                active = child;
            }
            rawStart = child.end(); // children are contiguous: each box starts where the previous ended
        }
        C2paReader.Box claim = active == null ? null : child(active, "c2pa.claim");
        C2paReader.Box signature = active == null ? null : child(active, "c2pa.signature");
        if (claim == null || signature == null || active.label() == null) {
            throw AigcmarkException.corrupt("the file's C2PA manifest store has no active manifest with a claim and a"
                    + " signature; a new manifest cannot name it as its parent");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dc:format", format);
        m.put("relationship", "parentOf");
        String instanceId = instanceId(store, claim);
        if (instanceId != null) {
            m.put("instanceID", instanceId);
        }
        String url = "self#jumbf=/c2pa/" + active.label();
        m.put("activeManifest", C2paManifestBuilder.hashedUri(url, store, active.start(), active.end()));
        m.put("claimSignature", C2paManifestBuilder.hashedUri(url + "/c2pa.signature", store, signature.start(), signature.end()));
        m.put("validationResults", Map.of("activeManifest", statusCodes(C2paValidator.NO_ANCHORS.validate(store, asset))));
        return new C2paParent(List.copyOf(manifests), m);
    }

    private static C2paReader.Box child(C2paReader.Box parent, String prefix) {
        return parent.children().stream().filter(c -> c.label() != null && c.label().startsWith(prefix)).findFirst().orElse(null);
    }

    private static String instanceId(byte[] store, C2paReader.Box claim) {
        C2paReader.Box content = C2paReader.content(claim);
        if (content == null || !content.type().equals("cbor")) {
            return null;
        }
        try {
            JsonNode n = CBOR.readTree(Arrays.copyOfRange(store, content.start(), content.end()));
            return n != null && n.path("instanceID").isTextual() ? n.get("instanceID").asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The C2PA status-codes map ({@code success}, {@code informational}, {@code failure}) for one validation: codes
     * that report a match or a validated part are successes, codes of a failed check (and an untrusted signer, since no
     * trust anchor was given) failures with the validator's reason, anything else informational.
     */
    static Map<String, Object> statusCodes(C2paValidator.Result r) {
        List<Map<String, Object>> success = new ArrayList<>();
        List<Map<String, Object>> informational = new ArrayList<>();
        List<Map<String, Object>> failure = new ArrayList<>();
        for (String code : r.codes()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("code", code);
            if (code.endsWith(".validated") || code.endsWith(".match") || code.endsWith(".trusted")) {
                success.add(entry);
            } else if (code.startsWith("aigcmark.")) {
                informational.add(entry);
            } else {
                if (r.reason() != null) {
                    entry.put("explanation", r.reason());
                }
                failure.add(entry);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", success);
        m.put("informational", informational);
        m.put("failure", failure);
        return m;
    }
}
