package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.aigcmark.key.WatermarkKey;
import org.junit.jupiter.api.Test;

/**
 * The false-positive bound counts a payload-only decode attempt as made with probability at most
 * 8 orientations x 64^2 shifts x Q(6): that needs its z to be N(0,1) per shift on unmarked images. On real photos the
 * maximum over those 32 768 tests must then sit near 4.1 and essentially never reach the gate of 6.
 */
class DecoderStatisticsTest {
    @Test
    void payloadOnlyStatisticOnUnmarkedCropsBehavesLikeTheMaximumOfNormals() {
        KeyedTile tile = new KeyedTile(WatermarkKey.fromPassphrase("statistics test key"));
        List<Path> photos = TestImages.photos();
        Random r = new Random(11);
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (Path p : photos) {
            BufferedImage img = TestImages.photo(p);
            int w = img.getWidth();
            int h = img.getHeight();
            int[] px = img.getRGB(0, 0, w, h, null, 0, w);
            for (int k = 0; k < 3; k++) {
                int cw = 256 + r.nextInt(w - 256);
                int ch = 256 + r.nextInt(h - 256);
                int x0 = r.nextInt(w - cw + 1);
                int y0 = r.nextInt(h - ch + 1);
                WorkingImage wk = WorkingImage.build(cw, ch, (y, out) -> {
                    for (int x = 0; x < cw; x++) {
                        int v = px[(y0 + y) * w + x0 + x];
                        out[x] = 0.299f * ((v >> 16) & 255) + 0.587f * ((v >> 8) & 255) + 0.114f * (v & 255);
                    }
                }, new float[cw]);
                double period = KeyedTile.period(Math.min(cw, ch)) * wk.scale;
                Decoder.Result res = new Decoder(tile, wk.whitened(), wk.w, wk.h, true)
                        .tryWithoutReference(new double[] {period, 0, 0, period});
                assertFalse(res.decoded(), "unmarked crop decoded a payload");
                sum += res.z();
                max = Math.max(max, res.z());
                n++;
            }
        }
        double mean = sum / n;
        assertTrue(max < 6, "payload-only z reached the decode gate on an unmarked crop: " + max);
        assertTrue(mean > 3.6 && mean < 4.7, "mean of the per-crop maxima " + mean + " (expected about 4.1)");
    }
}
