package org.aigcmark.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.zip.CRC32;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Edits that change what a viewer sees without touching the coded pixels or samples (issue 16's tamper campaign:
 * each was still "valid" under the version 1 content digest). A version 2 signature binds them: the label verifies,
 * the content digest does not. And a version 1 signature made before still verifies.
 */
class PresentationTamperTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelKeys.SigningKey ED = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
    static final List<PublicKey> KEYS = List.of(LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub")));

    static byte[] signedLabel(String fixture) {
        byte[] out = LABELER.label(Fixtures.bytes(fixture), LabelRequest.produced("001191110102MACQD9K64010000", "tamper-1")
                .withSigningKey(ED)).bytes();
        assertEquals(LabelSignatures.Status.VALID, signature(out, fixture).signature(), fixture + ": the untouched file verifies");
        return out;
    }

    static InspectReport.FoundLabel signature(byte[] file, String name) {
        InspectReport r = LABELER.inspect(file, name, KEYS);
        assertEquals(1, r.labels().size(), name + ": " + r.problems());
        return r.labels().get(0);
    }

    static void assertContentChanged(byte[] tampered, String what) {
        InspectReport.FoundLabel f = signature(tampered, what);
        assertEquals(LabelSignatures.Status.INVALID, f.signature(), what + ": " + f.signatures());
        assertTrue(f.signatures().get(0).detail().contains("content was changed"), f.signatures().toString());
    }

    @Test
    void exifOrientationTurnedTo180IsCaught() {
        byte[] signed = signedLabel("jpeg/exif-icc-xmp.jpg");
        Path in = TestSupport.temp("orient-in.jpg", signed);
        Path out = in.resolveSibling("orient-out.jpg");
        // An independent tool edits only the EXIF tag; the scan data and our XMP stay as they were.
        TestSupport.run("exiftool", "-q", "-n", "-Orientation=3", "-o", out.toString(), in.toString());
        assertContentChanged(read(out), "JPEG with EXIF Orientation 3");
    }

    @Test
    void jfifSwappedForAnAdobeTransformIsCaught() {
        byte[] signed = signedLabel("jpeg/plain.jpg");
        assertEquals(0xE0, signed[3] & 0xFF, "the fixture starts with a JFIF APP0");
        int app0End = 4 + ((signed[4] & 0xFF) << 8 | (signed[5] & 0xFF));
        // APP14 "Adobe", version 100, flags 0, 0, transform 0: decoders then read the YCbCr planes as RGB.
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.write(signed, 0, 2);
        t.writeBytes(adobe);
        t.write(signed, app0End, signed.length - app0End);
        assertContentChanged(t.toByteArray(), "JPEG with APP0 removed and Adobe APP14 added");
    }

    @Test
    void pngGammaChunkAddedIsCaught() {
        byte[] signed = signedLabel("png/rgb.png");
        byte[] t = withGamma(signed);
        assertContentChanged(t, "PNG with gAMA added");
        TestSupport.run("identify", TestSupport.temp("gama.png", t).toString()); // still a valid PNG
    }

    @Test
    void mp4TimescaleDoubledIsCaught() {
        byte[] signed = signedLabel("video/sample-360p-2s5.mp4");
        byte[] t = signed.clone();
        int mdhd = indexOf(t, "mdhd");
        int timescale = mdhd + 8 + 4 + (t[mdhd + 8] == 1 ? 16 : 8); // header, version+flags, two times
        putU32(t, timescale, u32(t, timescale) * 2); // plays at twice the speed
        assertContentChanged(t, "MP4 with the track timescale doubled");
    }

    @Test
    void mp4TrackMatrixRotatedIsCaught() {
        byte[] signed = signedLabel("video/sample-360p-2s5.mp4");
        byte[] t = signed.clone();
        int tkhd = indexOf(t, "tkhd");
        // header, version+flags, times/track id/reserved/duration, reserved/layer/group/volume/reserved
        int matrix = tkhd + 8 + 4 + (t[tkhd + 8] == 1 ? 32 : 20) + 16;
        assertEquals(0x00010000, u32(t, matrix), "identity matrix a = 1.0");
        putU32(t, matrix, 0xFFFF0000L);      // a = -1.0
        putU32(t, matrix + 16, 0xFFFF0000L); // d = -1.0: rotated 180°
        assertContentChanged(t, "MP4 with the track matrix rotated 180°");
    }

    @Test
    void matroskaTimestampScaleDoubledIsCaught() {
        byte[] signed = signedLabel("video-labeled/ffmpeg-simpletag.mkv");
        byte[] t = signed.clone();
        // TimestampScale (id 2A D7 B1), one size byte 0x83, the value 1000000 (0F 42 40) → 2000000: half the speed.
        int at = TestSupport.indexOf(t, new byte[] {0x2A, (byte) 0xD7, (byte) 0xB1, (byte) 0x83, 0x0F, 0x42, 0x40});
        assertTrue(at > 0, "the fixture states the default TimestampScale");
        t[at + 4] = 0x1E;
        t[at + 5] = (byte) 0x84;
        t[at + 6] = (byte) 0x80;
        assertContentChanged(t, "Matroska with TimestampScale doubled");
    }

    @Test
    void markdownFrontMatterTitleChangedIsCaught() {
        byte[] signed = signedLabel("docs/front-matter.md");
        String text = new String(signed, StandardCharsets.UTF_8);
        assertTrue(text.contains("title:"), "the fixture has a title");
        byte[] t = text.replaceFirst("title:[^\\n]*", "title: \"Something else entirely\"").getBytes(StandardCharsets.UTF_8);
        assertContentChanged(t, "Markdown with the front-matter title changed");
    }

    @Test
    void aVersion1SignatureStillVerifiesAndStillMissesWhatVersion1Missed() {
        byte[] plain = Fixtures.bytes("png/rgb.png");
        Path in = TestSupport.temp("v1.png", plain);
        byte[] v1Digest = LABELER.contentDigest(in, "SHA-256", 1);
        AigcLabel v1 = LabelSignatures.sign(AigcLabel.produced("001191110102MACQD9K64010000", "v1-record"),
                LabelSignatures.Field.RESERVED_CODE_1, ED, v1Digest, 1);
        assertTrue(v1.reservedCode1().startsWith("AM1."));
        byte[] out = LABELER.label(plain, new LabelRequest(v1, null, null, null)).bytes();
        assertEquals(LabelSignatures.Status.VALID, signature(out, "v1.png").signature());
        // Version 1's definition is what it was: it binds the pixels, not the gamma.
        assertEquals(LabelSignatures.Status.VALID, signature(withGamma(out), "v1-gama.png").signature());
        byte[] pixels = out.clone();
        int idat = indexOf(pixels, "IDAT");
        int len = (int) u32(pixels, idat);
        pixels[idat + 8 + len - 5] ^= 1; // a compressed byte near the end; the chunk's CRC fixed so it is no damage
        CRC32 crc = new CRC32();
        crc.update(pixels, idat + 4, 4 + len);
        putU32(pixels, idat + 8 + len, crc.getValue());
        assertEquals(LabelSignatures.Status.INVALID, signature(pixels, "v1-pixels.png").signature());
    }

    /** The PNG with a gAMA chunk of gamma 0.15 (a much darker picture) right after IHDR. */
    static byte[] withGamma(byte[] png) {
        int afterIhdr = 8 + 8 + 13 + 4;
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.write(png, 0, afterIhdr);
        t.writeBytes(chunk("gAMA", new byte[] {0, 0, 0x3A, (byte) 0x98}));
        t.write(png, afterIhdr, png.length - afterIhdr);
        return t.toByteArray();
    }

    static byte[] chunk(String type, byte[] data) {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        c.write(data.length >>> 24);
        c.write(data.length >>> 16);
        c.write(data.length >>> 8);
        c.write(data.length);
        c.writeBytes(t);
        c.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        long v = crc.getValue();
        c.write((int) (v >>> 24));
        c.write((int) (v >>> 16));
        c.write((int) (v >>> 8));
        c.write((int) v);
        return c.toByteArray();
    }

    /** The offset of a box's size field, found by its type. */
    static int indexOf(byte[] b, String type) {
        int at = TestSupport.indexOf(b, type.getBytes(StandardCharsets.US_ASCII));
        assertTrue(at >= 4, type + " present");
        return at - 4;
    }

    static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
    }

    static void putU32(byte[] b, int p, long v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
