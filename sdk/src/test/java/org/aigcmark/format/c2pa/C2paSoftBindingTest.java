package org.aigcmark.format.c2pa;

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

    @Test
    void anEmbeddedWatermarkIsASoftBindingAndAWatermarkedBoundAction() throws Exception {
        LabelResult r = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), C2paSignerTest.REQUEST.withWatermark(KEY));
        String payload = r.watermarkPayload().orElseThrow();
        byte[] store = store(r.bytes());
        C2paReader.Summary s = C2paReader.read(store, r.bytes(), C2paSignerTest.TRUST_CA);
        assertEquals(C2paValidator.Status.VALID, s.validation().status(), s.validation().reason());
        assertEquals(List.of("c2pa.created", "c2pa.watermarked.bound"), s.actions());
        String text = new String(store, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("c2pa.soft-binding") && text.contains(C2paManifestBuilder.SOFT_BINDING_ALG)
                && text.contains(payload), "the soft binding names our algorithm and the payload " + payload);
        if (Files.isDirectory(C2paSignerTest.c2paTs().resolve("node_modules/@trustnxt/c2pa-ts"))) {
            String ok = TestSupport.run("node", C2paSignerTest.c2paTsScript().toString(), TestSupport.temp("wm.jpg", r.bytes()).toString());
            assertTrue(ok.contains("isValid true") && ok.contains("c2pa.soft-binding"), ok);
        }
    }

    @Test
    void aWatermarkAlreadyThereIsDeclaredWithoutTheInsertAction() {
        LabelRequest noC2pa = LabelRequest.produced("00" + "A".repeat(25), "c2pa-writer-test-0001").withWatermark(KEY);
        byte[] marked = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), noC2pa).bytes();
        LabelResult again = LABELER.label(marked, C2paSignerTest.REQUEST.withWatermark(KEY));
        assertTrue(again.existingWatermark().isPresent(), "the mark is found and kept");
        C2paReader.Summary s = C2paReader.read(store(again.bytes()), again.bytes(), C2paSignerTest.TRUST_CA);
        assertEquals(C2paValidator.Status.VALID, s.validation().status(), s.validation().reason());
        assertEquals(List.of("c2pa.created"), s.actions());
        assertTrue(new String(store(again.bytes()), StandardCharsets.ISO_8859_1).contains(again.existingWatermark().get()));
        // without a watermark, neither
        byte[] plain = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), C2paSignerTest.REQUEST).bytes();
        assertFalse(new String(store(plain), StandardCharsets.ISO_8859_1).contains("c2pa.soft-binding"));
    }
}
