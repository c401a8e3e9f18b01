package org.aigcmark.format.tiff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aigcmark.AigcmarkException;

/**
 * The IFD chain of a classic TIFF or a BigTIFF, either byte order, as positions in the file. Bounded: at most
 * {@link #MAX_IFDS} IFDs of at most {@link #MAX_ENTRIES} entries each, no IFD visited twice, every value range
 * checked against the file's length. Damage throws {@code CORRUPT_INPUT}.
 */
final class TiffStructure {
    static final int MAX_IFDS = 1024;
    static final int MAX_ENTRIES = 4096;

    /**
     * One entry: {@code at} is where its 12 (BigTIFF: 20) bytes start, {@code data} where its value's bytes are
     * (inline: inside the entry) and {@code length} how many there are.
     */
    record Entry(int tag, int type, long count, long at, long data, long length) {}

    /** One IFD: where it starts, its entries in file order, where its next-IFD field is and what it says. */
    record Ifd(long offset, List<Entry> entries, long nextField, long next) {
        Entry get(int tag) {
            for (Entry e : entries) {
                if (e.tag() == tag) {
                    return e;
                }
            }
            return null;
        }
    }

    final byte[] b;
    final boolean little;
    final boolean big;
    final List<Ifd> ifds;

    private TiffStructure(byte[] b, boolean little, boolean big, List<Ifd> ifds) {
        this.b = b;
        this.little = little;
        this.big = big;
        this.ifds = ifds;
    }

    /** The size of an entry. */
    int entrySize() {
        return big ? 20 : 12;
    }

    /** Parses the header and the IFD chain. */
    static TiffStructure parse(byte[] b) {
        if (b.length < 8) {
            throw AigcmarkException.corrupt("TIFF header truncated");
        }
        boolean little;
        if (b[0] == 'I' && b[1] == 'I') {
            little = true;
        } else if (b[0] == 'M' && b[1] == 'M') {
            little = false;
        } else {
            throw AigcmarkException.corrupt("not a TIFF byte order mark");
        }
        TiffStructure t = new TiffStructure(b, little, false, List.of());
        int magic = t.u16(2);
        boolean big = magic == 43;
        if (magic != 42 && !big) {
            throw AigcmarkException.corrupt("TIFF magic number is " + magic + ", not 42 or 43");
        }
        t = new TiffStructure(b, little, big, List.of());
        long first;
        if (big) {
            if (b.length < 16 || t.u16(4) != 8 || t.u16(6) != 0) {
                throw AigcmarkException.corrupt("BigTIFF header truncated or with an offset size other than 8");
            }
            first = t.u64(8);
        } else {
            first = t.u32(4);
        }
        List<Ifd> ifds = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long next = first;
        while (next != 0) {
            if (ifds.size() >= MAX_IFDS) {
                throw AigcmarkException.limit("more than " + MAX_IFDS + " TIFF IFDs");
            }
            if (!seen.add(next)) {
                throw AigcmarkException.corrupt("the TIFF IFD chain loops back to byte " + next);
            }
            Ifd ifd = t.readIfd(next);
            ifds.add(ifd);
            next = ifd.next();
        }
        if (ifds.isEmpty()) {
            throw AigcmarkException.corrupt("the TIFF has no IFD");
        }
        return new TiffStructure(b, little, big, List.copyOf(ifds));
    }

    private Ifd readIfd(long offset) {
        int countSize = big ? 8 : 2;
        if (offset < (big ? 16 : 8) || offset > b.length - countSize) { // offset + size may overflow (BigTIFF)
            throw AigcmarkException.corrupt("TIFF IFD offset " + offset + " is outside the file");
        }
        long n = big ? u64(offset) : u16(offset);
        if (n > MAX_ENTRIES) {
            throw AigcmarkException.limit("a TIFF IFD declares " + n + " entries, over the limit of " + MAX_ENTRIES);
        }
        long entries = offset + countSize;
        long nextField = entries + n * entrySize();
        if (nextField + (big ? 8 : 4) > b.length) {
            throw AigcmarkException.corrupt("TIFF IFD at byte " + offset + " runs past the end of the file");
        }
        List<Entry> list = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            long at = entries + (long) i * entrySize();
            int tag = u16(at);
            int type = u16(at + 2);
            long count = big ? u64(at + 4) : u32(at + 4);
            long valueField = at + (big ? 12 : 8);
            int unit = typeSize(type);
            if (count < 0 || count > b.length) {
                throw AigcmarkException.corrupt("TIFF tag " + tag + " declares " + count + " values, more than the file holds");
            }
            long length = count * unit;
            long data = length <= (big ? 8 : 4) ? valueField : (big ? u64(valueField) : u32(valueField));
            if (data < 0 || data > b.length - length) { // data + length may overflow (BigTIFF)
                throw AigcmarkException.corrupt("TIFF tag " + tag + "'s value runs past the end of the file");
            }
            list.add(new Entry(tag, type, count, at, data, length));
        }
        long next = big ? u64(nextField) : u32(nextField);
        return new Ifd(offset, List.copyOf(list), nextField, next);
    }

    /** The byte size of one value of a TIFF field type (1 for types this reader does not know). */
    static int typeSize(int type) {
        return switch (type) {
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12, 16, 17, 18 -> 8;
            default -> 1;
        };
    }

    /** The {@code i}-th value of an integer entry (BYTE, SHORT, LONG, LONG8, IFD). */
    long value(Entry e, int i) {
        long at = e.data() + (long) i * typeSize(e.type());
        return switch (e.type()) {
            case 1, 6, 7 -> b[(int) at] & 0xFF;
            case 3, 8 -> u16(at);
            case 16, 17, 18 -> u64(at);
            default -> u32(at);
        };
    }

    int u16(long at) {
        int i = (int) at;
        return little ? (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 : (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    long u32(long at) {
        int i = (int) at;
        long lo = u16(i);
        long hi = u16(i + 2);
        return little ? lo | hi << 16 : lo << 16 | hi;
    }

    long u64(long at) {
        long lo = u32(at);
        long hi = u32(at + 4);
        long v = little ? lo | hi << 32 : lo << 32 | hi;
        return v < 0 ? Long.MAX_VALUE : v; // past any file: caught by the range checks
    }

    /** Writes {@code v} in {@code size} bytes (2, 4 or 8) at {@code at} in this file's byte order. */
    static void put(byte[] out, long at, long v, int size, boolean little) {
        for (int k = 0; k < size; k++) {
            int shift = little ? 8 * k : 8 * (size - 1 - k);
            out[(int) at + k] = (byte) (v >>> shift);
        }
    }
}
