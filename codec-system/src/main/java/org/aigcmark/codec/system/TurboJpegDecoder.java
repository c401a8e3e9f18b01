package org.aigcmark.codec.system;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;
import org.aigcmark.format.jpeg.JpegDecoder;
import org.aigcmark.io.PackedImages;

/**
 * libjpeg-turbo's TurboJPEG API (the system's libturbojpeg, 2.0 or later) through the JDK's foreign function API, for
 * detection's pixel checks. With the default accurate integer IDCT and fancy upsampling its pixels are libjpeg 6b's,
 * the library ImageIO bundles (the sdk asks only for YCbCr files without an ICC profile, where that holds; {@code
 * TurboJpegDecoderTest} compares every such fixture): 1080p decodes in about a third of ImageIO's time (SIMD IDCT,
 * upsampling and colour conversion), straight into the packed RGB the checks read. The TurboJPEG calls set up their
 * own error recovery (no libjpeg struct layouts or longjmp cross into Java). A warning (a truncated or corrupt scan)
 * stops the decode and leaves the file to ImageIO, so damaged files are read as before. Without the library every
 * call answers null (ImageIO decides).
 */
public final class TurboJpegDecoder implements JpegDecoder {
    private static final int TJCS_YCBCR = 1;
    private static final int TJPF_BGRA = 8; // little-endian BGRA bytes are the int 0xAARRGGBB; libjpeg-turbo writes alpha 0xFF
    private static final int TJFLAG_ACCURATEDCT = 4096; // the default already; said so that a build's default cannot change it
    private static final int TJFLAG_STOPONWARNING = 8192;
    private static final int TJFLAG_LIMITSCANS = 32768; // refuse progressive files with over 500 scans (a known CPU bomb)

    /** The library's entry points, or empty where it is not installed. */
    private record Lib(MethodHandle init, MethodHandle header, MethodHandle decompress, MethodHandle destroy, String file) {
        static final Optional<Lib> LOADED = load();

        private static Optional<Lib> load() {
            return SystemLibrary.firstLoadable(List.of("libturbojpeg.so.0", "libturbojpeg.so", "libturbojpeg.0.dylib", "turbojpeg.dll"),
                    (lib, linker, name) -> {
                        // critical: the byte and int arrays are passed in place (no copy of the file or the 8 MB of
                        // pixels); the calls are short and never call back into Java
                        Linker.Option heap = Linker.Option.critical(true);
                        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
                        ValueLayout p = ValueLayout.ADDRESS;
                        return new Lib(
                                linker.downcallHandle(lib.find("tjInitDecompress").orElseThrow(), FunctionDescriptor.of(p)),
                                linker.downcallHandle(lib.find("tjDecompressHeader3").orElseThrow(),
                                        FunctionDescriptor.of(i, p, p, ValueLayout.JAVA_LONG, p, p, p, p)),
                                linker.downcallHandle(lib.find("tjDecompress2").orElseThrow(),
                                        FunctionDescriptor.of(i, p, p, ValueLayout.JAVA_LONG, p, i, i, i, i, i), heap),
                                linker.downcallHandle(lib.find("tjDestroy").orElseThrow(), FunctionDescriptor.of(i, p)),
                                name);
                    });
        }
    }

    /** Whether libturbojpeg was found (for tests and notes). */
    public static boolean available() {
        return Lib.LOADED.isPresent();
    }

    @Override
    public BufferedImage decode(byte[] file) throws IOException {
        if (Lib.LOADED.isEmpty()) {
            return null;
        }
        Lib lib = Lib.LOADED.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) lib.init().invokeExact();
            if (handle.equals(MemorySegment.NULL)) {
                throw new IOException("tjInitDecompress failed");
            }
            try {
                MemorySegment dims = arena.allocate(ValueLayout.JAVA_INT, 4);
                MemorySegment src = arena.allocate(file.length);
                MemorySegment.copy(file, 0, src, ValueLayout.JAVA_BYTE, 0, file.length);
                int rc = (int) lib.header().invokeExact(handle, src, (long) file.length, dims,
                        dims.asSlice(4), dims.asSlice(8), dims.asSlice(12));
                int w = dims.getAtIndex(ValueLayout.JAVA_INT, 0);
                int h = dims.getAtIndex(ValueLayout.JAVA_INT, 1);
                if (rc != 0 || dims.getAtIndex(ValueLayout.JAVA_INT, 3) != TJCS_YCBCR || w <= 0 || h <= 0
                        || (long) w * h > Integer.MAX_VALUE - 8) {
                    return null; // not a file for this path (the sdk checked sizes against its limits already)
                }
                int[] pixels = new int[w * h];
                rc = (int) lib.decompress().invokeExact(handle, src, (long) file.length, MemorySegment.ofArray(pixels),
                        w, w * 4, h, TJPF_BGRA, TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS);
                if (rc != 0) {
                    return null; // an error or a warning: ImageIO reads it (and reports what it reports)
                }
                return PackedImages.wrap(pixels, w, h, false);
            } finally {
                int ignored = (int) lib.destroy().invokeExact(handle);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public String name() {
        return "libjpeg-turbo (TurboJPEG, " + Lib.LOADED.map(Lib::file).orElse("not installed") + ")";
    }
}
