package org.aigcmark.format.mp4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.PresentationDigest;
import org.aigcmark.format.exif.Exif;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.label.AigcLabel;

/**
 * HEIF (HEIC, and the generic {@code mif1}/{@code msf1} brands) and AVIF, metadata only: the record is read from and
 * written to an XMP item ({@code mime}, {@code application/rdf+xml}) found through {@code meta}'s {@code iinf} and
 * {@code iloc}; records in {@code Exif} items are read too, and cleared on a write. A write is lossless: every coded
 * item is copied byte for byte and only moved, its {@code iloc} offsets (and an image sequence's chunk offsets) moved
 * with it; the packet goes into a new {@code mdat} at the end of the file. No pixel capability: there is no
 * HEVC/AV1 codec in pure Java (docs/IMAGE-CODECS.md), so a visible label or watermark is refused by the labeler.
 */
public final class HeifHandler implements FormatHandler, FormatHandler.MetadataWriter {
    /** Item properties that change how the decoded image is shown: they go into the presentation digest. */
    static final Set<String> PRESENTATION_PROPERTIES = Set.of("irot", "imir", "ispe", "colr", "clap", "pasp", "rloc",
            "lsel", "auxC", "clli", "mdcv", "cclv", "amve");
    /** References between image items that decide what is shown (grids, overlays, alpha, thumbnails). */
    static final Set<String> PRESENTATION_REFERENCES = Set.of("dimg", "auxl", "thmb", "base", "prem");

    /** What this handler reads: HEIF/HEIC and AVIF (both ISO/IEC 23008-12 item files). */
    @Override
    public MediaType type() {
        return MediaType.HEIF;
    }

    @Override
    public boolean handles(MediaType type) {
        return type == MediaType.HEIF || type == MediaType.AVIF;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    /** The parsed file: its top-level boxes and its {@code meta} (null when there is none). */
    private record Parsed(Boxes boxes, HeifMeta meta, List<String> damage) {}

    private static Parsed parse(byte[] b) {
        Boxes boxes = Boxes.parse(b);
        List<Boxes.Node> metas = boxes.top.stream().filter(n -> n.type().equals("meta")).toList();
        HeifMeta meta = !metas.isEmpty() && metas.get(0).children() != null ? HeifMeta.read(b, boxes, metas.get(0)) : null;
        // after the item table's read: the boxes inside iinf, iref and iprp are framed there
        List<String> damage = new ArrayList<>(boxes.damage);
        if (metas.size() > 1) {
            damage.add(metas.size() + " top-level 'meta' boxes: readers disagree on which one counts");
        }
        if (meta != null) {
            damage.addAll(meta.damage);
        } else if (boxes.firstTop("moov") == null && damage.isEmpty()) {
            damage.add("no top-level 'meta' box: not a HEIF image (truncated, or only a file-type header)");
        }
        return new Parsed(boxes, meta, damage);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.sniff(b) == MediaType.AVIF ? MediaType.AVIF : MediaType.HEIF);
        Parsed p = parse(b);
        scan.damage().addAll(p.damage());
        scan.notes().addAll(p.boxes().notes);
        HeifMeta m = p.meta();
        if (m == null) {
            if (p.boxes().firstTop("moov") != null) {
                scan.notes().add("an image sequence without a top-level 'meta' box: no item metadata to read");
            }
            return scan;
        }
        scan.notes().addAll(m.notes);
        for (Boxes.Box prop : m.propertiesOf(m.primary)) {
            if (prop.type().equals("ispe") && prop.size() >= prop.headerSize() + 12) {
                long w = Boxes.u32(b, prop.payloadStart() + 4);
                long h = Boxes.u32(b, prop.payloadStart() + 8);
                scan.dimensions((int) Math.min(w, Integer.MAX_VALUE), (int) Math.min(h, Integer.MAX_VALUE));
                if (w * h > limits.maxPixels()) {
                    scan.damage().add("the primary image declares " + w + "x" + h + " pixels, over the limit of " + limits.maxPixels());
                }
            }
        }
        int packets = 0;
        for (HeifMeta.Item item : m.items.values()) {
            if (!item.isMetadata()) {
                continue;
            }
            if (++packets > Limits.MAX_METADATA_PACKETS) {
                scan.damage().add("more than " + Limits.MAX_METADATA_PACKETS + " metadata items (over the limit)");
                break;
            }
            byte[] data = m.data(item.id(), Math.min(Xmp.MAX_PACKET, limits.maxSegmentBytes()));
            if (data == null) {
                scan.notes().add("item " + item.id() + " (" + (item.isXmp() ? "XMP" : "Exif") + ") was not read: its data"
                        + " is unreachable or over the limit of " + Math.min(Xmp.MAX_PACKET, limits.maxSegmentBytes()) + " bytes");
                continue;
            }
            if (item.isXmp()) {
                Xmp.scan(new String(data, StandardCharsets.UTF_8), "xmp", scan);
            } else {
                int tiff = exifTiffStart(data);
                if (tiff < 0) {
                    scan.notes().add("Exif item " + item.id() + " has no TIFF header where its offset field says");
                    continue;
                }
                Exif.Tags tags = Exif.scan(data, tiff, data.length - tiff, "exif", scan);
                if (scan.orientation() == 1 && tags.orientation() != 1) {
                    scan.orientation(tags.orientation());
                }
            }
        }
        for (Boxes.Node n : p.boxes().top) {
            if (n.type().equals("uuid") && n.box().size() >= n.box().headerSize() + 16
                    && Mp4Handler.uuidOf(b, n).equals(Mp4Handler.C2PA_UUID)) {
                Mp4Handler.addC2paStore(b, n.box().payloadStart() + 16, n.box().end(), scan);
            }
        }
        return scan;
    }

    /**
     * Where the TIFF header starts in an {@code Exif} item's data: after the 4-byte {@code exif_tiff_header_offset}
     * and the bytes it skips (usually "Exif\0\0"); -1 when that is outside the data.
     */
    static int exifTiffStart(byte[] data) {
        if (data.length < 4) {
            return -1;
        }
        long skip = Boxes.u32(data, 0);
        return skip > data.length - 4 - 8 ? -1 : 4 + (int) skip;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        Parsed p = parse(b);
        if (!p.damage().isEmpty()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged " + displayName(b) + ": " + p.damage().get(0));
        }
        HeifMeta m = p.meta();
        if (m == null) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "this " + displayName(b)
                    + " is an image sequence without a top-level 'meta' box, where HEIF keeps item metadata: labelling it is"
                    + " not supported");
        }
        if (p.boxes().firstTop("moof") != null || p.boxes().firstTop("mfra") != null) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "a fragmented " + displayName(b)
                    + " image sequence cannot be labelled yet (its fragment offsets are not moved)");
        }
        if (m.items.values().stream().filter(HeifMeta.Item::isMetadata).count() > Limits.MAX_METADATA_PACKETS) {
            throw AigcmarkException.limit("the " + displayName(b) + " has more than " + Limits.MAX_METADATA_PACKETS
                    + " metadata items (over the limit)");
        }
        // The new payloads, item by item: the first XMP item takes the record, other records are cleared.
        Map<Long, byte[]> rewrites = new LinkedHashMap<>();
        List<HeifMeta.Item> xmpItems = m.items.values().stream().filter(HeifMeta.Item::isXmp)
                .sorted(Comparator.comparingLong(HeifMeta.Item::id)).toList();
        long xmpId;
        boolean newItem = xmpItems.isEmpty();
        String existing = null;
        if (newItem) {
            xmpId = m.maxItemId() + 1;
            if (xmpId > 0xFFFF && (m.ilocVersion < 2 || m.iinfVersion == 0)) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "the " + displayName(b)
                        + " already uses item ID " + (xmpId - 1) + ", and its 'iloc'/'iinf' versions hold 16-bit IDs only");
            }
        } else {
            xmpId = xmpItems.get(0).id();
            byte[] old = readable(m, xmpId, limits);
            existing = new String(old, StandardCharsets.UTF_8);
        }
        rewrites.put(xmpId, Xmp.withLabel(existing, label.toBareJson()).getBytes(StandardCharsets.UTF_8));
        for (HeifMeta.Item item : m.items.values()) {
            if (item.id() == xmpId || !item.isMetadata()) {
                continue;
            }
            if (item.isXmp()) {
                String packet = new String(readable(m, item.id(), limits), StandardCharsets.UTF_8);
                if (Xmp.hasLabel(packet)) {
                    rewrites.put(item.id(), Xmp.withoutLabel(packet).getBytes(StandardCharsets.UTF_8));
                }
            } else {
                // the size scan reads (64 items of at most 4 MiB), so many items over one large range stay bounded
                byte[] data = m.data(item.id(), Math.min(Xmp.MAX_PACKET, limits.maxSegmentBytes()));
                int tiff = data == null ? -1 : exifTiffStart(data);
                if (tiff >= 0 && Exif.clearLabels(data, tiff, data.length - tiff)) {
                    rewrites.put(item.id(), data);
                }
            }
        }
        return new Rewrite(b, p.boxes(), m, rewrites, newItem ? xmpId : -1).build();
    }

    private static byte[] readable(HeifMeta m, long id, Limits limits) {
        byte[] d = m.data(id, Math.min(Xmp.MAX_PACKET, limits.maxSegmentBytes()));
        if (d == null) {
            throw AigcmarkException.limit("the XMP item " + id + " is unreachable or over the limit of "
                    + Math.min(Xmp.MAX_PACKET, limits.maxSegmentBytes()) + " bytes: cannot replace its record");
        }
        return d;
    }

    private static String displayName(byte[] b) {
        return MediaType.sniff(b) == MediaType.AVIF ? "AVIF image" : "HEIF image";
    }

    /**
     * One label write. The output is the input's top-level boxes in order, {@code meta} rebuilt (new or changed
     * {@code infe}, {@code iloc} and {@code iref}, {@code idat} without the replaced payloads) and each {@code mdat}
     * without the replaced payloads' bytes, then one new {@code mdat} with the new payloads. Every other offset is
     * moved by {@link #mapFile} / {@link #mapIdat}, which refuse an offset into a rewritten region.
     */
    private static final class Rewrite {
        final byte[] b;
        final Boxes boxes;
        final HeifMeta m;
        final Map<Long, byte[]> rewrites;
        final long newItemId;
        /** Ranges removed from the file (inside top-level mdat payloads) and from idat's payload (idat offsets). */
        final TreeMap<Integer, Integer> fileCuts = new TreeMap<>();
        final TreeMap<Integer, Integer> idatCuts = new TreeMap<>();
        /** Per cut start, the bytes cut up to and including it (made once the cuts are planned). */
        TreeMap<Integer, Long> fileCutSums;
        TreeMap<Integer, Long> idatCutSums;
        /** The ranges of the items that are kept, to tell which replaced bytes another item shares. */
        Overlaps kept;
        final List<Boxes.Node> top;
        final int[] newStart;
        /** Where each rewritten payload starts in the output. */
        final Map<Long, Long> newPayloadAt = new LinkedHashMap<>();
        int metaIndex = -1;
        int newMetaLength;
        int offsetSize;
        int lengthSize;
        int baseOffsetSize;

        Rewrite(byte[] b, Boxes boxes, HeifMeta m, Map<Long, byte[]> rewrites, long newItemId) {
            this.b = b;
            this.boxes = boxes;
            this.m = m;
            this.rewrites = rewrites;
            this.newItemId = newItemId;
            this.top = boxes.top;
            this.newStart = new int[top.size()];
            for (int i = 0; i < top.size(); i++) {
                if (top.get(i) == m.meta) {
                    metaIndex = i;
                }
            }
            // Fields wide enough for any offset and length of a file held in memory (they were 0, 4 or 8).
            offsetSize = Math.max(m.offsetSize, 4);
            lengthSize = Math.max(m.lengthSize, 4);
            baseOffsetSize = m.baseOffsetSize;
            planCuts();
        }

        /** The replaced payloads' bytes that no other item shares are removed; shared ones stay, unreferenced. */
        void planCuts() {
            kept = Overlaps.of(m, rewrites.keySet());
            for (long id : rewrites.keySet()) {
                HeifMeta.Location loc = m.locations.get(id);
                List<HeifMeta.Range> rs = m.ranges(id);
                if (loc == null || rs == null || !(loc.inFile() || loc.inIdat())) {
                    continue;
                }
                for (HeifMeta.Range r : rs) {
                    if (r.length() == 0 || kept.overlaps(r)) {
                        continue;
                    }
                    if (loc.inIdat()) {
                        int base = m.idat.box().payloadStart();
                        addCut(idatCuts, r.start() - base, r.end() - base);
                    } else if (insideMdatPayload(r)) {
                        addCut(fileCuts, r.start(), r.end());
                    }
                }
            }
        }

        private static void addCut(TreeMap<Integer, Integer> cuts, int start, int end) {
            Map.Entry<Integer, Integer> before = cuts.floorEntry(start);
            Map.Entry<Integer, Integer> after = cuts.ceilingEntry(start);
            if ((before != null && before.getValue() > start) || (after != null && after.getKey() < end)) {
                return; // overlaps a cut already planned (an item listing the same bytes twice)
            }
            cuts.put(start, end);
        }


        private boolean insideMdatPayload(HeifMeta.Range r) {
            for (Boxes.Node n : top) {
                Boxes.Box box = n.box();
                if (n.type().equals("mdat") && r.start() >= box.payloadStart() && r.end() <= box.end()) {
                    return true;
                }
            }
            return false;
        }

        byte[] build() {
            // Pass 1 sizes the new meta (its length does not depend on the offsets it holds), pass 2 fills it in.
            byte[] meta = newMeta(false);
            newMetaLength = meta.length;
            int pos = 0;
            for (int i = 0; i < top.size(); i++) {
                newStart[i] = pos;
                pos += i == metaIndex ? meta.length : newSize(i);
            }
            long trailer = pos;
            long payloadAt = trailer + 8;
            for (Map.Entry<Long, byte[]> e : rewrites.entrySet()) {
                newPayloadAt.put(e.getKey(), payloadAt);
                payloadAt += e.getValue().length;
            }
            if (payloadAt > 0xFFFFFFFFL && offsetSize == 4) {
                throw AigcmarkException.limit("the labelled file would be over 4 GiB, past its 32-bit 'iloc' offsets");
            }
            meta = newMeta(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) payloadAt);
            for (int i = 0; i < top.size(); i++) {
                Boxes.Node n = top.get(i);
                if (i == metaIndex) {
                    out.write(meta, 0, meta.length);
                } else if (n.type().equals("mdat")) {
                    if (newSize(i) > 0) {
                        writeMdat(out, n.box());
                    }
                } else if (Boxes.u32(b, n.box().start()) == 0) {
                    // a last box "to the end of the file" would swallow the new mdat: its size is made explicit
                    byte[] copy = Arrays.copyOfRange(b, n.box().start(), n.box().end());
                    Boxes.putU32(copy, 0, copy.length);
                    out.write(copy, 0, copy.length);
                } else {
                    out.write(b, n.box().start(), n.box().size());
                }
            }
            if (out.size() != trailer) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "HEIF rewrite: layout mismatch");
            }
            byte[][] payloads = rewrites.values().toArray(new byte[0][]);
            out.write(Boxes.box("mdat", payloads), 0, (int) (payloadAt - trailer));
            byte[] result = out.toByteArray();
            fixChunkOffsets(result);
            return result;
        }

        /**
         * The size of top-level box {@code i} (not meta) in the output: less its cut bytes; 0 for an mdat that held
         * only replaced payloads (an earlier label's), which is dropped so relabelling does not pile up empty boxes.
         */
        private int newSize(int i) {
            Boxes.Box box = top.get(i).box();
            int cut = cutBytes(fileCuts, box.start(), box.end());
            if (top.get(i).type().equals("mdat") && cut > 0 && cut == box.end() - box.payloadStart()) {
                return 0;
            }
            return box.size() - cut;
        }

        /** A top-level mdat without its cut ranges, its size field (32 or 64 bits, as it was) set to the new size. */
        private void writeMdat(ByteArrayOutputStream out, Boxes.Box box) {
            long size = box.size() - cutBytes(fileCuts, box.start(), box.end());
            byte[] header = Arrays.copyOfRange(b, box.start(), box.payloadStart());
            if (box.headerSize() == 16) {
                Boxes.putU64(header, 8, size);
            } else if (size > 0xFFFFFFFFL) {
                throw AigcmarkException.limit("an 'mdat' box over 4 GiB without a 64-bit size cannot be rewritten");
            } else {
                Boxes.putU32(header, 0, size); // also turns a size-0 ("to the end") box into an explicit one
            }
            out.write(header, 0, header.length);
            int p = box.payloadStart();
            for (Map.Entry<Integer, Integer> cut : fileCuts.subMap(box.payloadStart(), true, box.end(), false).entrySet()) {
                out.write(b, p, cut.getKey() - p);
                p = cut.getValue();
            }
            out.write(b, p, box.end() - p);
        }

        private static int cutBytes(TreeMap<Integer, Integer> cuts, int from, int to) {
            int n = 0;
            for (Map.Entry<Integer, Integer> c : cuts.subMap(from, true, to, false).entrySet()) {
                n += c.getValue() - c.getKey();
            }
            return n;
        }

        /** Where the file byte at old offset {@code o} is in the output. */
        long mapFile(long o, String what) {
            if (o == b.length) {
                int last = top.size() - 1;
                return newStart[last] + (last == metaIndex ? newMetaLength : newSize(last));
            }
            int lo = 0;
            int hi = top.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                Boxes.Box box = top.get(mid).box();
                if (o < box.start()) {
                    hi = mid - 1;
                } else if (o >= box.end()) {
                    lo = mid + 1;
                } else {
                    if (mid == metaIndex) {
                        throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, what
                                + " lies inside the 'meta' box at file offsets, which a label write rewrites:"
                                + " cannot move it safely");
                    }
                    return newStart[mid] + (o - box.start()) - removedBefore(fileCuts, o, what);
                }
            }
            throw AigcmarkException.corrupt(what + " (offset " + o + ") lies outside the file");
        }

        long mapIdat(long o, String what) {
            return o - removedBefore(idatCuts, o, what);
        }

        /** The bytes cut before {@code o}: the cuts' lengths summed once, looked up by the last cut starting before it. */
        private long removedBefore(TreeMap<Integer, Integer> cuts, long o, String what) {
            TreeMap<Integer, Long> sums = cuts == fileCuts ? fileCutSums : idatCutSums;
            if (sums == null) {
                sums = new TreeMap<>();
                long total = 0;
                for (Map.Entry<Integer, Integer> c : cuts.entrySet()) {
                    total += c.getValue() - c.getKey();
                    sums.put(c.getKey(), total);
                }
                if (cuts == fileCuts) {
                    fileCutSums = sums;
                } else {
                    idatCutSums = sums;
                }
            }
            Map.Entry<Integer, Integer> last = o > Integer.MAX_VALUE ? cuts.lastEntry() : cuts.lowerEntry((int) o);
            if (last == null) {
                return 0;
            }
            if (last.getValue() > o) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, what
                        + " starts inside a replaced metadata payload: cannot move it safely");
            }
            return sums.get(last.getKey());
        }

        /** The rebuilt meta box; {@code real} false: offsets not computed, for its length only. */
        private byte[] newMeta(boolean real) {
            Boxes.Box box = m.meta.box();
            ByteArrayOutputStream body = new ByteArrayOutputStream(box.size() + 256);
            int childrenStart = boxes.metaChildrenStart(box);
            body.write(b, box.payloadStart(), childrenStart - box.payloadStart()); // version and flags
            boolean irefWritten = false;
            for (Boxes.Node c : m.meta.children()) {
                switch (c.type()) {
                    case "iinf" -> writeBytes(body, c == m.iinf ? newIinf() : copy(c.box()));
                    case "iloc" -> writeBytes(body, c == m.iloc ? newIloc(real) : copy(c.box()));
                    case "idat" -> writeBytes(body, c == m.idat ? newIdat() : copy(c.box()));
                    case "iref" -> {
                        writeBytes(body, c == m.iref ? newIref() : copy(c.box()));
                        irefWritten |= c == m.iref;
                    }
                    default -> writeBytes(body, copy(c.box()));
                }
            }
            if (!irefWritten && newItemId >= 0 && m.primary >= 0) {
                writeBytes(body, newIref());
            }
            return Boxes.box("meta", body.toByteArray());
        }

        private byte[] copy(Boxes.Box box) {
            return Arrays.copyOfRange(b, box.start(), box.end());
        }

        private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
            out.write(bytes, 0, bytes.length);
        }

        private byte[] newIinf() {
            Boxes.Box box = m.iinf.box();
            if (newItemId < 0) {
                return copy(box);
            }
            int countWidth = m.iinfVersion == 0 ? 2 : 4;
            int entriesAt = box.payloadStart() + 4 + countWidth;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(b, box.payloadStart(), 4);
            long count = Boxes.u32(widen(b, box.payloadStart() + 4, countWidth), 0) + 1;
            writeUint(body, count, countWidth);
            body.write(b, entriesAt, box.end() - entriesAt);
            writeBytes(body, xmpInfe(newItemId));
            return Boxes.box("iinf", body.toByteArray());
        }

        /** An {@code infe} (version 2, or 3 for a 32-bit ID) for an XMP item: {@code mime}, no name, application/rdf+xml. */
        private static byte[] xmpInfe(long id) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int version = id > 0xFFFF ? 3 : 2;
            body.write(version);
            body.write(0);
            body.write(0);
            body.write(0);
            writeUint(body, id, version == 2 ? 2 : 4);
            writeUint(body, 0, 2); // item_protection_index: not protected
            writeBytes(body, "mime".getBytes(StandardCharsets.ISO_8859_1));
            body.write(0); // item_name ""
            writeBytes(body, HeifMeta.XMP_CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
            body.write(0);
            return Boxes.box("infe", body.toByteArray());
        }

        /** The iref with a {@code cdsc} ("content describes") reference from the new XMP item to the primary image. */
        private byte[] newIref() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int version;
            if (m.iref != null) {
                Boxes.Box box = m.iref.box();
                version = m.irefVersion;
                body.write(b, box.payloadStart(), box.end() - box.payloadStart());
            } else {
                version = newItemId > 0xFFFF || m.primary > 0xFFFF ? 1 : 0;
                body.write(version);
                body.write(0);
                body.write(0);
                body.write(0);
            }
            if (newItemId >= 0 && m.primary >= 0) {
                int w = version == 0 ? 2 : 4;
                if (w == 2 && (newItemId > 0xFFFF || m.primary > 0xFFFF)) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                            "the image's 'iref' holds 16-bit item IDs, too narrow for the new XMP item " + newItemId);
                }
                ByteArrayOutputStream ref = new ByteArrayOutputStream();
                writeUint(ref, newItemId, w);
                writeUint(ref, 1, 2);
                writeUint(ref, m.primary, w);
                writeBytes(body, Boxes.box("cdsc", ref.toByteArray()));
            }
            return Boxes.box("iref", body.toByteArray());
        }

        private byte[] newIdat() {
            Boxes.Box box = m.idat.box();
            if (idatCuts.isEmpty()) {
                return copy(box);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(box.size());
            int base = box.payloadStart();
            int p = base;
            for (Map.Entry<Integer, Integer> cut : idatCuts.entrySet()) {
                body.write(b, p, base + cut.getKey() - p);
                p = base + cut.getValue();
            }
            body.write(b, p, box.end() - p);
            return Boxes.box("idat", body.toByteArray());
        }

        /** The iloc with every entry moved, the rewritten items pointing at their new payloads, and the new item. */
        private byte[] newIloc(boolean real) {
            int v = m.ilocVersion;
            int idWidth = v < 2 ? 2 : 4;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(v);
            body.write(b, m.iloc.box().payloadStart() + 1, 3); // flags
            body.write(offsetSize << 4 | lengthSize);
            body.write(baseOffsetSize << 4 | (v == 0 ? 0 : m.indexSize));
            writeUint(body, m.locations.size() + (newItemId >= 0 ? 1 : 0), v < 2 ? 2 : 4);
            for (HeifMeta.Location loc : m.locations.values()) {
                writeUint(body, loc.itemId(), idWidth);
                byte[] payload = rewrites.get(loc.itemId());
                if (payload != null) {
                    writeNewEntry(body, loc.itemId(), payload.length, real);
                    continue;
                }
                if (v > 0) {
                    writeUint(body, loc.method(), 2);
                }
                writeUint(body, loc.dataReference(), 2);
                List<HeifMeta.Extent> extents = loc.extents();
                if (!real || !(loc.inFile() || loc.inIdat())) {
                    writeUint(body, loc.baseOffset(), baseOffsetSize);
                    writeUint(body, extents.size(), 2);
                    for (HeifMeta.Extent e : extents) {
                        writeExtent(body, e.index(), e.offset(), e.length());
                    }
                    continue;
                }
                long sourceEnd = loc.inFile() ? b.length : m.idat.box().end() - m.idat.box().payloadStart();
                long[] to = new long[extents.size()];
                long[] len = new long[extents.size()];
                for (int i = 0; i < extents.size(); i++) {
                    HeifMeta.Extent e = extents.get(i);
                    long at = loc.baseOffset() + e.offset();
                    String what = "item " + loc.itemId() + "'s data";
                    to[i] = loc.inFile() ? mapFile(at, what) : mapIdat(at, what);
                    // "to the end of the source" is made explicit: the source now ends with our new mdat
                    len[i] = e.length() == 0 ? sourceEnd - at : e.length();
                    // the last byte, not the end: an extent may end where the rewritten meta begins
                    long last = len[i] == 0 ? to[i] - 1 : loc.inFile() ? mapFile(at + len[i] - 1, what) : mapIdat(at + len[i] - 1, what);
                    if (last + 1 - to[i] != len[i]) {
                        throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "item " + loc.itemId()
                                + "'s data spans a replaced metadata payload: cannot move it safely");
                    }
                }
                long base = baseOffsetSize == 0 || to.length == 0 ? 0 : Math.max(0, loc.baseOffset() + to[0] - (loc.baseOffset() + extents.get(0).offset()));
                for (long t : to) {
                    if (t < base) {
                        base = 0;
                    }
                }
                writeUint(body, base, baseOffsetSize);
                writeUint(body, extents.size(), 2);
                for (int i = 0; i < extents.size(); i++) {
                    writeExtent(body, extents.get(i).index(), to[i] - base, len[i]);
                }
            }
            if (newItemId >= 0) {
                writeUint(body, newItemId, idWidth);
                writeNewEntry(body, newItemId, rewrites.get(newItemId).length, real);
            }
            return Boxes.box("iloc", body.toByteArray());
        }

        /** Construction method 0 in this file, one extent at the payload's place in the new mdat. */
        private void writeNewEntry(ByteArrayOutputStream body, long id, long length, boolean real) {
            if (m.ilocVersion > 0) {
                writeUint(body, 0, 2);
            }
            writeUint(body, 0, 2);
            writeUint(body, 0, baseOffsetSize);
            writeUint(body, 1, 2);
            writeExtent(body, 0, real ? newPayloadAt.get(id) : 0, length);
        }

        private void writeExtent(ByteArrayOutputStream body, long index, long offset, long length) {
            if (m.ilocVersion > 0) {
                writeUint(body, index, m.indexSize);
            }
            writeUint(body, offset, offsetSize);
            writeUint(body, length, lengthSize);
        }

        /** An image sequence's track chunk offsets ({@code stco}/{@code co64}), moved like the items. */
        private void fixChunkOffsets(byte[] out) {
            Boxes now = Boxes.parse(out);
            for (Boxes.Node n : now.top) {
                if (!n.type().equals("moov")) {
                    continue;
                }
                for (Boxes.Node trak : n.all("trak")) {
                    Boxes.Node stbl = trak.path("mdia", "minf", "stbl");
                    if (stbl == null || !SampleTable.selfContained(out, trak)) {
                        continue;
                    }
                    for (Boxes.Node c : stbl.children()) {
                        int width = c.type().equals("stco") ? 4 : c.type().equals("co64") ? 8 : 0;
                        if (width == 0 || c.box().size() < c.box().headerSize() + 8) {
                            continue;
                        }
                        int countAt = c.box().payloadStart() + 4;
                        long count = Boxes.u32(out, countAt);
                        for (long i = 0; i < count; i++) {
                            int at = countAt + 4 + (int) i * width;
                            if (at + width > c.box().end()) {
                                break;
                            }
                            long old = width == 4 ? Boxes.u32(out, at) : Boxes.u64(out, at);
                            long moved = mapFile(old, "a chunk offset of the image sequence");
                            if (width == 4) {
                                Boxes.putU32(out, at, moved);
                            } else {
                                Boxes.putU64(out, at, moved);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Byte ranges sorted by start with the running maximum of their ends: one overlap query in O(log n). */
    private record Overlaps(int[] starts, int[] maxEnds) {
        /** The ranges (file and idat alike, as absolute offsets in the file) of every item not in {@code skip}. */
        static Overlaps of(HeifMeta m, Set<Long> skip) {
            List<HeifMeta.Range> all = new ArrayList<>();
            for (long id : m.locations.keySet()) {
                List<HeifMeta.Range> rs = skip.contains(id) ? null : m.ranges(id);
                if (rs != null) {
                    all.addAll(rs);
                }
            }
            all.sort(Comparator.comparingInt(HeifMeta.Range::start));
            int[] starts = new int[all.size()];
            int[] maxEnds = new int[all.size()];
            int max = Integer.MIN_VALUE;
            for (int i = 0; i < all.size(); i++) {
                starts[i] = all.get(i).start();
                max = Math.max(max, all.get(i).end());
                maxEnds[i] = max;
            }
            return new Overlaps(starts, maxEnds);
        }

        /** Whether any range shares a byte with {@code r}. */
        boolean overlaps(HeifMeta.Range r) {
            int lo = 0;
            int hi = starts.length; // the ranges starting before r.end() are [0, lo)
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] < r.end()) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo > 0 && maxEnds[lo - 1] > r.start();
        }
    }

    private static byte[] widen(byte[] b, int at, int width) {
        byte[] four = new byte[4];
        System.arraycopy(b, at, four, 4 - width, width);
        return four;
    }

    private static void writeUint(ByteArrayOutputStream out, long v, int width) {
        if (width < 8 && v >>> (8 * width) != 0) {
            throw AigcmarkException.limit("a value of " + v + " does not fit the " + width + "-byte field the image uses");
        }
        for (int s = 8 * (width - 1); s >= 0; s -= 8) {
            out.write((int) (v >>> s) & 0xFF);
        }
    }

    // ---------------------------------------------------------------- digests

    /**
     * The coded content: every item that is not metadata (XMP or Exif), by ID, as its ID, type and data; the
     * properties that are not presentation ones (decoder configurations such as {@code hvcC}/{@code av1C}); and for
     * an image sequence, every {@code mdat} byte that is no metadata item's.
     */
    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        Parsed p = parse(b);
        if (!p.damage().isEmpty()) {
            throw AigcmarkException.corrupt("cannot hash a damaged " + displayName(b) + ": " + p.damage().get(0));
        }
        HeifMeta m = p.meta();
        // Items may share bytes; more than a few times the file's size is a hashing bomb, not an image
        long budget = 4L * b.length + (1 << 20);
        List<HeifMeta.Range> metadata = new ArrayList<>();
        if (m != null) {
            for (HeifMeta.Item item : m.items.values().stream().sorted(Comparator.comparingLong(HeifMeta.Item::id)).toList()) {
                if (item.isMetadata()) {
                    List<HeifMeta.Range> rs = m.ranges(item.id());
                    if (rs != null) {
                        metadata.addAll(rs);
                    }
                    continue;
                }
                digest.update(("item " + item.id() + " " + item.type() + "\0").getBytes(StandardCharsets.ISO_8859_1));
                List<HeifMeta.Range> rs = m.ranges(item.id());
                if (rs != null) {
                    for (HeifMeta.Range r : rs) {
                        budget -= r.length();
                        if (budget < 0) {
                            throw AigcmarkException.limit("the " + displayName(b) + "'s items list the same bytes over and"
                                    + " over (more than four times the file's size): refusing to hash them");
                        }
                        digest.update(b, r.start(), r.length());
                    }
                }
                for (Boxes.Box prop : m.propertiesOf(item.id())) {
                    if (!PRESENTATION_PROPERTIES.contains(prop.type())) {
                        digest.update(b, prop.start(), prop.size());
                    }
                }
            }
        }
        if (p.boxes().firstTop("moov") != null) {
            metadata.sort(Comparator.comparingInt(HeifMeta.Range::start));
            for (Boxes.Node n : p.boxes().top) {
                if (n.type().equals("mdat")) {
                    int from = n.box().payloadStart();
                    for (HeifMeta.Range r : metadata) {
                        if (r.start() >= from && r.end() <= n.box().end()) {
                            digest.update(b, from, r.start() - from);
                            from = r.end();
                        }
                    }
                    digest.update(b, from, n.box().end() - from);
                }
            }
        }
    }

    /**
     * What decides how the coded images are shown: the primary item, the references between image items (grid
     * tiles, alpha, thumbnails) and, per item, its transform and colour properties ({@code irot}, {@code imir},
     * {@code ispe}, {@code colr}, {@code clap}, ...) in association order.
     */
    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        Parsed p = parse(b);
        HeifMeta m = p.meta();
        if (m == null) {
            return;
        }
        PresentationDigest.add(digest, "heif.pitm", m.primary);
        for (HeifMeta.Reference r : m.references) {
            if (PRESENTATION_REFERENCES.contains(r.type())) {
                PresentationDigest.add(digest, "heif.iref." + r.type(), r.from() + "->" + r.to());
            }
        }
        for (HeifMeta.Item item : m.items.values().stream().sorted(Comparator.comparingLong(HeifMeta.Item::id)).toList()) {
            if (item.isMetadata()) {
                continue;
            }
            for (Boxes.Box prop : m.propertiesOf(item.id())) {
                if (PRESENTATION_PROPERTIES.contains(prop.type())) {
                    PresentationDigest.add(digest, "heif.item" + item.id() + "." + prop.type(), b, prop.payloadStart(),
                            prop.end() - prop.payloadStart());
                }
            }
        }
    }
}
