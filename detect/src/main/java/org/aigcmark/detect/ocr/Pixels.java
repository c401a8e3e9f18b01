package org.aigcmark.detect.ocr;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * Packed 0xRRGGBB pixels of a whole image, read once with fast paths for the common raster layouts. Images whose
 * short side is at least twice {@link #REFERENCE_SHORT_SIDE} are reduced by an integer factor with a box filter
 * while reading: a 5% label is then still at least 54 px high (recognition reads at 48 px), memory stays small,
 * and the later bilinear resampling does not alias.
 */
final class Pixels {
    static final int REFERENCE_SHORT_SIDE = 1080;

    final int width;
    final int height;
    final int[] rgb;
    /** Original pixels per pixel here, along each axis (1 when not reduced). */
    final int factor;

    private Pixels(int width, int height, int[] rgb, int factor) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.factor = factor;
    }

    static Pixels of(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int f = Math.max(1, Math.min(w, h) / REFERENCE_SHORT_SIDE);
        boolean plain = img.getRaster().getSampleModelTranslateX() == 0 && img.getRaster().getSampleModelTranslateY() == 0;
        byte[] bgr = plain && img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && img.getRaster().getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && db.getData().length >= w * h * 3 ? db.getData() : null;
        int[] ints = plain && (img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB)
                && img.getRaster().getDataBuffer() instanceof DataBufferInt di && di.getData().length >= w * h ? di.getData() : null;
        if (f == 1) {
            int[] out = new int[Math.multiplyExact(w, h)];
            if (bgr != null) {
                for (int i = 0, j = 0; i < out.length; i++, j += 3) {
                    out[i] = (bgr[j + 2] & 0xFF) << 16 | (bgr[j + 1] & 0xFF) << 8 | (bgr[j] & 0xFF);
                }
            } else if (ints != null) {
                System.arraycopy(ints, 0, out, 0, out.length);
            } else {
                img.getRGB(0, 0, w, h, out, 0, w);
            }
            return new Pixels(w, h, out, 1);
        }
        int ow = w / f;
        int oh = h / f;
        int[] out = new int[Math.multiplyExact(ow, oh)];
        int[] sumR = new int[ow];
        int[] sumG = new int[ow];
        int[] sumB = new int[ow];
        int[] row = bgr == null && ints == null ? new int[w] : null;
        int n = f * f;
        for (int oy = 0; oy < oh; oy++) {
            java.util.Arrays.fill(sumR, 0);
            java.util.Arrays.fill(sumG, 0);
            java.util.Arrays.fill(sumB, 0);
            for (int y = oy * f; y < oy * f + f; y++) {
                if (row != null) {
                    img.getRGB(0, y, w, 1, row, 0, w);
                }
                int ox = 0;
                int k = 0;
                if (bgr != null) {
                    for (int x = 0, j = y * w * 3; x < ow * f; x++, j += 3) {
                        sumB[ox] += bgr[j] & 0xFF;
                        sumG[ox] += bgr[j + 1] & 0xFF;
                        sumR[ox] += bgr[j + 2] & 0xFF;
                        if (++k == f) {
                            k = 0;
                            ox++;
                        }
                    }
                } else {
                    int[] src = ints != null ? ints : row;
                    int off = ints != null ? y * w : 0;
                    for (int x = 0; x < ow * f; x++) {
                        int p = src[off + x];
                        sumR[ox] += p >> 16 & 0xFF;
                        sumG[ox] += p >> 8 & 0xFF;
                        sumB[ox] += p & 0xFF;
                        if (++k == f) {
                            k = 0;
                            ox++;
                        }
                    }
                }
            }
            for (int ox = 0; ox < ow; ox++) {
                out[oy * ow + ox] = (sumR[ox] / n) << 16 | (sumG[ox] / n) << 8 | (sumB[ox] / n);
            }
        }
        return new Pixels(ow, oh, out, f);
    }

    /**
     * Bilinear resample of {@code src} (a region of this image) to {@code tw x th}, written as CHW floats in
     * B, G, R channel order (PaddleOCR reads images with OpenCV, so its models expect BGR), each value mapped by
     * {@code (v / 255 - mean[c]) / std[c]}. Sample positions follow OpenCV's INTER_LINEAR convention.
     */
    void resampleBgr(Rectangle src, int tw, int th, float[] dst, int dstStride, int dstOffset, int planeSize,
                     float[] mean, float[] std) {
        double sx = src.width / (double) tw;
        double sy = src.height / (double) th;
        float[] scale = new float[3];
        float[] bias = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = (float) (1.0 / (255.0 * std[c]));
            bias[c] = (float) (-mean[c] / std[c]);
        }
        int[] x0 = new int[tw];
        int[] x1 = new int[tw];
        float[] fx = new float[tw];
        for (int x = 0; x < tw; x++) {
            double px = Math.min(src.width - 1.0, Math.max(0, (x + 0.5) * sx - 0.5));
            int ix = (int) px;
            x0[x] = src.x + ix;
            x1[x] = src.x + Math.min(src.width - 1, ix + 1);
            fx[x] = (float) (px - ix);
        }
        for (int y = 0; y < th; y++) {
            double py = Math.min(src.height - 1.0, Math.max(0, (y + 0.5) * sy - 0.5));
            int iy = (int) py;
            float fy = (float) (py - iy);
            int row0 = (src.y + iy) * width;
            int row1 = (src.y + Math.min(src.height - 1, iy + 1)) * width;
            int o = dstOffset + y * dstStride;
            for (int x = 0; x < tw; x++) {
                int a = rgb[row0 + x0[x]];
                int b = rgb[row0 + x1[x]];
                int c = rgb[row1 + x0[x]];
                int d = rgb[row1 + x1[x]];
                float wx = fx[x];
                float w00 = (1 - wx) * (1 - fy);
                float w01 = wx * (1 - fy);
                float w10 = (1 - wx) * fy;
                float w11 = wx * fy;
                float blue = w00 * (a & 0xFF) + w01 * (b & 0xFF) + w10 * (c & 0xFF) + w11 * (d & 0xFF);
                float green = w00 * (a >> 8 & 0xFF) + w01 * (b >> 8 & 0xFF) + w10 * (c >> 8 & 0xFF) + w11 * (d >> 8 & 0xFF);
                float red = w00 * (a >> 16 & 0xFF) + w01 * (b >> 16 & 0xFF) + w10 * (c >> 16 & 0xFF) + w11 * (d >> 16 & 0xFF);
                dst[o + x] = blue * scale[0] + bias[0];
                dst[o + planeSize + x] = green * scale[1] + bias[1];
                dst[o + 2 * planeSize + x] = red * scale[2] + bias[2];
            }
        }
    }

    /**
     * Like {@link #resampleBgr(Rectangle, int, int, float[], int, int, int, float[], float[])} for a box that may be
     * rotated: output column x, row y samples the image at the box's centre + (along, across) along its axes, so a
     * tilted line comes out level. An axis-aligned box is sampled exactly as its rectangle.
     */
    void resampleBgr(Quad q, int tw, int th, float[] dst, int dstStride, int dstOffset, int planeSize,
                     float[] mean, float[] std) {
        if (q.axisAligned()) {
            resampleBgr(q.bounds(width, height), tw, th, dst, dstStride, dstOffset, planeSize, mean, std);
            return;
        }
        float[] scale = new float[3];
        float[] bias = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = (float) (1.0 / (255.0 * std[c]));
            bias[c] = (float) (-mean[c] / std[c]);
        }
        sampleRotated(q, tw, th, (x, y, p) -> {
            int o = dstOffset + y * dstStride + x;
            dst[o] = (p & 0xFF) * scale[0] + bias[0];
            dst[o + planeSize] = (p >> 8 & 0xFF) * scale[1] + bias[1];
            dst[o + 2 * planeSize] = (p >> 16 & 0xFF) * scale[2] + bias[2];
        });
    }

    /** The box's pixels turned level, at this image's scale (one pixel per pixel along and across the line). */
    Pixels deskewed(Quad q) {
        int tw = Math.max(1, (int) Math.round(q.length()));
        int th = Math.max(1, (int) Math.round(q.thickness()));
        int[] out = new int[Math.multiplyExact(tw, th)];
        sampleRotated(q, tw, th, (x, y, p) -> out[y * tw + x] = p);
        return new Pixels(tw, th, out, factor);
    }

    private interface Sink {
        void put(int x, int y, int rgb);
    }

    /** Bilinear samples over the rotated box (clamped at the image's edges), as packed RGB. */
    private void sampleRotated(Quad q, int tw, int th, Sink sink) {
        double ux = Math.cos(q.angle());
        double uy = Math.sin(q.angle());
        double sx = q.length() / tw;
        double sy = q.thickness() / th;
        for (int y = 0; y < th; y++) {
            double t = (y + 0.5) * sy - q.thickness() / 2;
            for (int x = 0; x < tw; x++) {
                double s = (x + 0.5) * sx - q.length() / 2;
                double fx = Math.min(width - 1.0, Math.max(0, q.cx() + s * ux - t * uy - 0.5));
                double fy = Math.min(height - 1.0, Math.max(0, q.cy() + s * uy + t * ux - 0.5));
                int ix = (int) fx;
                int iy = (int) fy;
                int ix1 = Math.min(width - 1, ix + 1);
                int iy1 = Math.min(height - 1, iy + 1);
                float wx = (float) (fx - ix);
                float wy = (float) (fy - iy);
                int a = rgb[iy * width + ix];
                int b = rgb[iy * width + ix1];
                int c = rgb[iy1 * width + ix];
                int d = rgb[iy1 * width + ix1];
                int packed = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    float v = (1 - wx) * (1 - wy) * (a >> shift & 0xFF) + wx * (1 - wy) * (b >> shift & 0xFF)
                            + (1 - wx) * wy * (c >> shift & 0xFF) + wx * wy * (d >> shift & 0xFF);
                    packed |= Math.min(255, Math.round(v)) << shift;
                }
                sink.put(x, y, packed);
            }
        }
    }

    /** Rec-side luma of one pixel. */
    int luma(int x, int y) {
        int p = rgb[y * width + x];
        return ((p >> 16 & 0xFF) * 77 + (p >> 8 & 0xFF) * 150 + (p & 0xFF) * 29) >> 8;
    }
}
