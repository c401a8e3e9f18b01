package org.aigcmark.detect.ocr;

import java.awt.Rectangle;

/**
 * Measures the glyph (ink) height inside a text box: the box from DB detection carries a margin, while GB 45438
 * counts the text itself. Two ink masks are measured and the smaller span kept, since each can only add background:
 * the box's best-splitting channel cut at Otsu's threshold (the class that dominates the box border is background),
 * and the local contrast at stroke scale (a morphological top-hat), which keeps semi-transparent strokes and drops
 * background patches wider than two strokes. In each, the line is levelled (a residual tilt of up to 4°), and the
 * height is the span of rows with stroke-like ink runs around the densest band, grown through ink connected to it
 * (ascenders, descenders, thin top strokes), plus half a stroke of anti-aliased rim, plus an outline where one
 * hugs the glyphs: GB 45438 speaks of the text's height as a viewer sees it, and a viewer sees the edge drawn around
 * white text on a sky as part of the text (see {@link #outlineRows}).
 */
final class InkHeight {
    /** An outline must differ from the background's median by at least this much (0..255) to count. */
    static final int OUTLINE_MIN_CONTRAST = 24;
    /** An outline must follow the glyph ink in at least this share of the columns with ink at that end. */
    static final double OUTLINE_COLUMNS = 0.6;

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
        boolean[][] byThreshold = masks(v, t, inkIsBright);
        // in the channel that splits the box and in luma: a black edge on a dark blue sky is no darker than the sky in
        // red, the channel that best tells the white fill from it, but is in luma
        boolean[] outline = outlineMask(v, byThreshold[0], w, h);
        if (v != channels[0]) { // when luma splits the box best, its outline mask is the one just made
            boolean[] inLuma = outlineMask(channels[0], byThreshold[0], w, h);
            for (int i = 0; i < outline.length; i++) {
                outline[i] |= inLuma[i];
            }
        }
        int threshold = levelSpan(byThreshold[0], byThreshold[1], outline, w, h);
        // Semi-transparent text, dark text on a dark patch of the photo, a plate beside busy texture: the global split
        // takes background for ink. The local contrast (morphological top-hat: the channel minus its opening, or its
        // closing minus the channel, over a square a little wider than two strokes) keeps what is brighter or darker
        // than its own surroundings at stroke scale and drops background wider than that. Either mask can only add
        // background to the glyphs, so the smaller span is the truer one.
        int r = strokeWidth(byThreshold[0], w, h) + 1;
        int[] contrast = inkIsBright ? difference(v, maxFilter(minFilter(v, w, h, r), w, h, r))
                : difference(minFilter(maxFilter(v, w, h, r), w, h, r), v);
        int[] hist = new int[256];
        for (int c : contrast) {
            hist[c]++;
        }
        boolean[][] byContrast = masks(contrast, otsu(hist, contrast.length), true);
        return Math.min(threshold, levelSpan(byContrast[0], byContrast[1], outline, w, h));
    }

    /**
     * Pixels of {@code v} on the other side of the background from the glyph ink (mask {@code ink}), clearly beyond
     * it: where an outline (white text edged in black on a sky, a dark edge around text on a plate) could be. The
     * background is the box border's median, its spread the border's median absolute deviation; on a background as
     * dark as a black edge nothing qualifies, which is right, since a viewer does not see that edge either.
     */
    private static boolean[] outlineMask(int[] v, boolean[] ink, int w, int h) {
        int[] hist = new int[256];
        int n = 0;
        for (int x = 0; x < w; x++) {
            hist[v[x]]++;
            hist[v[(h - 1) * w + x]]++;
            n += 2;
        }
        for (int y = 1; y < h - 1; y++) {
            hist[v[y * w]]++;
            hist[v[y * w + w - 1]]++;
            n += 2;
        }
        int median = quantile(hist, n, 0.5);
        int[] dev = new int[256];
        for (int i = 0; i < 256; i++) {
            dev[Math.abs(i - median)] += hist[i];
        }
        int margin = Math.max(OUTLINE_MIN_CONTRAST, 3 * quantile(dev, n, 0.5));
        long sum = 0;
        int count = 0;
        for (int i = 0; i < v.length; i++) {
            if (ink[i]) {
                sum += v[i];
                count++;
            }
        }
        boolean inkIsBright = count > 0 && sum > (long) median * count;
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = inkIsBright ? v[i] < median - margin : v[i] > median + margin;
        }
        return out;
    }

    /** The smallest value with at least {@code q} of the {@code n} counted values at or below it. */
    private static int quantile(int[] hist, int n, double q) {
        int acc = 0;
        for (int i = 0; i < hist.length; i++) {
            acc += hist[i];
            if (acc >= q * n) {
                return i;
            }
        }
        return hist.length - 1;
    }

    /**
     * The rows an outline adds beyond the glyphs at one end ({@code dir} -1: above row {@code first}, +1: below
     * row {@code last}):
     * 0 unless, in at least {@link #OUTLINE_COLUMNS} of the columns with glyph ink, the outermost ink is followed
     * outwards (across at most one anti-aliased pixel) by a run of outline pixels at most two strokes (or an eighth
     * of the line) thick and then by something that is not outline. Then the median of how far that outline reaches
     * beyond the end row, over the columns whose ink reaches it (within a pixel). GB 45438 speaks of the text's
     * height as a viewer sees it, and an edge drawn around the glyphs is part of what the viewer sees; texture next
     * to the glyphs is too irregular to qualify in most columns.
     */
    private static int outlineRows(boolean[] ink, boolean[] outline, int w, int h, int first, int last, int dir,
                                   int stroke) {
        int edge = dir < 0 ? first : last;
        // two strokes, or an eighth of the line where the fill left inside a thick edge is thinner than the edge (a
        // 3 px black edge around 4 px strokes of white); a plate's margin is wider than either
        int maxRun = Math.max(2 * stroke + 1, (last - first + 1) / 8);
        int inkColumns = 0;
        int outlined = 0;
        int[] runsAtEdge = new int[maxRun + 2];
        int atEdge = 0;
        for (int x = 1; x < w - 1; x++) {
            int y = edge;
            while (y >= first && y <= last && !ink[y * w + x]) {
                y -= dir;
            }
            if (y < first || y > last) {
                continue;
            }
            inkColumns++;
            int o = y + dir;
            if (o >= 0 && o < h && !outline[o * w + x] && !ink[o * w + x]) {
                o += dir; // one anti-aliased pixel between fill and edge
            }
            int run = 0;
            while (o >= 0 && o < h && outline[o * w + x] && run <= maxRun) {
                run++;
                o += dir;
            }
            if (run == 0 || run > maxRun || o < 0 || o >= h) {
                continue;
            }
            outlined++;
            if (Math.abs(y - edge) <= 1) {
                runsAtEdge[Math.max(0, Math.abs(o - dir - y) - Math.abs(y - edge))]++; // rows beyond edge
                atEdge++;
            }
        }
        if (inkColumns == 0 || outlined < OUTLINE_COLUMNS * inkColumns || atEdge == 0) {
            return 0;
        }
        return quantile(runsAtEdge, atEdge, 0.5);
    }

    /**
     * The ink masks for values split at {@code t}: the core (the ink class) and the softer mask that also counts the
     * anti-aliased glyph edges, which sit between the two class means: a pixel a quarter of the way from the
     * background mean towards the ink mean.
     */
    private static boolean[][] masks(int[] v, int t, boolean inkIsBright) {
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
        boolean[] core = new boolean[v.length];
        boolean[] soft = new boolean[v.length];
        for (int i = 0; i < core.length; i++) {
            core[i] = (v[i] > t) == inkIsBright;
            soft[i] = inkIsBright ? v[i] > edge : v[i] < edge;
        }
        return new boolean[][] {core, soft};
    }

    /** The glyph height in the masks, measured after shearing a line a degree or two off level flat. */
    private static int levelSpan(boolean[] core, boolean[] soft, boolean[] outline, int w, int h) {
        int stroke = strokeWidth(core, w, h);
        int minRun = Math.max(2, (int) Math.round(stroke * 0.4));
        // A line a degree or two off level (read from a level box, or a tilt DB's box got slightly wrong) spreads
        // its glyphs over more rows than they are high.
        double slope = residualSlope(core, w, h, minRun);
        if (slope != 0) {
            int pad = (int) Math.ceil(Math.abs(slope) * w / 2) + 1;
            core = shear(core, w, h, slope, pad);
            soft = shear(soft, w, h, slope, pad);
            outline = shear(outline, w, h, slope, pad);
            h += 2 * pad;
        }
        return span(core, soft, outline, w, h, stroke, minRun);
    }

    /** The glyph rows: a dense band of the line, grown through ink connected to it, plus the anti-aliased rim. */
    private static int span(boolean[] core, boolean[] soft, boolean[] outline, int w, int h, int stroke, int minRun) {
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
        // The band: rows whose stroke ink is at least a fifth of the line's typical dense row (CJK bodies, the
        // x-height of Latin), bridging gaps of one stroke width. Speckle and texture in the box's margins are
        // thinner than that.
        int[] sorted = rows.clone();
        java.util.Arrays.sort(sorted);
        int typical = sorted[Math.max(0, h - 1 - h / 6)];
        int minInk = Math.max(minRun, typical / 5);
        int maxGap = Math.max(1, stroke);
        int first = extend(rows, seed, -1, minInk, maxGap);
        int last = extend(rows, seed, +1, minInk, maxGap);
        // Ascenders, capitals, descenders and the thin top or bottom strokes of CJK glyphs: ink runs connected
        // (row to row, within one pixel) to the band's ink, so background texture that does not touch a glyph is
        // not counted. A glyph part is at most half the band's height outside it.
        boolean[] reached = new boolean[w * h];
        for (int y = first; y <= last; y++) {
            for (int x = 0; x < w; x++) {
                reached[y * w + x] = core[y * w + x];
            }
        }
        int reach = Math.max(stroke, (last - first + 1) / 2);
        first = grow(core, reached, w, h, first, -1, minRun, reach);
        last = grow(core, reached, w, h, last, +1, minRun, reach);
        // The anti-aliased rim: at most half a stroke more on each side, where the softer mask still has strokes.
        int[] softRows = strokeRows(soft, w, h, minRun);
        int rim = Math.max(1, (stroke + 1) / 2);
        for (int k = 0; k < rim && first > 0 && softRows[first - 1] >= minRun; k++) {
            first--;
        }
        for (int k = 0; k < rim && last < h - 1 && softRows[last + 1] >= minRun; k++) {
            last++;
        }
        // An outline counts: a dark edge around light glyphs (or the reverse) is part of the text a viewer sees.
        int above = outlineRows(soft, outline, w, h, first, last, -1, stroke);
        int below = outlineRows(soft, outline, w, h, first, last, +1, stroke);
        return last - first + 1 + above + below;
    }

    /**
     * Walks from row {@code from} outwards by {@code dir}, marking the ink runs of each row that touch (within one
     * column) ink reached in one of the two rows before it; stops where a row has less than {@code minRun} of it or
     * after {@code limit} rows. Returns the last row with reached ink.
     */
    private static int grow(boolean[] ink, boolean[] reached, int w, int h, int from, int dir, int minRun, int limit) {
        int edge = from;
        int[] count = new int[1];
        for (int y = from + dir, n = 0; y >= 0 && y < h && n < limit; y += dir, n++) {
            count[0] = 0;
            int row = y;
            forEachRun(ink, w, y, (s0, end) -> {
                boolean touches = false;
                for (int back = 1; back <= 2 && !touches; back++) {
                    int py = row - dir * back;
                    if (py < 0 || py >= h) {
                        continue;
                    }
                    for (int c = Math.max(0, s0 - 1); c < Math.min(w, end + 1) && !touches; c++) {
                        touches = reached[py * w + c];
                    }
                }
                if (touches && s0 > 0 && end < w) {
                    for (int c = s0; c < end; c++) {
                        reached[row * w + c] = true;
                    }
                    count[0] += end - s0;
                }
            });
            if (count[0] >= minRun) {
                edge = y;
            } else if (count[0] == 0 && Math.abs(y - edge) > 1) {
                break;
            }
        }
        return edge;
    }

    /**
     * The slope (rows per column, within ±4°) that makes the ink's row profile sharpest (largest sum of squared
     * row counts), or 0 when level is as good: the classic projection-profile deskew.
     */
    static double residualSlope(boolean[] ink, int w, int h, int minRun) {
        int n = 0;
        for (boolean b : ink) {
            n += b ? 1 : 0;
        }
        if (n == 0 || w < 4 * h / 3) {
            return 0;
        }
        // per row, the ink left of each column: a run of columns that one slope shifts alike adds in h steps
        int[] left = new int[h * (w + 1)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                left[y * (w + 1) + x + 1] = left[y * (w + 1) + x] + (ink[y * w + x] ? 1 : 0);
            }
        }
        int pad = (int) Math.ceil(Math.tan(Math.toRadians(4)) * w / 2) + 1;
        long[] bins = new long[h + 2 * pad];
        double best = score(left, w, h, 0, bins, pad);
        double bestSlope = 0;
        for (int step = -16; step <= 16; step++) {
            if (step == 0) {
                continue;
            }
            double slope = Math.tan(Math.toRadians(step * 0.25));
            double sc = score(left, w, h, slope, bins, pad);
            if (sc > best * 1.01) {
                best = sc;
                bestSlope = slope;
            }
        }
        return bestSlope;
    }

    /** The sharpness of the row profile with column x moved up by {@code round((x - w/2) * slope)} rows. */
    private static double score(int[] left, int w, int h, double slope, long[] bins, int pad) {
        java.util.Arrays.fill(bins, 0);
        int x = 0;
        while (x < w) {
            long shift = Math.round((x - w / 2) * slope);
            int end = x + 1;
            while (end < w && Math.round((end - w / 2) * slope) == shift) {
                end++;
            }
            int base = pad - (int) shift;
            for (int y = 0; y < h; y++) {
                bins[y + base] += left[y * (w + 1) + end] - left[y * (w + 1) + x];
            }
            x = end;
        }
        double s = 0;
        for (long b : bins) {
            s += (double) b * b;
        }
        return s;
    }

    /** The mask with column x moved up by {@code (x - w/2) * slope} rows, in a grid {@code pad} rows taller each side. */
    private static boolean[] shear(boolean[] ink, int w, int h, double slope, int pad) {
        int h2 = h + 2 * pad;
        boolean[] out = new boolean[w * h2];
        for (int x = 0; x < w; x++) {
            int off = pad - (int) Math.round((x - w / 2) * slope);
            for (int y = 0; y < h; y++) {
                int ny = y + off;
                if (ink[y * w + x] && ny >= 0 && ny < h2) {
                    out[ny * w + x] = true;
                }
            }
        }
        return out;
    }

    /**
     * Per row, the ink in horizontal runs that look like strokes: speckle is shorter than {@code minRun}, and a
     * run touching the box side is background showing around a plate or beside the text, not a glyph.
     */
    private static int[] strokeRows(boolean[] ink, int w, int h, int minRun) {
        int[] rows = new int[h];
        for (int y = 0; y < h; y++) {
            int row = y;
            forEachRun(ink, w, y, (start, end) -> {
                if (end - start >= minRun && start > 0 && end < w) {
                    rows[row] += end - start;
                }
            });
        }
        return rows;
    }

    /** Receives one horizontal ink run, columns {@code start} (inclusive) to {@code end} (exclusive). */
    @FunctionalInterface
    private interface RunSink {
        void accept(int start, int end);
    }

    /** Hands each horizontal run of ink in row {@code y} to {@code sink}, left to right. */
    private static void forEachRun(boolean[] ink, int w, int y, RunSink sink) {
        int o = y * w;
        int x = 0;
        while (x < w) {
            if (!ink[o + x]) {
                x++;
                continue;
            }
            int start = x;
            while (x < w && ink[o + x]) {
                x++;
            }
            sink.accept(start, x);
        }
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
        for (int y = 0; y < h; y++) {
            if (count[y] < cut || count[y] == 0) {
                continue;
            }
            forEachRun(ink, w, y, (start, end) -> {
                if (start > 0 && end < w) {
                    hist[end - start]++;
                    hist[0]++; // the number of runs counted
                }
            });
        }
        int runs = hist[0];
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

    /** {@code a - b} per pixel, at least 0. */
    private static int[] difference(int[] a, int[] b) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.max(0, a[i] - b[i]);
        }
        return out;
    }

    /** The minimum over the square of radius {@code r} around each pixel (clipped at the box), separable. */
    static int[] minFilter(int[] v, int w, int h, int r) {
        return filter(v, w, h, r, false);
    }

    /** The maximum over the square of radius {@code r} around each pixel (clipped at the box), separable. */
    static int[] maxFilter(int[] v, int w, int h, int r) {
        return filter(v, w, h, r, true);
    }

    private static int[] filter(int[] v, int w, int h, int r, boolean max) {
        int n = Math.max(w, h);
        int[] line = new int[n];
        int[] out = new int[n];
        int[] queue = new int[n];
        int[] rows = new int[v.length];
        for (int y = 0; y < h; y++) {
            System.arraycopy(v, y * w, line, 0, w);
            slide(line, w, r, max, out, queue);
            System.arraycopy(out, 0, rows, y * w, w);
        }
        // Down the columns, whole rows at a time (van Herk / Gil-Werman: running extremes forward and backward within
        // blocks of 2r+1 rows, the window's extreme is that of one backward and one forward value), so memory is read
        // in order; rows outside the box count as neutral, which is the clipped window.
        int k = 2 * r + 1;
        int padded = (h + 2 * r + k - 1) / k * k;
        int neutral = max ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        int[] forward = new int[padded * w];
        int[] backward = new int[padded * w];
        for (int j = 0; j < padded; j++) {
            int y = j - r;
            int o = j * w;
            boolean start = j % k == 0;
            for (int x = 0; x < w; x++) {
                int a = y >= 0 && y < h ? rows[y * w + x] : neutral;
                forward[o + x] = start ? a : (max ? Math.max(forward[o - w + x], a) : Math.min(forward[o - w + x], a));
            }
        }
        for (int j = padded - 1; j >= 0; j--) {
            int y = j - r;
            int o = j * w;
            boolean end = j % k == k - 1;
            for (int x = 0; x < w; x++) {
                int a = y >= 0 && y < h ? rows[y * w + x] : neutral;
                backward[o + x] = end ? a : (max ? Math.max(backward[o + w + x], a) : Math.min(backward[o + w + x], a));
            }
        }
        int[] result = new int[v.length];
        for (int y = 0; y < h; y++) {
            int lo = y * w;
            int hi = (y + 2 * r) * w;
            for (int x = 0; x < w; x++) {
                int a = backward[lo + x];
                int b = forward[hi + x];
                result[y * w + x] = max ? Math.max(a, b) : Math.min(a, b);
            }
        }
        return result;
    }

    /** Sliding-window minimum or maximum over [i - r, i + r] in linear time (a monotone queue of indices). */
    private static void slide(int[] a, int n, int r, boolean max, int[] out, int[] queue) {
        int head = 0;
        int tail = 0;
        int next = 0;
        for (int i = 0; i < n; i++) {
            for (int hi = Math.min(n - 1, i + r); next <= hi; next++) {
                while (tail > head && (max ? a[queue[tail - 1]] <= a[next] : a[queue[tail - 1]] >= a[next])) {
                    tail--;
                }
                queue[tail++] = next;
            }
            while (queue[head] < i - r) {
                head++;
            }
            out[i] = a[queue[head]];
        }
    }

}
