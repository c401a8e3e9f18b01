package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code --c2pa-trust} on inspect and detect, with the c2pa-ts-signed fixtures and their test-only root CA. */
class C2paCliTest {
    private static final String ROOT = CliTest.f("c2pa/test-root-ca.pem");

    private static JsonNode validation(String... args) throws Exception {
        CliTest.Run r = CliTest.run(args);
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out()).path("c2pa").path("manifests").path(0).path("validation");
    }

    @Test
    void inspectValidatesAgainstTheGivenAnchor() throws Exception {
        String signed = CliTest.f("c2pa/signed.jpg");
        assertEquals("valid", validation("inspect", signed, "--json", "--c2pa-trust", ROOT).path("status").asText());
        assertEquals("untrusted", validation("inspect", signed, "--json").path("status").asText());
        JsonNode tampered = validation("inspect", CliTest.f("c2pa/tampered-pixels.png"), "--json", "--c2pa-trust", ROOT);
        assertEquals("invalid", tampered.path("status").asText());
        assertTrue(tampered.path("reason").asText().startsWith("binding:"));
    }

    @Test
    void detectReportsTheValidationInTheC2paEvidence() throws Exception {
        CliTest.Run r = CliTest.run("detect", CliTest.f("c2pa/signed.png"), "--json", "--no-ocr", "--c2pa-trust", ROOT);
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode report = root.isArray() ? root.get(0) : root;
        JsonNode c2pa = null;
        for (JsonNode e : report.path("evidence")) {
            if (e.path("kind").asText().equals("c2pa-manifest")) {
                c2pa = e;
            }
        }
        assertTrue(c2pa != null, r.out());
        assertEquals("valid", c2pa.path("details").path("validation").asText(), c2pa.toString());
        assertTrue(c2pa.path("details").path("signer").asText().contains("aigcmark TEST C2PA signer"), c2pa.toString());
    }

    @Test
    void aMissingTrustFileIsAnInputError() {
        CliTest.Run r = CliTest.run("inspect", CliTest.f("c2pa/signed.jpg"), "--c2pa-trust", "/nonexistent/ca.pem");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    }
}
