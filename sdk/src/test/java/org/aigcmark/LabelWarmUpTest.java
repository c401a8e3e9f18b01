package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.Test;

/** {@link Labeler#warmUp()} only loads: what a labeller writes afterwards is what it wrote without it. */
class LabelWarmUpTest {
    @Test
    void warmUpLeavesLaterOutputsUnchanged() {
        byte[] in = Fixtures.bytes("jpeg/exif-icc-xmp.jpg");
        LabelRequest req = LabelRequest.produced("001191110102MACQD9K64010000", "warm-1")
                .withVisible(VisibleLabelOptions.defaults()).withWatermark(WatermarkKey.fromPassphrase("warm-up test"));
        byte[] cold = Labeler.create().label(in, "in.jpg", req).bytes();
        Labeler warmed = Labeler.create();
        warmed.warmUp();
        warmed.warmUp();
        assertArrayEquals(cold, warmed.label(in, "in.jpg", req).bytes());
        byte[] png = Fixtures.bytes("png/rgb.png");
        LabelRequest visibleOnly = LabelRequest.produced("001191110102MACQD9K64010000", "warm-2")
                .withVisible(VisibleLabelOptions.defaults());
        assertArrayEquals(Labeler.create().label(png, "in.png", visibleOnly).bytes(),
                warmed.label(png, "in.png", visibleOnly).bytes());
    }
}
