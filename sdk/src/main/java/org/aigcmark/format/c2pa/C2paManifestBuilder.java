package org.aigcmark.format.c2pa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.aigcmark.AigcmarkException;
import org.aigcmark.label.AigcLabel;

/**
 * Builds a signed C2PA manifest store (JUMBF) that declares AI-generated content and carries the GB 45438 record:
 * one standard manifest with a v2 claim ({@code c2pa.claim.v2}), the assertions {@code c2pa.actions.v2}
 * ({@code c2pa.created}, {@code digitalSourceType} {@value #TRAINED_ALGORITHMIC_MEDIA}; {@code c2pa.watermarked.bound}
 * when our watermark was embedded), {@value #GB45438_LABEL} (the seven Annex E fields), {@code c2pa.soft-binding}
 * when the asset carries our watermark, and the hard binding {@code c2pa.hash.data} or {@code c2pa.hash.bmff.v3}, and a COSE_Sign1 claim signature (ES256 or EdDSA,
 * detached payload, {@code x5chain} in the protected header). CBOR is written by Jackson, the signature by the JDK;
 * the JUMBF boxes are written here (a box is a length, a type and bytes). Format-neutral: the container code
 * ({@link C2paSigner}) says what the hard binding excludes and hashes the asset. An asset that already carried a store
 * ({@link #withParent}, {@link #forPropagation}) keeps its manifests before the new one, which opens it as its
 * {@code parentOf} ingredient ({@code c2pa.ingredient.v3}) instead of {@code c2pa.created}.
 */
public final class C2paManifestBuilder {
    /** IPTC digital source type for content made by a trained model. */
    public static final String TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    /**
     * The label of the assertion that carries the GB 45438 Annex E record. C2PA reserves {@code c2pa.*} for its own
     * assertions and asks everyone else for a reverse-domain label; no standard assertion has these seven fields.
     */
    public static final String GB45438_LABEL = "org.aigcmark.gb45438";

    private static final CBORMapper CBOR = new CBORMapper();
    // JUMBF description-box type UUIDs (C2PA, "JUMBF boxes"): 4 ASCII bytes + 0011-0010-8000-00AA00389B71.
    private static final String UUID_TAIL = "00110010800000aa00389b71";
    private static final byte[] STORE = uuid("63327061");      // c2pa
    private static final byte[] MANIFEST = uuid("63326d61");   // c2ma
    private static final byte[] ASSERTIONS = uuid("63326173"); // c2as
    private static final byte[] CLAIM = uuid("6332636c");      // c2cl
    private static final byte[] SIGNATURE = uuid("63326373");  // c2cs
    private static final byte[] CBOR_CONTENT = uuid("63626f72"); // cbor
    private static final int X5CHAIN = 33;
    private static final int COSE_SIGN1_TAG = 18;

    /**
     * The soft-binding algorithm named in {@code c2pa.soft-binding}: aigcmark's image watermark, its value the 64-bit
     * payload (hex) that binds ContentProducer and ProduceID under the producer's key. Not (yet) on the C2PA
     * soft-binding algorithm list, so it is a reverse-domain name of ours, as the list's entries are.
     */
    public static final String SOFT_BINDING_ALG = "org.aigcmark.watermark.1";

    private final AigcLabel label;
    private final String manifestLabel;
    private final String instanceId;
    private final String watermarkPayload;
    private final boolean watermarkEmbedded;
    /** The asset this manifest continues (parentOf ingredient, c2pa.opened), or null for a new asset (c2pa.created). */
    private final C2paParent parent;
    /** What this manifest's claim generator did after opening the parent: see {@link #actions(Map)}. */
    private final Step step;

    /** The action after {@code c2pa.opened} when the manifest has a parent. */
    private enum Step { LABELLED, LABELLED_PIXELS, PUBLISHED }

    private C2paManifestBuilder(AigcLabel label, String manifestLabel, String instanceId, String watermarkPayload,
                                boolean watermarkEmbedded, C2paParent parent, Step step) {
        this.label = label;
        this.manifestLabel = manifestLabel;
        this.instanceId = instanceId;
        this.watermarkPayload = watermarkPayload;
        this.watermarkEmbedded = watermarkEmbedded;
        this.parent = parent;
        this.step = step;
    }

    /**
     * A copy that declares aigcmark's invisible watermark with payload {@code payloadHex}: a {@code c2pa.soft-binding}
     * assertion ({@value #SOFT_BINDING_ALG}, one block over the whole asset, the payload as its value) and, when
     * {@code embeddedNow} (this labelling embedded it, rather than finding it already there), the
     * {@code c2pa.watermarked.bound} action.
     */
    public C2paManifestBuilder withWatermark(String payloadHex, boolean embeddedNow) {
        return new C2paManifestBuilder(label, manifestLabel, instanceId, payloadHex, embeddedNow, parent, step);
    }

    /**
     * A copy that continues an asset which already carries the C2PA manifest store {@code parentStore}, as the
     * labelled file's new active manifest: the store's manifests are kept byte for byte before it, and it declares
     * the asset as its {@code parentOf} ingredient ({@code c2pa.ingredient.v3}: the previous active manifest and its
     * claim signature as hashed URIs, and how that manifest validated against {@code parentAsset}, the file before this
     * labelling) opened by {@code c2pa.opened}, then {@code c2pa.edited.metadata} (or {@code c2pa.edited} when
     * {@code pixelsEdited}: a visible label or watermark was drawn) with the AI digital source type. A standard
     * manifest, not a C2PA update manifest: the label changes bytes the hard binding covers, which an update
     * manifest may not do.
     *
     * @param parentStore the manifest store the asset carried (JUMBF)
     * @param parentAsset the whole file it came in, before this labelling, to record how the parent validated
     * @param format the asset's media type (for {@code dc:format})
     * @param pixelsEdited whether this labelling changed the pixels too
     * @throws AigcmarkException {@code CORRUPT_INPUT} when the store has no manifest that can be referenced
     */
    public C2paManifestBuilder withParent(byte[] parentStore, byte[] parentAsset, String format, boolean pixelsEdited) {
        return new C2paManifestBuilder(label, manifestLabel, instanceId, watermarkPayload, watermarkEmbedded,
                C2paParent.of(parentStore, parentAsset, format), pixelsEdited ? Step.LABELLED_PIXELS : Step.LABELLED);
    }

    /**
     * A builder for a platform's manifest ({@code propagate}): {@code c2pa.opened} on the asset it received (its
     * {@code parentOf} ingredient, with the previous active manifest when {@code parentStore} is not null, else with
     * unknown provenance), then {@code c2pa.published}, the platform passing it on; {@value #GB45438_LABEL} carries
     * the record with the platform's ContentPropagator and PropagateID.
     *
     * @param label the propagated record
     * @param parentStore the manifest store the received file carried, or null
     * @param parentAsset the received file (before the platform's record was written)
     * @param format the asset's media type (for {@code dc:format})
     */
    public static C2paManifestBuilder forPropagation(AigcLabel label, byte[] parentStore, byte[] parentAsset, String format) {
        C2paParent parent = parentStore == null ? C2paParent.unknown(format) : C2paParent.of(parentStore, parentAsset, format);
        return new C2paManifestBuilder(label, "urn:c2pa:" + UUID.randomUUID(), "xmp:iid:" + UUID.randomUUID(), null, false,
                parent, Step.PUBLISHED);
    }

    /** A builder for one asset labelled with {@code label}; the manifest and instance ids are fresh random UUIDs. */
    public static C2paManifestBuilder forLabel(AigcLabel label) {
        return new C2paManifestBuilder(label, "urn:c2pa:" + UUID.randomUUID(), "xmp:iid:" + UUID.randomUUID(), null, false,
                null, null);
    }

    /** The active manifest's label ({@code urn:c2pa:<uuid>}). */
    public String manifestLabel() {
        return manifestLabel;
    }

    /**
     * The signed manifest store.
     *
     * @param assetSha256 SHA-256 of the asset's bytes outside the exclusion
     * @param exclusionStart where the embedded store (with its container framing) starts in the output file
     * @param exclusionLength how many bytes it spans there
     * @param signing the claim signer
     */
    public byte[] build(byte[] assetSha256, long exclusionStart, long exclusionLength, C2paSigning signing) {
        return build("c2pa.hash.data", dataHash(assetSha256, exclusionStart, exclusionLength), signing);
    }

    /**
     * The signed manifest store for an ISO BMFF file (MP4/MOV): the hard binding is {@value #BMFF_HASH_LABEL} with
     * the standard exclusions (the C2PA {@code uuid} box, {@code ftyp}, {@code mfra}) and no Merkle tree.
     *
     * @param bmffSha256 the BMFF hash of the output file ({@code BmffHash}), or 32 zero bytes to size the store
     * @param signing the claim signer
     */
    public byte[] buildForBmff(byte[] bmffSha256, C2paSigning signing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exclusions", BmffHash.standardExclusions());
        m.put("alg", "sha256");
        m.put("hash", bmffSha256);
        m.put("name", "jumbf manifest");
        return build(BMFF_HASH_LABEL, m, signing);
    }

    /** The label of the BMFF hard binding written (C2PA 2.x: v3; v2 hashes the same way without Merkle trees). */
    public static final String BMFF_HASH_LABEL = "c2pa.hash.bmff.v3";

    private byte[] build(String bindingLabel, Map<String, Object> binding, C2paSigning signing) {
        try {
            List<byte[]> assertions = new ArrayList<>();
            Map<String, Object> ingredientRef = null;
            if (parent != null) {
                byte[] ingredient = assertion(INGREDIENT_LABEL, parent.ingredient());
                assertions.add(ingredient);
                ingredientRef = hashedUri("self#jumbf=c2pa.assertions/" + INGREDIENT_LABEL, ingredient, 8, ingredient.length);
            }
            assertions.add(assertion("c2pa.actions.v2", actions(ingredientRef)));
            assertions.add(assertion(GB45438_LABEL, gb45438()));
            if (signing.aiDisclosure().isPresent() && step != Step.PUBLISHED) {
                // the model that made the content (C2PA 2.4); a platform passing content on did not make it
                assertions.add(assertion(AI_DISCLOSURE_LABEL, signing.aiDisclosure().get().toMap()));
            }
            if (watermarkPayload != null) {
                assertions.add(assertion("c2pa.soft-binding", softBinding()));
            }
            assertions.add(assertion(bindingLabel, binding));
            List<Map<String, Object>> refs = new ArrayList<>();
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (byte[] a : assertions) {
                Map<String, Object> ref = new LinkedHashMap<>();
                ref.put("url", "self#jumbf=c2pa.assertions/" + labelOf(a));
                // the hash of an assertion covers its superbox's content: description box and content box
                sha256.update(a, 8, a.length - 8);
                ref.put("hash", sha256.digest());
                refs.add(ref);
            }
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("instanceID", instanceId);
            claim.put("claim_generator_info", generatorInfo());
            claim.put("signature", "self#jumbf=c2pa.signature");
            claim.put("created_assertions", refs);
            claim.put("alg", "sha256");
            byte[] claimBytes = CBOR.writeValueAsBytes(claim);
            byte[] cose = coseSign1(claimBytes, signing);
            byte[] manifest = superbox(MANIFEST, manifestLabel,
                    superbox(ASSERTIONS, "c2pa.assertions", assertions.toArray(byte[][]::new)),
                    superbox(CLAIM, "c2pa.claim.v2", box("cbor", claimBytes)),
                    superbox(SIGNATURE, "c2pa.signature", box("cbor", cose)));
            List<byte[]> manifests = new ArrayList<>(parent == null ? List.of() : parent.manifestBoxes());
            manifests.add(manifest); // the last manifest is the active one
            return superbox(STORE, "c2pa", manifests.toArray(byte[][]::new));
        } catch (JsonProcessingException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot encode the C2PA claim: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static Map<String, Object> generatorInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "aigcmark");
        String version = C2paManifestBuilder.class.getPackage().getImplementationVersion();
        if (version != null) {
            info.put("version", version);
        }
        return info;
    }

    /** The label of the C2PA 2.4 AI disclosure assertion ({@link C2paAiDisclosure}). */
    public static final String AI_DISCLOSURE_LABEL = "c2pa.ai-disclosure";

    /** The label of the ingredient assertion written for a parent (C2PA 2.x). */
    static final String INGREDIENT_LABEL = "c2pa.ingredient.v3";

    /** A C2PA hashed URI: {@code url} and the SHA-256 of {@code b[from, to)} (the claim's default algorithm). */
    static Map<String, Object> hashedUri(String url, byte[] b, int from, int to) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(b, from, to - from);
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("url", url);
            ref.put("hash", sha256.digest());
            return ref;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * {@code c2pa.created} for a new asset; for one with a parent ({@code ingredientRef}: its ingredient assertion),
     * {@code c2pa.opened} on it, then what this labelling did: {@code c2pa.edited.metadata} (the record written),
     * {@code c2pa.edited} (pixels drawn too) or, for a platform, {@code c2pa.published}.
     */
    private Map<String, Object> actions(Map<String, Object> ingredientRef) {
        List<Map<String, Object>> actions = new ArrayList<>();
        Map<String, Object> first = new LinkedHashMap<>();
        if (ingredientRef == null) {
            first.put("action", "c2pa.created");
            first.put("digitalSourceType", TRAINED_ALGORITHMIC_MEDIA);
            first.put("softwareAgent", generatorInfo());
            first.put("description", "AI-generated content, labelled under GB 45438-2025 (record in " + GB45438_LABEL + ")");
            actions.add(first);
        } else {
            first.put("action", "c2pa.opened");
            first.put("softwareAgent", generatorInfo());
            first.put("parameters", Map.of("ingredients", List.of(ingredientRef)));
            actions.add(first);
            Map<String, Object> then = new LinkedHashMap<>();
            if (step == Step.PUBLISHED) {
                then.put("action", "c2pa.published");
                then.put("softwareAgent", generatorInfo());
                then.put("description", "passed on by the platform " + label.contentPropagator() + " (PropagateID "
                        + label.propagateId() + "), its GB 45438 propagation fields in " + GB45438_LABEL);
            } else {
                then.put("action", step == Step.LABELLED_PIXELS ? "c2pa.edited" : "c2pa.edited.metadata");
                then.put("digitalSourceType", TRAINED_ALGORITHMIC_MEDIA);
                then.put("softwareAgent", generatorInfo());
                then.put("description", "AI-generated content, labelled under GB 45438-2025 (record in " + GB45438_LABEL
                        + (step == Step.LABELLED_PIXELS ? "; visible label or watermark drawn)" : "; metadata only)"));
            }
            actions.add(then);
        }
        if (watermarkPayload == null || !watermarkEmbedded) {
            return Map.of("actions", actions);
        }
        Map<String, Object> watermarked = new LinkedHashMap<>();
        watermarked.put("action", "c2pa.watermarked.bound");
        watermarked.put("softwareAgent", generatorInfo());
        watermarked.put("description", "aigcmark invisible watermark, payload " + watermarkPayload
                + " (ContentProducer and ProduceID under the producer's key); see c2pa.soft-binding");
        actions.add(watermarked);
        return Map.of("actions", actions);
    }

    /** One block over the whole asset (empty scope), its value the watermark payload's 8 bytes. */
    private Map<String, Object> softBinding() {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("scope", Map.of());
        block.put("value", HexFormat.of().parseHex(watermarkPayload)); // C2PA 2.4 18.10.2: a byte string
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alg", SOFT_BINDING_ALG);
        m.put("blocks", List.of(block));
        m.put("name", "aigcmark invisible watermark payload (ContentProducer and ProduceID)");
        m.put("pad", new byte[0]);
        return m;
    }

    /** The Annex E record, field names and values exactly as in the XMP record. */
    private Map<String, Object> gb45438() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> values = List.of(label.label(), label.contentProducer(), label.produceId(), label.reservedCode1(),
                label.contentPropagator(), label.propagateId(), label.reservedCode2());
        for (int i = 0; i < AigcLabel.KEYS.size(); i++) {
            m.put(AigcLabel.KEYS.get(i), values.get(i) == null ? "" : values.get(i));
        }
        return m;
    }

    private static Map<String, Object> dataHash(byte[] sha256, long start, long length) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> exclusion = new LinkedHashMap<>();
        exclusion.put("start", start);
        exclusion.put("length", length);
        m.put("exclusions", List.of(exclusion));
        m.put("name", "jumbf manifest");
        m.put("alg", "sha256");
        m.put("hash", sha256);
        m.put("pad", new byte[0]);
        return m;
    }

    /**
     * COSE_Sign1 (tag 18): protected {alg: ES256 or EdDSA, x5chain}, unprotected {} or {sigTst2} with a TSA, payload nil
     * (detached: the claim).
     */
    private static byte[] coseSign1(byte[] claim, C2paSigning signing) {
        try {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            try (CBORGenerator g = new CBORFactory().createGenerator(header)) {
                g.writeStartObject(2);
                g.writeFieldId(1);
                g.writeNumber(signing.coseAlgorithm());
                g.writeFieldId(X5CHAIN);
                List<X509Certificate> chain = signing.chain();
                if (chain.size() == 1) {
                    g.writeBinary(chain.get(0).getEncoded());
                } else {
                    g.writeStartArray(chain, chain.size());
                    for (X509Certificate c : chain) {
                        g.writeBinary(c.getEncoded());
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            byte[] protectedBytes = header.toByteArray();
            byte[] signature = signing.sign(C2paValidator.sigStructure(protectedBytes, claim));
            // C2PA 2.x v2 time-stamp: over the finished signature, so it is requested after signing
            byte[] token = signing.timeStampAuthority().isPresent() ? timeStampToken(signing, protectedBytes, signature) : null;
            if (token == null) {
                return coseBytes(protectedBytes, signature, null, -1);
            }
            // A store is signed in rounds until its length settles, and every round's token differs in length (its
            // own signature, serial, time): so the COSE structure is padded ("pad", C2PA 2.x) to a fixed size, the
            // one without a token plus TOKEN_RESERVE, as c2pa-rs reserves room for its signature box.
            int target = coseBytes(protectedBytes, signature, null, -1).length + TOKEN_RESERVE;
            int unpadded = coseBytes(protectedBytes, signature, token, 0).length;
            for (int n = Math.max(0, target - unpadded - 9); n <= target - unpadded; n++) {
                byte[] cose = coseBytes(protectedBytes, signature, token, n);
                if (cose.length == target) {
                    return cose;
                }
            }
            throw new AigcmarkException(AigcmarkException.Reason.INVALID_ARGUMENT, "the time-stamp token of "
                    + token.length + " bytes does not fit the " + TOKEN_RESERVE + " bytes reserved for it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateEncodingException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "cannot encode the C2PA certificate chain", e);
        }
    }

    /** Bytes reserved for a time-stamp token (with its padding) in the COSE structure. */
    static final int TOKEN_RESERVE = 12 * 1024;

    /**
     * COSE_Sign1's bytes: unprotected {} without a token, else {sigTst2: {tstTokens: [{val: token}]}, pad: n zero
     * bytes} ({@code pad} left out when {@code padBytes} is negative).
     */
    private static byte[] coseBytes(byte[] protectedBytes, byte[] signature, byte[] token, int padBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeTag(COSE_SIGN1_TAG);
            g.writeStartArray(null, 4);
            g.writeBinary(protectedBytes);
            if (token == null) {
                g.writeStartObject(0);
            } else {
                g.writeStartObject(padBytes >= 0 ? 2 : 1); // {"sigTst2": {"tstTokens": [{"val": TimeStampToken}]}, "pad"}
                g.writeFieldName("sigTst2");
                g.writeStartObject(1);
                g.writeFieldName("tstTokens");
                g.writeStartArray(null, 1);
                g.writeStartObject(1);
                g.writeFieldName("val");
                g.writeBinary(token);
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                if (padBytes >= 0) {
                    g.writeFieldName("pad");
                    g.writeBinary(new byte[padBytes]);
                }
            }
            g.writeEndObject();
            g.writeNull();
            g.writeBinary(signature);
            g.writeEndArray();
        }
        return out.toByteArray();
    }

    /**
     * The TSA's token for {@code signature}. Asked for every signature: a store is signed in one to three rounds while
     * its length settles, and each round's signature is new, so each round asks the TSA again.
     */
    private static byte[] timeStampToken(C2paSigning signing, byte[] protectedBytes, byte[] signature) {
        return C2paTimeStamps.request(signing.timeStampAuthority().get(), C2paTimeStamps.countersignData(protectedBytes, signature));
    }

    static byte[] assertion(String label, Object content) throws JsonProcessingException {
        return superbox(CBOR_CONTENT, label, box("cbor", CBOR.writeValueAsBytes(content)));
    }

    private static String labelOf(byte[] superbox) {
        int p = 8 + 8 + 16 + 1; // jumb header, jumd header, type UUID, toggles
        int e = p;
        while (superbox[e] != 0) {
            e++;
        }
        return new String(superbox, p, e - p, StandardCharsets.UTF_8);
    }

    /** A JUMBF superbox: description box (type UUID, toggles "requestable + label", the label) and its children. */
    static byte[] superbox(byte[] type, String label, byte[]... children) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.writeBytes(type);
        d.write(0x03);
        d.writeBytes(label.getBytes(StandardCharsets.UTF_8));
        d.write(0);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(box("jumd", d.toByteArray()));
        for (byte[] c : children) {
            body.writeBytes(c);
        }
        return box("jumb", body.toByteArray());
    }

    private static byte[] box(String type, byte[] payload) {
        long len = payload.length + 8L;
        if (len > 0xFFFF_FFFFL) {
            throw AigcmarkException.limit("a C2PA box of " + len + " bytes does not fit a 32-bit box length");
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream(payload.length + 8);
        o.write((int) (len >>> 24));
        o.write((int) (len >>> 16));
        o.write((int) (len >>> 8));
        o.write((int) len);
        o.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
        o.writeBytes(payload);
        return o.toByteArray();
    }

    private static byte[] uuid(String fourCc) {
        return HexFormat.of().parseHex(fourCc + UUID_TAIL);
    }
}
