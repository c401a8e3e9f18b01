package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aigcmark.LabelResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Re-encoding keeps what the user had: an output more than 10% larger than its input (a visible label changes only
 * a corner, so the pixels are nearly the same) carries a note saying by how much and why.
 */
class ReencodeSizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"png/rgb.png", "png/rgba.png", "png/rgb16.png", "png/palette.png", "png/with-text.png", "png/grey.png",
            "jpeg/plain.jpg", "jpeg/progressive.jpg", "jpeg/exif-icc-xmp.jpg", "jpeg/orientation6.jpg",
            "webp/lossy.webp", "webp/lossless.webp", "webp/alpha.webp", "webp/with-exif.webp"})
    void growthPastTenPercentIsNotedWithTheAmountAndTheReason(String fixture) {
        byte[] in = org.aigcmark.testdata.Fixtures.bytes(fixture);
        LabelResult r = ReencodeSupport.labelVisible(fixture);
        // The metadata record itself adds about 1.5 KB (XMP); the rule is about the pixel encoding, so compare with
        // the record's size taken off.
        int recordBytes = ReencodeSupport.LABELER.label(in, fixture,
                org.aigcmark.LabelRequest.produced("001191110102MACQD9K64010000", "reencode-1")).bytes().length - in.length;
        double ratio = (r.bytes().length - Math.max(0, recordBytes)) / (double) in.length;
        if (ratio > FormatHandlerGrowth.RATIO) {
            assertTrue(r.notes().stream().anyMatch(n -> n.contains("% larger than the input") && n.contains(": ")),
                    fixture + " grew " + Math.round((ratio - 1) * 100) + "% without a note: " + r.notes());
        }
    }

    /** The ratio the sdk promises (kept here so the test reads without the sdk's constant on old code). */
    static final class FormatHandlerGrowth {
        static final double RATIO = 1.10;
    }
}
