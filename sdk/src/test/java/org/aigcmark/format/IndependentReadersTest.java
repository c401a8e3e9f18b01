package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.adobe.internal.xmp.XMPMeta;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.xmp.XmpDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What we write must read back in independent implementations: exiftool, metadata-extractor, OpenSSL. */
class IndependentReadersTest {
    static final Labeler LABELER = Labeler.create();
    static final AigcLabel LABEL = AigcLabel.produced("001191110102MACQD9K64010000", "indep-1");

    @ParameterizedTest
    @ValueSource(strings = {"jpeg/exif-icc-xmp.jpg", "jpeg/plain.jpg", "png/with-text.png", "png/rgba.png",
            "webp/lossy.webp", "webp/lossless.webp", "webp/alpha.webp", "webp/with-exif.webp"})
    void exiftoolReadsTheRecordAndFindsNoErrors(String fixture) throws Exception {
        byte[] out = LABELER.label(Fixtures.bytes(fixture), new LabelRequest(LABEL, null, null, null)).bytes();
        Path f = TestSupport.temp(Path.of(fixture).getFileName().toString(), out);
        String json = TestSupport.run("exiftool", "-j", "-G1", "-a", "-validate", "-warning", "-error",
                "-XMP-TC260:all", "-XMP-iptcExt:DigitalSourceType", f.toString());
        JsonNode n = new ObjectMapper().readTree(json).get(0);
        assertEquals(LABEL.toBareJson(), n.get("XMP-TC260:Aigc").asText(), json);
        assertEquals(Xmp.TRAINED_ALGORITHMIC_MEDIA, n.get("XMP-iptcExt:DigitalSourceType").asText(), json);
        String validate = n.has("ExifTool:Validate") ? n.get("ExifTool:Validate").asText() : "";
        String errors = n.has("ExifTool:Error") ? n.get("ExifTool:Error").asText() : "";
        assertEquals("", errors, json);
        // Anything exiftool warns about on ours it must also have warned about on the original.
        if (!validate.isEmpty() && !validate.startsWith("OK")) {
            Path orig = TestSupport.temp("orig-" + f.getFileName(), Fixtures.bytes(fixture));
            JsonNode o = new ObjectMapper().readTree(TestSupport.run("exiftool", "-j", "-G1", "-validate", orig.toString())).get(0);
            assertEquals(o.path("ExifTool:Validate").asText(), validate, json);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg/exif-icc-xmp.jpg", "png/with-text.png", "webp/with-exif.webp"})
    void metadataExtractorReadsTheRecord(String fixture) throws Exception {
        byte[] out = LABELER.label(Fixtures.bytes(fixture), new LabelRequest(LABEL, null, null, null)).bytes();
        Metadata md = ImageMetadataReader.readMetadata(new ByteArrayInputStream(out));
        XmpDirectory xmp = md.getFirstDirectoryOfType(XmpDirectory.class);
        XMPMeta meta = xmp.getXMPMeta();
        assertEquals(LABEL.toBareJson(), meta.getPropertyString(Xmp.TC260_NS, "AIGC"));
        assertEquals(Xmp.TRAINED_ALGORITHMIC_MEDIA, meta.getPropertyString(Xmp.IPTC_EXT_NS, "DigitalSourceType"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg/exif-icc-xmp.jpg", "png/rgb.png"})
    void openSslVerifiesOurSignatureFromTheDocumentedMessage(String fixture) throws Exception {
        LabelKeys.SigningKey key = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        byte[] out = LABELER.label(Fixtures.bytes(fixture), LabelRequest.produced("001191110102MACQD9K64010000", "ossl-1")
                .withSigningKey(key)).bytes();
        AigcLabel written = LABELER.inspect(out, fixture, java.util.List.of()).labels().get(0).label();
        String[] parts = written.reservedCode1().split("\\.");
        byte[] digest = java.util.Base64.getUrlDecoder().decode(parts[3]);
        byte[] sig = java.util.Base64.getUrlDecoder().decode(parts[4]);
        // Rebuild the message from docs/SIGNATURES.md by hand, not through the SDK.
        String msg = "aigcmark-label-signature/2\nfield=ReservedCode1\n\"Label\":\"1\",\"ContentProducer\":\"001191110102MACQD9K64010000\","
                + "\"ProduceID\":\"ossl-1\"\ncontent=SHA-256:" + HexFormat.of().formatHex(digest);
        Path m = TestSupport.temp("msg.txt", msg.getBytes(StandardCharsets.US_ASCII));
        Path s = m.resolveSibling("sig.bin");
        Files.write(s, sig);
        String r = TestSupport.run("openssl", "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey",
                Fixtures.path("keys/test-ed25519.pub").toString(), "-in", m.toString(), "-sigfile", s.toString());
        assertTrue(r.contains("Signature Verified Successfully"), r);
        // And the stated digest is the one over the content as documented (JPEG: non-APPn segments + scan).
        assertEquals(HexFormat.of().formatHex(digest), HexFormat.of().formatHex(
                LABELER.contentDigest(TestSupport.temp("o" + fixture.replace('/', '_'), out), "SHA-256")));
    }
}
