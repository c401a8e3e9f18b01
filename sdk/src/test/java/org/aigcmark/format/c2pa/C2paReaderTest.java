package org.aigcmark.format.c2pa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.aigcmark.InspectReport;
import org.aigcmark.Labeler;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class C2paReaderTest {
    static byte[] box(String type, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int len = body.size() + 8;
        o.writeBytes(new byte[] {(byte) (len >> 24), (byte) (len >> 16), (byte) (len >> 8), (byte) len});
        o.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
        o.writeBytes(body.toByteArray());
        return o.toByteArray();
    }

    static byte[] superbox(String label, byte[]... content) {
        byte[] jumd = box("jumd", new byte[16], new byte[] {3}, (label + "\0").getBytes(StandardCharsets.UTF_8));
        byte[][] all = new byte[content.length + 1][];
        all[0] = jumd;
        System.arraycopy(content, 0, all, 1, content.length);
        return box("jumb", all);
    }

    static byte[] cbor(Object o) throws Exception {
        return new CBORMapper().writeValueAsBytes(o);
    }

    @Test
    void theLastManifestIsActiveAndItsClaimAndActionsAreRead() throws Exception {
        byte[] older = superbox("urn:uuid:old", superbox("c2pa.claim", box("cbor", cbor(Map.of("claim_generator", "Old/1.0")))));
        byte[] actions = superbox("c2pa.actions.v2", box("cbor", cbor(Map.of("actions", List.of(
                Map.of("action", "c2pa.created", "digitalSourceType", "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"))))));
        byte[] active = superbox("urn:uuid:new",
                superbox("c2pa.assertions", actions),
                superbox("c2pa.claim.v2", box("cbor", cbor(Map.of("claim_generator_info", List.of(Map.of("name", "Generator", "version", "2.1")))))),
                superbox("c2pa.signature", box("cbor", cbor(Map.of("sig", "x")))));
        C2paReader.Summary s = C2paReader.read(superbox("c2pa", older, active));
        assertEquals("urn:uuid:new", s.activeManifest());
        assertEquals(2, s.manifests());
        assertEquals("Generator 2.1", s.claimGenerator());
        assertEquals(List.of("c2pa.created"), s.actions());
        assertTrue(s.declaresAi());
        assertTrue(s.claimPresent() && s.signaturePresent());
        assertEquals(List.of(), s.problems());
    }

    @Test
    void hostileBoxesAreReportedNotThrown() {
        byte[] lying = box("jumb", new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF, 'j', 'u', 'm', 'd'});
        assertFalse(C2paReader.read(lying).problems().isEmpty());
        byte[] deep = superbox("c2pa");
        for (int i = 0; i < 40; i++) {
            deep = superbox("x" + i, deep);
        }
        assertTrue(C2paReader.read(deep).problems().stream().anyMatch(p -> p.contains("nested deeper")));
        assertFalse(C2paReader.read(new byte[0]).problems().isEmpty());
    }

    @Test
    void theFixtureManifestsDeclareAiAndAreUnsigned() {
        for (String f : List.of("labeled/c2pa-app11-jumbf.jpg", "labeled/c2pa-cabx.png")) {
            InspectReport r = Labeler.create().inspect(Fixtures.path(f), List.of());
            C2paReader.Summary s = r.c2paManifests().get(0);
            assertTrue(s.declaresAi(), f);
            assertFalse(s.signaturePresent());
            assertTrue(s.problems().contains("the active manifest has no claim signature"));
        }
    }
}
