package org.aigcmark.format.mp4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aigcmark.label.LabelParser;

/**
 * One {@code meta} box read as metadata items: the handler ({@code mdta} with a {@code keys} table, or
 * {@code mdir} with four-character item types), and each {@code ilst} item's name and text value. It can also
 * be written back without its AIGC items, optionally with one new AIGC item.
 */
final class MetaBox {
    /** Largest item value we decode; a label is a few hundred bytes, so bigger values are never labels. */
    static final int MAX_VALUE = LabelParser.MAX_LENGTH;
    /** Largest number of entries read from a {@code keys} box. */
    static final int MAX_KEYS = 10_000;

    /** A {@code keys} entry: namespace (normally {@code mdta}) and name, e.g. {@code AIGC}. */
    record Key(String namespace, String name) {}

    /**
     * An {@code ilst} item. {@code name} is the key name (mdta), the freeform name ({@code ----}) or the item
     * type ({@code ©too}); {@code value} is the first text {@code data} value, or null.
     */
    record Item(Boxes.Node node, int keyIndex, String name, String value) {
        boolean aigcNamed() {
            return name != null && name.toUpperCase(Locale.ROOT).contains("AIGC");
        }

        boolean carriesLabel() {
            return value != null && LabelParser.parse(value).isPresent();
        }

        /** What a label write removes: an AIGC-named item, or any item whose value is a label record. */
        boolean isLabelItem() {
            return aigcNamed() || carriesLabel();
        }
    }

    final Boxes.Node node;
    final String handler;
    final List<Key> keys = new ArrayList<>();
    final boolean keyed;
    final List<Item> items = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    /** Whether the keys table could not be read to its end (a rewrite would renumber items wrongly). */
    boolean keysMalformed;
    private final byte[] b;

    MetaBox(byte[] b, Boxes.Node meta) {
        this.b = b;
        this.node = meta;
        Boxes.Node hdlr = meta.first("hdlr");
        handler = hdlr != null && hdlr.box().size() >= hdlr.box().headerSize() + 12
                ? new String(b, hdlr.box().payloadStart() + 8, 4, StandardCharsets.ISO_8859_1) : "";
        Boxes.Node keysNode = meta.first("keys");
        keyed = keysNode != null;
        if (keyed) {
            readKeys(keysNode);
        }
        for (Boxes.Node ilst : meta.all("ilst")) {
            for (Boxes.Node item : ilst.children()) {
                items.add(readItem(item));
            }
        }
    }

    private void readKeys(Boxes.Node k) {
        int p = k.box().payloadStart() + 4; // version and flags
        int end = k.box().end();
        if (p + 4 > end) {
            problems.add("'keys' box too short for its entry count");
            keysMalformed = true;
            return;
        }
        long n = Boxes.u32(b, p);
        p += 4;
        for (long i = 0; i < n; i++) {
            if (i >= MAX_KEYS) {
                problems.add("'keys' declares " + n + " entries; read the first " + MAX_KEYS);
                keysMalformed = true;
                return;
            }
            if (p + 8 > end) {
                problems.add("'keys' declares " + n + " entries but holds " + i);
                keysMalformed = true;
                return;
            }
            long size = Boxes.u32(b, p);
            if (size < 8 || size > end - p) {
                problems.add("'keys' entry " + (i + 1) + " has a bad size " + size);
                keysMalformed = true;
                return;
            }
            keys.add(new Key(new String(b, p + 4, 4, StandardCharsets.ISO_8859_1),
                    new String(b, p + 8, (int) size - 8, StandardCharsets.UTF_8)));
            p += (int) size;
        }
    }

    private Item readItem(Boxes.Node item) {
        String type = item.type();
        if (keyed) {
            int index = (int) Math.min(Boxes.u32(b, item.box().start() + 4), Integer.MAX_VALUE);
            String name = index >= 1 && index <= keys.size() ? keys.get(index - 1).name() : null;
            if (name == null) {
                problems.add("'ilst' item " + index + " has no entry in 'keys'");
            }
            return new Item(item, index, name, dataText(item));
        }
        if (type.equals("----")) {
            Boxes.Node nameBox = item.first("name");
            String name = nameBox == null ? null : text(nameBox.box().payloadStart() + 4, nameBox.box().end(), 1);
            return new Item(item, 0, name, dataText(item));
        }
        return new Item(item, 0, type, dataText(item));
    }

    /** The first {@code data} value that is text (well-known types 1 UTF-8, 2 UTF-16, 0 implicit), or null. */
    private String dataText(Boxes.Node item) {
        if (item.children() == null) {
            return null;
        }
        for (Boxes.Node d : item.all("data")) {
            int p = d.box().payloadStart();
            if (p + 8 > d.box().end()) {
                continue;
            }
            int typeCode = (int) (Boxes.u32(b, p) & 0xFFFFFF);
            if (typeCode == 1 || typeCode == 2 || typeCode == 0) {
                return text(p + 8, d.box().end(), typeCode);
            }
        }
        return null;
    }

    private String text(int from, int to, int typeCode) {
        if (from > to || to - from > MAX_VALUE) {
            return null;
        }
        return new String(b, from, to - from, typeCode == 2 ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_8);
    }

    boolean hasLabelItems() {
        return items.stream().anyMatch(Item::isLabelItem) || keys.stream().anyMatch(MetaBox::aigcKey);
    }

    private static boolean aigcKey(Key k) {
        return k.name().toUpperCase(Locale.ROOT).contains("AIGC");
    }

    /**
     * This meta box rewritten: AIGC keys and label items dropped (other keys renumbered), then, when
     * {@code labelJson} is not null, one {@code AIGC} key (made keyed first if needed) with its item appended.
     * Everything else inside the box is copied as it was, and the full-box/QuickTime form is kept.
     */
    byte[] rewrite(Boxes boxes, String labelJson) {
        if (keysMalformed) {
            throw org.aigcmark.AigcmarkException.corrupt("cannot rewrite a metadata box whose 'keys' table is malformed: " + problems.get(0));
        }
        Boxes.Box mb = node.box();
        ByteArrayOutputStream out = new ByteArrayOutputStream(mb.size() + 512);
        int childrenStart = boxes.metaChildrenStart(mb);
        out.write(b, mb.payloadStart(), childrenStart - mb.payloadStart()); // version/flags when ISO form
        // New key numbering: drop AIGC-named keys, then append AIGC when writing.
        List<Key> newKeys = new ArrayList<>();
        int[] renumber = new int[keys.size() + 1];
        for (int i = 0; i < keys.size(); i++) {
            if (!aigcKey(keys.get(i))) {
                newKeys.add(keys.get(i));
                renumber[i + 1] = newKeys.size();
            }
        }
        boolean writeKeyed = keyed || (labelJson != null && handler.equals("mdta"));
        int aigcIndex = 0;
        if (labelJson != null && writeKeyed) {
            newKeys.add(new Key("mdta", "AIGC"));
            aigcIndex = newKeys.size();
        }
        boolean wroteKeys = false;
        boolean wroteIlst = false;
        for (Boxes.Node child : node.children()) {
            switch (child.type()) {
                case "keys" -> {
                    if (!wroteKeys) {
                        out.writeBytes(keysBox(newKeys));
                        wroteKeys = true;
                    }
                }
                case "ilst" -> {
                    if (!wroteIlst) {
                        if (writeKeyed && !wroteKeys) {
                            out.writeBytes(keysBox(newKeys));
                            wroteKeys = true;
                        }
                        out.writeBytes(ilstBox(renumber, labelJson, aigcIndex));
                        wroteIlst = true;
                    }
                }
                default -> out.write(b, child.box().start(), child.box().size());
            }
        }
        if (writeKeyed && !wroteKeys) {
            out.writeBytes(keysBox(newKeys));
        }
        if (!wroteIlst && labelJson != null) {
            out.writeBytes(ilstBox(renumber, labelJson, aigcIndex));
        }
        return Boxes.box("meta", out.toByteArray());
    }

    private byte[] ilstBox(int[] renumber, String labelJson, int aigcIndex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Item item : items) {
            if (item.isLabelItem()) {
                continue;
            }
            Boxes.Box ib = item.node().box();
            if (keyed && (item.keyIndex() < 1 || item.keyIndex() >= renumber.length)) {
                continue; // dropped: an item without a key has no name, and kept it could collide with the new AIGC index
            }
            if (keyed) {
                int to = renumber[item.keyIndex()];
                if (to == 0) {
                    continue; // its key was an AIGC key
                }
                byte[] copy = java.util.Arrays.copyOfRange(b, ib.start(), ib.end());
                Boxes.putU32(copy, 4, to);
                out.writeBytes(copy);
            } else {
                out.write(b, ib.start(), ib.size());
            }
        }
        if (labelJson != null) {
            out.writeBytes(aigcItem(labelJson, aigcIndex));
        }
        return Boxes.box("ilst", out.toByteArray());
    }

    /** The AIGC item: keyed by index when there is a keys table, else a {@code ----} freeform item named AIGC. */
    private static byte[] aigcItem(String json, int aigcIndex) {
        byte[] data = dataBox(json);
        if (aigcIndex > 0) {
            byte[] item = Boxes.box("    ", data);
            Boxes.putU32(item, 4, aigcIndex);
            return item;
        }
        byte[] mean = Boxes.box("mean", new byte[4], "com.apple.iTunes".getBytes(StandardCharsets.UTF_8));
        byte[] name = Boxes.box("name", new byte[4], "AIGC".getBytes(StandardCharsets.UTF_8));
        return Boxes.box("----", mean, name, data);
    }

    /** A {@code data} box of well-known type 1 (UTF-8), default locale. */
    static byte[] dataBox(String text) {
        byte[] header = new byte[8];
        header[3] = 1;
        return Boxes.box("data", header, text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] keysBox(List<Key> keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[4]); // version and flags
        byte[] count = new byte[4];
        Boxes.putU32(count, 0, keys.size());
        out.writeBytes(count);
        for (Key k : keys) {
            byte[] name = k.name().getBytes(StandardCharsets.UTF_8);
            byte[] entry = new byte[8 + name.length];
            Boxes.putU32(entry, 0, entry.length);
            System.arraycopy(k.namespace().getBytes(StandardCharsets.ISO_8859_1), 0, entry, 4, 4);
            System.arraycopy(name, 0, entry, 8, name.length);
            out.writeBytes(entry);
        }
        return Boxes.box("keys", out.toByteArray());
    }

    /** A new ISO-form {@code meta} box: {@code hdlr mdta}, {@code keys} [mdtaAIGC], {@code ilst} item 1. */
    static byte[] newMdtaMeta(String json) {
        byte[] hdlrPayload = new byte[4 + 4 + 4 + 12 + 1]; // version/flags, pre_defined, type, reserved, empty name
        System.arraycopy("mdta".getBytes(StandardCharsets.ISO_8859_1), 0, hdlrPayload, 8, 4);
        byte[] keys = keysBox(List.of(new Key("mdta", "AIGC")));
        byte[] ilst = Boxes.box("ilst", aigcItem(json, 1));
        return Boxes.box("meta", new byte[4], Boxes.box("hdlr", hdlrPayload), keys, ilst);
    }
}
