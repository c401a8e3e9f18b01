package org.aigcmark.format.webp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.PresentationDigest;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.exif.Exif;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;

/**
 * WebP (RIFF): XMP in the {@code XMP } chunk with the VP8X XMP flag set. A simple (VP8/VP8L-only) file gets a
 * VP8X header made from its bitstream's dimensions. Chunk surgery is by hand: no Java library writes WebP
 * metadata, and the bitstream chunks must stay byte-identical.
 */
public final class WebpHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final Set<String> CONTENT_CHUNKS = Set.of("VP8 ", "VP8L", "ALPH", "ANIM", "ANMF");
    static final int FLAG_ANIMATION = 0x02;
    static final int FLAG_XMP = 0x04;
    static final int FLAG_EXIF = 0x08;
    static final int FLAG_ALPHA = 0x10;
    static final int FLAG_ICC = 0x20;

    record Chunk(String id, int start, int dataStart, int size) {
        int end() {
            return dataStart + size + (size & 1);
        }
    }

    record Parsed(List<Chunk> chunks, List<String> damage) {}

    @Override
    public MediaType type() {
        return MediaType.WEBP;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public Optional<PixelCodec> pixels() {
        return Optional.of(new WebpPixels());
    }

    static Parsed parse(byte[] b) {
        List<Chunk> chunks = new ArrayList<>();
        List<String> damage = new ArrayList<>();
        long riffSize = u32le(b, 4);
        long end = riffSize + 8;
        if (end > b.length) {
            damage.add("the RIFF header declares " + riffSize + " bytes but the file holds " + (b.length - 8)
                    + " (truncated, or the size lies)");
            end = b.length;
        }
        int p = 12;
        while (p + 8 <= end) {
            String id = new String(b, p, 4, StandardCharsets.ISO_8859_1);
            long size = u32le(b, p + 4);
            if (p + 8 + size > end) {
                damage.add("chunk '" + id + "' at byte " + p + " declares " + size + " bytes, past the end of the file");
                break;
            }
            if (chunks.size() > 10_000) {
                damage.add("more than 10000 chunks");
                break;
            }
            chunks.add(new Chunk(id, p, p + 8, (int) size));
            p += 8 + (int) size + (int) (size & 1);
        }
        if (chunks.stream().noneMatch(c -> CONTENT_CHUNKS.contains(c.id()))) {
            damage.add("no image data chunk (VP8, VP8L or ANMF)");
        }
        return new Parsed(chunks, damage);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.WEBP);
        Parsed parsed = parse(b);
        scan.damage().addAll(parsed.damage());
        for (Chunk c : parsed.chunks()) {
            switch (c.id()) {
                case "VP8X", "VP8 ", "VP8L" -> {
                    int[] wh = dimensions(b, c);
                    if (wh != null && scan.width() < 0) {
                        scan.dimensions(wh[0], wh[1]);
                        if ((long) wh[0] * wh[1] > limits.maxPixels()) {
                            scan.damage().add("declares " + wh[0] + "x" + wh[1] + " pixels, over the limit of " + limits.maxPixels());
                        }
                    }
                }
                case "XMP " -> Xmp.scan(new String(b, c.dataStart(), c.size(), StandardCharsets.UTF_8), "xmp", scan);
                case "EXIF" -> {
                    int off = c.dataStart();
                    int len = c.size();
                    if (len >= 6 && new String(b, off, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                        off += 6;
                        len -= 6;
                    }
                    Exif.scan(b, off, len, "exif", scan);
                }
                case "C2PA" -> scan.addC2pa("webp-C2PA", java.util.Arrays.copyOfRange(b, c.dataStart(), c.dataStart() + c.size()));
                default -> {
                    if (c.id().toUpperCase(java.util.Locale.ROOT).contains("AIGC")) {
                        String t = new String(b, c.dataStart(), c.size(), StandardCharsets.UTF_8);
                        if (LabelParser.parse(t).isPresent()) {
                            scan.addSlot("webp-" + c.id().strip(), t);
                        }
                    }
                }
            }
        }
        return scan;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        Parsed parsed = parse(b);
        if (!parsed.damage().isEmpty()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged WebP: " + parsed.damage().get(0));
        }
        List<Chunk> chunks = parsed.chunks();
        String existingXmp = null;
        for (Chunk c : chunks) {
            if (c.id().equals("XMP ")) {
                existingXmp = new String(b, c.dataStart(), c.size(), StandardCharsets.UTF_8);
                break;
            }
        }
        byte[] packet = Xmp.withLabel(existingXmp, label.toBareJson()).getBytes(StandardCharsets.UTF_8);
        boolean hasAlpha = chunks.stream().anyMatch(c -> c.id().equals("ALPH"));
        boolean hasExif = chunks.stream().anyMatch(c -> c.id().equals("EXIF"));
        boolean hasIcc = chunks.stream().anyMatch(c -> c.id().equals("ICCP"));
        Chunk vp8x = chunks.stream().filter(c -> c.id().equals("VP8X")).findFirst().orElse(null);
        // One buffer for the whole file, sized exactly so that it is the result, the RIFF size patched in at the end
        // (no second buffer, no copy between them, no final copy).
        long size = 12 + (vp8x == null ? 8 + 10 : 0) + 8 + packet.length + (packet.length & 1);
        for (Chunk c : chunks) {
            if (!c.id().equals("XMP ") && !isLabelChunk(b, c)) {
                size += c.end() - c.start(); // VP8X and EXIF keep their length when rewritten
            }
        }
        RiffOutput body = new RiffOutput((int) Math.min(size, Integer.MAX_VALUE - 16));
        body.write('R');
        body.write('I');
        body.write('F');
        body.write('F');
        writeU32le(body, 0); // the RIFF size, patched by riff()
        body.write('W');
        body.write('E');
        body.write('B');
        body.write('P');
        if (vp8x == null) {
            Chunk bitstream = chunks.stream().filter(c -> c.id().equals("VP8 ") || c.id().equals("VP8L")).findFirst()
                    .orElseThrow(() -> AigcmarkException.corrupt("WebP without a VP8/VP8L bitstream"));
            int[] wh = dimensions(b, bitstream);
            if (wh == null) {
                throw AigcmarkException.corrupt("cannot read the WebP bitstream's dimensions");
            }
            boolean alpha = hasAlpha || (bitstream.id().equals("VP8L") && bitstream.size() >= 5
                    && ((u32le(b, bitstream.dataStart() + 1) >> 28) & 1) == 1);
            int flags = FLAG_XMP | (alpha ? FLAG_ALPHA : 0) | (hasExif ? FLAG_EXIF : 0) | (hasIcc ? FLAG_ICC : 0);
            writeChunk(body, "VP8X", vp8xData(flags, wh[0], wh[1]));
        }
        for (Chunk c : chunks) {
            if (c.id().equals("XMP ")) {
                continue; // the one new packet is appended below
            }
            if (c.id().equals("VP8X")) {
                byte[] d = java.util.Arrays.copyOfRange(b, c.dataStart(), c.dataStart() + c.size());
                d[0] |= FLAG_XMP;
                writeChunk(body, "VP8X", d);
                continue;
            }
            if (c.id().equals("EXIF")) {
                byte[] d = java.util.Arrays.copyOfRange(b, c.dataStart(), c.dataStart() + c.size());
                int off = d.length >= 6 && new String(d, 0, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0") ? 6 : 0;
                Exif.clearLabels(d, off, d.length - off);
                writeChunk(body, "EXIF", d);
                continue;
            }
            if (isLabelChunk(b, c)) {
                continue;
            }
            body.write(b, c.start(), c.end() - c.start());
        }
        writeChunk(body, "XMP ", packet);
        return body.riff();
    }

    /** A chunk of its own holding a record (replaced by the one in XMP). */
    private static boolean isLabelChunk(byte[] b, Chunk c) {
        return c.id().toUpperCase(java.util.Locale.ROOT).contains("AIGC")
                && LabelParser.parse(new String(b, c.dataStart(), c.size(), StandardCharsets.UTF_8)).isPresent();
    }

    /** A RIFF file being written: its size field (bytes 4-7) is filled in by {@link #riff()}. */
    private static final class RiffOutput extends ByteArrayOutputStream {
        RiffOutput(int capacity) {
            super(capacity);
        }

        /** The file, its RIFF size set to what follows the 8-byte header; the buffer itself when it is full. */
        byte[] riff() {
            long size = count - 8L;
            buf[4] = (byte) size;
            buf[5] = (byte) (size >> 8);
            buf[6] = (byte) (size >> 16);
            buf[7] = (byte) (size >> 24);
            return count == buf.length ? buf : java.util.Arrays.copyOf(buf, count);
        }
    }

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        Parsed parsed = parse(b);
        if (!parsed.damage().isEmpty()) {
            throw AigcmarkException.corrupt("cannot hash a damaged WebP: " + parsed.damage().get(0));
        }
        for (Chunk c : parsed.chunks()) {
            if (CONTENT_CHUNKS.contains(c.id())) {
                digest.update(b, c.start(), 8 + c.size());
            }
        }
    }

    /**
     * What changes how the image is shown outside the bitstream chunks: the canvas size (VP8X's, else the
     * bitstream's: a label write that adds VP8X copies the bitstream's), the ICC profile and the EXIF Orientation.
     */
    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        Parsed parsed = parse(b);
        int[] canvas = null;
        int orientation = 1;
        boolean exifSeen = false;
        for (Chunk c : parsed.chunks()) {
            switch (c.id()) {
                case "VP8X", "VP8 ", "VP8L" -> {
                    if (canvas == null) {
                        canvas = dimensions(b, c);
                    }
                }
                case "ICCP" -> PresentationDigest.add(digest, "webp.ICCP", b, c.dataStart(), c.size());
                case "EXIF" -> {
                    if (!exifSeen) {
                        exifSeen = true;
                        int off = c.dataStart();
                        int len = c.size();
                        if (len >= 6 && new String(b, off, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                            off += 6;
                            len -= 6;
                        }
                        orientation = Exif.read(b, off, len).orientation();
                    }
                }
                default -> { }
            }
        }
        PresentationDigest.add(digest, "webp.canvas", canvas == null ? "" : canvas[0] + "x" + canvas[1]);
        PresentationDigest.add(digest, "orientation", orientation);
    }

    /** Width and height from VP8X, VP8 or VP8L, or null. */
    static int[] dimensions(byte[] b, Chunk c) {
        int d = c.dataStart();
        switch (c.id()) {
            case "VP8X":
                if (c.size() < 10) {
                    return null;
                }
                return new int[] {u24le(b, d + 4) + 1, u24le(b, d + 7) + 1};
            case "VP8 ":
                if (c.size() < 10 || (b[d + 3] & 0xFF) != 0x9D || (b[d + 4] & 0xFF) != 0x01 || (b[d + 5] & 0xFF) != 0x2A) {
                    return null;
                }
                return new int[] {((b[d + 6] & 0xFF) | (b[d + 7] & 0xFF) << 8) & 0x3FFF,
                        ((b[d + 8] & 0xFF) | (b[d + 9] & 0xFF) << 8) & 0x3FFF};
            case "VP8L":
                if (c.size() < 5 || (b[d] & 0xFF) != 0x2F) {
                    return null;
                }
                long bits = u32le(b, d + 1);
                return new int[] {(int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1};
            default:
                return null;
        }
    }

    private static byte[] vp8xData(int flags, int w, int h) {
        byte[] d = new byte[10];
        d[0] = (byte) flags;
        int cw = w - 1;
        int ch = h - 1;
        d[4] = (byte) cw;
        d[5] = (byte) (cw >> 8);
        d[6] = (byte) (cw >> 16);
        d[7] = (byte) ch;
        d[8] = (byte) (ch >> 8);
        d[9] = (byte) (ch >> 16);
        return d;
    }

    private static void writeChunk(ByteArrayOutputStream out, String id, byte[] data) {
        out.write(id.getBytes(StandardCharsets.ISO_8859_1), 0, 4);
        writeU32le(out, data.length);
        out.write(data, 0, data.length);
        if ((data.length & 1) == 1) {
            out.write(0);
        }
    }

    private static void writeU32le(ByteArrayOutputStream out, long v) {
        out.write((int) v & 0xFF);
        out.write((int) (v >> 8) & 0xFF);
        out.write((int) (v >> 16) & 0xFF);
        out.write((int) (v >> 24) & 0xFF);
    }

    static long u32le(byte[] b, int p) {
        if (p + 4 > b.length) {
            return 0;
        }
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

    static int u24le(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16;
    }
}
