package org.aigcmark.format.mp4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An ISO BMFF / QuickTime file as a tree of boxes, parsed defensively: every declared size is checked against
 * the parent (and so the file), 64-bit {@code largesize} and size 0 ("to the end") are understood, nesting and
 * the box count are capped, and nothing is allocated from a declared size. Problems are collected as damage; the
 * walk stops at the first box it cannot frame, keeping what it read before.
 */
final class Boxes {
    static final int MAX_DEPTH = 16;
    static final int MAX_BOXES = 200_000;

    /** Boxes whose payload is a list of boxes (ilst items are containers too, handled by the caller). */
    static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "udta", "edts", "dinf",
            "mvex", "moof", "traf", "mfra", "tref", "ilst", "meta");

    /** One box: its type, where it starts, its header length and where it ends (exclusive), in file offsets. */
    record Box(String type, int start, int headerSize, int end) {
        int payloadStart() {
            return start + headerSize;
        }

        int size() {
            return end - start;
        }
    }

    /** A box and, for containers, its children (null for leaves). */
    record Node(Box box, List<Node> children) {
        String type() {
            return box.type();
        }

        /** The children of this type, in order. */
        List<Node> all(String type) {
            if (children == null) {
                return List.of();
            }
            return children.stream().filter(c -> c.type().equals(type)).toList();
        }

        Node first(String type) {
            List<Node> l = all(type);
            return l.isEmpty() ? null : l.get(0);
        }

        /** The first node down a path of types, e.g. {@code first("mdia", "hdlr")}, or null. */
        Node path(String... types) {
            Node n = this;
            for (String t : types) {
                n = n.first(t);
                if (n == null) {
                    return null;
                }
            }
            return n;
        }
    }

    final byte[] b;
    /** Where {@code b} starts in the file (0 for a whole file; a top-level box's offset when read alone). */
    final long base;
    final List<String> damage = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    private int count;

    private Boxes(byte[] b, long base, int count) {
        this.b = b;
        this.base = base;
        this.count = count;
    }

    /** The top-level boxes of {@code b}, containers expanded. Damage is in {@link #damage}. */
    static Boxes parse(byte[] b) {
        Boxes t = new Boxes(b, 0, 0);
        t.top = t.children(0, b.length, 0, "the file");
        return t;
    }

    /**
     * One top-level box read alone from file offset {@code base} (the streaming path), after {@code boxesBefore}
     * boxes were counted. Messages name file offsets, as they would for the whole file.
     */
    static Boxes parseTopBox(byte[] box, long base, int boxesBefore) {
        Boxes t = new Boxes(box, base, boxesBefore);
        t.top = t.children(0, box.length, 0, "the file");
        return t;
    }

    int count() {
        return count;
    }

    List<Node> top;

    Node firstTop(String type) {
        return top.stream().filter(n -> n.type().equals(type)).findFirst().orElse(null);
    }

    List<Node> children(int from, int to, int depth, String where) {
        List<Node> out = new ArrayList<>();
        if (depth > MAX_DEPTH) {
            damage.add("boxes nested deeper than " + MAX_DEPTH + " levels in " + where + " (a nesting bomb?)");
            return out;
        }
        int p = from;
        while (p < to) {
            if (to - p < 8) {
                if (!allZero(p, to)) {
                    if (depth == 0) {
                        damage.add("truncated inside a box header at byte " + (base + p));
                    } else {
                        notes.add((to - p) + " stray bytes at the end of " + where);
                    }
                }
                break; // QuickTime udta may end with a 4-byte zero terminator
            }
            if (++count > MAX_BOXES) {
                damage.add("more than " + MAX_BOXES + " boxes (over the limit)");
                break;
            }
            long size = u32(b, p);
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                if (to - p < 16) {
                    damage.add("box '" + printable(type) + "' at byte " + (base + p) + " is cut inside its 64-bit size");
                    break;
                }
                size = u64(b, p + 8);
                header = 16;
            } else if (size == 0) {
                if (depth > 0) {
                    // Only the last box of the file may run "to the end"; inside a box it would swallow siblings.
                    damage.add("box '" + printable(type) + "' at byte " + (base + p) + " inside " + where + " declares size 0 (corrupt file)");
                    break;
                }
                size = to - p; // the last box runs to the end of the file
            }
            if (size < header) {
                damage.add("box '" + printable(type) + "' at byte " + (base + p) + " declares " + size
                        + " bytes, less than its own header (corrupt file)");
                break;
            }
            if (size > to - p) {
                damage.add("box '" + printable(type) + "' at byte " + (base + p) + " declares " + size + " bytes but only "
                        + (to - p) + " remain in " + where + " (truncated file or oversized box)");
                break;
            }
            Box box = new Box(type, p, header, p + (int) size);
            List<Node> kids = null;
            if (type.equals("meta")) {
                kids = children(metaChildrenStart(box), box.end(), depth + 1, "'meta' at byte " + (base + p));
            } else if (CONTAINERS.contains(type)) {
                kids = children(box.payloadStart(), box.end(), depth + 1, "'" + type + "' at byte " + (base + p));
            } else if (where.startsWith("'ilst'")) {
                kids = children(box.payloadStart(), box.end(), depth + 1, "ilst item at byte " + (base + p));
            }
            out.add(new Node(box, kids));
            p = box.end();
        }
        return out;
    }

    /**
     * Where the children of a {@code meta} box start: ISO writes it as a full box (4 bytes of version and flags
     * first), QuickTime (e.g. Doubao's iOS export) as a plain box. The form is told by where a known child sits.
     */
    int metaChildrenStart(Box meta) {
        int p = meta.payloadStart();
        if (p + 8 <= meta.end() && isMetaChild(p + 4)) {
            return p;
        }
        return Math.min(p + 4, meta.end());
    }

    boolean isQuickTimeMeta(Box meta) {
        return metaChildrenStart(meta) == meta.payloadStart();
    }

    private boolean isMetaChild(int typeAt) {
        String t = new String(b, typeAt, 4, StandardCharsets.ISO_8859_1);
        return t.equals("hdlr") || t.equals("keys") || t.equals("ilst");
    }

    private boolean allZero(int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static String printable(String type) {
        StringBuilder sb = new StringBuilder();
        for (char c : type.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F || c == 0xA9 ? c : '?');
        }
        return sb.toString();
    }

    static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    static long u64(byte[] b, int p) {
        return (u32(b, p) << 32) | u32(b, p + 4);
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static void putU32(byte[] b, int p, long v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    static void putU64(byte[] b, int p, long v) {
        putU32(b, p, v >>> 32);
        putU32(b, p + 4, v);
    }

    /** A complete box with a 32-bit size. */
    static byte[] box(String type, byte[]... payloadParts) {
        int len = 8;
        for (byte[] part : payloadParts) {
            len += part.length;
        }
        byte[] out = new byte[len];
        putU32(out, 0, len);
        System.arraycopy(type.getBytes(StandardCharsets.ISO_8859_1), 0, out, 4, 4);
        int p = 8;
        for (byte[] part : payloadParts) {
            System.arraycopy(part, 0, out, p, part.length);
            p += part.length;
        }
        return out;
    }
}
