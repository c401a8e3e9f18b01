package org.aigcmark.detect.ocr;

import java.awt.Rectangle;

/**
 * Measures the glyph (ink) height inside a text box: the box from DB detection carries a margin, while GB 45438
 * counts the text itself. The box's luma is split with Otsu's threshold; the class that dominates the box border
 * is background, the other is ink. The ink height is the span of rows, grown from the densest row, that hold
 * stroke-like ink runs (at least 40% of the typical stroke width, not touching the box sides), so descenders
 * count and speckle or background around a plate does not.
 */
final class InkHeight {
    private InkHeight() {}

    static int measure(Pixels px, Rectangle box) {
        int x0 = Math.max(0, box.x);
        int y0 = Math.max(0, box.y);
        int x1 = Math.min(px.width, box.x + box.width);
        int y1 = Math.min(px.height, box.y + box.height);
        int w = x1 - x0;
        int h = y1 - y0;
        if (w < 3 || h < 3) {
            return Math.max(0, h);
        }
        // The channel that splits the box best (Otsu's between-class share of variance): luma for white or black
        // text, a colour channel for red text on green, and so on.
        int[][] channels = new int[4][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = px.rgb[(y0 + y) * px.width + x0 + x];
                int r = p >> 16 & 0xFF;
                int g = p >> 8 & 0xFF;
                int b = p & 0xFF;
                int i = y * w + x;
                channels[0][i] = (r * 77 + g * 150 + b * 29) >> 8;
                channels[1][i] = r;
                channels[2][i] = g;
                channels[3][i] = b;
            }
        }
        int[] v = channels[0];
        int t = 127;
        double bestSplit = -1;
        for (int[] c : channels) {
            int[] hist = new int[256];
            for (int x : c) {
                hist[x]++;
            }
            int ct = otsu(hist, c.length);
            double split = separation(hist, c.length, ct);
            if (split > bestSplit + 0.02) { // prefer luma unless a colour channel is clearly better
                bestSplit = split;
                v = c;
                t = ct;
            }
        }
        int borderBright = 0;
        int border = 0;
        for (int x = 0; x < w; x++) {
            borderBright += (v[x] > t ? 1 : 0) + (v[(h - 1) * w + x] > t ? 1 : 0);
            border += 2;
        }
        for (int y = 1; y < h - 1; y++) {
            borderBright += (v[y * w] > t ? 1 : 0) + (v[y * w + w - 1] > t ? 1 : 0);
            border += 2;
        }
        boolean inkIsBright = borderBright * 2 < border;
        // Anti-aliased glyph edges sit between the two class means: the softer mask counts a pixel as ink once it
        // is a quarter of the way from the background mean towards the ink mean.
        long sumInk = 0;
        long nInk = 0;
        long sumBg = 0;
        long nBg = 0;
        for (int x : v) {
            if ((x > t) == inkIsBright) {
                sumInk += x;
                nInk++;
            } else {
                sumBg += x;
                nBg++;
            }
        }
        double inkMean = nInk == 0 ? t : sumInk / (double) nInk;
        double bgMean = nBg == 0 ? t : sumBg / (double) nBg;
        double edge = bgMean + 0.25 * (inkMean - bgMean);
        boolean[] core = new boolean[w * h];
        boolean[] soft = new boolean[w * h];
        for (int i = 0; i < core.length; i++) {
            core[i] = (v[i] > t) == inkIsBright;
            soft[i] = inkIsBright ? v[i] > edge : v[i] < edge;
        }
        int stroke = strokeWidth(core, w, h);
        int minRun = Math.max(2, (int) Math.round(stroke * 0.4));
        int[] rows = strokeRows(core, w, h, minRun);
        int seed = 0;
        for (int y = 1; y < h; y++) {
            if (rows[y] > rows[seed]) {
                seed = y;
            }
        }
        if (rows[seed] == 0) {
            return h;
        }
        int maxGap = Math.max(1, stroke);
        int first = extend(rows, seed, -1, minRun, maxGap);
        int last = extend(rows, seed, +1, minRun, maxGap);
        // The anti-aliased rim: at most half a stroke more on each side, where the softer mask still has strokes.
        int[] softRows = strokeRows(soft, w, h, minRun);
        int rim = Math.max(1, (stroke + 1) / 2);
        for (int k = 0; k < rim && first > 0 && softRows[first - 1] >= minRun; k++) {
            first--;
        }
        for (int k = 0; k < rim && last < h - 1 && softRows[last + 1] >= minRun; k++) {
            last++;
        }
        return last - first + 1;
    }

    /**
     * Per row, the ink in horizontal runs that look like strokes: speckle is shorter than {@code minRun}, and a
     * run touching the box side is background showing around a plate or beside the text, not a glyph.
     */
    private static int[] strokeRows(boolean[] ink, int w, int h, int minRun) {
        int[] rows = new int[h];
        for (int y = 0; y < h; y++) {
            int c = 0;
            int x = 0;
            while (x < w) {
                if (!ink[y * w + x]) {
                    x++;
                    continue;
                }
                int s0 = x;
                while (x < w && ink[y * w + x]) {
                    x++;
                }
                int len = x - s0;
                if (len >= minRun && s0 > 0 && x < w) {
                    c += len;
                }
            }
            rows[y] = c;
        }
        return rows;
    }

    /** From the densest row, walks outwards over rows with at least one stroke, bridging gaps up to maxGap rows. */
    private static int extend(int[] rows, int seed, int dir, int minInk, int maxGap) {
        int edge = seed;
        int gap = 0;
        for (int y = seed + dir; y >= 0 && y < rows.length; y += dir) {
            if (rows[y] >= minInk) {
                edge = y;
                gap = 0;
            } else if (++gap > maxGap) {
                break;
            }
        }
        return edge;
    }

    /** Median horizontal ink run length in the densest third of rows: the typical vertical-stroke width. */
    static int strokeWidth(boolean[] ink, int w, int h) {
        int[] count = new int[h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ink[y * w + x]) {
                    count[y]++;
                }
            }
        }
        int[] sorted = count.clone();
        java.util.Arrays.sort(sorted);
        int cut = sorted[Math.max(0, h - 1 - h / 3)];
        int[] hist = new int[w + 1];
        int runs = 0;
        for (int y = 0; y < h; y++) {
            if (count[y] < cut || count[y] == 0) {
                continue;
            }
            int x = 0;
            while (x < w) {
                if (!ink[y * w + x]) {
                    x++;
                    continue;
                }
                int s0 = x;
                while (x < w && ink[y * w + x]) {
                    x++;
                }
                if (s0 > 0 && x < w) {
                    hist[x - s0]++;
                    runs++;
                }
            }
        }
        if (runs == 0) {
            return Math.max(1, h / 10);
        }
        int acc = 0;
        for (int len = 1; len <= w; len++) {
            acc += hist[len];
            if (acc * 2 >= runs) {
                return Math.min(len, Math.max(1, h / 3));
            }
        }
        return 1;
    }

    /** Between-class variance over total variance for threshold t (0..1: how cleanly t splits the values). */
    static double separation(int[] hist, int total, int t) {
        double sum = 0;
        double sq = 0;
        double sumB = 0;
        int wB = 0;
        for (int i = 0; i < 256; i++) {
            sum += i * (double) hist[i];
            sq += i * (double) i * hist[i];
            if (i <= t) {
                sumB += i * (double) hist[i];
                wB += hist[i];
            }
        }
        double mean = sum / total;
        double var = sq / total - mean * mean;
        int wF = total - wB;
        if (var <= 1e-9 || wB == 0 || wF == 0) {
            return 0;
        }
        double mB = sumB / wB;
        double mF = (sum - sumB) / wF;
        return (wB / (double) total) * (wF / (double) total) * (mB - mF) * (mB - mF) / var;
    }

    static int otsu(int[] hist, int total) {
        double sum = 0;
        for (int i = 0; i < 256; i++) {
            sum += i * (double) hist[i];
        }
        double sumB = 0;
        int wB = 0;
        double best = -1;
        int threshold = 127;
        for (int i = 0; i < 256; i++) {
            wB += hist[i];
            if (wB == 0) {
                continue;
            }
            int wF = total - wB;
            if (wF == 0) {
                break;
            }
            sumB += i * (double) hist[i];
            double mB = sumB / wB;
            double mF = (sum - sumB) / wF;
            double between = (double) wB * wF * (mB - mF) * (mB - mF);
            if (between > best) {
                best = between;
                threshold = i;
            }
        }
        return threshold;
    }
}
