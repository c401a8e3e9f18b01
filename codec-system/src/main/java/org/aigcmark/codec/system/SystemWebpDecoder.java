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
import java.util.concurrent.atomic.AtomicBoolean;
import org.aigcmark.format.webp.WebpDecoder;
import org.aigcmark.io.PackedImages;

/**
 * The system's libwebp (libwebp.so.7, 1.x) through the JDK's foreign function API, for detection's pixel checks:
 * libwebp's simple decoding API with its defaults (fancy chroma upsampling), so dwebp's pixels, written straight into
 * the packed RGB the checks read (little-endian BGRA bytes are the int 0xAARRGGBB; libwebp writes alpha 0xFF for an
 * opaque image), with no native buffer or copy in between and no library unpacked to a temp folder. The system's copy
 * is the one the distribution patches (libwebp has had heap overflows reachable from a file, CVE-2023-4863). Without
 * the library every call answers null once a warning has been logged, and the next WebP decoder decides
 * (aigcmark-codec-webp's bundled libwebp, else the sdk's pure-Java reader).
 */
public final class SystemWebpDecoder implements WebpDecoder {
    private static final System.Logger LOG = System.getLogger(SystemWebpDecoder.class.getName());
    private static final AtomicBoolean SAID_MISSING = new AtomicBoolean();
    /** WEBP_DECODER_ABI_VERSION of libwebp 1.2; the library accepts any minor version of its major ABI (2). */
    private static final int DECODER_ABI = 0x0209;

    /** The library's entry points, or empty where it is not installed. */
    private record Lib(MethodHandle features, MethodHandle decodeBgraInto, MethodHandle version, String file) {
        static final Optional<Lib> LOADED = load();

        private static Optional<Lib> load() {
            return SystemLibrary.firstLoadable(List.of("libwebp.so.7", "libwebp.so", "libwebp.7.dylib", "libwebp.dylib", "libwebp.dll"),
                    (lib, linker, name) -> {
                        // critical: the file's bytes and the pixels are passed in place (no copy of either); the calls
                        // never call back into Java
                        Linker.Option heap = Linker.Option.critical(true);
                        ValueLayout p = ValueLayout.ADDRESS;
                        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
                        ValueLayout.OfLong size = ValueLayout.JAVA_LONG;
                        return new Lib(
                                linker.downcallHandle(lib.find("WebPGetFeaturesInternal").orElseThrow(), FunctionDescriptor.of(i, p, size, p, i), heap),
                                linker.downcallHandle(lib.find("WebPDecodeBGRAInto").orElseThrow(), FunctionDescriptor.of(p, p, size, p, size, i), heap),
                                linker.downcallHandle(lib.find("WebPGetDecoderVersion").orElseThrow(), FunctionDescriptor.of(i)),
                                name);
                    });
        }
    }

    /** Whether libwebp was found (for tests and notes). */
    public static boolean available() {
        return Lib.LOADED.isPresent();
    }

    @Override
    public BufferedImage decode(byte[] file) throws IOException {
        if (Lib.LOADED.isEmpty()) {
            if (SAID_MISSING.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "the system's libwebp (libwebp.so.7; Debian and Ubuntu: libwebp7) is not "
                        + "installed: detection decodes WebP with the next decoder (aigcmark-codec-webp's libwebp, else the pure-Java reader)");
            }
            return null;
        }
        Lib lib = Lib.LOADED.get();
        try (Arena arena = Arena.ofConfined()) {
            // WebPBitstreamFeatures: width, height, has_alpha, has_animation, format, then five ints of padding
            MemorySegment features = arena.allocate(ValueLayout.JAVA_INT, 10);
            MemorySegment src = MemorySegment.ofArray(file);
            int status = (int) lib.features().invokeExact(src, (long) file.length, features, DECODER_ABI);
            int w = features.getAtIndex(ValueLayout.JAVA_INT, 0);
            int h = features.getAtIndex(ValueLayout.JAVA_INT, 1);
            boolean alpha = features.getAtIndex(ValueLayout.JAVA_INT, 2) != 0;
            if (status != 0 || features.getAtIndex(ValueLayout.JAVA_INT, 3) != 0 || w <= 0 || h <= 0
                    || (long) w * h > (Integer.MAX_VALUE - 8) / 4) {
                return null; // not a still image this path takes (the sdk checked the sizes against its limits already)
            }
            int[] pixels = new int[w * h];
            MemorySegment out = (MemorySegment) lib.decodeBgraInto().invokeExact(src, (long) file.length,
                    MemorySegment.ofArray(pixels), (long) pixels.length * 4, w * 4);
            if (out.equals(MemorySegment.NULL)) {
                return null; // libwebp refused it: the next decoder reads it (and reports what it reports)
            }
            return PackedImages.wrap(pixels, w, h, alpha);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public String name() {
        return Lib.LOADED.map(lib -> "libwebp " + version(lib) + " (the system's " + lib.file() + ")")
                .orElse("the system's libwebp (not installed)");
    }

    private static String version(Lib lib) {
        try {
            int v = (int) lib.version().invokeExact();
            return (v >>> 16) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
        } catch (Throwable t) {
            return "?";
        }
    }
}
