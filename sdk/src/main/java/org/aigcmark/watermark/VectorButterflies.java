package org.aigcmark.watermark;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DetectionFft}'s butterfly passes with the Vector API: the scalar loop's float operations lane by lane, in the
 * same order (a multiply, then an add: no fused multiply-add), so the same bits. Sequences beyond the last whole
 * vector go to the scalar passes (each sequence is transformed on its own). Loaded by name only when
 * {@code jdk.incubator.vector} is in the boot layer.
 */
final class VectorButterflies implements DetectionFft.Butterflies {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public void run(DetectionFft f, float[] re, float[] im, int off, int stride, int width) {
        int bound = S.loopBound(width);
        int n = f.n;
        float[] cos = f.cos;
        float[] sin = f.sin;
        int len = 2;
        for (; 2 * len <= n; len <<= 2) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += 2 * len) {
                for (int k = 0; k < half; k++) {
                    float wr = cos[k * step];
                    float wi = sin[k * step];
                    float ur = cos[k * step / 2];
                    float ui = sin[k * step / 2];
                    float vr = cos[(k + half) * step / 2];
                    float vi = sin[(k + half) * step / 2];
                    int r0 = (start + k) * stride + off;
                    int r1 = r0 + half * stride;
                    int r2 = r0 + len * stride;
                    int r3 = r2 + half * stride;
                    for (int c = 0; c < bound; c += S.length()) {
                        FloatVector br = FloatVector.fromArray(S, re, r1 + c);
                        FloatVector bi = FloatVector.fromArray(S, im, r1 + c);
                        FloatVector xr = br.mul(wr).sub(bi.mul(wi));
                        FloatVector xi = br.mul(wi).add(bi.mul(wr));
                        FloatVector ar = FloatVector.fromArray(S, re, r0 + c);
                        FloatVector ai = FloatVector.fromArray(S, im, r0 + c);
                        FloatVector a1r = ar.sub(xr);
                        FloatVector a1i = ai.sub(xi);
                        FloatVector a0r = ar.add(xr);
                        FloatVector a0i = ai.add(xi);
                        FloatVector dr = FloatVector.fromArray(S, re, r3 + c);
                        FloatVector di = FloatVector.fromArray(S, im, r3 + c);
                        FloatVector yr = dr.mul(wr).sub(di.mul(wi));
                        FloatVector yi = dr.mul(wi).add(di.mul(wr));
                        FloatVector cr = FloatVector.fromArray(S, re, r2 + c);
                        FloatVector ci = FloatVector.fromArray(S, im, r2 + c);
                        FloatVector a3r = cr.sub(yr);
                        FloatVector a3i = ci.sub(yi);
                        FloatVector a2r = cr.add(yr);
                        FloatVector a2i = ci.add(yi);
                        FloatVector pr = a2r.mul(ur).sub(a2i.mul(ui));
                        FloatVector pi = a2r.mul(ui).add(a2i.mul(ur));
                        a0r.sub(pr).intoArray(re, r2 + c);
                        a0i.sub(pi).intoArray(im, r2 + c);
                        a0r.add(pr).intoArray(re, r0 + c);
                        a0i.add(pi).intoArray(im, r0 + c);
                        FloatVector qr = a3r.mul(vr).sub(a3i.mul(vi));
                        FloatVector qi = a3r.mul(vi).add(a3i.mul(vr));
                        a1r.sub(qr).intoArray(re, r3 + c);
                        a1i.sub(qi).intoArray(im, r3 + c);
                        a1r.add(qr).intoArray(re, r1 + c);
                        a1i.add(qi).intoArray(im, r1 + c);
                    }
                }
            }
        }
        for (; len <= n; len <<= 1) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    float wr = cos[k * step];
                    float wi = sin[k * step];
                    int a = (start + k) * stride + off;
                    int b = a + half * stride;
                    for (int c = 0; c < bound; c += S.length()) {
                        FloatVector br = FloatVector.fromArray(S, re, b + c);
                        FloatVector bi = FloatVector.fromArray(S, im, b + c);
                        FloatVector xr = br.mul(wr).sub(bi.mul(wi));
                        FloatVector xi = br.mul(wi).add(bi.mul(wr));
                        FloatVector ar = FloatVector.fromArray(S, re, a + c);
                        FloatVector ai = FloatVector.fromArray(S, im, a + c);
                        ar.sub(xr).intoArray(re, b + c);
                        ai.sub(xi).intoArray(im, b + c);
                        ar.add(xr).intoArray(re, a + c);
                        ai.add(xi).intoArray(im, a + c);
                    }
                }
            }
        }
        if (bound < width) {
            f.butterflies(re, im, off + bound, stride, width - bound);
        }
    }
}
