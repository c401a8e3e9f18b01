package org.aigcmark.format.png;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
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

/** PNG: XMP in iTXt {@code XML:com.adobe.xmp}, tEXt/iTXt/zTXt keyed AIGC, eXIf, generator chunks, C2PA caBX. */
public final class PngHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final String XMP_KEYWORD = "XML:com.adobe.xmp";
    /** Chunks that carry the image itself and so enter the content digest. */
    static final Set<String> CONTENT_CHUNKS = Set.of("IHDR", "PLTE", "IDAT", "tRNS", "acTL", "fcTL", "fdAT");
    /** Chunks that change how the pixels look without being pixel data: bound by version 2 signatures. */
    private static final Set<String> PRESENTATION_CHUNKS = Set.of("gAMA", "cHRM", "sRGB", "iCCP", "cICP", "mDCv", "cLLI", "bKGD");

    /** A decoded text chunk. */
    record Text(String keyword, String text) {}

    @Override
    public MediaType type() {
        return MediaType.PNG;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public Optional<PixelCodec> pixels() {
        return Optional.of(new PngPixels());
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        return scan(b, PngChunks.parse(b), limits);
    }

    /** The image data's CRCs are not checked again: the writer copied those chunks from a scanned input. */
    @Override
    public ContainerScan scanWritten(byte[] written, Limits limits) {
        return scan(written, PngChunks.parse(written, false), limits);
    }

    private ContainerScan scan(byte[] b, PngChunks pc, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.PNG);
        scan.damage().addAll(pc.damage);
        int texts = 0;
        for (PngChunks.Chunk c : pc.chunks) {
            boolean isText = c.type().equals("tEXt") || c.type().equals("zTXt") || c.type().equals("iTXt");
            if (isText && ++texts > Limits.MAX_METADATA_PACKETS) {
                // Each is decoded and parsed: 100 000 copies of a record cost 786 MiB (issue 16). A note, not damage:
                // labelling still replaces every AIGC chunk (writeLabel walks the chunks itself).
                if (texts == Limits.MAX_METADATA_PACKETS + 1) {
                    scan.notes().add("more than " + Limits.MAX_METADATA_PACKETS
                            + " text chunks: the rest are not read (over the limit)");
                }
                continue;
            }
            switch (c.type()) {
                case "IHDR" -> {
                    if (c.dataLength() >= 8) {
                        long w = PngChunks.u32(b, c.dataStart());
                        long h = PngChunks.u32(b, c.dataStart() + 4);
                        scan.dimensions((int) Math.min(w, Integer.MAX_VALUE), (int) Math.min(h, Integer.MAX_VALUE));
                        if (w == 0 || h == 0) {
                            scan.damage().add("IHDR declares an empty image of " + w + "x" + h);
                        } else if (w * h > limits.maxPixels()) {
                            scan.damage().add("IHDR declares " + w + "x" + h + " pixels, over the limit of "
                                    + limits.maxPixels() + " (a decompression bomb?)");
                        }
                    }
                }
                case "tEXt", "zTXt", "iTXt" -> {
                    Text t = decodeText(b, c, limits, scan);
                    if (t != null) {
                        classify(t, c.type(), scan);
                    }
                }
                case "eXIf" -> Exif.scan(b, c.dataStart(), c.dataLength(), "exif", scan);
                case "caBX" -> scan.addC2pa("png-caBX", java.util.Arrays.copyOfRange(b, c.dataStart(), c.dataStart() + c.dataLength()));
                default -> { }
            }
        }
        return scan;
    }

    private static void classify(Text t, String chunkType, ContainerScan scan) {
        String k = t.keyword();
        String source = switch (chunkType) {
            case "tEXt" -> "png-text";
            case "zTXt" -> "png-ztxt";
            default -> "png-itxt";
        };
        if (k.equals(XMP_KEYWORD)) {
            Xmp.scan(t.text(), "xmp", scan);
        } else if (k.toUpperCase(java.util.Locale.ROOT).contains("AIGC")) {
            if (LabelParser.parse(t.text()).isPresent()) {
                scan.addSlot(source, t.text());
            } else {
                scan.notes().add(source + " '" + k + "' is not a readable AIGC record");
            }
        } else if (k.equals("parameters")) {
            scan.addHint(ContainerScan.HintKind.GENERATOR, source + ":parameters", "AUTOMATIC1111/Stable Diffusion web UI parameters: " + abbreviate(t.text()));
        } else if (k.equals("prompt") || k.equals("workflow")) {
            scan.addHint(ContainerScan.HintKind.GENERATOR, source + ":" + k, "ComfyUI " + k + " (" + t.text().length() + " characters)");
        } else if (k.equals("Software") || k.equals("Comment") || k.equals("Description") || k.equals("Source")) {
            if (!t.text().isBlank()) {
                scan.addHint(k.equals("Software") ? ContainerScan.HintKind.GENERATOR : ContainerScan.HintKind.TEXT, source + ":" + k, abbreviate(t.text()));
            }
        }
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        return writeLabel(b, PngChunks.parse(b), label, limits);
    }

    /** The image data's CRCs are not checked again: {@code scan} checked them. */
    @Override
    public byte[] writeLabel(byte[] b, ContainerScan scan, AigcLabel label, Limits limits) {
        return writeLabel(b, PngChunks.parse(b, scan.damaged()), label, limits);
    }

    private byte[] writeLabel(byte[] b, PngChunks pc, AigcLabel label, Limits limits) {
        if (!pc.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged PNG: " + pc.damage.get(0));
        }
        String existingXmp = null;
        int xmpChunk = -1;
        for (int i = 0; i < pc.chunks.size(); i++) {
            PngChunks.Chunk c = pc.chunks.get(i);
            if (c.type().equals("iTXt")) {
                Text t = decodeText(b, c, limits, null);
                if (t != null && t.keyword().equals(XMP_KEYWORD) && xmpChunk < 0) {
                    existingXmp = t.text();
                    xmpChunk = i;
                }
            }
        }
        byte[] packet = Xmp.withLabel(existingXmp, label.toBareJson()).getBytes(StandardCharsets.UTF_8);
        byte[] itxt = xmpItxt(packet);
        // The output's exact size first, so that its one buffer is the result (no final copy).
        long size = PngChunks.SIGNATURE.length;
        for (int i = 0; i < pc.chunks.size(); i++) {
            PngChunks.Chunk c = pc.chunks.get(i);
            if (i == xmpChunk) {
                size += 12 + itxt.length;
            } else if (!isLabelChunk(b, c, limits)) {
                size += c.end() - c.start(); // an eXIf chunk keeps its length when its labels are blanked
            }
            if (c.type().equals("IHDR") && xmpChunk < 0) {
                size += 12 + itxt.length;
            }
        }
        ExactOutput out = new ExactOutput((int) Math.min(size, Integer.MAX_VALUE - 16));
        out.write(PngChunks.SIGNATURE, 0, PngChunks.SIGNATURE.length);
        for (int i = 0; i < pc.chunks.size(); i++) {
            PngChunks.Chunk c = pc.chunks.get(i);
            if (i == xmpChunk) {
                PngChunks.writeChunk(out, "iTXt", itxt);
                continue;
            }
            if (isLabelChunk(b, c, limits)) {
                continue; // replaced by the one record in XMP
            }
            if (c.type().equals("eXIf")) {
                byte[] data = java.util.Arrays.copyOfRange(b, c.dataStart(), c.dataStart() + c.dataLength());
                if (Exif.clearLabels(data, 0, data.length)) {
                    PngChunks.writeChunk(out, "eXIf", data);
                    continue;
                }
            }
            out.write(b, c.start(), c.end() - c.start());
            if (c.type().equals("IHDR") && xmpChunk < 0) {
                PngChunks.writeChunk(out, "iTXt", itxt);
            }
        }
        return out.bytes();
    }

    /** An output stream whose bytes are its buffer when that is full (no final copy), else a copy of the used part. */
    private static final class ExactOutput extends ByteArrayOutputStream {
        ExactOutput(int capacity) {
            super(capacity);
        }

        byte[] bytes() {
            return count == buf.length ? buf : java.util.Arrays.copyOf(buf, count);
        }
    }

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        PngChunks pc = PngChunks.parse(b);
        if (!pc.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot hash a damaged PNG: " + pc.damage.get(0));
        }
        for (PngChunks.Chunk c : pc.chunks) {
            if (CONTENT_CHUNKS.contains(c.type())) {
                digest.update(b, c.start() + 4, 4 + c.dataLength());
            }
        }
    }

    /**
     * The chunks that change how the pixels are shown without being pixel data (gamma, chromaticities, sRGB intent,
     * ICC profile, coding-independent code points, HDR mastering and light levels, background), type and data in
     * file order, then the eXIf Orientation. A label write touches none of them.
     */
    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        PngChunks pc = PngChunks.parse(b);
        int orientation = 1;
        boolean exifSeen = false;
        for (PngChunks.Chunk c : pc.chunks) {
            if (PRESENTATION_CHUNKS.contains(c.type())) {
                PresentationDigest.add(digest, "png." + c.type(), b, c.dataStart(), c.dataLength());
            } else if (c.type().equals("eXIf") && !exifSeen) {
                exifSeen = true;
                orientation = Exif.read(b, c.dataStart(), c.dataLength()).orientation();
            }
        }
        PresentationDigest.add(digest, "orientation", orientation);
    }

    private boolean isLabelChunk(byte[] b, PngChunks.Chunk c, Limits limits) {
        if (!c.type().equals("tEXt") && !c.type().equals("zTXt") && !c.type().equals("iTXt")) {
            return false;
        }
        Text t = decodeText(b, c, limits, null);
        if (t == null) {
            return false;
        }
        if (t.keyword().equals(XMP_KEYWORD)) {
            return Xmp.hasLabel(t.text()); // a second XMP chunk with a record
        }
        return t.keyword().toUpperCase(java.util.Locale.ROOT).contains("AIGC") && LabelParser.parse(t.text()).isPresent();
    }

    /** An uncompressed iTXt chunk body for the XMP packet. */
    static byte[] xmpItxt(byte[] packet) {
        ByteArrayOutputStream d = new ByteArrayOutputStream(packet.length + 32);
        byte[] k = XMP_KEYWORD.getBytes(StandardCharsets.ISO_8859_1);
        d.write(k, 0, k.length);
        d.write(0); // keyword terminator
        d.write(0); // compression flag: none
        d.write(0); // compression method
        d.write(0); // empty language tag
        d.write(0); // empty translated keyword
        d.write(packet, 0, packet.length);
        return d.toByteArray();
    }

    /** Decodes tEXt/zTXt/iTXt; returns null (and notes why) when the chunk is malformed. */
    static Text decodeText(byte[] b, PngChunks.Chunk c, Limits limits, ContainerScan scan) {
        int p = c.dataStart();
        int end = c.dataStart() + c.dataLength();
        int nul = indexOf(b, p, Math.min(end, p + 80), (byte) 0);
        if (nul < 0) {
            note(scan, c.type() + " chunk without a keyword terminator");
            return null;
        }
        String keyword = new String(b, p, nul - p, StandardCharsets.ISO_8859_1);
        p = nul + 1;
        try {
            switch (c.type()) {
                case "tEXt":
                    return new Text(keyword, new String(b, p, end - p, StandardCharsets.ISO_8859_1));
                case "zTXt":
                    if (p >= end) {
                        return null;
                    }
                    return new Text(keyword, new String(inflate(b, p + 1, end - p - 1, limits), StandardCharsets.ISO_8859_1));
                default: {
                    if (p + 2 > end) {
                        return null;
                    }
                    boolean compressed = b[p] != 0;
                    p += 2;
                    int langEnd = indexOf(b, p, end, (byte) 0);
                    if (langEnd < 0) {
                        return null;
                    }
                    int transEnd = indexOf(b, langEnd + 1, end, (byte) 0);
                    if (transEnd < 0) {
                        return null;
                    }
                    p = transEnd + 1;
                    byte[] text = compressed ? inflate(b, p, end - p, limits) : java.util.Arrays.copyOfRange(b, p, end);
                    return new Text(keyword, new String(text, StandardCharsets.UTF_8));
                }
            }
        } catch (AigcmarkException e) {
            note(scan, c.type() + " '" + keyword + "': " + e.getMessage());
            return null;
        }
    }

    static byte[] inflate(byte[] b, int off, int len, Limits limits) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(b, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(len * 4, 1 << 20));
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw AigcmarkException.corrupt("compressed text is truncated");
                }
                out.write(buf, 0, n);
                if (out.size() > limits.maxInflatedBytes()) {
                    throw AigcmarkException.limit("compressed text inflates beyond " + limits.maxInflatedBytes() + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw AigcmarkException.corrupt("compressed text is corrupt");
        } finally {
            inf.end();
        }
    }

    private static void note(ContainerScan scan, String s) {
        if (scan != null) {
            scan.notes().add(s);
        }
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }
}
