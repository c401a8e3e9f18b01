package org.aigcmark.format.exif;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.label.LabelParser;

/**
 * The few EXIF tags the label work needs, read from a TIFF structure: ImageDescription, Software, Orientation and
 * UserComment. Written by hand (a bounded walk over at most two IFDs) because it must also report each value's
 * byte position, so a replaced label can be patched in place without re-encoding anything.
 */
public final class Exif {
    public static final int TAG_IMAGE_DESCRIPTION = 0x010E;
    public static final int TAG_SOFTWARE = 0x0131;
    public static final int TAG_ORIENTATION = 0x0112;
    public static final int TAG_EXIF_IFD = 0x8769;
    public static final int TAG_USER_COMMENT = 0x9286;
    public static final int TAG_XMP = 0x02BC;
    public static final int TAG_IMAGE_WIDTH = 0x0100;
    public static final int TAG_IMAGE_LENGTH = 0x0101;
    private static final int MAX_ENTRIES = 1024;

    private Exif() {}

    /**
     * One value with where it sits inside the TIFF bytes.
     *
     * @param tag the EXIF tag number (a {@code TAG_} constant)
     * @param text the value as text
     * @param offset the index of the value's first byte in the array that was read
     * @param length the value's length in bytes
     */
    public record Value(int tag, String text, int offset, int length) {}

    /**
     * The tags found.
     *
     * @param values the values read, in IFD order
     * @param orientation the EXIF Orientation (1..8), 1 when absent
     * @param problems what was wrong with the structure; what could not be framed is skipped, the rest still read
     */
    public record Tags(List<Value> values, int orientation, List<String> problems) {
        /** The first value with {@code tag} (one of the {@code TAG_} constants), or null when absent. */
        public Value get(int tag) {
            return values.stream().filter(v -> v.tag == tag).findFirst().orElse(null);
        }
    }

    /** Reads the TIFF structure at {@code tiff[off, off+len)}. Never throws; problems are returned. */
    public static Tags read(byte[] tiff, int off, int len) {
        List<Value> values = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int orientation = 1;
        if (len < 8) {
            problems.add("EXIF block too short");
            return new Tags(values, orientation, problems);
        }
        boolean little;
        if (tiff[off] == 'I' && tiff[off + 1] == 'I') {
            little = true;
        } else if (tiff[off] == 'M' && tiff[off + 1] == 'M') {
            little = false;
        } else {
            problems.add("EXIF block has no TIFF byte-order mark");
            return new Tags(values, orientation, problems);
        }
        Reader r = new Reader(tiff, off, len, little);
        long ifd0 = r.u32(4);
        Set<Long> visited = new HashSet<>();
        List<Long> queue = new ArrayList<>();
        queue.add(ifd0);
        while (!queue.isEmpty()) {
            long ifd = queue.remove(0);
            if (ifd <= 0 || ifd + 2 > len || !visited.add(ifd) || visited.size() > 4) {
                if (ifd > 0 && ifd + 2 > len) {
                    problems.add("EXIF IFD offset " + ifd + " points outside the block");
                }
                continue;
            }
            int n = r.u16((int) ifd);
            if (n > MAX_ENTRIES || ifd + 2 + 12L * n > len) {
                problems.add("EXIF IFD at " + ifd + " declares " + n + " entries, more than fit");
                continue;
            }
            for (int i = 0; i < n; i++) {
                int e = (int) ifd + 2 + 12 * i;
                int tag = r.u16(e);
                int type = r.u16(e + 2);
                long count = r.u32(e + 4);
                int unit = switch (type) {
                    case 1, 2, 6, 7 -> 1;
                    case 3, 8 -> 2;
                    case 4, 9, 11 -> 4;
                    case 5, 10, 12 -> 8;
                    default -> 0;
                };
                long size = unit * count;
                if (unit == 0 || size < 0 || size > len) {
                    continue;
                }
                int valueOff = size <= 4 ? e + 8 : (int) Math.min(r.u32(e + 8), Integer.MAX_VALUE);
                if (valueOff < 0 || valueOff + size > len) {
                    if (tag == TAG_USER_COMMENT || tag == TAG_IMAGE_DESCRIPTION) {
                        problems.add(String.format("EXIF tag 0x%04X points outside the block", tag));
                    }
                    continue;
                }
                switch (tag) {
                    case TAG_EXIF_IFD -> queue.add(r.u32(e + 8));
                    case TAG_ORIENTATION -> orientation = type == 3 ? r.u16(e + 8) : orientation;
                    case TAG_IMAGE_WIDTH, TAG_IMAGE_LENGTH -> values.add(new Value(tag,
                            String.valueOf(type == 3 ? r.u16(e + 8) : r.u32(e + 8)), off + e + 8, 4));
                    case TAG_XMP -> values.add(new Value(tag,
                            new String(tiff, off + valueOff, (int) size, StandardCharsets.UTF_8), off + valueOff, (int) size));
                    case TAG_IMAGE_DESCRIPTION, TAG_SOFTWARE -> values.add(new Value(tag,
                            trimNul(new String(tiff, off + valueOff, (int) size, StandardCharsets.UTF_8)),
                            off + valueOff, (int) size));
                    case TAG_USER_COMMENT -> values.add(new Value(tag, userComment(tiff, off + valueOff, (int) size),
                            off + valueOff, (int) size));
                    default -> { }
                }
            }
        }
        return new Tags(values, orientation, problems);
    }

    /** Adds label slots and generator hints found in EXIF to the scan. */
    public static Tags scan(byte[] tiff, int off, int len, String where, ContainerScan scan) {
        Tags t = read(tiff, off, len);
        scan.orientation(t.orientation());
        for (String p : t.problems()) {
            scan.notes().add(where + ": " + p);
        }
        for (Value v : t.values()) {
            switch (v.tag()) {
                case TAG_USER_COMMENT -> {
                    if (LabelParser.parse(v.text()).isPresent()) {
                        scan.addSlot(where + "-usercomment", v.text());
                    } else if (v.text().contains("Steps:") && v.text().contains("Sampler:")) {
                        scan.addHint(ContainerScan.HintKind.GENERATOR, where + ":UserComment", "AUTOMATIC1111 parameters: " + abbreviate(v.text()));
                    }
                }
                case TAG_IMAGE_DESCRIPTION -> {
                    if (LabelParser.parse(v.text()).isPresent()) {
                        scan.addSlot(where + "-imagedescription", v.text());
                    }
                }
                case TAG_SOFTWARE -> {
                    if (!v.text().isBlank()) {
                        scan.addHint(ContainerScan.HintKind.GENERATOR, where + ":Software", v.text());
                    }
                }
                default -> { }
            }
        }
        return t;
    }

    /**
     * Blanks, in place, every label record found in UserComment or ImageDescription of the TIFF structure at
     * {@code tiff[off, off+len)} (same byte length: the charset prefix or NUL terminator kept, the text turned to
     * spaces), so a file keeps only its one record in XMP. Returns whether anything was blanked.
     */
    public static boolean clearLabels(byte[] tiff, int off, int len) {
        boolean changed = false;
        for (Value v : read(tiff, off, len).values()) {
            if ((v.tag() == TAG_USER_COMMENT || v.tag() == TAG_IMAGE_DESCRIPTION) && LabelParser.parse(v.text()).isPresent()) {
                blank(tiff, v);
                changed = true;
            }
        }
        return changed;
    }

    private static void blank(byte[] file, Value v) {
        int start = v.offset();
        int room = v.length();
        if (v.tag() == TAG_USER_COMMENT) {
            if (room < 8) {
                return;
            }
            System.arraycopy("ASCII\0\0\0".getBytes(StandardCharsets.US_ASCII), 0, file, start, 8);
            start += 8;
            room -= 8;
        } else {
            room -= 1; // keep the NUL terminator of an ASCII value
        }
        java.util.Arrays.fill(file, start, start + Math.max(0, room), (byte) ' ');
    }

    static String userComment(byte[] b, int off, int size) {
        if (size < 8) {
            return "";
        }
        String charset = new String(b, off, 8, StandardCharsets.US_ASCII);
        if (charset.startsWith("UNICODE")) {
            // Big-endian UTF-16 per EXIF 2.3, but little-endian writers exist: guess from the first code unit.
            boolean le = size >= 10 && b[off + 8] != 0 && b[off + 9] == 0;
            return trimNul(new String(b, off + 8, size - 8, le ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE));
        }
        return trimNul(new String(b, off + 8, size - 8, StandardCharsets.UTF_8));
    }

    private static String trimNul(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }

    private record Reader(byte[] b, int off, int len, boolean little) {
        int u16(int p) {
            if (p < 0 || p + 2 > len) {
                return 0;
            }
            int a = b[off + p] & 0xFF;
            int c = b[off + p + 1] & 0xFF;
            return little ? a | c << 8 : a << 8 | c;
        }

        long u32(int p) {
            if (p < 0 || p + 4 > len) {
                return 0;
            }
            long v = 0;
            for (int i = 0; i < 4; i++) {
                int x = b[off + p + (little ? 3 - i : i)] & 0xFF;
                v = v << 8 | x;
            }
            return v;
        }
    }
}
