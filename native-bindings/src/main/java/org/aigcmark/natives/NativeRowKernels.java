package org.aigcmark.natives;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.aigcmark.watermark.RowKernels;

/**
 * The watermark's row loops in C (JNI), found by the sdk through {@link java.util.ServiceLoader} as a
 * {@link RowKernels} when this jar is on the class or module path, and used only when asked for
 * ({@code WatermarkOptions.Kernels.NATIVE}). Library loading, in order: {@code -Daigcmark.native.path=FILE}; the
 * library bundled in this jar at {@code /native/<os>-<arch>/libaigcmark_native.so}, copied to a temp file and
 * {@code System.load}ed; otherwise unavailable ({@link #available()} is false and the sdk keeps its Java kernels).
 * {@code -Daigcmark.native.skip=true} turns it off. Loading is logged at DEBUG; a failure at INFO, once.
 */
public final class NativeRowKernels implements RowKernels {
    private static final System.Logger LOG = System.getLogger(NativeRowKernels.class.getName());
    private static final boolean LOADED = load();

    @Override
    public boolean available() {
        return LOADED;
    }

    @Override
    public void embedRowRgb(int[] px, int off, int width, float[] gain, float[] pattern, int patternRow, int period) {
        if (off < 0 || width < 0 || off + width > px.length || width > gain.length || period <= 0
                || patternRow < 0 || patternRow + period > pattern.length) {
            throw new IndexOutOfBoundsException("embedRowRgb arguments out of range");
        }
        embedRowRgb0(px, off, width, gain, pattern, patternRow, period);
    }

    @Override
    public void lumaRow(int[] px, int off, int width, float[] out) {
        if (off < 0 || width < 0 || off + width > px.length || width > out.length) {
            throw new IndexOutOfBoundsException("lumaRow arguments out of range");
        }
        lumaRow0(px, off, width, out);
    }

    private static native void embedRowRgb0(int[] px, int off, int width, float[] gain, float[] pattern, int patternRow, int period);

    private static native void lumaRow0(int[] px, int off, int width, float[] out);

    private static boolean load() {
        if (Boolean.getBoolean("aigcmark.native.skip")) {
            return false;
        }
        try {
            String explicit = System.getProperty("aigcmark.native.path");
            if (explicit != null) {
                System.load(Path.of(explicit).toAbsolutePath().toString());
                return true;
            }
            String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux") ? "linux" : "other";
            String arch = System.getProperty("os.arch").replace("amd64", "x86_64");
            String resource = "/native/" + os + "-" + arch + "/libaigcmark_native.so";
            try (InputStream in = NativeRowKernels.class.getResourceAsStream(resource)) {
                if (in == null) {
                    LOG.log(Level.INFO, "no native watermark kernels for " + os + "-" + arch + " in this jar; using Java kernels");
                    return false;
                }
                Path tmp = Files.createTempFile("aigcmark-native", ".so");
                tmp.toFile().deleteOnExit();
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                System.load(tmp.toAbsolutePath().toString());
                LOG.log(Level.DEBUG, "loaded native watermark kernels from " + resource);
                return true;
            }
        } catch (IOException | LinkageError | SecurityException e) {
            LOG.log(Level.INFO, "native watermark kernels could not be loaded (" + e + "); using Java kernels");
            return false;
        }
    }
}
