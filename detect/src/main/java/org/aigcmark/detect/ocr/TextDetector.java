package org.aigcmark.detect.ocr;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.Rectangle;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aigcmark.AigcmarkException;

/**
 * PP-OCRv4 DB text detection: resize so both sides are multiples of 32 (the longer side at most
 * {@code limitSide}), normalise with ImageNet mean/std as PaddleOCR does, run, then threshold the probability map,
 * take connected components, keep those whose mean probability reaches the box threshold, and grow each
 * axis-aligned box by the DB unclip distance (area × ratio / perimeter).
 */
final class TextDetector {
    static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] STD = {0.229f, 0.224f, 0.225f};
    static final float BINARY_THRESHOLD = 0.3f;
    static final double BOX_THRESHOLD = 0.6;
    static final double UNCLIP_RATIO = 1.5;
    static final int MIN_SIZE = 3;

    /** A line tilted by less than this (degrees) is read from its axis-aligned box, as before rotation was handled. */
    static final double MIN_TILT_DEGREES = 2.5;
    /** Tilts beyond this are not text lines a label would use (vertical text, noise). */
    static final double MAX_TILT_DEGREES = 35;
    /** A component must be this elongated (length over thickness) for its principal axis to be trusted as a tilt. */
    static final double MIN_ELONGATION = 1.8;

    /**
     * A text box in image pixels with its DB score: {@code rect} is the axis-aligned unclipped box, {@code quad}
     * the box to read (the same box, or the rotated box of a tilted line).
     */
    record Box(Rectangle rect, double score, Quad quad) {
        Box(Rectangle rect, double score) {
            this(rect, score, Quad.of(rect));
        }
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;

    TextDetector(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
    }

    /** Detects text in {@code region} of the image, resampled by {@code scale} (then rounded to multiples of 32). */
    List<Box> detect(Pixels px, Rectangle region, double scale) {
        int tw = Math.max(32, (int) Math.round(region.width * scale / 32.0) * 32);
        int th = Math.max(32, (int) Math.round(region.height * scale / 32.0) * 32);
        int plane = tw * th;
        float[] input = new float[3 * plane];
        px.resampleBgr(region, tw, th, input, tw, 0, plane, MEAN, STD);
        float[] prob;
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, th, tw});
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] shape = out.getInfo().getShape();
            if (shape.length != 4 || shape[2] != th || shape[3] != tw) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL,
                        "the detection model returned shape " + java.util.Arrays.toString(shape) + " for " + tw + "x" + th);
            }
            FloatBuffer fb = out.getFloatBuffer();
            prob = new float[plane];
            fb.get(prob);
        } catch (OrtException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "text detection failed: " + e.getMessage(), e);
        }
        List<Box> boxes = components(prob, tw, th);
        double kx = region.width / (double) tw;
        double ky = region.height / (double) th;
        List<Box> mapped = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            Rectangle m = b.rect();
            int x0 = region.x + (int) Math.floor(m.x * kx);
            int y0 = region.y + (int) Math.floor(m.y * ky);
            int x1 = region.x + (int) Math.ceil((m.x + m.width) * kx);
            int y1 = region.y + (int) Math.ceil((m.y + m.height) * ky);
            x0 = Math.max(0, x0);
            y0 = Math.max(0, y0);
            x1 = Math.min(px.width, x1);
            y1 = Math.min(px.height, y1);
            if (x1 - x0 >= MIN_SIZE && y1 - y0 >= MIN_SIZE) {
                Rectangle rect = new Rectangle(x0, y0, x1 - x0, y1 - y0);
                Quad q = b.quad();
                Quad quad = Quad.of(rect);
                if (!q.axisAligned()) {
                    double ux = Math.cos(q.angle()) * kx;
                    double uy = Math.sin(q.angle()) * ky;
                    double vx = -Math.sin(q.angle()) * kx;
                    double vy = Math.cos(q.angle()) * ky;
                    quad = new Quad(region.x + q.cx() * kx, region.y + q.cy() * ky, Math.atan2(uy, ux),
                            q.length() * Math.hypot(ux, uy), q.thickness() * Math.hypot(vx, vy));
                }
                mapped.add(new Box(rect, b.score(), quad));
            }
        }
        return mapped;
    }

    /**
     * The unclipped boxes (in map pixels) of the 8-connected components of {@code prob > 0.3} that score enough;
     * a tilted, elongated component also gets its rotated box (principal axis of its pixels, unclipped the same way).
     */
    static List<Box> components(float[] prob, int w, int h) {
        List<Box> out = new ArrayList<>();
        int[] label = new int[w * h];
        int[] stack = new int[w * h];
        int[] members = new int[w * h];
        int next = 0;
        for (int start = 0; start < prob.length; start++) {
            if (prob[start] <= BINARY_THRESHOLD || label[start] != 0) {
                continue;
            }
            next++;
            int sp = 0;
            stack[sp++] = start;
            label[start] = next;
            int minX = w;
            int minY = h;
            int maxX = -1;
            int maxY = -1;
            double sum = 0;
            int count = 0;
            while (sp > 0) {
                int p = stack[--sp];
                members[count] = p;
                int x = p % w;
                int y = p / w;
                sum += prob[p];
                count++;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = y + dy;
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        if (nx < 0 || nx >= w) {
                            continue;
                        }
                        int q = ny * w + nx;
                        if (label[q] == 0 && prob[q] > BINARY_THRESHOLD) {
                            label[q] = next;
                            stack[sp++] = q;
                        }
                    }
                }
            }
            int bw = maxX - minX + 1;
            int bh = maxY - minY + 1;
            if (Math.min(bw, bh) < MIN_SIZE) {
                continue;
            }
            double score = sum / count;
            if (score < BOX_THRESHOLD) {
                continue;
            }
            double d = bw * (double) bh * UNCLIP_RATIO / (2.0 * (bw + bh));
            double x0 = minX - d;
            double y0 = minY - d;
            double x1 = maxX + 1 + d;
            double y1 = maxY + 1 + d;
            if (Math.min(x1 - x0, y1 - y0) < MIN_SIZE + 2) {
                continue;
            }
            int ix0 = (int) Math.max(0, Math.floor(x0));
            int iy0 = (int) Math.max(0, Math.floor(y0));
            int ix1 = (int) Math.min(w, Math.ceil(x1));
            int iy1 = (int) Math.min(h, Math.ceil(y1));
            Rectangle rect = new Rectangle(ix0, iy0, ix1 - ix0, iy1 - iy0);
            Quad tilted = tilted(members, count, w);
            out.add(tilted == null ? new Box(rect, score) : new Box(rect, score, tilted));
        }
        return out;
    }

    /**
     * The rotated, unclipped box of one component when its principal axis (second moments of its pixels) is tilted
     * by {@link #MIN_TILT_DEGREES}..{@link #MAX_TILT_DEGREES} and it is elongated enough; else null.
     */
    static Quad tilted(int[] members, int count, int w) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < count; i++) {
            mx += members[i] % w + 0.5;
            my += members[i] / w + 0.5;
        }
        mx /= count;
        my /= count;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < count; i++) {
            double dx = members[i] % w + 0.5 - mx;
            double dy = members[i] / w + 0.5 - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        double angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
        double deg = Math.abs(Math.toDegrees(angle));
        if (deg < MIN_TILT_DEGREES || deg > MAX_TILT_DEGREES) {
            return null;
        }
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double minU = Double.MAX_VALUE;
        double maxU = -Double.MAX_VALUE;
        double minV = Double.MAX_VALUE;
        double maxV = -Double.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            double dx = members[i] % w + 0.5 - mx;
            double dy = members[i] / w + 0.5 - my;
            double u = dx * c + dy * s;
            double v = -dx * s + dy * c;
            minU = Math.min(minU, u);
            maxU = Math.max(maxU, u);
            minV = Math.min(minV, v);
            maxV = Math.max(maxV, v);
        }
        double len = maxU - minU + 1;
        double thick = maxV - minV + 1;
        if (len < MIN_ELONGATION * thick) {
            return null;
        }
        double d = len * thick * UNCLIP_RATIO / (2.0 * (len + thick));
        double cu = (minU + maxU) / 2;
        double cv = (minV + maxV) / 2;
        return new Quad(mx + cu * c - cv * s, my + cu * s + cv * c, angle, len + 2 * d, thick + 2 * d);
    }
}
