package org.aigcmark.format.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aigcmark.AigcmarkException;

/**
 * Validates the active manifest of a C2PA manifest store (C2PA 1.x/2.x claims) against the asset bytes and a
 * caller-supplied list of X.509 trust anchors. Checks, in order: the COSE_Sign1 claim signature (detached payload =
 * the claim's CBOR bytes; ES256/384/512, EdDSA, PS256/384/512), the hashed URIs of the assertions listed in the
 * claim, the {@code c2pa.hash.data} hard binding (SHA-2 over the file minus the exclusion ranges) or the
 * {@code c2pa.hash.bmff.v2}/{@code v3} one (MP4/MOV: top-level boxes with their offsets, minus excluded boxes; no
 * Merkle trees), and the certificate chain to an anchor (PKIX, current time, no revocation).
 *
 * <p>Not checked: RFC 3161 timestamps (validity is judged now, not at signing time), OCSP/CRL revocation,
 * the C2PA certificate profile beyond key usage, ingredients and earlier manifests, BMFF Merkle trees and
 * box/collection bindings (reported as unsupported). Immutable and thread-safe; never throws for hostile input.
 */
public final class C2paValidator {
    /** A validator with no trust anchors: a correct manifest is at best {@link Status#UNTRUSTED}. */
    public static final C2paValidator NO_ANCHORS = new C2paValidator(List.of());

    private static final ObjectMapper CBOR = new CBORMapper();
    private static final int MAX_CHAIN = 10;
    private static final int MAX_EXCLUSIONS = 1_000;
    private static final int MAX_HASHED_URIS = 10_000;
    /** Not a C2PA status code: the ECDSA signature was DER-encoded instead of COSE's raw r||s. */
    public static final String DER_ECDSA_CODE = "aigcmark.ecdsaSignatureInDerForm";

    /** The outcome, worst first after ABSENT. */
    public enum Status {
        /** No signed manifest to validate. */
        ABSENT,
        /** Signature, assertion hashes or hard binding do not match: the manifest or the asset was changed. */
        INVALID,
        /** The algorithm or binding is one this validator does not implement; nothing is claimed either way. */
        UNSUPPORTED,
        /** Cryptographically intact, but the signer does not chain to a caller-supplied trust anchor. */
        UNTRUSTED,
        /** Intact and signed by a certificate that chains to a caller-supplied trust anchor. */
        VALID,
        /** Not attempted (no asset bytes were given). */
        UNCHECKED;

        /** The lowercase name used in reports and JSON, e.g. {@code untrusted}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One validation.
     *
     * @param status the outcome
     * @param reason names the first failure, null when valid
     * @param signer the signing certificate's subject, null when it was not read
     * @param issuer the signing certificate's issuer, null when it was not read
     * @param algorithm the COSE signature algorithm (e.g. {@code ES256}), null when not read or not known
     * @param codes C2PA validation status codes (e.g. {@code claimSignature.validated},
     *     {@code assertion.dataHash.mismatch})
     * @param timeStamp the RFC 3161 time-stamp over the claim signature ({@code sigTst2}, or the older {@code sigTst}),
     *     with its time and any problem; null when there is none or it was not reached
     */
    public record Result(Status status, String reason, String signer, String issuer, String algorithm,
                         List<String> codes, C2paTimeStamps.Token timeStamp) {
        public Result {
            codes = List.copyOf(codes);
        }

        /** A result without a time-stamp. */
        public Result(Status status, String reason, String signer, String issuer, String algorithm, List<String> codes) {
            this(status, reason, signer, issuer, algorithm, codes, null);
        }

        /** A copy with the claim signature's time-stamp. */
        Result withTimeStamp(C2paTimeStamps.Token t) {
            return new Result(status, reason, signer, issuer, algorithm, codes, t);
        }

        static Result unchecked() {
            return new Result(Status.UNCHECKED, "no asset bytes to validate against", null, null, null, List.of());
        }
    }

    private final List<X509Certificate> anchors;

    /**
     * A validator that trusts a signer whose certificate chains to one of {@code trustAnchors} (copied; may be empty,
     * then no manifest is better than {@link Status#UNTRUSTED}). Immutable, so one instance can serve many threads.
     */
    public C2paValidator(List<X509Certificate> trustAnchors) {
        this.anchors = List.copyOf(trustAnchors);
    }

    /** The trust anchors, unmodifiable. */
    public List<X509Certificate> trustAnchors() {
        return anchors;
    }

    /** A validator trusting every certificate in these PEM files. */
    public static C2paValidator fromPemFiles(List<Path> pemFiles) {
        List<X509Certificate> certs = new ArrayList<>();
        for (Path p : pemFiles) {
            certs.addAll(readPem(p));
        }
        return new C2paValidator(certs);
    }

    /** Reads all X.509 certificates from a PEM (or DER) file. */
    public static List<X509Certificate> readPem(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "no certificate in " + pem);
            }
            return out;
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID, "not an X.509 certificate file: " + pem, e);
        }
    }

    /** Validates the active manifest of {@code jumbf} (a manifest store) against the whole file {@code asset}. */
    public Result validate(byte[] jumbf, byte[] asset) {
        try {
            return validateUnchecked(jumbf, asset);
        } catch (RuntimeException e) {
            // A hostile manifest must never break inspection; report it as invalid with the cause.
            return new Result(Status.INVALID, "malformed manifest: " + e, null, null, null, List.of("general.error"));
        }
    }

    private Result validateUnchecked(byte[] jumbf, byte[] asset) {
        if (asset == null) {
            return Result.unchecked();
        }
        List<String> problems = new ArrayList<>();
        List<C2paReader.Box> top = C2paReader.boxes(jumbf, 0, jumbf.length, 0, new int[] {0}, problems);
        C2paReader.Box store = top.stream().filter(b -> b.type().equals("jumb") && "c2pa".equals(b.label())).findFirst().orElse(null);
        List<C2paReader.Box> manifests = store == null ? List.of()
                : store.children().stream().filter(b -> b.type().equals("jumb")).toList();
        if (manifests.isEmpty()) {
            return new Result(Status.ABSENT, "no manifest", null, null, null, List.of("claim.missing"));
        }
        C2paReader.Box active = manifests.get(manifests.size() - 1);
        C2paReader.Box claimBox = child(active, "c2pa.claim");
        C2paReader.Box sigBox = child(active, "c2pa.signature");
        C2paReader.Box assertionStore = child(active, "c2pa.assertions");
        if (claimBox == null) {
            return new Result(Status.ABSENT, "the active manifest has no claim", null, null, null, List.of("claim.missing"));
        }
        if (sigBox == null) {
            return new Result(Status.ABSENT, "the active manifest has no claim signature", null, null, null,
                    List.of("claimSignature.missing"));
        }
        C2paReader.Box claimContent = C2paReader.content(claimBox);
        C2paReader.Box sigContent = C2paReader.content(sigBox);
        if (claimContent == null || sigContent == null || !claimContent.type().equals("cbor")) {
            return invalid("claim or signature box has no CBOR content", null, null, null, List.of("claim.malformed"));
        }
        byte[] claimBytes = Arrays.copyOfRange(jumbf, claimContent.start(), claimContent.end());
        JsonNode claim = readCbor(claimBytes);
        if (claim == null || !claim.isObject()) {
            return invalid("the claim is not a CBOR map", null, null, null, List.of("claim.malformed"));
        }

        // 1. The COSE_Sign1 signature over the claim.
        List<String> codes = new ArrayList<>();
        JsonNode cose = readCbor(Arrays.copyOfRange(jumbf, sigContent.start(), sigContent.end()));
        if (cose == null || !cose.isArray() || cose.size() != 4 || !cose.get(0).isBinary() || !cose.get(3).isBinary()) {
            return invalid("the claim signature is not a COSE_Sign1 structure", null, null, null, List.of("claimSignature.malformed"));
        }
        byte[] protectedBytes = binary(cose.get(0));
        JsonNode protectedHeader = protectedBytes.length == 0 ? CBOR.createObjectNode() : readCbor(protectedBytes);
        if (protectedHeader == null || !protectedHeader.isObject()) {
            return invalid("unreadable COSE protected header", null, null, null, List.of("claimSignature.malformed"));
        }
        JsonNode unprotectedHeader = cose.get(1);
        String alg = algorithmName(protectedHeader.path("1"));
        List<X509Certificate> chain;
        try {
            chain = x5chain(protectedHeader.has("33") ? protectedHeader.get("33") : unprotectedHeader.path("33"));
        } catch (GeneralSecurityException | RuntimeException e) {
            return invalid("unreadable x5chain certificate: " + e.getMessage(), null, null, alg, List.of("signingCredential.invalid"));
        }
        if (chain.isEmpty()) {
            return invalid("the COSE signature carries no x5chain certificate", null, null, alg, List.of("claimSignature.missing"));
        }
        X509Certificate leaf = chain.get(0);
        String signer = leaf.getSubjectX500Principal().getName();
        String issuer = leaf.getIssuerX500Principal().getName();
        if (alg == null) {
            return new Result(Status.UNSUPPORTED, "unsupported COSE algorithm " + protectedHeader.path("1"), signer, issuer,
                    null, List.of("algorithm.unsupported"));
        }
        JsonNode payload = cose.get(2);
        if (payload != null && payload.isBinary() && !Arrays.equals(binary(payload), claimBytes)) {
            // An attached payload that is not the claim would let a forged claim ride on a valid signature.
            return invalid("the COSE payload is not the claim", signer, issuer, alg, List.of("claimSignature.mismatch"));
        }
        byte[] toBeSigned = sigStructure(protectedBytes, claimBytes);
        boolean signatureOk;
        byte[] signatureBytes = binary(cose.get(3));
        boolean derEcdsa = alg.startsWith("ES") && signatureBytes.length != 2 * ecFieldBytes(alg)
                && signatureBytes.length > 0 && signatureBytes[0] == 0x30;
        if (derEcdsa) {
            // COSE requires raw r||s; some signers (c2pa-ts 0.9.4 LocalSigner) write ASN.1 DER. Accepted, and flagged.
            codes.add(DER_ECDSA_CODE);
        }
        try {
            signatureOk = verify(alg, leaf.getPublicKey(), toBeSigned, signatureBytes, derEcdsa);
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Result(Status.UNSUPPORTED, "cannot verify " + alg + " with this key: " + e.getMessage(), signer,
                    issuer, alg, List.of("algorithm.unsupported"));
        }
        if (!signatureOk) {
            return invalidWith(codes, "claimSignature.mismatch", "signature: the claim signature does not match the claim",
                    signer, issuer, alg);
        }
        codes.add("claimSignature.validated");

        // 1b. The RFC 3161 time-stamp: C2PA 2.x v2 (sigTst2) over the signature, v1 (sigTst) over the claim.
        C2paTimeStamps.Token timeStamp = null;
        for (String key : List.of("sigTst2", "sigTst")) {
            JsonNode tokens = unprotectedHeader.path(key).path("tstTokens");
            if (!tokens.isArray() || tokens.isEmpty()) {
                continue;
            }
            if (tokens.size() > 1) {
                return invalidWith(codes, "timeStamp.malformed", "time-stamp: more than one token in " + key, signer, issuer, alg);
            }
            byte[] stamped = key.equals("sigTst2") ? C2paTimeStamps.countersignData(protectedBytes, signatureBytes)
                    : sigStructure("CounterSignature", protectedBytes, claimBytes);
            timeStamp = C2paTimeStamps.read(binary(tokens.get(0).path("val")), stamped);
            String problem = timeStamp.problem();
            if (problem != null) {
                String code = problem.startsWith("malformed") ? "timeStamp.malformed"
                        : problem.contains("outside") ? "timeStamp.outsideValidity" : "timeStamp.mismatch";
                return invalidWith(codes, code, "time-stamp: " + problem, signer, issuer, alg).withTimeStamp(timeStamp);
            }
            codes.add("timeStamp.validated");
            break;
        }

        // 2. Hashed URIs of the assertions the claim lists.
        String claimAlg = claim.path("alg").asText("sha256");
        List<JsonNode> refs = new ArrayList<>();
        for (String key : List.of("assertions", "created_assertions", "gathered_assertions")) {
            for (JsonNode r : claim.path(key)) {
                if (refs.size() >= MAX_HASHED_URIS) {
                    return invalid("more than " + MAX_HASHED_URIS + " assertion references", signer, issuer, alg, codes);
                }
                refs.add(r);
            }
        }
        JsonNode dataHash = null;
        JsonNode bmffHash = null;
        String bmffLabel = null;
        String otherBinding = null;
        for (JsonNode ref : refs) {
            String url = ref.path("url").asText("");
            String label = assertionLabel(url, active.label());
            C2paReader.Box box = label == null || assertionStore == null ? null : child(assertionStore, label, true);
            if (box == null) {
                return invalidWith(codes, "assertion.missing", "assertion hash: the claim refers to " + url
                        + ", which is not in the active manifest's assertion store", signer, issuer, alg);
            }
            byte[] expected = binary(ref.path("hash"));
            byte[] actual = digest(ref.path("alg").asText(claimAlg), jumbf, box.start(), box.end());
            if (actual == null) {
                return new Result(Status.UNSUPPORTED, "unsupported hash algorithm " + ref.path("alg").asText(claimAlg),
                        signer, issuer, alg, append(codes, "algorithm.unsupported"));
            }
            if (!MessageDigest.isEqual(expected, actual)) {
                return invalidWith(codes, "assertion.hashedURI.mismatch", "assertion hash: " + label
                        + " does not match the hash in the claim", signer, issuer, alg);
            }
            codes.add("assertion.hashedURI.match");
            String bare = label.replaceFirst("__\\d+$", "");
            if (bare.equals("c2pa.hash.data")) {
                C2paReader.Box content = C2paReader.content(box);
                dataHash = content == null ? null : readCbor(Arrays.copyOfRange(jumbf, content.start(), content.end()));
            } else if (bare.equals("c2pa.hash.bmff.v2") || bare.equals("c2pa.hash.bmff.v3")) {
                C2paReader.Box content = C2paReader.content(box);
                bmffHash = content == null ? null : readCbor(Arrays.copyOfRange(jumbf, content.start(), content.end()));
                bmffLabel = bare;
            } else if (bare.startsWith("c2pa.hash.")) {
                otherBinding = bare;
            } else if (bare.startsWith("c2pa.ingredient")) {
                C2paReader.Box content = C2paReader.content(box);
                JsonNode ingredient = content == null ? null : readCbor(Arrays.copyOfRange(jumbf, content.start(), content.end()));
                String problem = ingredient == null ? null : checkIngredient(ingredient, jumbf, manifests, codes);
                if (problem != null) {
                    return invalidWith(codes, problem.substring(0, problem.indexOf(' ')), "ingredient: "
                            + problem.substring(problem.indexOf(' ') + 1), signer, issuer, alg);
                }
            }
        }

        // 3. The hard binding.
        if (dataHash == null && bmffHash != null) {
            String bmffProblem = checkBmffHash(bmffHash, claimAlg, asset, bmffLabel);
            if (bmffProblem != null && bmffProblem.startsWith("unsupported")) {
                return new Result(Status.UNSUPPORTED, bmffProblem, signer, issuer, alg, append(codes, "algorithm.unsupported"));
            }
            if (bmffProblem != null) {
                return invalidWith(codes, "assertion.bmffHash.mismatch", "binding: " + bmffProblem, signer, issuer, alg);
            }
            codes.add("assertion.bmffHash.match");
        } else if (dataHash == null) {
            if (otherBinding != null) {
                return new Result(Status.UNSUPPORTED, "hard binding " + otherBinding + " is not implemented", signer,
                        issuer, alg, append(codes, "hardBinding.unsupported"));
            }
            return invalidWith(codes, "claim.hardBindings.missing", "binding: the claim has no hard binding", signer, issuer, alg);
        }
        if (dataHash != null) {
            String bindingProblem = checkDataHash(dataHash, claimAlg, asset, jumbf.length);
            if (bindingProblem != null) {
                if (bindingProblem.startsWith("unsupported")) {
                    return new Result(Status.UNSUPPORTED, bindingProblem, signer, issuer, alg, append(codes, "algorithm.unsupported"));
                }
                return invalidWith(codes, "assertion.dataHash.mismatch", "binding: " + bindingProblem, signer, issuer, alg);
            }
            codes.add("assertion.dataHash.match");
        }

        // 4. Trust.
        String keyUsageProblem = keyUsageProblem(leaf);
        if (keyUsageProblem != null) {
            return invalidWith(codes, "signingCredential.invalid", keyUsageProblem, signer, issuer, alg);
        }
        String trustProblem = trust(chain);
        if (trustProblem != null) {
            codes.add("signingCredential.untrusted");
            return new Result(Status.UNTRUSTED, trustProblem, signer, issuer, alg, codes, timeStamp);
        }
        codes.add("signingCredential.trusted");
        return new Result(Status.VALID, null, signer, issuer, alg, codes, timeStamp);
    }

    // ---------------------------------------------------------------- pieces

    /**
     * Checks an ingredient's hashed URIs into this store ({@code activeManifest}, v3, or {@code c2pa_manifest}, v1/v2,
     * and {@code claimSignature}): each must name a manifest (or its signature box) in the store whose superbox content
     * hashes to the value given. Adds the success codes; returns "CODE explanation" for the first failure, or null.
     * A reference outside the store (a remote manifest) is left unchecked.
     */
    private static String checkIngredient(JsonNode ingredient, byte[] jumbf, List<C2paReader.Box> manifests, List<String> codes) {
        JsonNode manifestRef = ingredient.has("activeManifest") ? ingredient.get("activeManifest") : ingredient.path("c2pa_manifest");
        if (!manifestRef.isObject()) {
            return null; // unknown provenance: nothing to check
        }
        String alg = ingredient.path("alg").asText("sha256");
        for (String key : List.of("manifest", "claimSignature")) {
            JsonNode ref = key.equals("manifest") ? manifestRef : ingredient.path("claimSignature");
            if (!ref.isObject()) {
                continue;
            }
            String url = ref.path("url").asText("");
            String prefix = "self#jumbf=/c2pa/";
            if (!url.startsWith(prefix)) {
                continue;
            }
            String[] path = url.substring(prefix.length()).split("/", 2);
            C2paReader.Box m = manifests.stream().filter(b -> path[0].equals(b.label())).findFirst().orElse(null);
            C2paReader.Box target = m == null ? null : path.length == 1 ? m : child(m, path[1], true);
            if (target == null) {
                return "ingredient." + key + ".missing " + url + " is not in the manifest store";
            }
            byte[] actual = digest(ref.path("alg").asText(alg), jumbf, target.start(), target.end());
            if (actual == null || !MessageDigest.isEqual(actual, binary(ref.path("hash")))) {
                return "ingredient." + key + ".mismatch " + url + " does not match the hash the ingredient gives";
            }
            codes.add(key.equals("manifest") ? "ingredient.manifest.validated" : "ingredient.claimSignature.validated");
        }
        return null;
    }

    private static Result invalid(String reason, String signer, String issuer, String alg, List<String> codes) {
        return new Result(Status.INVALID, reason, signer, issuer, alg, codes);
    }

    private static Result invalidWith(List<String> codes, String code, String reason, String signer, String issuer, String alg) {
        return new Result(Status.INVALID, reason, signer, issuer, alg, append(codes, code));
    }

    private static List<String> append(List<String> codes, String code) {
        List<String> out = new ArrayList<>(codes);
        out.add(code);
        return out;
    }

    /** The child superbox whose label is {@code prefix} or starts with {@code prefix.} (e.g. c2pa.claim.v2). */
    private static C2paReader.Box child(C2paReader.Box parent, String prefix) {
        return child(parent, prefix, false);
    }

    private static C2paReader.Box child(C2paReader.Box parent, String label, boolean exact) {
        for (C2paReader.Box b : parent.children()) {
            if (b.type().equals("jumb") && b.label() != null
                    && (b.label().equals(label) || (!exact && b.label().startsWith(label + ".")))) {
                return b;
            }
        }
        return null;
    }

    /** The assertion label a hashed URI names, when it points into the active manifest's assertion store. */
    static String assertionLabel(String url, String activeLabel) {
        String path = url.startsWith("self#jumbf=") ? url.substring("self#jumbf=".length()) : null;
        if (path == null) {
            return null;
        }
        if (path.startsWith("/")) {
            String prefix = "/c2pa/" + activeLabel + "/";
            if (!path.startsWith(prefix)) {
                return null;
            }
            path = path.substring(prefix.length());
        }
        if (!path.startsWith("c2pa.assertions/")) {
            return null;
        }
        String label = path.substring("c2pa.assertions/".length());
        return label.isEmpty() || label.contains("/") ? null : label;
    }

    private static String algorithmName(JsonNode alg) {
        if (!alg.isIntegralNumber()) {
            return null;
        }
        return switch (alg.asInt()) {
            case -7 -> "ES256";
            case -35 -> "ES384";
            case -36 -> "ES512";
            case -8 -> "EdDSA";
            case -37 -> "PS256";
            case -38 -> "PS384";
            case -39 -> "PS512";
            default -> null;
        };
    }

    private static int ecFieldBytes(String alg) {
        return switch (alg) {
            case "ES256" -> 32;
            case "ES384" -> 48;
            default -> 66;
        };
    }

    private static boolean verify(String alg, PublicKey key, byte[] data, byte[] signature, boolean derEcdsa)
            throws GeneralSecurityException {
        Signature s;
        String format = derEcdsa ? "" : "inP1363Format";
        switch (alg) {
            // COSE ECDSA signatures are raw r||s (IEEE P1363), which the JDK verifies directly.
            case "ES256" -> s = Signature.getInstance("SHA256withECDSA" + format);
            case "ES384" -> s = Signature.getInstance("SHA384withECDSA" + format);
            case "ES512" -> s = Signature.getInstance("SHA512withECDSA" + format);
            case "EdDSA" -> s = Signature.getInstance("Ed25519".equalsIgnoreCase(key.getAlgorithm()) ? "Ed25519" : "EdDSA");
            default -> {
                int bits = Integer.parseInt(alg.substring(2));
                String md = "SHA-" + bits;
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec(md, "MGF1", new MGF1ParameterSpec(md), bits / 8, 1));
            }
        }
        s.initVerify(key);
        s.update(data);
        return s.verify(signature);
    }

    private static List<X509Certificate> x5chain(JsonNode node) throws GeneralSecurityException {
        List<byte[]> ders = new ArrayList<>();
        if (node.isBinary()) {
            ders.add(binary(node));
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                if (ders.size() >= MAX_CHAIN) {
                    throw new GeneralSecurityException("more than " + MAX_CHAIN + " certificates in x5chain");
                }
                ders.add(binary(n));
            }
        }
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : ders) {
            out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
        }
        return out;
    }

    /** Sig_structure = ["Signature1", body_protected, external_aad = h'', payload] (RFC 9052 §4.4). */
    static byte[] sigStructure(byte[] protectedBytes, byte[] payload) {
        return sigStructure("Signature1", protectedBytes, payload);
    }

    /** {@code [context, protected, h'', payload]}: a COSE Sig_structure for {@code Signature1} or {@code CounterSignature}. */
    static byte[] sigStructure(String contextName, byte[] protectedBytes, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + protectedBytes.length + 32);
        out.write(0x84);
        byte[] context = contextName.getBytes(StandardCharsets.US_ASCII);
        head(out, 3, context.length);
        out.writeBytes(context);
        head(out, 2, protectedBytes.length);
        out.writeBytes(protectedBytes);
        head(out, 2, 0);
        head(out, 2, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static void cborHead(ByteArrayOutputStream out, int major, long len) {
        head(out, major, len);
    }

    private static void head(ByteArrayOutputStream out, int major, long len) {
        int m = major << 5;
        if (len < 24) {
            out.write(m | (int) len);
        } else if (len < 0x100) {
            out.write(m | 24);
            out.write((int) len);
        } else if (len < 0x10000) {
            out.write(m | 25);
            out.write((int) (len >> 8));
            out.write((int) len);
        } else {
            out.write(m | 26);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((int) (len >> shift));
            }
        }
    }

    /** Null when the asset matches the c2pa.hash.data assertion; otherwise why not. */
    private static String checkDataHash(JsonNode dataHash, String claimAlg, byte[] asset, int storeLength) {
        String hashAlg = dataHash.path("alg").asText(claimAlg);
        MessageDigest md = messageDigest(hashAlg);
        if (md == null) {
            return "unsupported hash algorithm " + hashAlg;
        }
        List<long[]> ranges = new ArrayList<>();
        for (JsonNode e : dataHash.path("exclusions")) {
            if (ranges.size() >= MAX_EXCLUSIONS) {
                return "more than " + MAX_EXCLUSIONS + " exclusion ranges";
            }
            long start = e.path("start").asLong(-1);
            long length = e.path("length").asLong(-1);
            if (start < 0 || length < 0 || start + length > asset.length) {
                return "exclusion range [" + start + ", +" + length + ") lies outside the " + asset.length + "-byte file";
            }
            ranges.add(new long[] {start, length});
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        // Exclusions exist to skip the embedded manifest store (plus its container framing: JPEG APP11 headers
        // every 64 KiB, a PNG chunk header and CRC). Anything more leaves content unbound, which a validator must
        // not call intact.
        long excluded = ranges.stream().mapToLong(r -> r[1]).sum();
        long allowed = storeLength + 32L * (storeLength / 65_000 + 1) + 64;
        if (excluded > allowed) {
            return "the exclusions skip " + excluded + " bytes, more than the " + storeLength
                    + "-byte manifest store and its framing (content would be unbound)";
        }
        long p = 0;
        for (long[] r : ranges) {
            if (r[0] < p) {
                return "overlapping exclusion ranges";
            }
            md.update(asset, (int) p, (int) (r[0] - p));
            p = r[0] + r[1];
        }
        md.update(asset, (int) p, (int) (asset.length - p));
        byte[] expected = binary(dataHash.path("hash"));
        return MessageDigest.isEqual(expected, md.digest()) ? null
                : "the file's bytes do not match the c2pa.hash.data hash (the content was changed after signing)";
    }

    /**
     * Null when the asset matches the {@code c2pa.hash.bmff.v2}/{@code v3} assertion (a flat hash; see
     * {@link BmffHash}); otherwise why not ({@code "unsupported ..."} for Merkle trees and nested xpaths).
     */
    private static String checkBmffHash(JsonNode bmff, String claimAlg, byte[] asset, String label) {
        String hashAlg = bmff.path("alg").asText(claimAlg);
        MessageDigest md = messageDigest(hashAlg);
        if (md == null) {
            return "unsupported hash algorithm " + hashAlg;
        }
        if (bmff.path("merkle").isArray() && !bmff.path("merkle").isEmpty()) {
            return "unsupported: " + label + " with Merkle trees (fragmented or chunked media) is not implemented";
        }
        if (!bmff.path("hash").isBinary()) {
            return label + " has no file hash";
        }
        BmffHash.Either h = BmffHash.hash(asset, bmff.path("exclusions"), md);
        if (h.hash() == null) {
            return h.problem();
        }
        return MessageDigest.isEqual(binary(bmff.path("hash")), h.hash()) ? null
                : "the file's boxes do not match the " + label + " hash (the content was changed after signing)";
    }

    /** C2PA requires digitalSignature for claim signers and forbids CA certificates as signers. */
    private static String keyUsageProblem(X509Certificate leaf) {
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && !ku[0]) {
            return "signing credential: the signer certificate lacks the digitalSignature key usage";
        }
        if (leaf.getBasicConstraints() >= 0) {
            return "signing credential: the signer certificate is a CA certificate";
        }
        return null;
    }

    /** Null when the chain leads to a trust anchor (PKIX, now, no revocation); otherwise why not. */
    private String trust(List<X509Certificate> chain) {
        if (anchors.isEmpty()) {
            return "untrusted: no trust anchors were supplied";
        }
        Set<X509Certificate> anchorSet = new HashSet<>(anchors);
        if (anchorSet.contains(chain.get(0))) {
            return null; // the caller trusts this signer certificate directly
        }
        // The path handed to PKIX must stop below the anchor: drop any anchors and self-signed roots from it.
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (anchorSet.contains(c) || (path.size() > 0 && c.getSubjectX500Principal().equals(c.getIssuerX500Principal()))) {
                break;
            }
            path.add(c);
        }
        try {
            Set<TrustAnchor> ta = new HashSet<>();
            for (X509Certificate a : anchors) {
                ta.add(new TrustAnchor(a, null));
            }
            PKIXParameters params = new PKIXParameters(ta);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return "untrusted: the signer does not chain to a supplied trust anchor (" + e.getMessage() + ")";
        }
    }

    private static byte[] digest(String alg, byte[] b, int from, int to) {
        MessageDigest md = messageDigest(alg);
        if (md == null) {
            return null;
        }
        md.update(b, from, to - from);
        return md.digest();
    }

    private static MessageDigest messageDigest(String c2paAlg) {
        String name = switch (c2paAlg) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> null;
        };
        try {
            return name == null ? null : MessageDigest.getInstance(name);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static JsonNode readCbor(byte[] b) {
        try {
            return CBOR.readTree(b);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] binary(JsonNode n) {
        try {
            return n != null && n.isBinary() ? n.binaryValue() : new byte[0];
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
