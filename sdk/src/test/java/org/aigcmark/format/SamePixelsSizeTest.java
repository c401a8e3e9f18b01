package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoding and re-encoding the same pixels (what a label does outside the watermark and the label's corner) stays
 * within 10% of the input, with no note; the lossy WebP without a lossy encoder is the one case that says why not.
 */
class SamePixelsSizeTest {

    static FormatHandler.Encoded reencode(byte[] in) {
        FormatHandler.PixelCodec codec = FormatRegistry.defaults().handlerFor(MediaType.sniff(in)).orElseThrow().pixels().orElseThrow();
        return codec.encode(codec.decode(in, ReencodeSupport.LABELER.limits()), in, ReencodeSupport.LABELER.limits());
    }

    /** Photos written by ImageMagick (libjpeg, optimised Huffman tables) at quality 92; the four that grew most before. */
    @ParameterizedTest
    @ValueSource(strings = {"photos/04-dark-fog-lake.jpg", "photos/14-evening-boats-lake.jpg", "photos/26-ladybird-forget-me-not.jpg",
            "photos/30-facade-monochrome.jpg", "jpeg/plain.jpg", "jpeg/progressive.jpg", "jpeg/exif-icc-xmp.jpg",
            "png/rgb.png", "png/rgba.png", "png/rgb16.png", "png/palette.png", "png/palette16.png", "png/grey.png", "png/with-text.png"})
    void samePixelsStayWithinTenPercentWithoutANote(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        FormatHandler.Encoded e = reencode(in);
        assertTrue(e.bytes().length <= in.length * FormatHandler.Encoded.GROWTH_NOTE_RATIO,
                fixture + ": " + in.length + " -> " + e.bytes().length + " " + e.notes());
        assertEquals(List.of(), e.notes(), fixture);
    }

    @Test
    void lossyWebpWithoutALossyEncoderSaysHowMuchLargerAndWhy() {
        byte[] in = Fixtures.bytes("webp/lossy.webp");
        FormatHandler.Encoded e = reencode(in);
        assertTrue(e.bytes().length > in.length * 2, "lossless of a lossy photo: " + in.length + " -> " + e.bytes().length);
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("no lossy WebP encoder")), e.notes().toString());
        long percent = Math.round(100.0 * (e.bytes().length - in.length) / in.length);
        assertTrue(e.notes().stream().anyMatch(n -> n.contains(percent + "% larger than the input") && n.contains("lossless")), e.notes().toString());
    }

    /** The sdk's own VP8L encoder (no libwebp here) is about 12% above cwebp's lossless: said, with the remedy. */
    @Test
    void losslessWebpWithTheSdksOwnEncoderSaysWhyItIsLarger() {
        byte[] in = Fixtures.bytes("webp/lossless.webp");
        FormatHandler.Encoded e = reencode(in);
        if (e.bytes().length > in.length * FormatHandler.Encoded.GROWTH_NOTE_RATIO) {
            assertTrue(e.notes().stream().anyMatch(n -> n.contains("larger than the input") && n.contains("aigcmark-codec-webp")), e.notes().toString());
        }
    }

    @Test
    void paletteStaysAPaletteWhenThePixelsAreTheSame() {
        FormatHandler.Encoded e = reencode(Fixtures.bytes("png/palette.png"));
        java.nio.file.Path out = org.aigcmark.TestSupport.temp("same.png", e.bytes());
        assertEquals("3 8", ReencodeSupport.pngIhdr(out));
        // Every pixel identical, as ImageMagick reads both files.
        String ae = org.aigcmark.TestSupport.run("compare", "-metric", "AE", Fixtures.path("png/palette.png").toString(), out.toString(), "null:");
        assertEquals("0", ae.trim());
    }
}
