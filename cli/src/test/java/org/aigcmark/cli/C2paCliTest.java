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
    void keygenThenLabelWritesAManifestTheTestCaValidates(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String p = dir.resolve("p").toString();
        CliTest.Run k = CliTest.run("keygen", "--alg", "c2pa", "-o", p);
        assertEquals(0, k.code(), k.err());
        var signer = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(java.nio.file.Files.newInputStream(dir.resolve("p.pem")));
        assertTrue(signer.getKeyUsage()[0], "digitalSignature");
        assertTrue(signer.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.4"), "emailProtection");
        assertEquals(-1, signer.getBasicConstraints(), "not a CA");
        assertEquals(ExitCodes.OUTPUT_NOT_WRITABLE, CliTest.run("keygen", "--alg", "c2pa", "-o", p).code(), "never replaced");

        String out = dir.resolve("out.jpg").toString();
        CliTest.Run l = CliTest.run("label", CliTest.f("jpeg/plain.jpg"), "-o", out, "--producer", "00" + "B".repeat(25),
                "--produce-id", "cli-c2pa-1", "--c2pa", "--c2pa-cert", p + ".pem", "--c2pa-key", p + ".key");
        assertEquals(0, l.code(), l.err());
        assertTrue(l.out().contains("C2PA manifest urn:c2pa:"), l.out());
        JsonNode v = validation("inspect", out, "--json", "--c2pa-trust", p + "-ca.pem");
        assertEquals("valid", v.path("status").asText(), v.toString());

        CliTest.Run noKey = CliTest.run("label", CliTest.f("jpeg/plain.jpg"), "-o", dir.resolve("x.jpg").toString(),
                "--producer", "00" + "B".repeat(25), "--produce-id", "x", "--c2pa", "--c2pa-cert", p + ".pem");
        assertEquals(ExitCodes.USAGE, noKey.code(), noKey.err());
        CliTest.Run tsaAlone = CliTest.run("label", CliTest.f("jpeg/plain.jpg"), "-o", dir.resolve("t.jpg").toString(),
                "--producer", "00" + "B".repeat(25), "--produce-id", "x", "--c2pa-tsa", "http://127.0.0.1:9/");
        assertEquals(ExitCodes.USAGE, tsaAlone.code(), "--c2pa-tsa without --c2pa");
        String webpOut = dir.resolve("x.webp").toString();
        CliTest.Run webp = CliTest.run("label", CliTest.f("webp/lossy.webp"), "-o", webpOut,
                "--producer", "00" + "B".repeat(25), "--produce-id", "x", "--c2pa", "--c2pa-cert", p + ".pem", "--c2pa-key", p + ".key");
        assertEquals(0, webp.code(), webp.err());
        assertEquals("valid", validation("inspect", webpOut, "--json", "--c2pa-trust", p + "-ca.pem").path("status").asText());
        String mp4Out = dir.resolve("x.mp4").toString();
        CliTest.Run mp4 = CliTest.run("label", CliTest.f("video/sample-360p-2s5.mp4"), "-o", mp4Out,
                "--producer", "00" + "B".repeat(25), "--produce-id", "x", "--c2pa", "--c2pa-cert", p + ".pem", "--c2pa-key", p + ".key");
        assertEquals(0, mp4.code(), mp4.err());
        assertEquals("valid", validation("inspect", mp4Out, "--json", "--c2pa-trust", p + "-ca.pem").path("status").asText());
        CliTest.Run md = CliTest.run("label", CliTest.f("docs/front-matter.md"), "-o", dir.resolve("x.md").toString(),
                "--producer", "00" + "B".repeat(25), "--produce-id", "x", "--c2pa", "--c2pa-cert", p + ".pem", "--c2pa-key", p + ".key");
        assertEquals(ExitCodes.BAD_INPUT, md.code(), md.err());
        assertTrue(md.err().contains("JPEG, PNG, WebP and MP4/MOV only"), md.err());
    }

    @Test
    void keygenWithAnEd25519SignerKeyWritesEdDsaManifests(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String p = dir.resolve("ed").toString();
        CliTest.Run k = CliTest.run("keygen", "--alg", "c2pa", "--key-alg", "ed25519", "-o", p);
        assertEquals(0, k.code(), k.err());
        assertTrue(k.out().contains("Ed25519"), k.out());
        var signer = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(java.nio.file.Files.newInputStream(dir.resolve("ed.pem")));
        assertEquals("Ed25519", ((java.security.interfaces.EdECPublicKey) signer.getPublicKey()).getParams().getName());
        String out = dir.resolve("out.png").toString();
        CliTest.Run l = CliTest.run("label", CliTest.f("png/grey.png"), "-o", out, "--producer", "00" + "B".repeat(25),
                "--produce-id", "cli-c2pa-ed", "--c2pa", "--c2pa-cert", p + ".pem", "--c2pa-key", p + ".key");
        assertEquals(0, l.code(), l.err());
        JsonNode v = validation("inspect", out, "--json", "--c2pa-trust", p + "-ca.pem");
        assertEquals("valid", v.path("status").asText(), v.toString());
        assertEquals("EdDSA", v.path("algorithm").asText(), v.toString());
        assertEquals(ExitCodes.USAGE, CliTest.run("keygen", "--alg", "ed25519", "--key-alg", "ed25519", "-o",
                dir.resolve("x").toString()).code(), "--key-alg is for --alg c2pa only");
    }

    @Test
    void labellingASignedFileWarnsWithoutC2paAndContinuesItsManifestWithIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String p = dir.resolve("p").toString();
        assertEquals(0, CliTest.run("keygen", "--alg", "c2pa", "-o", p).code());
        String plainOut = dir.resolve("plain.jpg").toString();
        CliTest.Run plain = CliTest.run("label", CliTest.f("c2pa/signed.jpg"), "-o", plainOut, "--producer",
                "00" + "B".repeat(25), "--produce-id", "cli-c2pa-parent");
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().contains("note: warning: the file's C2PA manifest will no longer validate")
                && plain.out().contains("--c2pa"), plain.out());
        assertEquals("invalid", validation("inspect", plainOut, "--json").path("status").asText());

        String signedOut = dir.resolve("signed.jpg").toString();
        CliTest.Run signed = CliTest.run("label", CliTest.f("c2pa/signed.jpg"), "-o", signedOut, "--producer",
                "00" + "B".repeat(25), "--produce-id", "cli-c2pa-parent", "--c2pa", "--c2pa-cert", p + ".pem", "--c2pa-key", p + ".key");
        assertEquals(0, signed.code(), signed.err());
        assertTrue(signed.out().contains("previous manifest is kept") && !signed.out().contains("warning:"), signed.out());
        JsonNode report = new ObjectMapper().readTree(CliTest.run("inspect", signedOut, "--json", "--c2pa-trust",
                p + "-ca.pem").out()).path("c2pa").path("manifests").path(0);
        assertEquals("valid", report.path("validation").path("status").asText(), report.toString());
        assertEquals(2, report.path("manifestCount").asInt(), report.toString());

        String propagated = dir.resolve("propagated.jpg").toString();
        CliTest.Run prop = CliTest.run("propagate", signedOut, "-o", propagated, "--propagator", "00" + "C".repeat(25),
                "--propagate-id", "upload-9", "--c2pa", "--c2pa-cert", p + ".pem", "--c2pa-key", p + ".key");
        assertEquals(0, prop.code(), prop.err());
        report = new ObjectMapper().readTree(CliTest.run("inspect", propagated, "--json", "--c2pa-trust",
                p + "-ca.pem").out()).path("c2pa").path("manifests").path(0);
        assertEquals("valid", report.path("validation").path("status").asText(), report.toString());
        assertEquals(3, report.path("manifestCount").asInt(), report.toString());
        assertTrue(report.toString().contains("c2pa.published"), report.toString());
        assertEquals(ExitCodes.USAGE, CliTest.run("propagate", signedOut, "-o", dir.resolve("x.jpg").toString(),
                "--propagator", "00" + "C".repeat(25), "--propagate-id", "u", "--c2pa").code(), "--c2pa without a key");

        String disclosed = dir.resolve("disclosed.png").toString();
        CliTest.Run ai = CliTest.run("label", CliTest.f("png/grey.png"), "-o", disclosed, "--producer", "00" + "B".repeat(25),
                "--produce-id", "cli-ai", "--c2pa", "--c2pa-cert", p + ".pem", "--c2pa-key", p + ".key",
                "--c2pa-model", "test-model", "--c2pa-model-id", "urn:example:test-model:1", "--c2pa-oversight", "fully_autonomous");
        assertEquals(0, ai.code(), ai.err());
        String bytes = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(disclosed)),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(bytes.contains("c2pa.ai-disclosure") && bytes.contains("urn:example:test-model:1")
                && bytes.contains("fully_autonomous"), "the disclosure assertion with the model");
        assertEquals(ExitCodes.USAGE, CliTest.run("label", CliTest.f("png/grey.png"), "-o", dir.resolve("y.png").toString(),
                "--producer", "00" + "B".repeat(25), "--produce-id", "x", "--c2pa-model", "m").code(), "--c2pa-model without --c2pa");
    }

    @Test
    void detectReportsTheRecordAndTheWatermarkAgreeingWithTheManifest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String p = dir.resolve("p").toString();
        String wm = dir.resolve("wm").toString();
        assertEquals(0, CliTest.run("keygen", "--alg", "c2pa", "-o", p).code());
        assertEquals(0, CliTest.run("keygen", "--alg", "watermark", "-o", wm).code());
        String out = dir.resolve("both.jpg").toString();
        CliTest.Run l = CliTest.run("label", CliTest.f("jpeg/plain.jpg"), "-o", out, "--producer", "00" + "B".repeat(25),
                "--produce-id", "cli-both-1", "--watermark", "--key", wm + ".key",
                "--c2pa", "--c2pa-cert", p + ".pem", "--c2pa-key", p + ".key");
        assertEquals(0, l.code(), l.err());
        CliTest.Run d = CliTest.run("detect", out, "--json", "--key", wm + ".key", "--c2pa-trust", p + "-ca.pem");
        JsonNode n = new ObjectMapper().readTree(d.out());
        JsonNode m = n.path("c2pa").path("manifests").path(0);
        assertEquals("valid", m.path("validation").path("status").asText(), m.toString());
        assertEquals("cli-both-1", m.path("gb45438").path("ProduceID").asText(), m.toString());
        assertEquals(n.path("watermark").path("payload").asText(), m.path("softBindings").path(0).asText(), n.toString());
        assertEquals("agree", m.path("agreement").path("record").asText(), m.toString());
        assertEquals("agree", m.path("agreement").path("softBinding").asText(), m.toString());
        String text = CliTest.run("detect", out, "--key", wm + ".key").out();
        assertTrue(text.contains("GB 45438 record and manifest: agree") && text.contains("soft binding and decoded watermark: match"), text);
        // inspect decodes no watermark: the soft binding is not compared
        JsonNode i = new ObjectMapper().readTree(CliTest.run("inspect", out, "--json").out()).path("c2pa").path("manifests").path(0);
        assertEquals("not-applicable", i.path("agreement").path("softBinding").asText(), i.toString());
    }

    @Test
    void aMissingTrustFileIsAnInputError() {
        CliTest.Run r = CliTest.run("inspect", CliTest.f("c2pa/signed.jpg"), "--c2pa-trust", "/nonexistent/ca.pem");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    }
}
