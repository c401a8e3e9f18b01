package org.aigcmark.format.png;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.LabelResult;
import org.aigcmark.TestSupport;
import org.aigcmark.format.ReencodeSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A re-encoded PNG keeps its colour type and bit depth, and compresses as well as ImageMagick's best. */
class PngReencodeTest {

    @ParameterizedTest
    @ValueSource(strings = {"png/rgb.png", "png/rgba.png", "png/rgb16.png", "png/with-text.png", "png/grey.png"})
    void colourTypeAndBitDepthSurviveAVisibleLabel(String fixture) {
        String before = ReencodeSupport.pngIhdr(Fixtures.path(fixture));
        LabelResult r = ReencodeSupport.labelVisible(fixture);
        assertEquals(before, ReencodeSupport.pngIhdr(ReencodeSupport.written("out.png", r)), fixture + " (colour type, bit depth)");
    }

    @Test
    void aFullPaletteThatCannotHoldTheLabelBecomesTrueColourAndSaysSo() {
        assertEquals("3 8", ReencodeSupport.pngIhdr(Fixtures.path("png/palette.png")));
        LabelResult r = ReencodeSupport.labelVisible("png/palette.png");
        String after = ReencodeSupport.pngIhdr(ReencodeSupport.written("out.png", r));
        if (!after.equals("3 8")) {
            assertTrue(ReencodeSupport.hasNote(r, "palette"), "palette PNG written as colour type " + after + " without a note: " + r.notes());
        }
    }

    /** A 16-colour palette has room: the label's colours take free entries, and every other pixel keeps its colour. */
    @Test
    void aPaletteWithFreeEntriesStaysAPalette() {
        LabelResult r = ReencodeSupport.labelVisible("png/palette16.png");
        Path out = ReencodeSupport.written("out.png", r);
        assertEquals("3 8", ReencodeSupport.pngIhdr(out));
        assertTrue(r.notes().stream().noneMatch(n -> n.contains("palette")), r.notes().toString());
        String ae = TestSupport.run("compare", "-metric", "AE", Fixtures.path("png/palette16.png").toString(), out.toString(), "null:").trim();
        double changed = Double.parseDouble(ae.split("\\s+")[0]);
        assertTrue(changed > 0 && changed < 400 * 300 * 0.15, "pixels changed: " + ae);
    }

    /** 16-bit samples are written from the raster: outside the label's corner every pixel keeps all 16 bits. */
    @Test
    void sixteenBitPixelsOutsideTheLabelKeepTheirLowBytes() {
        LabelResult r = ReencodeSupport.labelVisible("png/rgb16.png");
        Path out = ReencodeSupport.written("out16.png", r);
        // ImageMagick Q16 compares at 16 bits: the count of pixels that differ at all.
        String ae = TestSupport.run("compare", "-metric", "AE", Fixtures.path("png/rgb16.png").toString(), out.toString(), "null:").trim();
        double changed = Double.parseDouble(ae.split("\\s+")[0]);
        assertTrue(changed > 0 && changed < 256 * 160 * 0.15, "pixels changed: " + ae);
    }

    /** ImageMagick at its strongest PNG setting (-quality 95: zlib 9, adaptive filters) on the very same pixels. */
    @ParameterizedTest
    @ValueSource(strings = {"png/rgb.png", "png/rgba.png", "png/rgb16.png", "png/with-text.png", "png/grey.png", "png/palette.png"})
    void compressesWithinTwoPercentOfImageMagick(String fixture) throws Exception {
        LabelResult r = ReencodeSupport.labelVisible(fixture);
        Path ours = ReencodeSupport.written("ours.png", r);
        Path im = ours.resolveSibling("im.png");
        // Same colour type and depth as ours, so the comparison is about compression alone.
        String[] ihdr = ReencodeSupport.pngIhdr(ours).split(" ");
        TestSupport.run("convert", ours.toString(), "-quality", "95", "-define", "png:color-type=" + ihdr[0],
                "-define", "png:bit-depth=" + ihdr[1], im.toString());
        long imSize = Files.size(im);
        assertTrue(Files.size(ours) <= imSize * 1.02, fixture + ": ours " + Files.size(ours) + " bytes, ImageMagick " + imSize);
    }
}
