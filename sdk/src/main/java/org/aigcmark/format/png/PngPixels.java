package org.aigcmark.format.png;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.Limits;
import org.aigcmark.io.PackedImages;

/**
 * Decodes a PNG and re-encodes changed pixels losslessly in the original's form: same colour type and bit depth
 * (a palette PNG keeps its palette when the new pixels fit it, new colours taking free entries; greyscale stays
 * greyscale when the new pixels are grey; 16-bit stays 16-bit), at zlib level 9 with a per-row filter chosen by
 * the minimum-sum-of-absolute-differences heuristic, as libpng does ({@link PngEncoder}). What could not be kept is
 * said in the notes. The original's ancillary chunks (text, XMP, EXIF, ICC, gamma, physical size, ...) are carried over in their
 * original places before or after the image data.
 */
final class PngPixels implements FormatHandler.PixelCodec {
    /** Ancillary chunks that describe the old pixel encoding and must not follow new pixels. */
    private static final Set<String> PIXEL_FORMAT_CHUNKS = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "sBIT",
            "hIST", "bKGD", "sPLT", "acTL", "fcTL", "fdAT");
    private static final String[] COLOUR_TYPE_NAMES = {"greyscale", "?", "true colour", "palette", "greyscale with alpha", "?", "true colour with alpha"};

    /** What the original's IHDR says about its pixel encoding. */
    record Ihdr(int bitDepth, int colourType, boolean interlaced) {
        static Ihdr of(byte[] file, PngChunks pc) {
            int p = pc.chunks.get(0).dataStart();
            return new Ihdr(file[p + 8] & 0xFF, file[p + 9] & 0xFF, (file[p + 12] & 0xFF) == 1);
        }

        /** Bits per pixel: the bit depth times the colour type's samples (palette: one index). */
        int bitsPerPixel() {
            int samples = switch (colourType) {
                case 2 -> 3;
                case 4 -> 2;
                case 6 -> 4;
                default -> 1;
            };
            return bitDepth * samples;
        }

        String describe() {
            String name = colourType < COLOUR_TYPE_NAMES.length ? COLOUR_TYPE_NAMES[colourType] : "?";
            return name + " (colour type " + colourType + "), " + bitDepth + "-bit";
        }
    }

    @Override
    public BufferedImage decode(byte[] file, Limits limits) {
        checked(file, limits);
        return readWithImageIo(file);
    }

    /**
     * For detection: an 8-bit true-colour PNG (with or without alpha, not interlaced, no tRNS) is read by {@link
     * #readTrueColour8} straight into the packed int image the checks read ({@code TYPE_INT_RGB}, or {@code
     * TYPE_INT_ARGB} with alpha): the same getRGB values as ImageIO's 3- or 4-byte image, in about half its time at
     * 1080p; every other PNG, and any file that reader does not finish, goes to {@link #decode}.
     */
    @Override
    public BufferedImage decodeForChecks(byte[] file, Limits limits) {
        PngChunks pc = checked(file, limits);
        Ihdr ihdr = Ihdr.of(file, pc);
        if (ihdr.bitDepth() == 8 && (ihdr.colourType() == 2 || ihdr.colourType() == 6) && !ihdr.interlaced()
                && pc.chunks.stream().noneMatch(c -> c.type().equals("tRNS"))) {
            BufferedImage img = readTrueColour8(file, pc, ihdr.colourType() == 6);
            if (img != null) {
                return img;
            }
        }
        return readWithImageIo(file);
    }

    /**
     * The rows of an 8-bit RGB or RGBA PNG, inflated from the IDAT chunks in place and unfiltered into packed ints,
     * or null when the stream ends early, is not zlib or has a bad filter type (ImageIO then decides, and refuses
     * with its reason). Hand-written because it is detection's hot path for PNG uploads: ImageIO's reader inflates
     * through a 512-byte stream buffer, copies each row into its raster, and the checks then repack the 3-byte image
     * into ints; a 1080p photo cost 47-55 ms of CPU, of which zlib's inflate itself is about two thirds.
     */
    static BufferedImage readTrueColour8(byte[] file, PngChunks pc, boolean alpha) {
        PngChunks.Chunk head = pc.chunks.get(0);
        long w = PngChunks.u32(file, head.dataStart());
        long h = PngChunks.u32(file, head.dataStart() + 4);
        int bpp = alpha ? 4 : 3;
        if (w <= 0 || h <= 0 || w * h > Integer.MAX_VALUE - 8 || w * bpp + 1 > Integer.MAX_VALUE - 8) {
            return null;
        }
        int width = (int) w;
        int height = (int) h;
        int stride = width * bpp;
        int[] out = new int[width * height];
        byte[] prev = new byte[stride];
        int rowBytes = stride + 1;
        if (Inflaters.FIRST.isPresent() && (long) height * rowBytes <= Integer.MAX_VALUE - 8) {
            byte[] raw = inflateWhole(file, pc, height * rowBytes);
            if (raw != null) {
                for (int y = 0; y < height; y++) {
                    if (!unfilterAndPack(raw, y * rowBytes, prev, bpp, alpha, out, y * width, width)) {
                        return null;
                    }
                }
                return PackedImages.wrap(out, width, height, alpha);
            }
        }
        // rows are inflated some 64 KiB at a time (fewer calls into zlib than a row at a time)
        int rowsABlock = Math.max(1, Math.min(height, 65536 / rowBytes));
        byte[] block = new byte[rowsABlock * rowBytes];
        java.util.zip.Inflater inf = new java.util.zip.Inflater();
        try {
            java.util.Iterator<PngChunks.Chunk> idat = pc.chunks.stream().filter(c -> c.type().equals("IDAT")).iterator();
            for (int y0 = 0; y0 < height; y0 += rowsABlock) {
                int rows = Math.min(rowsABlock, height - y0);
                int want = rows * rowBytes;
                int got = 0;
                while (got < want) {
                    int n = inf.inflate(block, got, want - got);
                    got += n;
                    if (n == 0) {
                        if (inf.finished() || inf.needsDictionary() || !inf.needsInput() || !idat.hasNext()) {
                            return null;
                        }
                        PngChunks.Chunk c = idat.next();
                        inf.setInput(file, c.dataStart(), c.dataLength());
                    }
                }
                for (int r = 0; r < rows; r++) {
                    if (!unfilterAndPack(block, r * rowBytes, prev, bpp, alpha, out, (y0 + r) * width, width)) {
                        return null;
                    }
                }
            }
        } catch (java.util.zip.DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
        return PackedImages.wrap(out, width, height, alpha);
    }

    private static final class Inflaters {
        static final java.util.Optional<ZlibInflater> FIRST = org.aigcmark.internal.Plugins.load(ZlibInflater.class).stream().findFirst();
    }

    /** The IDAT chunks' zlib stream inflated whole by the plugged-in inflater, or null (then the JDK's zlib reads it). */
    private static byte[] inflateWhole(byte[] file, PngChunks pc, int size) {
        List<PngChunks.Chunk> idat = pc.chunks.stream().filter(c -> c.type().equals("IDAT")).toList();
        if (idat.isEmpty()) {
            return null;
        }
        byte[] stream;
        int off;
        int len;
        if (idat.size() == 1) {
            stream = file;
            off = idat.get(0).dataStart();
            len = idat.get(0).dataLength();
        } else {
            long total = idat.stream().mapToLong(PngChunks.Chunk::dataLength).sum();
            if (total > file.length) {
                return null;
            }
            stream = new byte[(int) total];
            int at = 0;
            for (PngChunks.Chunk c : idat) {
                System.arraycopy(file, c.dataStart(), stream, at, c.dataLength());
                at += c.dataLength();
            }
            off = 0;
            len = stream.length;
        }
        byte[] raw = new byte[size];
        try {
            return Inflaters.FIRST.get().inflate(stream, off, len, raw) ? raw : null;
        } catch (RuntimeException | LinkageError e) {
            return null; // it cannot run here: the JDK's zlib reads it
        }
    }

    /** Unfilters the row at {@code buf[at]} (its filter type byte) against {@code prev}, packs it into {@code out}, and keeps it as the next row's {@code prev}. */
    private static boolean unfilterAndPack(byte[] buf, int at, byte[] prev, int bpp, boolean alpha, int[] out, int o, int width) {
        if (!unfilter(buf, at, prev, bpp)) {
            return false;
        }
        if (alpha) {
            for (int x = 0, i = at + 1; x < width; x++, i += 4) {
                out[o + x] = (buf[i + 3] & 0xff) << 24 | (buf[i] & 0xff) << 16 | (buf[i + 1] & 0xff) << 8 | (buf[i + 2] & 0xff);
            }
        } else {
            for (int x = 0, i = at + 1; x < width; x++, i += 3) {
                out[o + x] = 0xff000000 | (buf[i] & 0xff) << 16 | (buf[i + 1] & 0xff) << 8 | (buf[i + 2] & 0xff);
            }
        }
        System.arraycopy(buf, at + 1, prev, 0, prev.length);
        return true;
    }

    /**
     * Undoes a row's filter (PNG spec 9.2) in place: {@code buf[at]} is the filter type, the row's samples follow;
     * {@code prev} holds the unfiltered row above (zeros for the first). False for an unknown filter type.
     */
    private static boolean unfilter(byte[] buf, int at, byte[] prev, int bpp) {
        int n = prev.length;
        int s = at + 1; // the row's first sample
        switch (buf[at]) {
            case 0 -> { }
            case 1 -> {
                for (int i = bpp; i < n; i++) {
                    buf[s + i] += buf[s + i - bpp];
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    buf[s + i] += prev[i];
                }
            }
            case 3 -> {
                for (int i = 0; i < n; i++) {
                    int left = i >= bpp ? buf[s + i - bpp] & 0xff : 0;
                    buf[s + i] += (byte) ((left + (prev[i] & 0xff)) >>> 1);
                }
            }
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    int a = i >= bpp ? buf[s + i - bpp] & 0xff : 0;
                    int c = i >= bpp ? prev[i - bpp] & 0xff : 0;
                    buf[s + i] += (byte) PngEncoder.paeth(a, prev[i] & 0xff, c);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** decode's checks: not damaged, its sizes within the limits, not animated. */
    private static PngChunks checked(byte[] file, Limits limits) {
        PngChunks pc = PngChunks.parse(file);
        if (!pc.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot decode a damaged PNG: " + pc.damage.get(0));
        }
        PngChunks.Chunk ihdr = pc.chunks.get(0);
        long width = PngChunks.u32(file, ihdr.dataStart());
        long height = PngChunks.u32(file, ihdr.dataStart() + 4);
        limits.checkDecode(width, height, file.length, Limits.deflatePixelsPerByte(Ihdr.of(file, pc).bitsPerPixel()), "the PNG");
        if (pc.chunks.stream().anyMatch(c -> c.type().equals("acTL"))) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                    "animated PNG frames cannot be re-encoded; metadata labels still work");
        }
        return pc;
    }

    private static BufferedImage readWithImageIo(byte[] file) {
        try {
            // an in-memory stream: ImageIO.read(InputStream) first copies the bytes to a temp file (its cache)
            BufferedImage img = ImageIO.read(new javax.imageio.stream.MemoryCacheImageInputStream(new ByteArrayInputStream(file)));
            if (img == null) {
                throw AigcmarkException.corrupt("the PNG decoder returned no image");
            }
            if (img.getColorModel() instanceof IndexColorModel) {
                // Drawing on a palette raster would snap the label to the nearest entries: work in ARGB, and
                // map back to the palette on encode. getRGB/setRGB copy exact colours (drawImage would
                // premultiply, losing the colour of fully transparent entries).
                BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(),
                        img.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
                int w = img.getWidth();
                int[] row = new int[w];
                for (int y = 0; y < img.getHeight(); y++) {
                    img.getRGB(0, y, w, 1, row, 0, w);
                    rgb.setRGB(0, y, w, 1, row, 0, w);
                }
                return rgb;
            }
            return img;
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException ae) {
                throw ae;
            }
            throw AigcmarkException.corrupt("cannot decode the PNG pixels: " + e.getMessage());
        }
    }

    @Override
    public FormatHandler.Encoded encode(BufferedImage image, byte[] original, Limits limits) {
        PngChunks orig = PngChunks.parse(original);
        Ihdr was = Ihdr.of(original, orig);
        List<String> notes = new ArrayList<>();
        Plan plan = switch (was.colourType()) {
            case 3 -> asPalette(image, original, orig, was, notes);
            case 0, 4 -> asGrey(image, was, notes);
            default -> null;
        };
        if (plan == null) {
            plan = asTrueColour(image, was.bitDepth() == 16);
        }
        if (was.interlaced()) {
            notes.add("the PNG was Adam7-interlaced; the re-encoded one is not (same pixels, usually smaller)");
        }
        byte[] fresh = PngEncoder.encode(image.getWidth(), image.getHeight(), plan.colourType(), plan.bitDepth(),
                plan.plte(), plan.trns(), plan.rows());
        PngChunks neu = PngChunks.parse(fresh);
        Ihdr now = Ihdr.of(fresh, neu);
        if ((now.colourType() != was.colourType() || now.bitDepth() != was.bitDepth()) && notes.stream().noneMatch(n -> n.contains("written as") || n.contains("bit depth"))) {
            notes.add("the PNG was " + was.describe() + " and is now " + now.describe());
        }
        byte[] out = transplant(original, orig, fresh, neu);
        return FormatHandler.Encoded.of(out, original, "PNG", notes,
                "lossless at zlib level 9 with per-row filters, written as " + now.describe()
                + "; the new pixels (watermark noise, a label's anti-aliased edges) compress less well than the original's");
    }

    /** What to write: colour type, bit depth, palette and transparency chunks, and the scanlines. */
    private record Plan(int colourType, int bitDepth, byte[] plte, byte[] trns, PngEncoder.Rows rows) {}

    /** RGB or RGBA, 8-bit from the colour model, 16-bit from the raster's own samples when it has them. */
    private static Plan asTrueColour(BufferedImage image, boolean sixteen) {
        boolean alpha = image.getColorModel().hasAlpha();
        int w = image.getWidth();
        int channels = alpha ? 4 : 3;
        java.awt.image.Raster raster = image.getRaster();
        boolean rasterIs16 = raster.getNumBands() == channels && raster.getSampleModel().getSampleSize(0) == 16
                && image.getColorModel().getColorSpace().isCS_sRGB();
        if (sixteen && rasterIs16) {
            int[] samples = new int[w * channels];
            return new Plan(alpha ? 6 : 2, 16, null, null, (y, dst) -> {
                raster.getPixels(0, y, w, 1, samples);
                for (int i = 0; i < samples.length; i++) {
                    dst[2 * i] = (byte) (samples[i] >> 8);
                    dst[2 * i + 1] = (byte) samples[i];
                }
            });
        }
        int[] argb = new int[w];
        int depth = sixteen ? 16 : 8;
        return new Plan(alpha ? 6 : 2, depth, null, null, (y, dst) -> {
            image.getRGB(0, y, w, 1, argb, 0, w);
            int p = 0;
            for (int x = 0; x < w; x++) {
                int c = argb[x];
                for (int k = 0; k < channels; k++) {
                    int v = k == 3 ? c >>> 24 : c >> (16 - 8 * k) & 0xFF;
                    dst[p++] = (byte) v;
                    if (depth == 16) {
                        dst[p++] = (byte) v; // 8-bit v as 16-bit is v * 257: both bytes equal
                    }
                }
            }
        });
    }

    /**
     * The original palette, in its order (unchanged pixels keep their index), with colours the new pixels need
     * appended while there is room (2^bitDepth entries, at most 256; the depth grows when a small palette fills).
     * A label drawn on a photo's full 256-entry palette does not fit: null then (true colour), with a note.
     */
    private static Plan asPalette(BufferedImage image, byte[] original, PngChunks orig, Ihdr was, List<String> notes) {
        List<Integer> entries = new ArrayList<>();
        Map<Integer, Integer> index = new HashMap<>();
        int transparentIndex = -1;
        byte[] trns = null;
        for (PngChunks.Chunk c : orig.chunks) {
            if (c.type().equals("tRNS")) {
                trns = java.util.Arrays.copyOfRange(original, c.dataStart(), c.dataStart() + c.dataLength());
            }
        }
        for (PngChunks.Chunk c : orig.chunks) {
            if (c.type().equals("PLTE")) {
                for (int i = 0; i + 2 < c.dataLength() && entries.size() < 256; i += 3) {
                    int p = c.dataStart() + i;
                    int alpha = trns != null && i / 3 < trns.length ? trns[i / 3] & 0xFF : 0xFF;
                    int argb = alpha << 24 | (original[p] & 0xFF) << 16 | (original[p + 1] & 0xFF) << 8 | (original[p + 2] & 0xFF);
                    index.putIfAbsent(argb, entries.size());
                    if (alpha == 0 && transparentIndex < 0) {
                        transparentIndex = entries.size();
                    }
                    entries.add(argb);
                }
            }
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        byte[] indices = new byte[Math.multiplyExact(w, h)];
        int[] row = new int[w];
        int added = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = alpha ? row[x] : row[x] | 0xFF000000;
                Integer i = (argb >>> 24) == 0 && transparentIndex >= 0 ? Integer.valueOf(transparentIndex) : index.get(argb);
                if (i == null) {
                    if (entries.size() == 256) {
                        notes.add("the palette PNG's 256 entries cannot hold the new pixels' colours ("
                                + (added == 0 ? "all were in use" : added + " new colours fitted before it filled") + "): written as "
                                + (alpha ? "true colour with alpha (colour type 6)" : "true colour (colour type 2)") + ", 8-bit");
                        return null;
                    }
                    i = entries.size();
                    entries.add(argb);
                    index.put(argb, i);
                    added++;
                }
                indices[y * w + x] = (byte) (int) i;
            }
        }
        int bits = was.bitDepth();
        while ((1 << bits) < entries.size()) {
            bits *= 2;
        }
        if (bits != was.bitDepth()) {
            notes.add("the palette PNG needed " + entries.size() + " entries for the new pixels: bit depth " + was.bitDepth() + " -> " + bits);
        }
        int n = entries.size();
        byte[] plte = new byte[3 * n];
        int lastTranslucent = -1;
        for (int i = 0; i < n; i++) {
            int c = entries.get(i);
            plte[3 * i] = (byte) (c >> 16);
            plte[3 * i + 1] = (byte) (c >> 8);
            plte[3 * i + 2] = (byte) c;
            if ((c >>> 24) != 0xFF) {
                lastTranslucent = i;
            }
        }
        byte[] newTrns = null;
        if (lastTranslucent >= 0) {
            newTrns = new byte[lastTranslucent + 1];
            for (int i = 0; i <= lastTranslucent; i++) {
                newTrns[i] = (byte) (entries.get(i) >>> 24);
            }
        }
        int depth = bits;
        int perByte = 8 / depth;
        return new Plan(3, depth, plte, newTrns, (y, dst) -> {
            java.util.Arrays.fill(dst, (byte) 0);
            for (int x = 0; x < w; x++) {
                int v = indices[y * w + x] & 0xFF;
                if (depth == 8) {
                    dst[x] = (byte) v;
                } else {
                    int shift = 8 - depth * (x % perByte + 1);
                    dst[x / perByte] |= (byte) (v << shift);
                }
            }
        });
    }

    /** Greyscale (with alpha for colour type 4) at 8 or 16 bits when every pixel is grey; else null (true colour) with a note. */
    private static Plan asGrey(BufferedImage image, Ihdr was, List<String> notes) {
        boolean alpha = was.colourType() == 4;
        int w = image.getWidth();
        int channels = alpha ? 2 : 1;
        java.awt.image.Raster raster = image.getRaster();
        int depth = Math.max(8, was.bitDepth());
        if (was.bitDepth() < 8) {
            notes.add("the " + was.bitDepth() + "-bit greyscale PNG is written 8-bit: the new pixels need more grey levels");
        }
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY && raster.getNumBands() == channels
                && raster.getSampleModel().getSampleSize(0) == depth) {
            // Drawn on in grey: write the raster's own samples (16-bit ones keep their low bytes).
            int[] samples = new int[w * channels];
            return new Plan(was.colourType(), depth, null, null, (y, dst) -> {
                raster.getPixels(0, y, w, 1, samples);
                for (int i = 0; i < samples.length; i++) {
                    if (depth == 16) {
                        dst[2 * i] = (byte) (samples[i] >> 8);
                        dst[2 * i + 1] = (byte) samples[i];
                    } else {
                        dst[i] = (byte) samples[i];
                    }
                }
            });
        }
        int[] row = new int[w];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int c = row[x];
                if ((c >> 16 & 0xFF) != (c >> 8 & 0xFF) || (c >> 8 & 0xFF) != (c & 0xFF)) {
                    notes.add("the greyscale PNG's new pixels are not grey (first at " + x + "," + y + "): written as true colour");
                    return null;
                }
            }
        }
        int[] argb = new int[w];
        return new Plan(was.colourType(), depth, null, null, (y, dst) -> {
            image.getRGB(0, y, w, 1, argb, 0, w);
            int p = 0;
            for (int x = 0; x < w; x++) {
                int grey = argb[x] & 0xFF;
                int a = argb[x] >>> 24;
                dst[p++] = (byte) grey;
                if (depth == 16) {
                    dst[p++] = (byte) grey;
                }
                if (alpha) {
                    dst[p++] = (byte) a;
                    if (depth == 16) {
                        dst[p++] = (byte) a;
                    }
                }
            }
        });
    }

    /** New IHDR, the original's ancillary chunks in their places, the new palette and image data where the original's stood. */
    private static byte[] transplant(byte[] original, PngChunks orig, byte[] fresh, PngChunks neu) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(fresh.length + 65536);
        out.write(PngChunks.SIGNATURE, 0, PngChunks.SIGNATURE.length);
        PngChunks.Chunk newIhdr = neu.chunks.get(0);
        out.write(fresh, newIhdr.start(), newIhdr.end() - newIhdr.start());
        boolean wroteData = false;
        for (PngChunks.Chunk c : orig.chunks) {
            if (c.type().equals("IDAT") && !wroteData) {
                for (PngChunks.Chunk n : neu.chunks) {
                    if (!n.type().equals("IHDR") && !n.type().equals("IEND") && PIXEL_FORMAT_CHUNKS.contains(n.type())) {
                        out.write(fresh, n.start(), n.end() - n.start());
                    }
                }
                wroteData = true;
            }
            if (PIXEL_FORMAT_CHUNKS.contains(c.type())) {
                continue;
            }
            out.write(original, c.start(), c.end() - c.start());
        }
        for (PngChunks.Chunk n : neu.chunks) {
            if (n.type().equals("IEND")) {
                out.write(fresh, n.start(), n.end() - n.start());
            }
        }
        return out.toByteArray();
    }
}
