package org.aigcmark.watermark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.ServiceLoader;
import org.aigcmark.natives.NativeRowKernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The C kernels give bit-identical results to the Java scalar path (same float ops, no FMA). In the sdk's package
 * (test sources only, never in a jar) to reach its package-private kernels, as the watermarker does.
 */
class NativePixelKernelsTest {
    static boolean compilerPresent() {
        return Files.isExecutable(Path.of("/usr/bin/gcc"));
    }

    static boolean nativeLoaded() {
        return new NativeRowKernels().available();
    }

    @Test
    void theSdkFindsTheProviderThroughServiceLoader() {
        assertTrue(ServiceLoader.load(RowKernels.class).stream().anyMatch(p -> p.type() == NativeRowKernels.class),
                "META-INF/services names the C kernels");
    }

    @Test
    void loadsWhereverTheBuildHadACompiler() {
        if (!compilerPresent() && System.getenv("CI") != null) {
            throw new AssertionError("CI must provide gcc (.ci/run installs it): the build skipped the C kernels");
        }
        Assumptions.assumeTrue(compilerPresent(), "no gcc: the build skipped the C kernels");
        assertTrue(nativeLoaded());
        assertTrue(PixelKernels.nativeAvailable());
        assertEquals("native", PixelKernels.nativeKernels().name());
    }

    @Test
    void bitIdenticalToScalarOnRandomRows() {
        Assumptions.assumeTrue(nativeLoaded(), "native kernels not loaded");
        PixelKernels c = PixelKernels.nativeKernels();
        PixelKernels java = PixelKernels.scalar();
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int width = 1 + rnd.nextInt(3000);
            int period = 1 + rnd.nextInt(300);
            int off = rnd.nextInt(64);
            int[] px = new int[off + width + rnd.nextInt(16)];
            for (int i = 0; i < px.length; i++) {
                px[i] = rnd.nextInt();
            }
            float[] gain = new float[width];
            for (int i = 0; i < width; i++) {
                gain[i] = (float) (rnd.nextGaussian() * 6);
            }
            int patternRow = rnd.nextInt(64);
            float[] pattern = new float[patternRow + period + rnd.nextInt(8)];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (float) rnd.nextGaussian() * (trial % 10 == 0 ? 100f : 1f);
            }
            int[] a = px.clone();
            int[] b = px.clone();
            java.embedRowRgb(a, off, width, gain, pattern, patternRow, period);
            c.embedRowRgb(b, off, width, gain, pattern, patternRow, period);
            assertArrayEquals(a, b, "embedRowRgb trial " + trial);
            float[] la = new float[width];
            float[] lb = new float[width];
            java.lumaRow(px, off, width, la);
            c.lumaRow(px, off, width, lb);
            assertArrayEquals(la, lb, "lumaRow trial " + trial);
        }
    }

    @Test
    void boundsAreCheckedBeforeEnteringC() {
        Assumptions.assumeTrue(nativeLoaded(), "native kernels not loaded");
        PixelKernels c = PixelKernels.nativeKernels();
        assertThrows(IndexOutOfBoundsException.class, () -> c.embedRowRgb(new int[10], 5, 10, new float[10], new float[10], 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> c.lumaRow(new int[10], 0, 11, new float[11]));
    }

    @Test
    void aWatermarkMadeWithNativeKernelsIsTheSameImage() {
        Assumptions.assumeTrue(nativeLoaded(), "native kernels not loaded");
        var key = org.aigcmark.key.WatermarkKey.fromPassphrase("native-test");
        var img1 = new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(3);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int v = 100 + (x * y) % 50 + rnd.nextInt(20);
                img1.setRGB(x, y, v << 16 | (v + 10) << 8 | (v - 20));
            }
        }
        var img2 = new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB);
        img2.setData(img1.getData());
        var payload = new WatermarkPayload(0x1234_5678_9abc_def0L);
        ImageWatermarker.create(key, WatermarkOptions.defaults().withKernels(WatermarkOptions.Kernels.SCALAR)).embed(img1, payload);
        ImageWatermarker.create(key, WatermarkOptions.defaults().withKernels(WatermarkOptions.Kernels.NATIVE)).embed(img2, payload);
        assertArrayEquals(img1.getRGB(0, 0, 640, 480, null, 0, 640), img2.getRGB(0, 0, 640, 480, null, 0, 640));
    }
}
