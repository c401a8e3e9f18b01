package org.aigcmark.format.c2pa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.PropagateRequest;
import org.aigcmark.TestSupport;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * A file that already carries a C2PA manifest: a metadata-only label (no C2PA signing) breaks its hard binding and
 * says so in the result; a label with C2PA signing adds a new manifest with the old one as its parentOf ingredient.
 */
class C2paParentTest {
    private static final Labeler LABELER = Labeler.create();
    private static final LabelRequest PLAIN = LabelRequest.produced("00" + "A".repeat(25), "c2pa-parent-test-0001");

    private static C2paValidator.Result validate(byte[] file) {
        ContainerScan scan = LABELER.handlerFor(file, "f").scan(file, LABELER.limits());
        assertEquals(1, scan.c2paStores().size(), "one C2PA store");
        return C2paSignerTest.TRUST_CA.validate(scan.c2paStores().get(0), file);
    }

    private static boolean warnsOfBrokenManifest(LabelResult r) {
        return r.notes().stream().anyMatch(n -> n.contains("C2PA manifest") && n.contains("no longer validate")
                && n.contains("--c2pa"));
    }

    @Test
    void aMetadataOnlyLabelOfAC2paFileSaysItsManifestNoLongerValidates() {
        for (String fixture : List.of("c2pa/signed.jpg", "c2pa/signed.png")) {
            byte[] in = Fixtures.bytes(fixture);
            assertEquals(C2paValidator.Status.UNTRUSTED, C2paValidator.NO_ANCHORS.validate(
                    LABELER.handlerFor(in, fixture).scan(in, LABELER.limits()).c2paStores().get(0), in).status(), fixture);
            LabelResult r = LABELER.label(in, fixture, PLAIN);
            assertEquals(C2paValidator.Status.INVALID, C2paValidator.NO_ANCHORS.validate(
                    LABELER.handlerFor(r.bytes(), fixture).scan(r.bytes(), LABELER.limits()).c2paStores().get(0),
                    r.bytes()).status(), fixture + ": the label changed hashed bytes");
            assertTrue(warnsOfBrokenManifest(r), fixture + ": " + r.notes());
        }
        // a file without a manifest, or one whose manifest was already broken, gets no such warning
        assertTrue(!warnsOfBrokenManifest(LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), PLAIN)));
        assertTrue(!warnsOfBrokenManifest(LABELER.label(Fixtures.bytes("c2pa/tampered-pixels.jpg"), PLAIN)));
    }

    private static final LabelRequest SIGNED = PLAIN.withC2pa(C2paSignerTest.SIGNING);
    private static final CBORMapper CBOR = new CBORMapper();

    private static byte[] store(byte[] file) {
        ContainerScan scan = LABELER.handlerFor(file, "f").scan(file, LABELER.limits());
        assertEquals(1, scan.c2paStores().size(), "one C2PA store");
        return scan.c2paStores().get(0);
    }

    /** The manifest superboxes of a store, in order (the last is the active one). */
    private static List<C2paReader.Box> manifests(byte[] store) {
        List<C2paReader.Box> top = C2paReader.boxes(store, 0, store.length, 0, new int[] {0}, new ArrayList<>());
        return top.get(0).children().stream().filter(b -> b.type().equals("jumb")).toList();
    }

    /** The CBOR content of the assertion labelled {@code label} in {@code manifest}. */
    private static JsonNode assertion(byte[] store, C2paReader.Box manifest, String label) throws Exception {
        C2paReader.Box assertions = manifest.children().stream().filter(b -> "c2pa.assertions".equals(b.label())).findFirst().orElseThrow();
        C2paReader.Box a = assertions.children().stream().filter(b -> label.equals(b.label())).findFirst().orElseThrow();
        C2paReader.Box content = C2paReader.content(a);
        return CBOR.readTree(Arrays.copyOfRange(store, content.start(), content.end()));
    }

    private static byte[] sha256(byte[] b, int from, int to) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(b, from, to - from);
        return d.digest();
    }

    /**
     * Checks that {@code out}'s store holds {@code in}'s manifests byte for byte, then a new active manifest that
     * validates (test CA as anchor) and names the previous active one as its parentOf ingredient, opened and then
     * {@code secondAction}; returns the ingredient assertion.
     */
    private static JsonNode checkContinues(byte[] in, byte[] out, String secondAction) throws Exception {
        byte[] old = store(in);
        byte[] now = store(out);
        List<C2paReader.Box> before = manifests(old);
        List<C2paReader.Box> after = manifests(now);
        assertEquals(before.size() + 1, after.size(), "one manifest added");
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(Arrays.copyOfRange(old, before.get(i).start(), before.get(i).end()),
                    Arrays.copyOfRange(now, after.get(i).start(), after.get(i).end()), "manifest " + i + " kept byte for byte");
        }
        C2paValidator.Result r = validate(out);
        assertEquals(C2paValidator.Status.VALID, r.status(), r.reason());
        assertTrue(r.codes().containsAll(List.of("ingredient.manifest.validated", "ingredient.claimSignature.validated")),
                r.codes().toString());
        C2paReader.Box parent = after.get(after.size() - 2);
        JsonNode ingredient = assertion(now, after.get(after.size() - 1), "c2pa.ingredient.v3");
        assertEquals("parentOf", ingredient.path("relationship").asText());
        assertEquals("self#jumbf=/c2pa/" + parent.label(), ingredient.path("activeManifest").path("url").asText());
        assertArrayEquals(sha256(now, parent.start(), parent.end()), ingredient.path("activeManifest").path("hash").binaryValue(),
                "the activeManifest hash covers the parent manifest superbox's content");
        assertEquals("self#jumbf=/c2pa/" + parent.label() + "/c2pa.signature", ingredient.path("claimSignature").path("url").asText());
        JsonNode actions = assertion(now, after.get(after.size() - 1), "c2pa.actions.v2").path("actions");
        assertEquals("c2pa.opened", actions.path(0).path("action").asText());
        assertEquals("self#jumbf=c2pa.assertions/c2pa.ingredient.v3",
                actions.path(0).path("parameters").path("ingredients").path(0).path("url").asText());
        assertEquals(secondAction, actions.path(1).path("action").asText());
        return ingredient;
    }

    /** c2pa-ts's report on {@code file}, or null when c2pa-ts is not installed outside CI. */
    private static String c2paTs(String name, byte[] file) throws Exception {
        TestSupport.requireTool("node");
        boolean installed = Files.isDirectory(C2paSignerTest.c2paTs().resolve("node_modules/@trustnxt/c2pa-ts"));
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("@trustnxt/c2pa-ts is required in CI");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installed, "@trustnxt/c2pa-ts not installed");
        return TestSupport.run("node", C2paSignerTest.c2paTsScript().toString(), TestSupport.temp(name, file).toString());
    }

    /**
     * c2pa-ts 0.9.4 checks the new manifest (signature, every hashed URI, the hard binding) and that c2pa.opened names
     * an ingredient assertion with relationship parentOf whose hash matches (else assertion.action.ingredientMismatch);
     * it does not follow a v3 ingredient's activeManifest (its ingredient check looks for the v1 label only), which
     * our validator does ({@code ingredient.manifest.validated}).
     */
    private static void assertC2paTsValid(String report) {
        assertTrue(report.contains("isValid true") && report.contains("claimSignature.validated")
                && report.contains("assertion.hashedURI.match self#jumbf=c2pa.assertions/c2pa.ingredient.v3")
                && !report.contains("FAIL"), report);
    }

    @Test
    void aC2paLabelOfAFileSignedByC2paTsContinuesItsManifestAsParent() throws Exception {
        for (String fixture : List.of("c2pa/signed.jpg", "c2pa/signed.png")) {
            byte[] in = Fixtures.bytes(fixture);
            LabelResult r = LABELER.label(in, fixture, SIGNED);
            JsonNode ingredient = checkContinues(in, r.bytes(), "c2pa.edited.metadata");
            assertEquals(fixture.endsWith("jpg") ? "image/jpeg" : "image/png", ingredient.path("dc:format").asText());
            JsonNode results = ingredient.path("validationResults").path("activeManifest");
            List<String> success = new ArrayList<>();
            results.path("success").forEach(c -> success.add(c.path("code").asText()));
            assertTrue(success.containsAll(List.of("claimSignature.validated", "assertion.dataHash.match")), results.toString());
            assertEquals("signingCredential.untrusted", results.path("failure").path(0).path("code").asText(),
                    "no trust anchor was given to the labeller: " + results);
            assertTrue(r.notes().stream().anyMatch(n -> n.contains("previous manifest is kept")), r.notes().toString());
            assertFalse(warnsOfBrokenManifest(r), r.notes().toString());
            assertC2paTsValid(c2paTs("continued" + fixture.substring(fixture.lastIndexOf('.')), r.bytes()));
        }
    }

    @Test
    void aTamperedParentIsKeptAndItsFailureRecorded() throws Exception {
        byte[] in = Fixtures.bytes("c2pa/tampered-pixels.jpg");
        JsonNode ingredient = checkContinues(in, LABELER.label(in, "t.jpg", SIGNED).bytes(), "c2pa.edited.metadata");
        JsonNode failure = ingredient.path("validationResults").path("activeManifest").path("failure");
        assertEquals("assertion.dataHash.mismatch", failure.path(0).path("code").asText(), failure.toString());
    }

    @Test
    void ourOwnWebpAndMp4ManifestsAreContinuedToo() throws Exception {
        for (String fixture : List.of("webp/lossy.webp", C2paBmffTest.MP4)) {
            byte[] first = LABELER.label(Fixtures.bytes(fixture), fixture, SIGNED).bytes();
            byte[] second = LABELER.label(first, fixture, PLAIN.withC2pa(C2paSignerTest.SIGNING)).bytes();
            checkContinues(first, second, "c2pa.edited.metadata");
            byte[] third = LABELER.label(second, fixture, SIGNED).bytes();
            assertEquals(3, manifests(store(third)).size(), fixture);
            checkContinues(second, third, "c2pa.edited.metadata");
            assertC2paTsValid(c2paTs("continued" + fixture.substring(fixture.lastIndexOf('.')), third));
        }
    }

    @Test
    void propagateWithC2paAddsThePlatformsManifestWithThePreviousAsParent() throws Exception {
        PropagateRequest platform = PropagateRequest.of("00" + "B".repeat(25), "platform-upload-77").withC2pa(C2paSignerTest.SIGNING);
        byte[] producer = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), "p.jpg", SIGNED).bytes();
        LabelResult r = LABELER.propagate(producer, "p.jpg", platform);
        checkContinues(producer, r.bytes(), "c2pa.published");
        JsonNode gb = assertion(store(r.bytes()), manifests(store(r.bytes())).get(1), C2paManifestBuilder.GB45438_LABEL);
        assertEquals("platform-upload-77", gb.path("PropagateID").asText());
        assertEquals("c2pa-parent-test-0001", gb.path("ProduceID").asText(), "the producer's fields are kept");
        assertC2paTsValid(c2paTs("propagated.jpg", r.bytes()));

        // a file without a manifest: the platform's manifest opens it as a parent of unknown provenance
        byte[] unsigned = LABELER.label(Fixtures.bytes("png/grey.png"), "u.png", PLAIN).bytes();
        byte[] out = LABELER.propagate(unsigned, "u.png", platform).bytes();
        List<C2paReader.Box> ms = manifests(store(out));
        assertEquals(1, ms.size());
        JsonNode ingredient = assertion(store(out), ms.get(0), "c2pa.ingredient.v3");
        assertEquals("parentOf", ingredient.path("relationship").asText());
        assertTrue(ingredient.path("activeManifest").isMissingNode(), ingredient.toString());
        assertEquals(C2paValidator.Status.VALID, validate(out).status());

        // without C2PA signing, propagate says that it broke the producer's manifest
        LabelResult plain = LABELER.propagate(producer, "p.jpg", PropagateRequest.of("00" + "B".repeat(25), "platform-upload-77"));
        assertTrue(warnsOfBrokenManifest(plain), plain.notes().toString());
    }

    @Test
    void aChangedByteInTheParentManifestMakesTheNewOneInvalid() throws Exception {
        byte[] in = Fixtures.bytes("c2pa/signed.jpg");
        byte[] out = LABELER.label(in, "s.jpg", SIGNED).bytes();
        // the parent's claim generator text sits in the store before the new manifest; the hard binding excludes the
        // store, so only the ingredient's activeManifest hash can catch the change
        String text = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
        int parentClaim = text.indexOf("c2pa.claim");
        assertTrue(parentClaim > 0 && parentClaim < text.lastIndexOf("c2pa.claim"), "two claims");
        int at = text.indexOf("instanceID", parentClaim) + "instanceID".length() + 8;
        byte[] bad = out.clone();
        bad[at] ^= 0x01;
        C2paValidator.Result r = validate(bad);
        assertEquals(C2paValidator.Status.INVALID, r.status());
        assertTrue(r.codes().contains("ingredient.manifest.mismatch"), r.codes() + " " + r.reason());
    }

    @Test
    void fromFilesAStreamedMp4LabelSaysItBrokeTheManifestAndAC2paLabelContinuesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path signed = Files.write(tmp.resolve("signed.mp4"),
                LABELER.label(Fixtures.bytes(C2paBmffTest.MP4), "v.mp4", SIGNED).bytes());
        java.nio.file.Path out = tmp.resolve("out.mp4");
        LabelRequest other = LabelRequest.produced("00" + "A".repeat(25), "c2pa-parent-test-0002"); // a new record
        LabelResult same = LABELER.label(signed, out, PLAIN); // the same record again: nothing changes, nothing to say
        assertFalse(warnsOfBrokenManifest(same), same.notes().toString());
        LabelResult plain = LABELER.label(signed, out, other); // metadata-only: streamed from disk
        assertTrue(warnsOfBrokenManifest(plain), plain.notes().toString());
        assertEquals(C2paValidator.Status.INVALID, C2paValidator.NO_ANCHORS.validate(store(Files.readAllBytes(out)),
                Files.readAllBytes(out)).status());
        LabelResult continued = LABELER.label(signed, out, SIGNED);
        assertFalse(warnsOfBrokenManifest(continued), continued.notes().toString());
        checkContinues(Files.readAllBytes(signed), Files.readAllBytes(out), "c2pa.edited.metadata");
        // in place: the input is read before it is overwritten, so the check still compares before and after
        LabelResult inPlace = LABELER.label(signed, signed, other);
        assertTrue(warnsOfBrokenManifest(inPlace), inPlace.notes().toString());
    }

    @Test
    void theAiDisclosureAssertionNamesTheModelFromTheRequest() throws Exception {
        C2paAiDisclosure model = new C2paAiDisclosure("c2pa.types.model.pytorch", "aigcmark-test-diffusion",
                "pkg:huggingface/example/test-diffusion@v1", "prompt_guided");
        byte[] out = LABELER.label(Fixtures.bytes("png/grey.png"), "g.png",
                PLAIN.withC2pa(C2paSignerTest.SIGNING.withAiDisclosure(model))).bytes();
        byte[] store = store(out);
        JsonNode d = assertion(store, manifests(store).get(0), C2paManifestBuilder.AI_DISCLOSURE_LABEL);
        assertEquals("c2pa.types.model.pytorch", d.path("modelType").asText());
        assertEquals("aigcmark-test-diffusion", d.path("modelName").asText());
        assertEquals("pkg:huggingface/example/test-diffusion@v1", d.path("modelIdentifier").asText());
        assertEquals("prompt_guided", d.path("contentProfile").path("humanOversightLevel").asText());
        assertEquals(C2paValidator.Status.VALID, validate(out).status());
        String ts = c2paTs("disclosed.png", out);
        assertTrue(ts.contains("isValid true") && ts.contains("assertion.hashedURI.match self#jumbf=c2pa.assertions/c2pa.ai-disclosure")
                && !ts.contains("FAIL"), ts);
        // the time-stamp authority setting keeps the disclosure, and a bad oversight level is refused
        assertEquals(model, C2paSignerTest.SIGNING.withAiDisclosure(model)
                .withTimeStampAuthority(java.net.URI.create("http://127.0.0.1:9/")).aiDisclosure().orElseThrow());
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, assertThrows(AigcmarkException.class,
                () -> new C2paAiDisclosure(null, "m", null, "sometimes")).reason());
        // without one, no such assertion
        byte[] plain = store(LABELER.label(Fixtures.bytes("png/grey.png"), "g.png", SIGNED).bytes());
        assertFalse(new String(plain, java.nio.charset.StandardCharsets.ISO_8859_1).contains("c2pa.ai-disclosure"));
    }

    @Test
    void aStoreWithoutAManifestCannotBeAParent() {
        byte[] in = Fixtures.bytes("c2pa/signed.png");
        byte[] store = store(in);
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> C2paManifestBuilder.forLabel(PLAIN.label()).withParent(Arrays.copyOf(store, 40), in, "image/png", false));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason(), "damaged input, exit 3");
    }
}
