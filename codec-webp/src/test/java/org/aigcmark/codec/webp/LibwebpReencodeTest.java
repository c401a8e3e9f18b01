package org.aigcmark.codec.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.webp.Vp8Quality;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With libwebp on the class path a lossy WebP stays lossy at its own quality, keeps its alpha and metadata chunks,
 * and the same pixels stay within 10% of the input's size; checked with libwebp's own tools (webpinfo, dwebp) as the independent readers.
 */
class LibwebpReencodeTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest VISIBLE = LabelRequest.produced("001191110102MACQD9K64010000", "webp-1")
            .withVisible(VisibleLabelOptions.defaults());

    static LabelResult label(String fixture) {
        return LABELER.label(Fixtures.bytes(fixture), fixture, VISIBLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"webp/lossy.webp", "webp/alpha.webp", "webp/with-exif.webp", "labeled/xmp-element.webp"})
    void lossyStaysLossyAtTheInputsQualityAndSize(String fixture) throws Exception {
        byte[] in = Fixtures.bytes(fixture);
        LabelResult r = label(fixture);
        Path out = TestSupport.temp("out.webp", r.bytes());
        String info = TestSupport.run("webpinfo", out.toString());
        assertTrue(info.contains("Format: Lossy (1)") && !info.contains("Lossless"), info);
        assertTrue(info.contains("No error detected"), info);
        int qIn = Vp8Quality.estimate(in).orElseThrow();
        int qOut = Vp8Quality.estimate(r.bytes()).orElseThrow();
        assertTrue(Math.abs(qIn - qOut) <= 2, fixture + ": quality " + qIn + " -> " + qOut);
        assertTrue(r.notes().stream().noneMatch(n -> n.contains("lossless")), r.notes().toString());
        TestSupport.run("dwebp", out.toString(), "-ppm", "-o", out.resolveSibling("out.ppm").toString());
        assertTrue(Files.size(out.resolveSibling("out.ppm")) > 0);
    }

    /** The same pixels (decoded, re-encoded untouched): never more than 10% larger, so no size note either. */
    @ParameterizedTest
    @ValueSource(strings = {"webp/lossy.webp", "webp/alpha.webp", "webp/with-exif.webp", "labeled/xmp-element.webp", "webp/lossless.webp"})
    void samePixelsStayWithinTenPercentOfTheInput(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        FormatHandler.PixelCodec codec = FormatRegistry.defaults().handlerFor(MediaType.WEBP).orElseThrow().pixels().orElseThrow();
        FormatHandler.Encoded e = codec.encode(codec.decode(in, LABELER.limits()), in, LABELER.limits());
        assertTrue(e.bytes().length <= in.length * FormatHandler.Encoded.GROWTH_NOTE_RATIO,
                fixture + ": " + in.length + " -> " + e.bytes().length + " bytes " + e.notes());
        assertEquals(java.util.List.of(), e.notes());
    }

    @Test
    void alphaStaysInAnAlphChunkAndKeepsItsShape() throws Exception {
        LabelResult r = label("webp/alpha.webp");
        Path out = TestSupport.temp("out.webp", r.bytes());
        String info = TestSupport.run("webpinfo", out.toString());
        assertTrue(info.contains("Chunk VP8X") && info.contains("Chunk ALPH") && info.contains("Alpha: 1"), info);
        byte[] before = alphaPlane(Fixtures.path("webp/alpha.webp"));
        byte[] after = alphaPlane(out);
        assertEquals(before.length, after.length);
        int same = 0;
        for (int i = 0; i < before.length; i++) {
            if (Math.abs((before[i] & 0xFF) - (after[i] & 0xFF)) <= 2) {
                same++;
            }
        }
        // The visible label's plate is the only place the alpha may change (it is drawn over the image).
        assertTrue(same >= before.length * 0.95, "alpha kept at " + same + " of " + before.length + " pixels");
        long transparent = 0;
        for (byte a : after) {
            transparent += (a & 0xFF) == 0 ? 1 : 0;
        }
        assertTrue(transparent > after.length / 20, "the output lost its transparent area");
    }

    @Test
    void metadataChunksComeAlong() {
        LabelResult r = label("webp/with-exif.webp");
        String info = TestSupport.run("webpinfo", TestSupport.temp("out.webp", r.bytes()).toString());
        assertTrue(info.contains("Chunk EXIF") && info.contains("Chunk XMP"), info);
        String exif = TestSupport.run("exiftool", "-s3", "-Make", TestSupport.temp("out.webp", r.bytes()).toString());
        String exifIn = TestSupport.run("exiftool", "-s3", "-Make", Fixtures.path("webp/with-exif.webp").toString());
        assertFalse(exifIn.isBlank());
        assertEquals(exifIn, exif);
    }

    @Test
    void losslessStaysLosslessAndNoLarger() {
        byte[] in = Fixtures.bytes("webp/lossless.webp");
        LabelResult r = label("webp/lossless.webp");
        String info = TestSupport.run("webpinfo", TestSupport.temp("out.webp", r.bytes()).toString());
        assertTrue(info.contains("Format: Lossless (2)") && !info.contains("Format: Lossy"), info);
        assertTrue(r.bytes().length <= in.length * 1.10 + 2048, in.length + " -> " + r.bytes().length);
    }

    /** The alpha channel as dwebp (libwebp's reference decoder) reads it, from a PAM file. */
    static byte[] alphaPlane(Path webp) throws Exception {
        Path pam = Files.createTempDirectory("alpha").resolve("a.pam");
        TestSupport.run("dwebp", webp.toString(), "-pam", "-o", pam.toString());
        byte[] b = Files.readAllBytes(pam);
        String head = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
        int end = head.indexOf("ENDHDR\n") + "ENDHDR\n".length();
        int w = Integer.parseInt(head.replaceAll("(?s).*WIDTH (\\d+).*", "$1"));
        int h = Integer.parseInt(head.replaceAll("(?s).*HEIGHT (\\d+).*", "$1"));
        byte[] alpha = new byte[w * h];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = b[end + 4 * i + 3];
        }
        return alpha;
    }
}
