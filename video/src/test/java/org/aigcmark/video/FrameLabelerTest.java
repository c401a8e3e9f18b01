package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.aigcmark.AigcmarkException;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.visible.VisibleLabelOptions;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkDetection;
import org.aigcmark.watermark.WatermarkPayload;
import org.junit.jupiter.api.Test;

/** The in-memory API: frames labelled as a generator produces them. */
class FrameLabelerTest {
    static final int W = 640;
    static final int H = 360;

    private static byte[][] frame(long seed) {
        Random r = new Random(seed);
        byte[] y = new byte[W * H];
        // smooth gradient + noise: texture for the watermark's mask, like real content
        for (int i = 0; i < y.length; i++) {
            int x = i % W;
            int row = i / W;
            y[i] = (byte) Math.min(235, Math.max(16, 60 + (x + row) / 8 + r.nextInt(40)));
        }
        byte[] u = new byte[W * H / 4];
        byte[] v = new byte[W * H / 4];
        java.util.Arrays.fill(u, (byte) 100);
        java.util.Arrays.fill(v, (byte) 150);
        return new byte[][] {y, u, v};
    }

    @Test
    void visibleLabelOnlyInsideTheStartWindowAndAtLeastFivePercentHigh() {
        FrameLabeler fl = FrameLabeler.builder(W, H).visible(VisibleLabelOptions.defaults()).visibleSeconds(2.0).build();
        byte[][] f = frame(1);
        byte[] before = f[0].clone();
        assertTrue(fl.label(f[0], W, f[1], f[2], W / 2, 1.96));
        Rectangle box = fl.overlay().box();
        int changed = 0;
        for (int i = 0; i < before.length; i++) {
            if (before[i] != f[0][i]) {
                changed++;
                assertTrue(box.contains(i % W, i / W), "only the label box changes without a watermark");
            }
        }
        assertTrue(changed > box.width * box.height / 2, "the plate darkens most of the box");
        assertTrue(f[1][(box.y / 2 + box.height / 4) * (W / 2) + box.x / 2 + box.width / 4] != 100, "chroma pulled to neutral");
        assertTrue(fl.placement().orElseThrow().heightRatio() >= 0.05);

        byte[][] late = frame(2);
        byte[] lateY = late[0].clone();
        assertFalse(fl.label(late[0], W, late[1], late[2], W / 2, 2.0));
        assertArrayEquals(lateY, late[0], "no label from 2.0 s on");
    }

    @Test
    void wholeVideoOptionKeepsTheLabel() {
        FrameLabeler fl = FrameLabeler.builder(W, H).visible(VisibleLabelOptions.defaults())
                .visibleSeconds(Double.POSITIVE_INFINITY).build();
        byte[][] f = frame(3);
        assertTrue(fl.label(f[0], W, f[1], f[2], W / 2, 3600));
        assertThrows(AigcmarkException.class, () -> FrameLabeler.builder(W, H).visibleSeconds(1.5));
    }

    @Test
    void watermarkedFramesDecodeToTheBoundPayload() {
        WatermarkKey key = WatermarkKey.fromPassphrase("frames");
        WatermarkPayload p = WatermarkPayload.fromLabel(key, "00119144030008867405X210002", "gen-1");
        FrameLabeler fl = FrameLabeler.builder(W, H).visible(VisibleLabelOptions.defaults()).watermark(key, p).build();
        byte[][] f = frame(4);
        fl.label(f[0], W, f[1], f[2], W / 2, 0.0);
        WatermarkDetection d = ImageWatermarker.create(key).detectLuma(f[0], W, H, W);
        assertTrue(d.detected(), d.toString());
        assertEquals(p, d.payload().orElseThrow());
    }

    @Test
    void overlayBlendingAllocatesNothingPerFrame() {
        FrameLabeler fl = FrameLabeler.builder(W, H).visible(VisibleLabelOptions.defaults()).build();
        byte[][] f = frame(5);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        for (int i = 0; i < 200; i++) { // warm up (JIT)
            fl.label(f[0], W, f[1], f[2], W / 2, 0.5);
        }
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100; i++) {
            fl.label(f[0], W, f[1], f[2], W / 2, 0.5);
        }
        long perFrame = (mx.getThreadAllocatedBytes(tid) - before) / 100;
        assertTrue(perFrame < 64, "steady-state allocation per frame: " + perFrame + " bytes");
    }

    @Test
    void labellingWithWatermarkAndVisibleLabelAllocatesNothingOnceCompiled() {
        WatermarkKey key = WatermarkKey.fromPassphrase("frames");
        FrameLabeler fl = FrameLabeler.builder(W, H).visible(VisibleLabelOptions.defaults())
                .watermark(key, new WatermarkPayload(0x1234_5678_9abc_def0L)).build();
        byte[][] f = frame(6);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        // the JIT compiles (and until then boxes) the Vector API kernels in the background: wait for a batch of
        // frames that allocates nothing, within a generous bound, rather than guess a warm-up length
        long perFrame = Long.MAX_VALUE;
        for (int batch = 0; batch < 100 && perFrame > 0; batch++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 20; i++) {
                fl.label(f[0], W, f[1], f[2], W / 2, 0.5);
            }
            perFrame = (mx.getThreadAllocatedBytes(tid) - before) / 20;
        }
        assertEquals(0, perFrame, "steady-state allocation per frame (watermark + visible label)");
    }

    @Test
    void rejectsOddOrEmptyFrames() {
        assertThrows(AigcmarkException.class, () -> FrameLabeler.builder(641, 360));
        assertThrows(AigcmarkException.class, () -> FrameLabeler.builder(0, 360));
    }
}
