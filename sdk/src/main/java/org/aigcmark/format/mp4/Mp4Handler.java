package org.aigcmark.format.mp4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.PresentationDigest;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;

/**
 * MP4, MOV and M4A (ISO BMFF / QuickTime). The record goes where TC260-PG-20257A puts it and ffmpeg reads it:
 * {@code moov/udta/meta} with {@code hdlr mdta}, key {@code AIGC} in {@code keys}, the bare JSON in the matching
 * {@code ilst} item as a UTF-8 {@code data} value. Reading also accepts the variants seen in the wild: a
 * {@code meta} directly under {@code moov} (Doubao iOS), keyless {@code hdlr mdir} items whose value is a record
 * (including {@code ----} freeform items named AIGC), QuickTime {@code ©cmt}-style user data, and XMP.
 *
 * <p>Writing rebuilds only {@code moov}; the media data ({@code mdat}) is copied byte for byte. When {@code moov}
 * changes size and precedes the media, every absolute offset into the file is moved with it (see
 * {@link OffsetFixer}); a {@code free} box right after {@code moov} absorbs the growth when it is large enough.
 */
public final class Mp4Handler implements FormatHandler, FormatHandler.MetadataWriter {
    static final String C2PA_UUID = "d8fec3d61b0e483c92975828877ec481";
    static final String XMP_UUID = "be7acfcb97a942e89c71999491e3afac";
    /** Item names whose text names the software that made the file. */
    static final Set<String> GENERATOR_ITEMS = Set.of("©too", "©swr", "©enc", "encoder", "software",
            "com.apple.quicktime.software", "com.android.version");

    @Override
    public MediaType type() {
        return MediaType.MP4;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public Optional<Streaming> streaming() {
        return Optional.of(new Mp4Streaming(this));
    }

    // ---------------------------------------------------------------- reading

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.MP4);
        Boxes t = Boxes.parse(b);
        scan.damage().addAll(t.damage);
        scan.notes().addAll(t.notes);
        List<Boxes.Node> moovs = t.top.stream().filter(n -> n.type().equals("moov")).toList();
        if (moovs.isEmpty()) {
            scan.damage().add("no 'moov' box (movie header): the file is truncated or is not a complete movie");
        } else if (moovs.size() > 1) {
            scan.damage().add(moovs.size() + " 'moov' boxes: players disagree on which one counts");
        }
        boolean hasMdat = t.top.stream().anyMatch(n -> n.type().equals("mdat"));
        if (!moovs.isEmpty()) {
            scanMoov(t, moovs.get(0), hasMdat, t.damage.isEmpty(), SampleTable.Media.of(b), scan);
        }
        for (Boxes.Node n : t.top) {
            if (n.type().equals("uuid") && n.box().size() >= n.box().headerSize() + 16) {
                String uuid = uuidOf(b, n);
                if (uuid.equals(C2PA_UUID)) {
                    addC2paStore(b, n.box().payloadStart() + 16, n.box().end(), scan);
                } else if (uuid.equals(XMP_UUID)) {
                    Xmp.scan(xmpText(b, n.box().payloadStart() + 16, n.box().end(), scan), "xmp", scan);
                }
            }
        }
        return scan;
    }

    /**
     * {@code t} holds {@code moov} (the whole file, or {@code moov} alone when streaming); {@code media} is the whole
     * file, for the sample checks; {@code parsed} says the box walk met no damage.
     */
    void scanMoov(Boxes t, Boxes.Node moov, boolean hasMdat, boolean parsed, SampleTable.Media media, ContainerScan scan) {
        byte[] b = t.b;
        int video = 0;
        int audio = 0;
        int tracks = 0;
        long samples = 0;
        for (Boxes.Node trak : moov.all("trak")) {
            tracks++;
            String handler = handlerType(b, trak.path("mdia", "hdlr"));
            if (handler.equals("vide")) {
                video++;
                Boxes.Node tkhd = trak.first("tkhd");
                if (tkhd != null && scan.width() < 0 && tkhd.box().size() >= 92) {
                    // width and height are the last two 16.16 fixed-point fields of tkhd (both versions)
                    long w = Boxes.u32(b, tkhd.box().end() - 8) >>> 16;
                    long h = Boxes.u32(b, tkhd.box().end() - 4) >>> 16;
                    scan.dimensions((int) w, (int) h);
                }
            } else if (handler.equals("soun")) {
                audio++;
            }
            samples += SampleTable.check(b, trak, tracks, media, scan.damage());
        }
        if (tracks == 0 && moov.first("mvex") == null) {
            scan.damage().add("the movie has no tracks");
        } else if (video == 0) {
            scan.notes().add(audio > 0 ? "no video track (an audio-only file)" : "no video track");
        }
        if (moov.first("mvex") != null) {
            scan.notes().add("fragmented MP4 (movie fragments follow 'moov')");
        }
        if (samples > 0 && !hasMdat && parsed) { // a truncated mdat is already reported
            scan.damage().add("the tracks list " + samples + " samples but there is no 'mdat' box (media data missing)");
        }
        for (Boxes.Node child : moov.children()) {
            switch (child.type()) {
                case "udta" -> scanUdta(b, child, scan);
                case "meta" -> scanMeta(b, child, "mp4-moov-meta", scan);
                default -> { }
            }
        }
    }

    private void scanUdta(byte[] b, Boxes.Node udta, ContainerScan scan) {
        for (Boxes.Node child : udta.children()) {
            String type = child.type();
            if (type.equals("meta")) {
                scanMeta(b, child, null, scan);
            } else if (type.equals("XMP_")) {
                Xmp.scan(xmpText(b, child.box().payloadStart(), child.box().end(), scan), "xmp", scan);
            } else if (type.charAt(0) == '\u00A9') {
                String text = quickTimeText(b, child);
                if (text == null) {
                    continue;
                }
                if (LabelParser.parse(text).isPresent()) {
                    scan.addSlot("mp4-udta:" + type, text);
                } else if (GENERATOR_ITEMS.contains(type)) {
                    scan.addHint(ContainerScan.HintKind.GENERATOR, "mp4-udta:" + type, abbreviate(text));
                }
            }
        }
    }

    private void scanMeta(byte[] b, Boxes.Node meta, String fixedSource, ContainerScan scan) {
        MetaBox m = new MetaBox(b, meta);
        String source = fixedSource != null ? fixedSource : m.keyed || m.handler.equals("mdta") ? "mp4-mdta" : "mp4-ilst";
        m.problems.forEach(p -> scan.notes().add(source + ": " + p));
        for (MetaBox.Item item : m.items) {
            String name = item.name() == null ? "item " + item.keyIndex() : item.name();
            if (item.aigcNamed()) {
                if (item.carriesLabel()) {
                    scan.addSlot(source, item.value());
                } else {
                    scan.notes().add(source + " '" + name + "' is not a readable AIGC record");
                }
            } else if (item.carriesLabel()) {
                scan.addSlot(source + ":" + name, item.value()); // keyless or comment-style carriers
            } else if (item.value() != null && (GENERATOR_ITEMS.contains(name) || GENERATOR_ITEMS.contains(name.toLowerCase(Locale.ROOT)))) {
                scan.addHint(ContainerScan.HintKind.GENERATOR, source + ":" + name, abbreviate(item.value()));
            }
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        ContainerScan check = scan(b, limits);
        if (check.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged MP4: " + check.damage().get(0));
        }
        Boxes t = Boxes.parse(b);
        Boxes.Node moov = t.firstTop("moov");
        if (moov == null) {
            throw AigcmarkException.corrupt("cannot relabel an MP4 without a 'moov' box");
        }
        String json = label.toBareJson();
        byte[] newMoov = rebuildMoov(t, moov, json);
        int growth = newMoov.length - moov.box().size();

        List<Boxes.Node> top = t.top;
        int[] newStart = new int[top.size()];
        boolean[] rewritten = new boolean[top.size()];
        Splice out = new Splice(b);
        for (int i = 0; i < top.size(); i++) {
            Boxes.Node n = top.get(i);
            newStart[i] = out.size();
            if (n == moov) {
                rewritten[i] = true;
                out.add(newMoov);
                Boxes.Node next = i + 1 < top.size() ? top.get(i + 1) : null;
                if (growth < 0 && -growth >= 8) {
                    out.add(freeBox(-growth)); // keep every later offset where it was
                } else if (growth > 0 && next != null && isFree(next) && absorbs(next, growth)) {
                    i++;
                    newStart[i] = out.size();
                    rewritten[i] = true;
                    if (next.box().size() > growth) {
                        out.add(freeBox(next.box().size() - growth));
                    }
                }
            } else if (n.type().equals("uuid") && n.box().size() >= 24 && uuidOf(b, n).equals(XMP_UUID)
                    && Xmp.hasLabel(xmpText(b, n.box().payloadStart() + 16, n.box().end(), null))) {
                rewritten[i] = true;
                String packet = xmpWithoutLabel(xmpText(b, n.box().payloadStart() + 16, n.box().end(), null), json);
                out.add(Boxes.box("uuid", java.util.HexFormat.of().parseHex(XMP_UUID),
                        packet.getBytes(StandardCharsets.UTF_8)));
            } else {
                out.copy(n.box().start(), n.box().end());
            }
        }
        byte[] result = out.toByteArray();
        OffsetFixer.of(t, newStart, rewritten, result.length).fix(result);
        return result;
    }

    /**
     * A copy of {@code b} with {@code box} (a complete box) inserted at the top level at byte {@code at}, which must be
     * where a top-level box starts or the end of the file; every absolute offset into the boxes after it ({@code stco},
     * {@code co64}, {@code saio}, {@code tfhd}, {@code tfra}) is moved with them, and nothing else changes. Used to add
     * the C2PA manifest box after {@code ftyp}.
     *
     * @throws AigcmarkException {@code CORRUPT_INPUT} for a damaged file or an {@code at} inside a box;
     *     {@code LIMIT_EXCEEDED} past 2 GiB; {@code INTERNAL} when an offset cannot be moved (it would overflow)
     */
    public static byte[] insertTopLevelBox(byte[] b, int at, byte[] box) {
        Boxes t = Boxes.parse(b);
        if (!t.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot add a box to a damaged MP4: " + t.damage.get(0));
        }
        List<Boxes.Node> top = t.top;
        int[] newStart = new int[top.size()];
        boolean[] rewritten = new boolean[top.size()];
        Splice out = new Splice(b);
        boolean placed = false;
        for (int i = 0; i < top.size(); i++) {
            Boxes.Node n = top.get(i);
            if (n.box().start() == at) {
                out.add(box);
                placed = true;
            }
            newStart[i] = out.size();
            out.copy(n.box().start(), n.box().end());
        }
        if (!placed && at == b.length) {
            out.add(box);
            placed = true;
        }
        if (!placed) {
            throw AigcmarkException.corrupt("byte " + at + " is not where a top-level MP4 box starts");
        }
        byte[] result = out.toByteArray();
        OffsetFixer.of(t, newStart, rewritten, result.length).fix(result);
        return result;
    }

    /**
     * A copy of {@code b} without the top-level box that starts at {@code at} (a C2PA manifest box to be replaced);
     * later boxes move back and every absolute offset with them, as in {@link #insertTopLevelBox}.
     *
     * @throws AigcmarkException {@code CORRUPT_INPUT} when the file is damaged or no top-level box starts at {@code at}
     */
    public static byte[] removeTopLevelBox(byte[] b, int at) {
        Boxes t = Boxes.parse(b);
        if (!t.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot remove a box from a damaged MP4: " + t.damage.get(0));
        }
        List<Boxes.Node> top = t.top;
        int[] newStart = new int[top.size()];
        boolean[] rewritten = new boolean[top.size()];
        Splice out = new Splice(b);
        boolean removed = false;
        for (int i = 0; i < top.size(); i++) {
            Boxes.Node n = top.get(i);
            newStart[i] = out.size();
            if (n.box().start() == at) {
                rewritten[i] = true; // gone: nothing may point into it
                removed = true;
                continue;
            }
            out.copy(n.box().start(), n.box().end());
        }
        if (!removed) {
            throw AigcmarkException.corrupt("byte " + at + " is not where a top-level MP4 box starts");
        }
        byte[] result = out.toByteArray();
        OffsetFixer.of(t, newStart, rewritten, result.length).fix(result);
        return result;
    }

    /** The output as pieces (new bytes, or ranges of the input), assembled once into an array of the exact size. */
    private static final class Splice {
        private final byte[] source;
        private final java.util.List<Object> pieces = new java.util.ArrayList<>();
        private long size;

        Splice(byte[] source) {
            this.source = source;
        }

        void add(byte[] bytes) {
            pieces.add(bytes);
            grow(bytes.length);
        }

        void copy(int from, int to) {
            pieces.add(new int[] {from, to});
            grow(to - from);
        }

        private void grow(long n) {
            size += n;
            if (size > Integer.MAX_VALUE - 16) {
                throw AigcmarkException.limit("the labeled file would exceed 2 GiB");
            }
        }

        int size() {
            return (int) size;
        }

        byte[] toByteArray() {
            byte[] out = new byte[(int) size];
            int p = 0;
            for (Object piece : pieces) {
                if (piece instanceof byte[] bytes) {
                    System.arraycopy(bytes, 0, out, p, bytes.length);
                    p += bytes.length;
                } else {
                    int[] r = (int[]) piece;
                    System.arraycopy(source, r[0], out, p, r[1] - r[0]);
                    p += r[1] - r[0];
                }
            }
            return out;
        }
    }

    private static boolean isFree(Boxes.Node n) {
        return isFree(n.type(), n.box().headerSize());
    }

    static boolean isFree(String type, int headerSize) {
        return (type.equals("free") || type.equals("skip")) && headerSize == 8;
    }

    private static boolean absorbs(Boxes.Node free, int growth) {
        return absorbs(free.box().size(), growth);
    }

    static boolean absorbs(long freeSize, long growth) {
        return freeSize == growth || freeSize - growth >= 8;
    }

    static byte[] freeBox(int size) {
        return Boxes.box("free", new byte[size - 8]);
    }

    /**
     * The record goes into the first {@code mdta} meta in file order, whether under {@code udta} (normative) or
     * directly under {@code moov} (Apple's QuickTime metadata, Doubao iOS): ffmpeg honours only the first
     * {@code keys} table it meets, so a second table would make it misname every item after it. Without one, a
     * new {@code udta/meta} is made.
     */
    byte[] rebuildMoov(Boxes t, Boxes.Node moov, String json) {
        byte[] b = t.b;
        Boxes.Node targetMeta = null;
        for (Boxes.Node child : moov.children()) {
            List<Boxes.Node> metas = child.type().equals("udta") ? child.all("meta")
                    : child.type().equals("meta") ? List.of(child) : List.of();
            for (Boxes.Node meta : metas) {
                MetaBox m = new MetaBox(b, meta);
                if (targetMeta == null && (m.keyed || m.handler.equals("mdta"))) {
                    targetMeta = meta;
                }
            }
        }
        Boxes.Node targetUdta = null;
        if (targetMeta == null) {
            targetUdta = moov.first("udta");
        } else {
            for (Boxes.Node udta : moov.all("udta")) {
                if (udta.children().contains(targetMeta)) {
                    targetUdta = udta;
                }
            }
        }
        boolean newUdta = targetMeta == null && targetUdta == null;
        ByteArrayOutputStream out = new ByteArrayOutputStream(moov.box().size() + 1024);
        for (Boxes.Node child : moov.children()) {
            switch (child.type()) {
                case "udta" -> out.writeBytes(rebuildUdta(t, child, child == targetUdta ? json : null, targetMeta));
                case "meta" -> {
                    MetaBox m = new MetaBox(b, child);
                    if (child == targetMeta) {
                        out.writeBytes(m.rewrite(t, json));
                    } else if (m.hasLabelItems()) {
                        out.writeBytes(m.rewrite(t, null));
                    } else {
                        out.write(b, child.box().start(), child.box().size());
                    }
                }
                default -> out.write(b, child.box().start(), child.box().size());
            }
        }
        if (newUdta) {
            out.writeBytes(Boxes.box("udta", MetaBox.newMdtaMeta(json)));
        }
        return Boxes.box("moov", out.toByteArray());
    }

    /** {@code udta} without label carriers; with {@code json}, the record goes into {@code targetMeta} or a new meta. */
    private byte[] rebuildUdta(Boxes t, Boxes.Node udta, String json, Boxes.Node targetMeta) {
        byte[] b = t.b;
        ByteArrayOutputStream out = new ByteArrayOutputStream(udta.box().size() + 512);
        int childrenEnd = udta.box().payloadStart();
        boolean placed = false;
        for (Boxes.Node child : udta.children()) {
            childrenEnd = child.box().end();
            String type = child.type();
            if (type.equals("meta")) {
                MetaBox m = new MetaBox(b, child);
                if (json != null && child == targetMeta) {
                    out.writeBytes(m.rewrite(t, json));
                    placed = true;
                } else if (m.hasLabelItems()) {
                    out.writeBytes(m.rewrite(t, null));
                } else {
                    out.write(b, child.box().start(), child.box().size());
                }
            } else if (type.equals("XMP_") && json != null
                    && Xmp.hasLabel(xmpText(b, child.box().payloadStart(), child.box().end(), null))) {
                String packet = xmpWithoutLabel(xmpText(b, child.box().payloadStart(), child.box().end(), null), json);
                out.writeBytes(Boxes.box("XMP_", packet.getBytes(StandardCharsets.UTF_8)));
            } else if (type.charAt(0) == '\u00A9' && LabelParser.parse(quickTimeText(b, child)).isPresent()) {
                continue; // a label in QuickTime user data: the one record lives in the mdta meta
            } else {
                out.write(b, child.box().start(), child.box().size());
            }
        }
        if (json != null && !placed) {
            out.writeBytes(MetaBox.newMdtaMeta(json));
        }
        out.write(b, childrenEnd, udta.box().end() - childrenEnd); // QuickTime's optional zero terminator
        return Boxes.box("udta", out.toByteArray());
    }

    /**
     * The XMP packet without its label, every other property kept: the record lives in the mdta meta, and a file
     * keeps only one (GB 45438 §6.1 c). IPTC DigitalSourceType is added for {@code json}'s Label as a label write
     * into XMP would add it.
     */
    static String xmpWithoutLabel(String packet, String json) {
        return Xmp.withoutLabel(packet, Xmp.digitalSourceTypeFor(
                json == null ? "" : LabelParser.parse(json).map(p -> p.label().label()).orElse("")));
    }

    // ---------------------------------------------------------------- content digest

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        Boxes t = Boxes.parse(b);
        if (!t.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot hash a damaged MP4: " + t.damage.get(0));
        }
        boolean any = false;
        for (Boxes.Node n : t.top) {
            if (n.type().equals("mdat")) {
                digest.update(b, n.box().payloadStart(), n.box().end() - n.box().payloadStart());
                any = true;
            }
        }
        if (!any) {
            throw AigcmarkException.corrupt("the MP4 has no 'mdat' box: there is no media data to hash");
        }
    }

    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        Boxes t = Boxes.parse(b);
        Boxes.Node moov = t.top.stream().filter(n -> n.type().equals("moov")).findFirst().orElse(null);
        digestPresentation(b, moov, digest);
    }

    /** Sample-table boxes that decide what is decoded and when (chunk offsets left out: a label write moves them). */
    private static final List<String> TIMING_BOXES = List.of("stsd", "stts", "ctts", "stsc", "stsz", "stz2", "stss", "sdtp");

    /**
     * The movie's presentation, which {@code mdat} alone does not fix: the movie and track headers' timescales,
     * durations, rate, volume, layer, matrices and sizes, the track-enabled flag, edit lists, handler types, and the
     * sample tables that say what is decoded when (not the creation times, not chunk offsets, not {@code udta} or
     * {@code meta}, which a label write changes). {@code b} holds the moov node's bytes.
     */
    static void digestPresentation(byte[] b, Boxes.Node moov, MessageDigest digest) {
        if (moov == null) {
            return; // digestContent has refused such a file already
        }
        Boxes.Node mvhd = moov.first("mvhd");
        if (mvhd != null) {
            headerFields(b, mvhd.box(), "mp4.mvhd", digest, 0, 4 + 2 + 10 + 36);
        }
        int track = 0;
        for (Boxes.Node trak : moov.all("trak")) {
            String p = "mp4.trak" + track++ + ".";
            Boxes.Node tkhd = trak.first("tkhd");
            if (tkhd != null) {
                int ps = tkhd.box().payloadStart();
                PresentationDigest.add(digest, p + "tkhd.flags", tkhd.box().size() > tkhd.box().headerSize() + 4
                        ? b[ps + 3] & 0xFF : -1);
                // After the times, the track id, a reserved word and the duration: reserved (8), layer, alternate
                // group, volume, reserved, matrix (36), width, height.
                headerFields(b, tkhd.box(), p + "tkhd", digest, 4, 8 + 2 + 2 + 2 + 2 + 36 + 4 + 4);
            }
            Boxes.Node elst = trak.path("edts", "elst");
            if (elst != null) {
                payload(b, elst, p + "elst", digest);
            }
            Boxes.Node mdhd = trak.path("mdia", "mdhd");
            if (mdhd != null) {
                headerFields(b, mdhd.box(), p + "mdhd", digest, 0, 0);
            }
            Boxes.Node hdlr = trak.path("mdia", "hdlr");
            PresentationDigest.add(digest, p + "hdlr", handlerType(b, hdlr));
            Boxes.Node stbl = trak.path("mdia", "minf", "stbl");
            if (stbl != null) {
                for (String type : TIMING_BOXES) {
                    for (Boxes.Node n : stbl.all(type)) {
                        payload(b, n, p + type, digest);
                    }
                }
            }
        }
    }

    /**
     * A full box whose payload starts with version, flags, creation and modification times, a 32-bit field
     * ({@code mvhd}/{@code mdhd}: the timescale; {@code tkhd}: the track id) and a second time field for tkhd
     * ({@code extraWords} 4: a reserved word before the duration): records the 32-bit field, the duration and the
     * {@code tail} bytes after it. A box too short for its version records what it has: its whole payload.
     */
    private static void headerFields(byte[] b, Boxes.Box box, String name, MessageDigest digest, int extraWords, int tail) {
        int ps = box.payloadStart();
        int len = box.end() - ps;
        if (len < 4) {
            PresentationDigest.add(digest, name + ".raw", b, ps, Math.max(0, len));
            return;
        }
        int version = b[ps] & 0xFF;
        int timeBytes = version == 1 ? 8 : 4;
        int field = ps + 4 + 2 * timeBytes;
        int duration = field + 4 + extraWords;
        int after = duration + timeBytes;
        if (after + tail > box.end()) {
            PresentationDigest.add(digest, name + ".raw", b, ps, len);
            return;
        }
        PresentationDigest.add(digest, name + ".field", b, field, 4);
        PresentationDigest.add(digest, name + ".duration", b, duration, timeBytes);
        if (tail > 0) {
            PresentationDigest.add(digest, name + ".tail", b, after, tail);
        }
    }

    private static void payload(byte[] b, Boxes.Node n, String name, MessageDigest digest) {
        PresentationDigest.add(digest, name, b, n.box().payloadStart(), n.box().end() - n.box().payloadStart());
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Reads a C2PA box's payload after its extended type ({@code from}..{@code to}): version and flags, the
     * null-terminated {@code box_purpose}, and for {@code "manifest"} the 64-bit offset of the first auxiliary
     * (Merkle) box, then the manifest store (JUMBF), which is recorded. Other purposes are noted, not read.
     */
    static void addC2paStore(byte[] b, int from, int to, ContainerScan scan) {
        int p = from + 4;
        int nul = p;
        while (nul < to && nul - p < 64 && b[nul] != 0) {
            nul++;
        }
        if (nul >= to || b[nul] != 0) {
            scan.c2pa().add("mp4-uuid");
            scan.notes().add("a C2PA uuid box whose purpose string is unreadable");
            return;
        }
        String purpose = new String(b, p, nul - p, StandardCharsets.ISO_8859_1);
        if (!purpose.equals("manifest") || nul + 9 > to) {
            scan.notes().add("a C2PA uuid box with purpose '" + purpose + "' (not a manifest store)");
            return;
        }
        scan.addC2pa("mp4-uuid", java.util.Arrays.copyOfRange(b, nul + 9, to));
    }

    static String handlerType(byte[] b, Boxes.Node hdlr) {
        if (hdlr == null || hdlr.box().size() < hdlr.box().headerSize() + 12) {
            return "";
        }
        return new String(b, hdlr.box().payloadStart() + 8, 4, StandardCharsets.ISO_8859_1);
    }

    static String uuidOf(byte[] b, Boxes.Node n) {
        return java.util.HexFormat.of().formatHex(b, n.box().payloadStart(), n.box().payloadStart() + 16);
    }

    static String xmpText(byte[] b, int from, int to, ContainerScan scan) {
        if (to - from > Xmp.MAX_PACKET) {
            return skippedXmp(to - from, scan);
        }
        return new String(b, from, Math.max(0, to - from), StandardCharsets.UTF_8);
    }

    /** An XMP packet too big to read: "" and, when {@code scan} is given, a note. */
    static String skippedXmp(long length, ContainerScan scan) {
        if (scan != null) {
            scan.notes().add("an XMP packet of " + length + " bytes, over the limit of " + Xmp.MAX_PACKET + ", was skipped");
        }
        return "";
    }

    /**
     * The first string of a QuickTime user-data text atom ({@code ©cmt} etc.: 16-bit length, 16-bit language,
     * text), or the whole payload when it is not in that form (iTunes-style atoms written bare). Null when too big.
     */
    static String quickTimeText(byte[] b, Boxes.Node atom) {
        int p = atom.box().payloadStart();
        int end = atom.box().end();
        if (end - p > MetaBox.MAX_VALUE) {
            return null;
        }
        if (p + 4 <= end) {
            int len = Boxes.u16(b, p);
            if (len > 0 && p + 4 + len <= end) {
                return new String(b, p + 4, len, StandardCharsets.UTF_8);
            }
        }
        return new String(b, p, end - p, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ').replace("\0", "");
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }
}
