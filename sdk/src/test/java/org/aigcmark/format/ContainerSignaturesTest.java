package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Signed records in GIF, TIFF, AVI and FLV: the content and presentation digests are the same before and after the
 * label write (the signature verifies), and an edit of the coded data or of what changes its presentation breaks it.
 */
class ContainerSignaturesTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelKeys.SigningKey ED = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
    static final List<PublicKey> KEYS = List.of(LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub")));

    static byte[] signed(String fixture) {
        return LABELER.label(Fixtures.bytes(fixture), fixture, LabelRequest.produced("001191110102MACQD9K64010000", "sig-1")
                .withSigningKey(ED)).bytes();
    }

    static LabelSignatures.Status status(byte[] file, String name) {
        InspectReport r = LABELER.inspect(file, name, KEYS);
        assertEquals(1, r.labels().size(), name + ": " + r.problems());
        return r.labels().get(0).signature();
    }

    @ParameterizedTest
    @ValueSource(strings = {"containers/animated.gif", "labeled/xmp-element.gif", "containers/big-endian.tif", "containers/tiled.tif",
        "containers/bigtiff-xmp.tif", "containers/clip.avi", "containers/clip-icmt-record.avi", "containers/clip.flv",
        "containers/clip-keyframes.flv"})
    void aSignedRecordVerifiesAndAFlippedMediaByteBreaksIt(String fixture) {
        byte[] out = signed(fixture);
        assertEquals(LabelSignatures.Status.VALID, status(out, fixture));
        byte[] flipped = out.clone();
        int at = out.length - 300; // inside the last frame, strip, tile, packet or tag of each fixture
        if (fixture.endsWith(".avi")) {
            at = TestSupport.indexOf(out, "movi".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) + 200;
        } else if (fixture.endsWith(".tif")) {
            at = 200; // the first strip or tile: every writer puts image data first, IFDs after
        }
        flipped[at] ^= 0x01;
        assertEquals(LabelSignatures.Status.INVALID, status(flipped, fixture + " with a byte of its media flipped"));
    }

    @Test
    void exiftoolsRewriteOfATiffKeepsTheSignatureUnlessTheOrientationChanges() throws Exception {
        Path in = TestSupport.temp("signed.tif", signed("containers/big-endian.tif"));
        Path artist = in.resolveSibling("artist.tif");
        Path turned = in.resolveSibling("turned.tif");
        Files.deleteIfExists(artist);
        Files.deleteIfExists(turned);
        TestSupport.run("exiftool", "-q", "-Artist=someone", "-o", artist.toString(), in.toString());
        TestSupport.run("exiftool", "-q", "-n", "-Orientation=3", "-o", turned.toString(), in.toString());
        assertEquals(LabelSignatures.Status.VALID, status(Files.readAllBytes(artist), "artist.tif"));
        assertEquals(LabelSignatures.Status.INVALID, status(Files.readAllBytes(turned), "turned.tif"));
    }

    @Test
    void aChangedGifLoopCountBreaksTheSignature() {
        byte[] out = signed("containers/animated.gif");
        int loop = TestSupport.indexOf(out, "NETSCAPE2.0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) + 13;
        out[loop] = 3; // play three times instead of forever
        assertEquals(LabelSignatures.Status.INVALID, status(out, "loop.gif"));
    }
}
