/*
 * C versions of the image watermark's row loops (sdk: org.aigcmark.watermark.RowKernels, PixelKernels).
 * Same float operations in the same order as the Java scalar path, compiled with -ffp-contract=off (no FMA) and
 * without -ffast-math, so results are bit-identical (tested). GCC auto-vectorises the loops for the target ISA.
 */
#include <jni.h>
#include <stdint.h>

static inline int channel(int c, float d) {
    float v = (float) c + d;
    v = v < 0.0f ? 0.0f : v;           /* Math.max(0f, Math.min(255f, v)) */
    v = v > 255.0f ? 255.0f : v;
    return (int) (v + 0.5f);            /* Java (int) truncates toward zero; v + 0.5 >= 0.5 here */
}

static void embed_segment(int32_t *px, const float *gain, const float *pattern, int n) {
    for (int i = 0; i < n; i++) {
        uint32_t c = (uint32_t) px[i];
        float d = gain[i] * pattern[i];
        uint32_t r = (uint32_t) channel((int) ((c >> 16) & 0xff), d);
        uint32_t g = (uint32_t) channel((int) ((c >> 8) & 0xff), d);
        uint32_t b = (uint32_t) channel((int) (c & 0xff), d);
        px[i] = (int32_t) ((c & 0xff000000u) | (r << 16) | (g << 8) | b);
    }
}

JNIEXPORT void JNICALL Java_org_aigcmark_natives_NativeRowKernels_embedRowRgb0(JNIEnv *env, jclass cls,
        jintArray pxArr, jint off, jint width, jfloatArray gainArr, jfloatArray patArr, jint patternRow, jint period) {
    (void) cls;
    jint *px = (*env)->GetPrimitiveArrayCritical(env, pxArr, NULL);
    jfloat *gain = (*env)->GetPrimitiveArrayCritical(env, gainArr, NULL);
    jfloat *pat = (*env)->GetPrimitiveArrayCritical(env, patArr, NULL);
    if (px && gain && pat) {
        int x = 0;
        while (x < width) {
            int p = x % period;
            int n = period - p < width - x ? period - p : width - x;
            embed_segment((int32_t *) px + off + x, gain + x, pat + patternRow + p, n);
            x += n;
        }
    }
    if (pat) (*env)->ReleasePrimitiveArrayCritical(env, patArr, pat, JNI_ABORT);
    if (gain) (*env)->ReleasePrimitiveArrayCritical(env, gainArr, gain, JNI_ABORT);
    if (px) (*env)->ReleasePrimitiveArrayCritical(env, pxArr, px, 0);
}

JNIEXPORT void JNICALL Java_org_aigcmark_natives_NativeRowKernels_lumaRow0(JNIEnv *env, jclass cls,
        jintArray pxArr, jint off, jint width, jfloatArray outArr) {
    (void) cls;
    jint *px = (*env)->GetPrimitiveArrayCritical(env, pxArr, NULL);
    jfloat *out = (*env)->GetPrimitiveArrayCritical(env, outArr, NULL);
    if (px && out) {
        const uint32_t *p = (const uint32_t *) px + off;
        for (int x = 0; x < width; x++) {
            uint32_t c = p[x];
            float r = (float) ((c >> 16) & 0xff);
            float g = (float) ((c >> 8) & 0xff);
            float b = (float) (c & 0xff);
            out[x] = 0.299f * r + 0.587f * g + 0.114f * b;
        }
    }
    if (out) (*env)->ReleasePrimitiveArrayCritical(env, outArr, out, 0);
    if (px) (*env)->ReleasePrimitiveArrayCritical(env, pxArr, px, JNI_ABORT);
}
