package org.aigcmark.format.mp4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The item structure of a HEIF/AVIF file's top-level {@code meta} box (ISO/IEC 23008-12): items ({@code iinf}),
 * where their data lies ({@code iloc}), the primary item ({@code pitm}), item references ({@code iref}) and item
 * properties ({@code iprp}: {@code ipco} and {@code ipma}). Read defensively: every count is checked against the
 * bytes that remain before anything is added, item and extent counts are capped, and every extent is checked to
 * lie inside the file (construction method 0) or inside {@code idat} (method 1). Problems are collected as damage.
 */
final class HeifMeta {
    /** Most items read; a phone's HEIC has about fifty (a grid of tiles and a thumbnail). */
    static final int MAX_ITEMS = 65_535;
    /** Most extents over all items (a grid of 256 tiles needs 256). */
    static final int MAX_EXTENTS = 100_000;
    /** Most notes kept: a file with thousands of odd entries says so in a few lines. */
    static final int MAX_NOTES = 16;
    /** Most properties read from {@code ipco} and associations from {@code ipma}. */
    static final int MAX_PROPERTIES = 65_535;

    static final String XMP_CONTENT_TYPE = "application/rdf+xml";

    /** An {@code infe} entry: where its box lies, and the fields the label work needs. */
    record Item(long id, String type, String contentType, Boxes.Box box) {
        boolean isXmp() {
            return type.equals("mime") && contentType.strip().equalsIgnoreCase(XMP_CONTENT_TYPE);
        }

        boolean isExif() {
            return type.equals("Exif");
        }

        /** Metadata items: what a label write may change. Everything else is content. */
        boolean isMetadata() {
            return isXmp() || isExif();
        }
    }

    /** One extent as stored: offset relative to the base offset, length (0: to the end of the source), index. */
    record Extent(long index, long offset, long length) {}

    /** One {@code iloc} entry. {@code method} 0: file offsets, 1: offsets into {@code idat}, 2: item offsets. */
    record Location(long itemId, int method, int dataReference, long baseOffset, List<Extent> extents) {
        /** Whether the data lies in this file at absolute offsets (the entries a write moves). */
        boolean inFile() {
            return method == 0 && dataReference == 0;
        }

        boolean inIdat() {
            return method == 1 && dataReference == 0;
        }
    }

    /** A byte range [start, end) of the file. */
    record Range(int start, int end) {
        int length() {
            return end - start;
        }
    }

    /** An {@code iref} reference: {@code type} from one item to others. */
    record Reference(String type, long from, List<Long> to) {}

    final byte[] b;
    final Boxes.Node meta;
    final List<String> damage = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final Map<Long, Item> items = new LinkedHashMap<>();
    final Map<Long, Location> locations = new LinkedHashMap<>();
    final List<Reference> references = new ArrayList<>();
    /** The {@code ipco} children, in order (ipma indexes them from 1). */
    final List<Boxes.Box> properties = new ArrayList<>();
    /** Per item, the indexes (1-based) of its associated properties, in association order. */
    final Map<Long, List<Integer>> associations = new LinkedHashMap<>();
    long primary = -1;
    int ilocVersion;
    int offsetSize;
    int lengthSize;
    int baseOffsetSize;
    int indexSize;
    int irefVersion;
    int iinfVersion;
    Boxes.Node iinf;
    Boxes.Node iloc;
    Boxes.Node idat;
    Boxes.Node iref;

    private HeifMeta(byte[] b, Boxes.Node meta) {
        this.b = b;
        this.meta = meta;
    }

    private void note(String s) {
        if (notes.size() < MAX_NOTES) {
            notes.add(s);
        }
    }

    /** A truncated structure, caught where its box is read: the message says what was cut. */
    private static final class Cut extends RuntimeException {
        Cut(String what) {
            super(what, null, false, false);
        }
    }

    /** Reads {@code meta} (a top-level box of {@code boxes}); problems are in {@link #damage}. */
    static HeifMeta read(byte[] b, Boxes boxes, Boxes.Node meta) {
        HeifMeta m = new HeifMeta(b, meta);
        for (Boxes.Node c : meta.children()) {
            try {
                switch (c.type()) {
                    case "iinf" -> m.readIinf(boxes, c);
                    case "iloc" -> m.readIloc(c);
                    case "pitm" -> m.readPitm(c);
                    case "idat" -> m.idat = m.idat == null ? c : m.idat;
                    case "iref" -> m.readIref(boxes, c);
                    case "iprp" -> m.readIprp(boxes, c);
                    default -> { }
                }
            } catch (Cut e) {
                m.damage.add("the '" + c.type() + "' box at byte " + c.box().start() + " is truncated: " + e.getMessage());
            }
        }
        if (m.iinf == null || m.iloc == null) {
            m.damage.add("the 'meta' box has no " + (m.iinf == null ? "'iinf'" : "'iloc'") + " box (not a HEIF image)");
        }
        m.checkExtents();
        return m;
    }

    /** A bounded reader over one box's payload. */
    private final class Reader {
        int p;
        final int end;

        Reader(Boxes.Box box) {
            p = box.payloadStart();
            end = box.end();
        }

        void need(long n, String what) {
            if (n < 0 || n > end - p) {
                throw new Cut(what + " needs " + n + " bytes but " + (end - p) + " remain");
            }
        }

        int u8(String what) {
            need(1, what);
            return b[p++] & 0xFF;
        }

        long uint(int width, String what) {
            need(width, what);
            long v = 0;
            for (int i = 0; i < width; i++) {
                v = v << 8 | (b[p++] & 0xFF);
            }
            if (v < 0) {
                throw new Cut(what + " is over 2^63");
            }
            return v;
        }

        String fourCc(String what) {
            need(4, what);
            String s = new String(b, p, 4, StandardCharsets.ISO_8859_1);
            p += 4;
            return s;
        }

        /** A null-terminated UTF-8 string; one cut by the box's end is taken as it is. */
        String cString() {
            int start = p;
            while (p < end && b[p] != 0) {
                p++;
            }
            String s = new String(b, start, p - start, StandardCharsets.UTF_8);
            if (p < end) {
                p++;
            }
            return s;
        }
    }

    private void readIinf(Boxes boxes, Boxes.Node node) {
        if (iinf != null) {
            damage.add("the 'meta' box has two 'iinf' boxes");
            return;
        }
        iinf = node;
        Reader r = new Reader(node.box());
        iinfVersion = r.u8("the version");
        r.p += 3;
        long count = r.uint(iinfVersion == 0 ? 2 : 4, "the entry count");
        if (count > MAX_ITEMS) {
            damage.add("'iinf' declares " + count + " items, over the limit of " + MAX_ITEMS);
            return;
        }
        List<Boxes.Node> entries = boxes.children(r.p, r.end, 3, "'iinf' at byte " + node.box().start());
        if (entries.size() < count) {
            notes.add("'iinf' declares " + count + " items but holds " + entries.size());
        }
        for (Boxes.Node e : entries) {
            if (!e.type().equals("infe")) {
                continue;
            }
            Reader q = new Reader(e.box());
            int version = q.u8("the 'infe' version");
            q.p += 3;
            if (version < 2) {
                note("an 'infe' box of version " + version + " (item types came with version 2) is skipped");
                continue;
            }
            long id = q.uint(version == 2 ? 2 : 4, "the item ID");
            q.uint(2, "the protection index");
            String type = q.fourCc("the item type");
            q.cString(); // item_name
            String contentType = type.equals("mime") ? q.cString() : "";
            if (items.putIfAbsent(id, new Item(id, type, contentType, e.box())) != null) {
                damage.add("two 'infe' entries for item " + id);
            }
        }
    }

    private void readIloc(Boxes.Node node) {
        if (iloc != null) {
            damage.add("the 'meta' box has two 'iloc' boxes");
            return;
        }
        iloc = node;
        Reader r = new Reader(node.box());
        ilocVersion = r.u8("the version");
        r.p += 3;
        if (ilocVersion > 2) {
            damage.add("'iloc' version " + ilocVersion + " is unknown");
            return;
        }
        int sizes = r.u8("the field sizes");
        offsetSize = sizes >> 4;
        lengthSize = sizes & 0xF;
        int more = r.u8("the field sizes");
        baseOffsetSize = more >> 4;
        indexSize = ilocVersion == 0 ? 0 : more & 0xF;
        for (int s : new int[] {offsetSize, lengthSize, baseOffsetSize, indexSize}) {
            if (s != 0 && s != 4 && s != 8) {
                damage.add("'iloc' declares a field size of " + s + " bytes (only 0, 4 and 8 exist)");
                return;
            }
        }
        long count = r.uint(ilocVersion < 2 ? 2 : 4, "the item count");
        int entryMin = (ilocVersion < 2 ? 2 : 4) + (ilocVersion == 0 ? 0 : 2) + 2 + baseOffsetSize + 2;
        if (count > MAX_ITEMS || count * entryMin > r.end - r.p) {
            damage.add("'iloc' declares " + count + " items, more than " + (count > MAX_ITEMS ? "the limit of " + MAX_ITEMS
                    : "its " + (r.end - r.p) + " bytes can hold"));
            return;
        }
        int extentsSeen = 0;
        for (long i = 0; i < count; i++) {
            long id = r.uint(ilocVersion < 2 ? 2 : 4, "item " + i + "'s ID");
            int method = ilocVersion == 0 ? 0 : (int) (r.uint(2, "item " + id + "'s construction method") & 0xF);
            int dataRef = (int) r.uint(2, "item " + id + "'s data reference");
            long base = r.uint(baseOffsetSize, "item " + id + "'s base offset");
            int extentCount = (int) r.uint(2, "item " + id + "'s extent count");
            int extentBytes = indexSize + offsetSize + lengthSize;
            if ((long) extentCount * extentBytes > r.end - r.p) {
                throw new Cut("item " + id + " declares " + extentCount + " extents, more than the remaining "
                        + (r.end - r.p) + " bytes hold");
            }
            extentsSeen += extentCount;
            if (extentsSeen > MAX_EXTENTS) {
                damage.add("'iloc' declares more than " + MAX_EXTENTS + " extents (over the limit)");
                return;
            }
            List<Extent> extents = new ArrayList<>(extentCount);
            for (int e = 0; e < extentCount; e++) {
                long index = r.uint(indexSize, "an extent index");
                long offset = r.uint(offsetSize, "an extent offset");
                long length = r.uint(lengthSize, "an extent length");
                extents.add(new Extent(index, offset, length));
            }
            if (method > 2) {
                damage.add("item " + id + " has construction method " + method + " (only 0, 1 and 2 exist)");
            }
            if (locations.putIfAbsent(id, new Location(id, method, dataRef, base, List.copyOf(extents))) != null) {
                damage.add("two 'iloc' entries for item " + id);
            }
        }
    }

    private void readPitm(Boxes.Node node) {
        Reader r = new Reader(node.box());
        int version = r.u8("the version");
        r.p += 3;
        primary = r.uint(version == 0 ? 2 : 4, "the primary item ID");
    }

    private void readIref(Boxes boxes, Boxes.Node node) {
        iref = iref == null ? node : iref;
        Reader r = new Reader(node.box());
        irefVersion = r.u8("the version");
        r.p += 3;
        int idWidth = irefVersion == 0 ? 2 : 4;
        for (Boxes.Node ref : boxes.children(r.p, r.end, 3, "'iref' at byte " + node.box().start())) {
            Reader q = new Reader(ref.box());
            long from = q.uint(idWidth, "a reference's item ID");
            int n = (int) q.uint(2, "a reference count");
            q.need((long) n * idWidth, "the references of item " + from);
            List<Long> to = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                to.add(q.uint(idWidth, "a referenced item ID"));
            }
            references.add(new Reference(ref.type(), from, to));
        }
    }

    private void readIprp(Boxes boxes, Boxes.Node node) {
        for (Boxes.Node c : boxes.children(node.box().payloadStart(), node.box().end(), 3, "'iprp' at byte " + node.box().start())) {
            if (c.type().equals("ipco") && properties.isEmpty()) {
                for (Boxes.Node p : boxes.children(c.box().payloadStart(), c.box().end(), 4, "'ipco' at byte " + c.box().start())) {
                    if (properties.size() >= MAX_PROPERTIES) {
                        damage.add("'ipco' holds more than " + MAX_PROPERTIES + " properties (over the limit)");
                        break;
                    }
                    properties.add(p.box());
                }
            } else if (c.type().equals("ipma")) {
                readIpma(c);
            }
        }
    }

    private void readIpma(Boxes.Node node) {
        Reader r = new Reader(node.box());
        int version = r.u8("the version");
        r.p += 2;
        boolean wideIndex = (r.u8("the flags") & 1) != 0;
        long count = r.uint(4, "the entry count");
        if (count > MAX_ITEMS || count * (version < 1 ? 3 : 5) > r.end - r.p) {
            damage.add("'ipma' declares " + count + " entries, more than its bytes hold");
            return;
        }
        for (long i = 0; i < count; i++) {
            long id = r.uint(version < 1 ? 2 : 4, "an item ID");
            int n = r.u8("an association count");
            List<Integer> indexes = associations.computeIfAbsent(id, k -> new ArrayList<>());
            for (int a = 0; a < n; a++) {
                int index = (int) (r.uint(wideIndex ? 2 : 1, "an association") & (wideIndex ? 0x7FFF : 0x7F));
                if (indexes.size() < MAX_PROPERTIES) {
                    indexes.add(index);
                }
            }
        }
    }

    /** Every extent must lie inside the file or {@code idat}; the references are checked against what they point at. */
    private void checkExtents() {
        for (Location loc : locations.values()) {
            if (loc.dataReference() != 0) {
                note("item " + loc.itemId() + "'s data is in another file (data reference " + loc.dataReference() + ")");
                continue;
            }
            if (loc.method() == 2) {
                continue;
            }
            if (loc.method() == 1 && idat == null) {
                damage.add("item " + loc.itemId() + "'s data is in 'idat', but the 'meta' box has none");
                continue;
            }
            for (Extent e : loc.extents()) {
                long start = loc.baseOffset() + e.offset();
                long size = loc.method() == 0 ? b.length : idat.box().end() - idat.box().payloadStart();
                long end = e.length() == 0 ? size : start + e.length();
                if (start < loc.baseOffset() || end < start || end > size) {
                    damage.add("item " + loc.itemId() + "'s data (bytes " + start + " to " + end + ") lies outside the "
                            + (loc.method() == 0 ? "file (" + size + " bytes; truncated, or the 'iloc' offsets are wrong)"
                            : "'idat' box (" + size + " bytes)"));
                }
            }
        }
    }

    /**
     * Where an item's data lies in {@code b}, extent by extent; null for data this reader cannot reach (another file,
     * method 2, no location). Call only when {@link #damage} is empty, or accept ranges of the checked locations only.
     */
    List<Range> ranges(long itemId) {
        Location loc = locations.get(itemId);
        if (loc == null || loc.dataReference() != 0 || loc.method() == 2 || (loc.method() == 1 && idat == null)) {
            return null;
        }
        int origin = loc.method() == 0 ? 0 : idat.box().payloadStart();
        int limit = loc.method() == 0 ? b.length : idat.box().end();
        List<Range> out = new ArrayList<>();
        for (Extent e : loc.extents()) {
            long start = origin + loc.baseOffset() + e.offset();
            long end = e.length() == 0 ? limit : start + e.length();
            if (start < origin || end < start || end > limit) {
                return null;
            }
            out.add(new Range((int) start, (int) end));
        }
        return out;
    }

    /** An item's data, copied, or null when it is unreachable or longer than {@code max} bytes. */
    byte[] data(long itemId, int max) {
        List<Range> rs = ranges(itemId);
        if (rs == null) {
            return null;
        }
        long total = 0;
        for (Range r : rs) {
            total += r.length();
        }
        if (total > max) {
            return null;
        }
        byte[] out = new byte[(int) total];
        int p = 0;
        for (Range r : rs) {
            System.arraycopy(b, r.start(), out, p, r.length());
            p += r.length();
        }
        return out;
    }

    /** The properties associated with {@code itemId}, in association order (an index that points nowhere is skipped). */
    List<Boxes.Box> propertiesOf(long itemId) {
        List<Boxes.Box> out = new ArrayList<>();
        for (int index : associations.getOrDefault(itemId, List.of())) {
            if (index >= 1 && index <= properties.size()) {
                out.add(properties.get(index - 1));
            }
        }
        return out;
    }

    /** The largest item ID used by {@code iinf} or {@code iloc}. */
    long maxItemId() {
        long max = 0;
        for (long id : items.keySet()) {
            max = Math.max(max, id);
        }
        for (long id : locations.keySet()) {
            max = Math.max(max, id);
        }
        return max;
    }
}
