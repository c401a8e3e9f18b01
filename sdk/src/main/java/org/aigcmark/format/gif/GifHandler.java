package org.aigcmark.format.gif;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.PresentationDigest;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;

/**
 * GIF: XMP in the {@code XMP DataXMP} application extension (stored raw, followed by the 258-byte "magic trailer"
 * that lets GIF readers skip it, as Adobe and exiftool write it), and AIGC records in comment extensions. A bounded
 * walk over the block structure; every step advances, so hostile files cannot loop. Writing replaces the first XMP
 * extension (or adds one after the header and its application extensions, such as the NETSCAPE2.0 loop) and drops
 * other record slots; every image block stays byte-identical. The visible label re-encodes the first frame only
 * ({@link GifPixels}).
 */
public final class GifHandler implements FormatHandler, FormatHandler.MetadataWriter {
    private static final byte[] XMP_APP = GifBlocks.XMP_APP;

    @Override
    public MediaType type() {
        return MediaType.GIF;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public Optional<PixelCodec> pixels() {
        return Optional.of(new GifPixels());
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.GIF);
        if (b.length < 13) {
            scan.damage().add("GIF header truncated");
            return scan;
        }
        int w = (b[6] & 0xFF) | (b[7] & 0xFF) << 8;
        int h = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        scan.dimensions(w, h);
        int p = 13;
        if ((b[10] & 0x80) != 0) {
            p += 3 * (1 << ((b[10] & 0x07) + 1));
        }
        int blocks = 0;
        int xmpPackets = 0;
        while (p < b.length && blocks++ < 1_000_000) {
            int kind = b[p] & 0xFF;
            if (kind == 0x3B) {
                return scan; // trailer
            }
            if (kind == 0x21 && p + 2 < b.length) {
                int label = b[p + 1] & 0xFF;
                if (label == 0xFF && p + 14 <= b.length && (b[p + 2] & 0xFF) == 11 && matches(b, p + 3, XMP_APP)) {
                    if (++xmpPackets > Limits.MAX_METADATA_PACKETS) {
                        scan.damage().add("more than " + Limits.MAX_METADATA_PACKETS + " XMP packets, over the limit; the rest are not read");
                        return scan;
                    }
                    int start = p + 14;
                    int end = xmpEnd(b, start);
                    if (end < 0) {
                        scan.damage().add("XMP application extension is not terminated");
                        return scan;
                    }
                    Xmp.scan(new String(b, start, end - start, StandardCharsets.UTF_8), "xmp", scan);
                    p = skipSubBlocks(b, start);
                } else {
                    if (label == 0xFE) {
                        String comment = readSubBlocks(b, p + 2, limits);
                        if (comment.contains("AIGC") && LabelParser.parse(comment).isPresent()) {
                            scan.addSlot("gif-comment", comment);
                        }
                    }
                    p = skipSubBlocks(b, p + 2);
                }
            } else if (kind == 0x2C && p + 10 <= b.length) {
                int packed = b[p + 9] & 0xFF;
                p += 10;
                if ((packed & 0x80) != 0) {
                    p += 3 * (1 << ((packed & 0x07) + 1));
                }
                p = skipSubBlocks(b, p + 1); // LZW minimum code size, then data sub-blocks
            } else {
                scan.damage().add("unexpected GIF block 0x" + Integer.toHexString(kind) + " at byte " + p);
                return scan;
            }
            if (p < 0) {
                scan.damage().add("GIF data is truncated");
                return scan;
            }
        }
        scan.damage().add("no GIF trailer (the file is truncated)");
        return scan;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        GifBlocks g = GifBlocks.parse(b);
        String existing = null;
        int xmpBlock = -1;
        for (int i = 0; i < g.blocks.size(); i++) {
            GifBlocks.Block blk = g.blocks.get(i);
            if (blk.isXmp(b)) {
                int end = xmpEnd(b, blk.start() + 14);
                if (end > 0 && end <= blk.end()) {
                    existing = new String(b, blk.start() + 14, end - blk.start() - 14, StandardCharsets.UTF_8);
                    xmpBlock = i;
                    break;
                }
            }
        }
        byte[] packet = Xmp.withLabel(existing, label.toBareJson()).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + packet.length + 300);
        out.writeBytes("GIF89a".getBytes(StandardCharsets.ISO_8859_1)); // extensions are GIF89a's (exiftool does the same)
        out.write(b, 6, g.headerEnd - 6);
        boolean written = false;
        for (int i = 0; i < g.blocks.size(); i++) {
            GifBlocks.Block blk = g.blocks.get(i);
            if (i == xmpBlock) {
                writeXmpExtension(out, packet);
                written = true;
                continue;
            }
            if (!written && xmpBlock < 0 && !(blk.kind() == GifBlocks.EXTENSION && blk.label() == GifBlocks.APPLICATION)) {
                writeXmpExtension(out, packet); // after the header's application extensions (the loop count), before any frame
                written = true;
            }
            if (isRecordSlot(b, blk, limits)) {
                continue; // replaced by the one record in XMP
            }
            out.write(b, blk.start(), blk.end() - blk.start());
        }
        if (!written) {
            writeXmpExtension(out, packet);
        }
        out.write(0x3B);
        return out.toByteArray();
    }

    /** A later XMP extension holding a record, or a comment holding one: replaced by the written record. */
    private static boolean isRecordSlot(byte[] b, GifBlocks.Block blk, Limits limits) {
        if (blk.isXmp(b)) {
            int end = xmpEnd(b, blk.start() + 14);
            return end > 0 && Xmp.hasLabel(new String(b, blk.start() + 14, end - blk.start() - 14, StandardCharsets.UTF_8));
        }
        if (blk.kind() == GifBlocks.EXTENSION && blk.label() == GifBlocks.COMMENT) {
            String comment = readSubBlocks(b, blk.start() + 2, limits);
            return comment.contains("AIGC") && LabelParser.parse(comment).isPresent();
        }
        return false;
    }

    /** The XMP application extension: the packet raw, then the 258-byte magic trailer (0x01, 0xFF down to 0x00, 0x00). */
    static void writeXmpExtension(ByteArrayOutputStream out, byte[] packet) {
        out.write(0x21);
        out.write(0xFF);
        out.write(11);
        out.writeBytes(XMP_APP);
        out.writeBytes(packet);
        out.write(1);
        for (int i = 255; i >= 0; i--) {
            out.write(i);
        }
        out.write(0);
    }

    /**
     * The logical screen descriptor and global colour table, then every image (descriptor, local colour table, LZW
     * data), graphic control and plain text extension, in file order: all a label write keeps. The version (87a
     * becomes 89a), application and comment extensions are left out.
     */
    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        GifBlocks g = GifBlocks.parse(b);
        digest.update(b, 6, g.headerEnd - 6);
        for (GifBlocks.Block blk : g.blocks) {
            if (blk.kind() == GifBlocks.IMAGE || blk.label() == GifBlocks.GRAPHIC_CONTROL || blk.label() == 0x01) {
                digest.update(b, blk.start(), blk.end() - blk.start());
            }
        }
    }

    /** The animation's loop count (NETSCAPE2.0 / ANIMEXTS1.0 application extension data), which changes playback. */
    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        GifBlocks g = GifBlocks.parse(b);
        for (GifBlocks.Block blk : g.blocks) {
            if (blk.kind() == GifBlocks.EXTENSION && blk.label() == GifBlocks.APPLICATION && blk.start() + 14 <= blk.end()
                    && (b[blk.start() + 2] & 0xFF) == 11) {
                String app = new String(b, blk.start() + 3, 11, StandardCharsets.ISO_8859_1);
                if (app.equals("NETSCAPE2.0") || app.equals("ANIMEXTS1.0")) {
                    PresentationDigest.add(digest, "gif.loop", b, blk.start() + 14, blk.end() - blk.start() - 14);
                }
            }
        }
    }

    /**
     * The XMP packet runs to its {@code <?xpacket end=...?>}, or else to {@code </x:xmpmeta>}, within
     * {@link Xmp#MAX_PACKET} bytes. Searched in the bytes: a copy of the rest of the file per packet cost gigabytes.
     */
    private static int xmpEnd(byte[] b, int from) {
        int limit = (int) Math.min(b.length, (long) from + Xmp.MAX_PACKET);
        int e = indexOf(b, from, limit, XPACKET_END);
        if (e >= 0) {
            int close = indexOf(b, e, limit, PI_CLOSE);
            return close < 0 ? -1 : close + PI_CLOSE.length;
        }
        e = indexOf(b, from, limit, XMPMETA_CLOSE);
        return e < 0 ? -1 : e + XMPMETA_CLOSE.length;
    }

    private static final byte[] XPACKET_END = "<?xpacket end=".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] PI_CLOSE = "?>".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] XMPMETA_CLOSE = "</x:xmpmeta>".getBytes(StandardCharsets.ISO_8859_1);

    /** The first {@code needle} starting in [from, limit) and ending by {@code limit}, or -1. */
    private static int indexOf(byte[] b, int from, int limit, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= limit; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (b[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int skipSubBlocks(byte[] b, int p) {
        while (p >= 0 && p < b.length) {
            int n = b[p] & 0xFF;
            if (n == 0) {
                return p + 1;
            }
            p += n + 1;
        }
        return -1;
    }

    static String readSubBlocks(byte[] b, int p, Limits limits) {
        StringBuilder sb = new StringBuilder();
        while (p < b.length && sb.length() < LabelParser.MAX_LENGTH) {
            int n = b[p] & 0xFF;
            if (n == 0 || p + 1 + n > b.length) {
                break;
            }
            sb.append(new String(b, p + 1, n, StandardCharsets.ISO_8859_1));
            p += n + 1;
        }
        return sb.toString();
    }

    static boolean matches(byte[] b, int off, byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (b[off + i] != m[i]) {
                return false;
            }
        }
        return true;
    }
}
