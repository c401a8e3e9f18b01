package org.aigcmark.format.c2pa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * When the labelling embeds our watermark, the manifest says so: a {@code c2pa.soft-binding} assertion with the
 * watermark's payload and the {@code c2pa.watermarked.bound} action; a mark found already there is declared by the
 * soft binding only (it was not inserted by this manifest's actions).
 */
class C2paSoftBindingTest {
    private static final Labeler LABELER = Labeler.create();
    private static final WatermarkKey KEY = WatermarkKey.fromPassphrase("c2pa soft binding");

    private static byte[] store(byte[] file) {
        return LABELER.handlerFor(file, "x.jpg").scan(file, LABELER.limits()).c2paStores().get(0);
    }

    /** The soft-binding assertion's CBOR content in the store's (last) manifest. */
    static com.fasterxml.jackson.databind.JsonNode softBinding(byte[] store) throws Exception {
        List<C2paReader.Box> top = C2paReader.boxes(store, 0, store.length, 0, new int[] {0}, new java.util.ArrayList<>());
        List<C2paReader.Box> manifests = top.get(0).children().stream().filter(b -> b.type().equals("jumb")).toList();
        C2paReader.Box assertions = manifests.get(manifests.size() - 1).children().stream()
                .filter(b -> "c2pa.assertions".equals(b.label())).findFirst().orElseThrow();
        C2paReader.Box sb = assertions.children().stream().filter(b -> "c2pa.soft-binding".equals(b.label())).findFirst().orElseThrow();
        C2paReader.Box content = C2paReader.content(sb);
        return new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper()
                .readTree(java.util.Arrays.copyOfRange(store, content.start(), content.end()));
    }

    @Test
    void anEmbeddedWatermarkIsASoftBindingAndAWatermarkedBoundAction() throws Exception {
        LabelResult r = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), C2paSignerTest.REQUEST.withWatermark(KEY));
        String payload = r.watermarkPayload().orElseThrow();
        byte[] store = store(r.bytes());
        C2paReader.Summary s = C2paReader.read(store, r.bytes(), C2paSignerTest.TRUST_CA);
        assertEquals(C2paValidator.Status.VALID, s.validation().status(), s.validation().reason());
        assertEquals(List.of("c2pa.created", "c2pa.watermarked.bound"), s.actions());
        String text = new String(store, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("c2pa.soft-binding") && text.contains(C2paManifestBuilder.SOFT_BINDING_ALG),
                "the soft binding names our algorithm");
        // C2PA 2.4 18.10.2: soft-binding-block-map "value" is a bstr (the payload's 8 bytes), scope a map
        com.fasterxml.jackson.databind.JsonNode block = softBinding(store).path("blocks").path(0);
        assertTrue(block.path("value").isBinary(), block.toString());
        assertArrayEquals(java.util.HexFormat.of().parseHex(payload), block.path("value").binaryValue());
        assertTrue(block.path("scope").isObject(), block.toString());
        if (Files.isDirectory(C2paSignerTest.c2paTs().resolve("node_modules/@trustnxt/c2pa-ts"))) {
            String ok = TestSupport.run("node", C2paSignerTest.c2paTsScript().toString(), TestSupport.temp("wm.jpg", r.bytes()).toString());
            assertTrue(ok.contains("isValid true") && ok.contains("c2pa.soft-binding"), ok);
        }
    }

    @Test
    void aWatermarkAlreadyThereIsDeclaredWithoutTheInsertAction() throws Exception {
        LabelRequest noC2pa = LabelRequest.produced("00" + "A".repeat(25), "c2pa-writer-test-0001").withWatermark(KEY);
        byte[] marked = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), noC2pa).bytes();
        LabelResult again = LABELER.label(marked, C2paSignerTest.REQUEST.withWatermark(KEY));
        assertTrue(again.existingWatermark().isPresent(), "the mark is found and kept");
        C2paReader.Summary s = C2paReader.read(store(again.bytes()), again.bytes(), C2paSignerTest.TRUST_CA);
        assertEquals(C2paValidator.Status.VALID, s.validation().status(), s.validation().reason());
        assertEquals(List.of("c2pa.created"), s.actions());
        assertArrayEquals(java.util.HexFormat.of().parseHex(again.existingWatermark().get()),
                softBinding(store(again.bytes())).path("blocks").path(0).path("value").binaryValue());
        // without a watermark, neither
        byte[] plain = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), C2paSignerTest.REQUEST).bytes();
        assertFalse(new String(store(plain), StandardCharsets.ISO_8859_1).contains("c2pa.soft-binding"));
    }
}
