package org.aigcmark.format.tiff;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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

/**
 * TIFF and BigTIFF, either byte order: XMP in IFD0 tag 700, EXIF-style ImageDescription/Software. Writing appends
 * a copy of IFD0 with the new tag 700 and its packet at the end of the file and points the header at it, as
 * exiftool does for an IFD that grows: no strip, tile or other value moves, so every offset in the file stays
 * true and the image data stays byte-identical, whatever tags the file has (private ones included). The old IFD0
 * is left unreferenced; an old packet holding a record is blanked in place. The visible label goes through the
 * JDK's TIFF plugin ({@link TiffPixels}).
 */
public final class TiffHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final int TAG_XMP = 700;
    static final int TAG_ORIENTATION = 274;
    static final int TAG_ICC = 34675;
    /**
     * The tags that say how the image data decodes: bound by the content digest with the data itself. Not the strip
     * and tile offsets: where the data sits is layout (exiftool moves it when it rewrites a file), what it is counts.
     */
    private static final Set<Integer> IMAGE_TAGS = Set.of(254, 256, 257, 258, 259, 262, 266, 277, 278, 279, 284,
            317, 320, 322, 323, 325, 338, 339, 347, 529, 530, 531, 532);
    /** Tags that change how the decoded pixels are shown: orientation, ICC profile, transfer function, white point, primaries. */
    private static final Set<Integer> PRESENTATION_TAGS = Set.of(TAG_ORIENTATION, TAG_ICC, 301, 318, 319);
    /** At most this many strips or tiles are hashed per IFD (a hostile count cannot make the digest loop long). */
    static final int MAX_SEGMENTS = 1 << 20;

    @Override
    public MediaType type() {
        return MediaType.TIFF;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public Optional<PixelCodec> pixels() {
        return Optional.of(new TiffPixels());
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.TIFF);
        if (b.length >= 4 && ((b[0] == 'I' && b[2] == 43) || (b[0] == 'M' && b[3] == 43))) {
            return scanBigTiff(b, limits, scan);
        }
        Exif.Tags tags = Exif.scan(b, 0, b.length, "tiff", scan);
        Exif.Value w = tags.get(Exif.TAG_IMAGE_WIDTH);
        Exif.Value h = tags.get(Exif.TAG_IMAGE_LENGTH);
        if (w != null && h != null) {
            dimensions(scan, Long.parseLong(w.text()), Long.parseLong(h.text()), limits);
        } else {
            scan.damage().add("IFD0 has no image dimensions (not a readable TIFF)");
        }
        Exif.Value xmp = tags.get(Exif.TAG_XMP);
        if (xmp != null) {
            Xmp.scan(xmp.text(), "xmp", scan);
        }
        return scan;
    }

    /** BigTIFF (magic 43, 64-bit offsets): dimensions and the XMP of IFD0, through {@link TiffStructure}. */
    private static ContainerScan scanBigTiff(byte[] b, Limits limits, ContainerScan scan) {
        TiffStructure t;
        try {
            t = TiffStructure.parse(b);
        } catch (AigcmarkException e) {
            scan.damage().add(e.getMessage());
            return scan;
        }
        TiffStructure.Ifd ifd0 = t.ifds.get(0);
        TiffStructure.Entry w = ifd0.get(256);
        TiffStructure.Entry h = ifd0.get(257);
        if (w != null && h != null && w.count() > 0 && h.count() > 0) {
            dimensions(scan, t.value(w, 0), t.value(h, 0), limits);
        } else {
            scan.damage().add("IFD0 has no image dimensions (not a readable TIFF)");
        }
        TiffStructure.Entry xmp = ifd0.get(TAG_XMP);
        if (xmp != null) {
            if (xmp.length() > Xmp.MAX_PACKET) {
                scan.damage().add("the XMP packet of " + xmp.length() + " bytes is over the limit of " + Xmp.MAX_PACKET);
            } else {
                Xmp.scan(new String(b, (int) xmp.data(), (int) xmp.length(), StandardCharsets.UTF_8), "xmp", scan);
            }
        }
        return scan;
    }

    private static void dimensions(ContainerScan scan, long width, long height, Limits limits) {
        scan.dimensions((int) Math.min(width, Integer.MAX_VALUE), (int) Math.min(height, Integer.MAX_VALUE));
        if (width * height > limits.maxPixels()) {
            scan.damage().add("IFD0 declares " + width + "x" + height + " pixels, over the limit of " + limits.maxPixels());
        }
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        TiffStructure t = TiffStructure.parse(b);
        TiffStructure.Ifd ifd0 = t.ifds.get(0);
        TiffStructure.Entry oldXmp = ifd0.get(TAG_XMP);
        String existing = null;
        if (oldXmp != null) {
            if (oldXmp.length() > Xmp.MAX_PACKET) {
                throw AigcmarkException.limit("the XMP packet of " + oldXmp.length() + " bytes is over the limit of " + Xmp.MAX_PACKET);
            }
            existing = new String(b, (int) oldXmp.data(), (int) oldXmp.length(), StandardCharsets.UTF_8).strip();
            if (existing.isEmpty()) {
                existing = null;
            }
        }
        byte[] packet = Xmp.withLabel(existing, label.toBareJson()).getBytes(StandardCharsets.UTF_8);
        byte[] body = b.clone();
        if (!t.big) {
            Exif.clearLabels(body, 0, body.length); // a record in ImageDescription or UserComment, blanked in place
        }
        if (oldXmp != null && Xmp.hasLabel(existing == null ? "" : existing) && oldXmp.data() != oldXmp.at() + (t.big ? 12 : 8)) {
            Arrays.fill(body, (int) oldXmp.data(), (int) (oldXmp.data() + oldXmp.length()), (byte) ' '); // no stale record left behind
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + packet.length + 64 + ifd0.entries().size() * 20);
        out.writeBytes(body);
        if (out.size() % 2 != 0) {
            out.write(0); // values and IFDs start on a word boundary
        }
        long packetAt = out.size();
        out.writeBytes(packet);
        if (out.size() % 2 != 0) {
            out.write(0);
        }
        long ifdAt = out.size();
        List<TiffStructure.Entry> entries = new ArrayList<>(ifd0.entries());
        entries.removeIf(e -> e.tag() == TAG_XMP);
        int size = t.entrySize();
        int countSize = t.big ? 8 : 2;
        int offsetSize = t.big ? 8 : 4;
        byte[] ifd = new byte[countSize + (entries.size() + 1) * size + offsetSize];
        TiffStructure.put(ifd, 0, entries.size() + 1, countSize, t.little);
        List<byte[]> rows = new ArrayList<>();
        for (TiffStructure.Entry e : entries) {
            rows.add(Arrays.copyOfRange(body, (int) e.at(), (int) e.at() + size)); // offsets in it stay true: nothing moved
        }
        byte[] xmpEntry = new byte[size];
        TiffStructure.put(xmpEntry, 0, TAG_XMP, 2, t.little);
        TiffStructure.put(xmpEntry, 2, 7, 2, t.little); // UNDEFINED, as TC260-PG-20259A says (the XMP specification allows BYTE too)
        TiffStructure.put(xmpEntry, 4, packet.length, t.big ? 8 : 4, t.little);
        TiffStructure.put(xmpEntry, t.big ? 12 : 8, packetAt, offsetSize, t.little);
        rows.add(xmpEntry);
        rows.sort(Comparator.comparingInt(r -> t.little ? (r[0] & 0xFF) | (r[1] & 0xFF) << 8 : (r[0] & 0xFF) << 8 | (r[1] & 0xFF)));
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, ifd, countSize + i * size, size);
        }
        TiffStructure.put(ifd, countSize + rows.size() * size, ifd0.next(), offsetSize, t.little);
        out.writeBytes(ifd);
        byte[] result = out.toByteArray();
        if (!t.big && result.length > 0xFFFF_FFFFL) {
            throw AigcmarkException.limit("the labelled TIFF would pass 4 GiB, which a classic TIFF cannot address");
        }
        TiffStructure.put(result, t.big ? 8 : 4, ifdAt, offsetSize, t.little);
        return result;
    }

    /**
     * For every IFD in the chain: the tags that say how the image data decodes (dimensions, samples, compression,
     * photometric, predictor, colour map, tiling, JPEG tables, ...), tag number, type, count and value, then the
     * strips' or tiles' bytes. A label write changes none of them (it moves no value).
     */
    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        TiffStructure t = TiffStructure.parse(b);
        for (TiffStructure.Ifd ifd : t.ifds) {
            List<TiffStructure.Entry> sorted = new ArrayList<>(ifd.entries());
            sorted.sort(Comparator.comparingInt(TiffStructure.Entry::tag));
            for (TiffStructure.Entry e : sorted) {
                if (IMAGE_TAGS.contains(e.tag())) {
                    digestEntry(t, e, digest);
                }
            }
            digestSegments(t, ifd, 273, 279, digest);
            digestSegments(t, ifd, 324, 325, digest);
        }
    }

    /** IFD0's orientation, ICC profile, transfer function, white point and primaries. */
    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        TiffStructure t = TiffStructure.parse(b);
        TiffStructure.Ifd ifd0 = t.ifds.get(0);
        for (int tag : new int[] {TAG_ICC, 301, 318, 319}) {
            TiffStructure.Entry e = ifd0.get(tag);
            if (e != null && PRESENTATION_TAGS.contains(tag)) {
                PresentationDigest.add(digest, "tiff." + tag, b, (int) e.data(), (int) e.length());
            }
        }
        TiffStructure.Entry o = ifd0.get(TAG_ORIENTATION);
        PresentationDigest.add(digest, "orientation", o != null && o.count() > 0 ? t.value(o, 0) : 1);
    }

    /**
     * A tag's number, count and values: integers (BYTE to LONG8) as 8-byte big-endian numbers, so that a writer
     * that stores them in another type or byte order (exiftool may widen SHORT to LONG) digests the same; other
     * types as their bytes.
     */
    private static void digestEntry(TiffStructure t, TiffStructure.Entry e, MessageDigest digest) {
        byte[] head = new byte[10];
        TiffStructure.put(head, 0, e.tag(), 2, false);
        TiffStructure.put(head, 2, e.count(), 8, false);
        digest.update(head);
        boolean integer = switch (e.type()) {
            case 1, 3, 4, 8, 9, 13, 16, 17, 18 -> true;
            default -> false;
        };
        if (!integer) {
            digest.update((byte) e.type());
            digest.update(t.b, (int) e.data(), (int) e.length());
            return;
        }
        byte[] v = new byte[8];
        for (int i = 0; i < e.count(); i++) {
            TiffStructure.put(v, 0, t.value(e, i), 8, false);
            digest.update(v);
        }
    }

    private static void digestSegments(TiffStructure t, TiffStructure.Ifd ifd, int offsetsTag, int countsTag, MessageDigest digest) {
        TiffStructure.Entry offsets = ifd.get(offsetsTag);
        TiffStructure.Entry counts = ifd.get(countsTag);
        if (offsets == null || counts == null) {
            return;
        }
        if (offsets.count() != counts.count() || offsets.count() > MAX_SEGMENTS) {
            throw AigcmarkException.corrupt("TIFF tags " + offsetsTag + " and " + countsTag + " disagree or list over "
                    + MAX_SEGMENTS + " segments");
        }
        for (int i = 0; i < offsets.count(); i++) {
            long at = t.value(offsets, i);
            long n = t.value(counts, i);
            if (at < 0 || n < 0 || at + n > t.b.length) {
                throw AigcmarkException.corrupt("TIFF image data segment " + i + " runs past the end of the file");
            }
            digest.update(t.b, (int) at, (int) n);
        }
    }
}
