package org.aigcmark.detect.model;

import java.awt.image.BufferedImage;

/**
 * Turns images into model input: resize (box-average down to within 2x of the target, then bilinear with
 * half-pixel centres, so large photos do not alias), then rescale, normalise and lay out as NCHW or NHWC.
 */
final class ImageTensors {
    private ImageTensors() {
    }

    /** Packed 0xRRGGBB pixels of {@code image} fitted to the spec's input size. */
    static int[] fit(BufferedImage image, ModelSpec spec) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        if (spec.resizeMode() == ModelSpec.ResizeMode.SHORTEST_EDGE_CENTER_CROP) {
            // Centre square (of the target aspect) first, then resize: same as shortest-edge resize + centre crop.
            double scale = Math.max((double) spec.width() / w, (double) spec.height() / h);
            int cw = Math.min(w, (int) Math.round(spec.width() / scale));
            int ch = Math.min(h, (int) Math.round(spec.height() / scale));
            int x0 = (w - cw) / 2;
            int y0 = (h - ch) / 2;
            int[] crop = new int[cw * ch];
            for (int y = 0; y < ch; y++) {
                System.arraycopy(rgb, (y0 + y) * w + x0, crop, y * cw, cw);
            }
            rgb = crop;
            w = cw;
            h = ch;
        }
        if (spec.resizeMode() == ModelSpec.ResizeMode.STRETCH_NEAREST) {
            return nearest(rgb, w, h, spec.width(), spec.height());
        }
        return resize(rgb, w, h, spec.width(), spec.height());
    }

    /** Nearest-neighbour resize as PIL's NEAREST (Keras load_img): source index floor((x + 0.5) * w / tw). */
    static int[] nearest(int[] rgb, int w, int h, int tw, int th) {
        int[] out = new int[tw * th];
        for (int y = 0; y < th; y++) {
            int sy = Math.min(h - 1, (int) ((y + 0.5) * h / th));
            for (int x = 0; x < tw; x++) {
                out[y * tw + x] = rgb[sy * w + Math.min(w - 1, (int) ((x + 0.5) * w / tw))];
            }
        }
        return out;
    }

    static int[] resize(int[] rgb, int w, int h, int tw, int th) {
        while (w >= 2 * tw && h >= 2 * th) {
            int nw = w / 2;
            int nh = h / 2;
            int[] half = new int[nw * nh];
            for (int y = 0; y < nh; y++) {
                for (int x = 0; x < nw; x++) {
                    int a = rgb[2 * y * w + 2 * x], b = rgb[2 * y * w + 2 * x + 1];
                    int c = rgb[(2 * y + 1) * w + 2 * x], d = rgb[(2 * y + 1) * w + 2 * x + 1];
                    half[y * nw + x] = avg(a, b, c, d, 16) << 16 | avg(a, b, c, d, 8) << 8 | avg(a, b, c, d, 0);
                }
            }
            rgb = half;
            w = nw;
            h = nh;
        }
        if (w == tw && h == th) {
            return rgb;
        }
        int[] out = new int[tw * th];
        double sx = (double) w / tw;
        double sy = (double) h / th;
        for (int y = 0; y < th; y++) {
            double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(h - 1, y0 + 1);
            double wy = fy - y0;
            for (int x = 0; x < tw; x++) {
                double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(w - 1, x0 + 1);
                double wx = fx - x0;
                int p = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    double top = ((rgb[y0 * w + x0] >> shift) & 255) * (1 - wx) + ((rgb[y0 * w + x1] >> shift) & 255) * wx;
                    double bottom = ((rgb[y1 * w + x0] >> shift) & 255) * (1 - wx) + ((rgb[y1 * w + x1] >> shift) & 255) * wx;
                    p |= (int) Math.round(top * (1 - wy) + bottom * wy) << shift;
                }
                out[y * tw + x] = p;
            }
        }
        return out;
    }

    private static int avg(int a, int b, int c, int d, int shift) {
        return (((a >> shift) & 255) + ((b >> shift) & 255) + ((c >> shift) & 255) + ((d >> shift) & 255) + 2) / 4;
    }

    /** Writes one fitted image into {@code batch} at position {@code index}, normalised per the spec. */
    static void write(int[] rgb, ModelSpec spec, float[] batch, int index) {
        int plane = spec.width() * spec.height();
        int base = index * plane * 3;
        float[] mean = spec.mean();
        float[] std = spec.std();
        float rescale = spec.rescale();
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            int r = (p >> 16) & 255;
            int g = (p >> 8) & 255;
            int b = p & 255;
            int c0 = spec.bgr() ? b : r;
            int c2 = spec.bgr() ? r : b;
            float v0 = (c0 * rescale - mean[0]) / std[0];
            float v1 = (g * rescale - mean[1]) / std[1];
            float v2 = (c2 * rescale - mean[2]) / std[2];
            if (spec.nhwc()) {
                batch[base + i * 3] = v0;
                batch[base + i * 3 + 1] = v1;
                batch[base + i * 3 + 2] = v2;
            } else {
                batch[base + i] = v0;
                batch[base + plane + i] = v1;
                batch[base + 2 * plane + i] = v2;
            }
        }
    }
}
