package org.aigcmark.format.jpeg;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.PresentationDigest;
import org.aigcmark.format.exif.Exif;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;

/** JPEG: XMP in APP1, EXIF UserComment/ImageDescription, bare AIGC blobs in APPn/COM, C2PA in APP11. */
public final class JpegHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final byte[] XMP_HEADER = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] XMP_EXT_HEADER = "http://ns.adobe.com/xmp/extension/\0".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] EXIF_HEADER = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] JFIF_HEADER = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC_HEADER = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE_HEADER = "Adobe".getBytes(StandardCharsets.ISO_8859_1);
    /** The largest payload of one marker segment (65535 minus the 2 length bytes). */
    static final int MAX_PAYLOAD = 65533;

    /**
     * The most scans (SOS segments) a JPEG may have for its pixels to be decoded. A progressive JPEG has about 10
     * (libjpeg's script) to 20; each scan makes ImageIO pass over the whole image, so a file of thousands of tiny
     * scans is a CPU bomb (issue 16: 10 000 copies of one scan, 13 MB, cost detect about a minute).
     */
    public static final int MAX_SCANS = 100;

    /**
     * Refuses to decode a JPEG with more than {@link #MAX_SCANS} scans ({@code LIMIT_EXCEEDED}), counted as the
     * 0xFFDA markers from the first one on (entropy-coded data cannot hold that pair: a 0xFF there is stuffed);
     * damaged files too, for decoders that salvage what decodes.
     */
    public static void checkScans(byte[] file) {
        int scans = 0;
        for (int i = 0; i + 1 < file.length; i++) {
            if (file[i] == (byte) 0xFF && file[i + 1] == (byte) 0xDA && ++scans > MAX_SCANS) {
                throw AigcmarkException.limit("the JPEG has more than " + MAX_SCANS + " scans, each decoded over the"
                        + " whole image (a scan bomb?); its pixels are not decoded");
            }
        }
    }

    @Override
    public MediaType type() {
        return MediaType.JPEG;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public Optional<PixelCodec> pixels() {
        return Optional.of(new JpegPixels());
    }

    /** The head read, the scan data copied by the OS: a file-to-file label costs about a copy of the file. */
    @Override
    public Optional<Streaming> labelStreaming() {
        return Optional.of(new JpegStreaming(this));
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.JPEG);
        JpegSegments s = JpegSegments.parse(b);
        scan.damage().addAll(s.damage);
        Map<String, ExtendedXmp> extended = new HashMap<>();
        List<byte[]> app11 = new ArrayList<>();
        for (JpegSegments.Segment seg : s.segments) {
            int m = seg.marker();
            if (JpegSegments.isSof(m) && seg.payloadLength() >= 5) {
                int h = u16(b, seg.payloadStart() + 1);
                int w = u16(b, seg.payloadStart() + 3);
                scan.dimensions(w, h);
                if ((long) w * h > limits.maxPixels()) {
                    scan.damage().add("the frame header declares " + w + "x" + h + " pixels, over the limit of "
                            + limits.maxPixels() + " (a decompression bomb?)");
                } else if (w == 0) {
                    scan.damage().add("the frame header declares a width of 0");
                }
            } else if (m == 0xE1 && startsWith(b, seg, XMP_HEADER)) {
                String packet = new String(b, seg.payloadStart() + XMP_HEADER.length,
                        seg.payloadLength() - XMP_HEADER.length, StandardCharsets.UTF_8);
                Xmp.scan(packet, "xmp", scan);
            } else if (m == 0xE1 && startsWith(b, seg, XMP_EXT_HEADER)) {
                collectExtended(b, seg, extended, scan);
            } else if (m == 0xE1 && startsWith(b, seg, EXIF_HEADER)) {
                Exif.scan(b, seg.payloadStart() + 6, seg.payloadLength() - 6, "exif", scan);
            } else if (m == 0xEB && seg.payloadLength() > 8 && b[seg.payloadStart()] == 'J' && b[seg.payloadStart() + 1] == 'P') {
                app11.add(java.util.Arrays.copyOfRange(b, seg.payloadStart(), seg.end()));
            } else if ((m >= 0xE0 && m <= 0xEF) || m == 0xFE) {
                bareBlob(b, seg).ifPresent(t -> scan.addSlot(segmentName(m), t));
            }
        }
        if (!app11.isEmpty()) {
            byte[] jumbf = org.aigcmark.format.c2pa.C2paReader.fromJpegSegments(app11);
            if (new String(jumbf, 0, Math.min(jumbf.length, 64), StandardCharsets.ISO_8859_1).contains("jumb")) {
                scan.addC2pa("jpeg-app11", jumbf);
            }
        }
        for (ExtendedXmp x : extended.values()) {
            if (x.complete()) {
                Xmp.scan(new String(x.data, StandardCharsets.UTF_8), "xmp-extended", scan);
            } else {
                scan.notes().add("extended XMP " + x.guid + " is incomplete");
            }
        }
        return scan;
    }

    @Override
    public byte[] writeLabel(byte[] original, AigcLabel label, Limits limits) {
        JpegSegments s = JpegSegments.parse(original);
        if (!s.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged JPEG: " + s.damage.get(0));
        }
        // One output buffer, sized exactly: the input is read in place (no clone, no growing stream, no final copy);
        // EXIF records are blanked in the output's copy of their segment.
        byte[] b = original;
        String existingXmp = null;
        int xmpIndex = -1;
        int insertAt = 0;
        boolean leading = true;
        List<JpegSegments.Segment> drop = new ArrayList<>();
        List<JpegSegments.Segment> exifSegments = new ArrayList<>();
        Set<String> labelledExtensions = labelledExtendedXmp(b, s);
        for (int i = 0; i < s.segments.size(); i++) {
            JpegSegments.Segment seg = s.segments.get(i);
            int m = seg.marker();
            if (m == 0xE1 && startsWith(b, seg, XMP_EXT_HEADER) && seg.payloadLength() >= XMP_EXT_HEADER.length + 32
                    && labelledExtensions.contains(new String(b, seg.payloadStart() + XMP_EXT_HEADER.length, 32,
                            StandardCharsets.ISO_8859_1))) {
                drop.add(seg); // an extended packet with a record: replaced by the one record written
                continue;
            }
            boolean isXmp = m == 0xE1 && startsWith(b, seg, XMP_HEADER);
            boolean isExif = m == 0xE1 && startsWith(b, seg, EXIF_HEADER);
            if (leading && (m == 0xE0 || isExif)) {
                insertAt = i + 1;
            } else {
                leading = false;
            }
            if (isXmp) {
                String packet = new String(b, seg.payloadStart() + XMP_HEADER.length,
                        seg.payloadLength() - XMP_HEADER.length, StandardCharsets.UTF_8);
                if (xmpIndex < 0) {
                    xmpIndex = i;
                    existingXmp = packet;
                } else if (Xmp.hasLabel(packet)) {
                    drop.add(seg); // a second packet with a record: the file must keep only one
                }
            } else if (isExif) {
                exifSegments.add(seg); // value offsets are absolute: blanked once copied (same length)
            } else if (((m >= 0xE0 && m <= 0xEF) || m == 0xFE) && bareBlob(b, seg).isPresent()) {
                drop.add(seg);
            }
        }
        String packet = Xmp.withLabel(existingXmp, label.toBareJson());
        byte[] packetBytes = packet.getBytes(StandardCharsets.UTF_8);
        if (XMP_HEADER.length + packetBytes.length > MAX_PAYLOAD) {
            throw AigcmarkException.limit("the XMP packet would be " + packetBytes.length
                    + " bytes, more than one JPEG segment holds (extended XMP is not rewritten)");
        }
        int xmpSegment = 4 + XMP_HEADER.length + packetBytes.length;
        // The segments before the scan (small) go into a head buffer first; the scan data onwards (nearly all of the
        // file) is then copied into the output right after its allocation, so that the JIT allocates it without
        // zeroing what the copy fills (one pass over those bytes, as a clone is).
        long headSize = 2;
        for (int i = 0; i < s.segments.size(); i++) {
            if (i == insertAt && xmpIndex < 0) {
                headSize += xmpSegment;
            }
            JpegSegments.Segment seg = s.segments.get(i);
            if (seg.marker() == 0xDA) {
                break;
            }
            if (!drop.contains(seg)) {
                headSize += i == xmpIndex ? xmpSegment : seg.end() - seg.start();
            }
        }
        int tail = b.length - s.scanStart;
        if (headSize + tail > Integer.MAX_VALUE - 16) {
            throw AigcmarkException.limit("the labelled JPEG would be over 2 GiB");
        }
        byte[] head = new byte[(int) headSize];
        head[0] = (byte) 0xFF;
        head[1] = (byte) 0xD8;
        int p = 2;
        for (int i = 0; i < s.segments.size(); i++) {
            if (i == insertAt && xmpIndex < 0) {
                p = putSegment(head, p, 0xE1, XMP_HEADER, packetBytes);
            }
            JpegSegments.Segment seg = s.segments.get(i);
            if (seg.marker() == 0xDA) {
                break;
            }
            if (drop.contains(seg)) {
                continue;
            }
            if (i == xmpIndex) {
                p = putSegment(head, p, 0xE1, XMP_HEADER, packetBytes);
                continue;
            }
            System.arraycopy(b, seg.start(), head, p, seg.end() - seg.start());
            if (exifSegments.contains(seg)) {
                int shift = p - seg.start();
                Exif.clearLabels(head, seg.payloadStart() + shift + 6, seg.payloadLength() - 6);
            }
            p += seg.end() - seg.start();
        }
        return concat(head, b, s.scanStart, tail);
    }

    /**
     * {@code head} then {@code tail} bytes of {@code b} from {@code from}, in one new array. The tail is copied first,
     * straight after the allocation: C2 then zeroes only the head's part of the new array (a tightly coupled
     * allocation), where an allocation followed by other work is zeroed whole and then written again.
     */
    static byte[] concat(byte[] head, byte[] b, int from, int tail) {
        byte[] out = new byte[head.length + tail];
        System.arraycopy(b, from, out, head.length, tail);
        System.arraycopy(head, 0, out, 0, head.length);
        return out;
    }

    /** Writes one marker segment at {@code p}; returns the offset after it. */
    private static int putSegment(byte[] out, int p, int marker, byte[] header, byte[] body) {
        int len = header.length + body.length + 2;
        out[p++] = (byte) 0xFF;
        out[p++] = (byte) marker;
        out[p++] = (byte) (len >> 8);
        out[p++] = (byte) len;
        System.arraycopy(header, 0, out, p, header.length);
        p += header.length;
        System.arraycopy(body, 0, out, p, body.length);
        return p + body.length;
    }

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        JpegSegments s = JpegSegments.parse(b);
        if (digestContentHead(s, b, digest)) {
            digest.update(b, s.scanStart, s.eoiEnd - s.scanStart);
        }
    }

    /**
     * The content digest's part before the scan: every segment that is not metadata (APPn and COM, where labels live),
     * in file order. True when a scan follows at {@code s.scanStart}, which the caller digests through the end; shared
     * with {@link JpegStreaming}, whose scan data stays in the file.
     */
    static boolean digestContentHead(JpegSegments s, byte[] b, MessageDigest digest) {
        if (!s.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot hash a damaged JPEG: " + s.damage.get(0));
        }
        for (JpegSegments.Segment seg : s.segments) {
            int m = seg.marker();
            if ((m >= 0xE0 && m <= 0xEF) || m == 0xFE) {
                continue;
            }
            if (m == 0xDA) {
                return true;
            }
            digest.update(b, seg.start(), seg.end() - seg.start());
        }
        return false;
    }

    /**
     * What changes how the pixels are shown but sits in APPn segments: the EXIF Orientation, whether a JFIF APP0
     * is present and the Adobe APP14 segment (together they decide the colour transform a decoder applies), and the
     * ICC profile (APP2), in file order. A label write touches none of these.
     */
    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        JpegSegments s = JpegSegments.parse(b);
        int orientation = 1;
        boolean jfif = false;
        boolean exifSeen = false;
        for (JpegSegments.Segment seg : s.segments) {
            int m = seg.marker();
            if (m == 0xDA) {
                break;
            }
            if (m == 0xE0 && startsWith(b, seg, JFIF_HEADER)) {
                jfif = true;
            } else if (m == 0xE1 && !exifSeen && startsWith(b, seg, EXIF_HEADER)) {
                exifSeen = true; // decoders honour the first EXIF segment
                orientation = Exif.read(b, seg.payloadStart() + 6, seg.payloadLength() - 6).orientation();
            } else if (m == 0xE2 && startsWith(b, seg, ICC_HEADER)) {
                PresentationDigest.add(digest, "jpeg.icc", b, seg.payloadStart(), seg.payloadLength());
            } else if (m == 0xEE && startsWith(b, seg, ADOBE_HEADER)) {
                PresentationDigest.add(digest, "jpeg.adobe", b, seg.payloadStart(), seg.payloadLength());
            }
        }
        PresentationDigest.add(digest, "jpeg.jfif", jfif ? 1 : 0);
        PresentationDigest.add(digest, "orientation", orientation);
    }

    static void writeSegment(ByteArrayOutputStream out, int marker, byte[] header, byte[] body) {
        int len = header.length + body.length + 2;
        out.write(0xFF);
        out.write(marker);
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.write(header, 0, header.length);
        out.write(body, 0, body.length);
    }

    /** An APPn/COM payload that is a bare label ("AIGC{...}" or {"AIGC":...}) rather than a known structure. */
    private static Optional<String> bareBlob(byte[] b, JpegSegments.Segment seg) {
        if (!contains(b, seg, "AIGC")) {
            return Optional.empty();
        }
        String text = new String(b, seg.payloadStart(), seg.payloadLength(), StandardCharsets.UTF_8);
        int at = text.indexOf("AIGC");
        int from = text.lastIndexOf('{', at) >= 0 && text.lastIndexOf('{', at) >= at - 2 ? text.lastIndexOf('{', at) : at;
        String candidate = text.substring(from).replace("\0", "").strip();
        return LabelParser.parse(candidate).map(p -> candidate);
    }

    private static String segmentName(int m) {
        return m == 0xFE ? "jpeg-com" : "jpeg-app" + (m - 0xE0);
    }

    private static void collectExtended(byte[] b, JpegSegments.Segment seg, Map<String, ExtendedXmp> parts, ContainerScan scan) {
        int p = seg.payloadStart() + XMP_EXT_HEADER.length;
        int end = seg.end();
        if (end - p < 40) {
            scan.notes().add("extended XMP segment too short");
            return;
        }
        String guid = new String(b, p, 32, StandardCharsets.ISO_8859_1);
        long full = u32(b, p + 32);
        long offset = u32(b, p + 36);
        int dataLen = end - (p + 40);
        if (full > Xmp.MAX_PACKET || offset + dataLen > full) {
            scan.notes().add("extended XMP " + guid + " declares " + full + " bytes; ignored");
            return;
        }
        ExtendedXmp x = parts.computeIfAbsent(guid, g -> new ExtendedXmp(g, (int) full));
        if (x.data.length != full) {
            scan.notes().add("extended XMP " + guid + " chunks disagree on the total length");
            return;
        }
        System.arraycopy(b, p + 40, x.data, (int) offset, dataLen);
        x.received += dataLen;
    }

    /** The GUIDs of the complete extended XMP packets that hold a record (the scan reports those as label slots). */
    private static Set<String> labelledExtendedXmp(byte[] b, JpegSegments s) {
        Map<String, ExtendedXmp> extended = new LinkedHashMap<>();
        ContainerScan ignored = new ContainerScan(MediaType.JPEG);
        for (JpegSegments.Segment seg : s.segments) {
            if (seg.marker() == 0xE1 && startsWith(b, seg, XMP_EXT_HEADER)) {
                collectExtended(b, seg, extended, ignored);
            }
        }
        Set<String> labelled = new HashSet<>();
        for (ExtendedXmp x : extended.values()) {
            if (x.complete() && Xmp.hasLabel(new String(x.data, StandardCharsets.UTF_8))) {
                labelled.add(x.guid);
            }
        }
        return labelled;
    }

    private static final class ExtendedXmp {
        final String guid;
        final byte[] data;
        long received;

        ExtendedXmp(String guid, int length) {
            this.guid = guid;
            this.data = new byte[length];
        }

        boolean complete() {
            return received >= data.length;
        }
    }

    static boolean startsWith(byte[] b, JpegSegments.Segment seg, byte[] header) {
        if (seg.payloadLength() < header.length) {
            return false;
        }
        for (int i = 0; i < header.length; i++) {
            if (b[seg.payloadStart() + i] != header[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] b, JpegSegments.Segment seg, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = seg.payloadStart(); i <= seg.end() - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (b[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    private static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
