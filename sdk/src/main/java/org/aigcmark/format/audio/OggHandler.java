package org.aigcmark.format.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.label.AigcLabel;

/**
 * Ogg Vorbis and Ogg Opus: the record is the Vorbis comment {@code AIGC=<JSON>} in the stream's comment header (the
 * second packet; TC260-PG-202510A). Writing rebuilds that packet, lays the header packets after the first page out on
 * new pages (granule 0, sequence numbers from 1, CRCs computed) and renumbers the sequence numbers of the pages after
 * them, whose CRCs change with them; the audio packets and their page bodies stay byte-identical. Every page's CRC is
 * checked on read, so a cut or altered file is damage. A file of several logical streams (chained: one link after
 * another, as stream dumps and {@code cat a.ogg b.ogg} make; or multiplexed) gets the record in the comment header of
 * every Vorbis and Opus stream, so each link carries the label when it is played or cut out alone; the pages of other
 * streams (Theora, FLAC, ...) are copied as they are. The record is read from the first Vorbis or Opus stream; the
 * others are compared with it (a note when they differ).
 */
public final class OggHandler implements FormatHandler, FormatHandler.MetadataWriter {
    private static final int[] CRC = crcTable();
    private static final byte[] VORBIS = {3, 'v', 'o', 'r', 'b', 'i', 's'};
    private static final byte[] OPUS = {'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};

    /** One page: where it starts and ends, its header fields, lacing values and body. */
    record Page(int start, int flags, long granule, int serial, long seq, int lacing, int segments, int body, int end) {}

    /** The codecs whose comment header this handler reads. */
    enum Codec {
        VORBIS(3, OggHandler.VORBIS), OPUS(2, OggHandler.OPUS);

        final int headers;
        final byte[] commentMagic;

        Codec(int headers, byte[] commentMagic) {
            this.headers = headers;
            this.commentMagic = commentMagic;
        }
    }

    /**
     * The first stream's header packets: {@code lastPage} is the index of the page where the last one ends, and
     * {@code clean} says the first page holds only the first packet and the last header page nothing after them (the
     * layout the Vorbis and Opus specifications require, and the one this writer keeps).
     */
    record Headers(Codec codec, List<byte[]> packets, int lastPage, boolean clean) {}

    /**
     * One logical stream: the index of its first page (beginning of stream), its header packets (null for a codec
     * other than Vorbis and Opus), and the index of every page it owns.
     */
    record Stream(int firstPage, Headers headers, List<Integer> pages) {}

    @Override
    public MediaType type() {
        return MediaType.OGG;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.OGG);
        List<Page> pages = pages(b, scan);
        if (pages.isEmpty()) {
            return scan;
        }
        List<Stream> streams = streams(b, pages, scan, limits);
        if (streams.size() > 1) {
            scan.notes().add(streams.size() + " logical streams (multiplexed or chained); the record is read from the"
                    + " first Vorbis or Opus stream and the others are compared with it");
        }
        List<String> first = null;
        int same = 0;
        List<String> differ = new ArrayList<>();
        for (int k = 0; k < streams.size(); k++) {
            Headers h = streams.get(k).headers();
            if (h == null) {
                continue;
            }
            byte[] comment = h.packets().get(1);
            int magic = h.codec().commentMagic.length;
            if (first == null) {
                int before = scan.slots().size();
                VorbisComments.read(comment, magic, comment.length, "ogg-comment", scan);
                first = scan.slots().subList(before, scan.slots().size()).stream().map(ContainerScan.Slot::text).toList();
                continue;
            }
            ContainerScan other = new ContainerScan(MediaType.OGG);
            VorbisComments.read(comment, magic, comment.length, "ogg-comment", other);
            List<String> records = other.slots().stream().map(ContainerScan.Slot::text).toList();
            if (records.equals(first)) {
                same++;
            } else {
                differ.add("#" + (k + 1));
            }
        }
        if (streams.size() > 1 && first != null && !first.isEmpty() && same > 0 && differ.isEmpty()) {
            scan.notes().add("the other " + same + " Vorbis/Opus stream(s) carry the same record");
        }
        if (!differ.isEmpty()) {
            scan.notes().add("logical stream(s) " + String.join(", ", differ) + " carry other records than the first"
                    + " Vorbis/Opus stream (or none): only the first is reported");
        }
        return scan;
    }

    /**
     * The file's logical streams in the order they begin, each page given to the stream whose serial number it
     * carries (a chained file may reuse a serial after the stream ended). A page of no open stream, or a second
     * beginning of an open one, is damage; header damage of a stream is damage; a stream whose first page is not
     * where its header layout should be ({@code clean}) is kept with its headers marked.
     */
    static List<Stream> streams(byte[] b, List<Page> pages, ContainerScan scan, Limits limits) {
        List<Stream> streams = new ArrayList<>();
        java.util.Map<Integer, Integer> open = new java.util.HashMap<>();
        List<List<Integer>> owned = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            Page pg = pages.get(i);
            Integer k = open.get(pg.serial());
            if ((pg.flags() & 2) != 0) {
                if (k != null) {
                    scan.damage().add("the Ogg page at byte " + pg.start() + " begins stream " + Integer.toHexString(pg.serial())
                            + " again before it ended (corrupt file)");
                    break;
                }
                if (streams.size() >= Limits.MAX_METADATA_PACKETS) {
                    scan.damage().add("more than " + Limits.MAX_METADATA_PACKETS + " logical Ogg streams");
                    break;
                }
                k = streams.size();
                open.put(pg.serial(), k);
                streams.add(new Stream(i, null, null));
                owned.add(new ArrayList<>());
            } else if (k == null) {
                scan.damage().add("the Ogg page at byte " + pg.start() + " belongs to no stream that has begun (corrupt file)");
                break;
            }
            owned.get(k).add(i);
            if ((pg.flags() & 4) != 0) {
                open.remove(pg.serial());
            }
        }
        List<Stream> out = new ArrayList<>(streams.size());
        for (int k = 0; k < streams.size(); k++) {
            Headers h = scan.damaged() ? null : headers(b, pages, owned.get(k), scan, limits);
            out.add(new Stream(streams.get(k).firstPage(), h, List.copyOf(owned.get(k))));
        }
        return out;
    }

    /** Every page, CRC-checked; a bad or cut page is damage and ends the walk. */
    static List<Page> pages(byte[] b, ContainerScan scan) {
        List<Page> pages = new ArrayList<>();
        int p = 0;
        while (p < b.length) {
            if (p + 27 > b.length || b[p] != 'O' || b[p + 1] != 'g' || b[p + 2] != 'g' || b[p + 3] != 'S') {
                scan.damage().add(p + 27 > b.length && p > 0 ? "the Ogg page at byte " + p + " is cut short (truncated)"
                        : "no Ogg page at byte " + p + " (garbage or truncated)");
                return pages;
            }
            if (b[p + 4] != 0) {
                scan.damage().add("Ogg page version " + (b[p + 4] & 0xFF) + " at byte " + p + " (only 0 exists)");
                return pages;
            }
            int segments = b[p + 26] & 0xFF;
            int lacing = p + 27;
            if (lacing + segments > b.length) {
                scan.damage().add("the Ogg page at byte " + p + " is cut short in its lacing values (truncated)");
                return pages;
            }
            int bodyLen = 0;
            for (int i = 0; i < segments; i++) {
                bodyLen += b[lacing + i] & 0xFF;
            }
            int body = lacing + segments;
            if ((long) body + bodyLen > b.length) {
                scan.damage().add("the Ogg page at byte " + p + " declares " + bodyLen + " bytes, " + (b.length - body)
                        + " remain (truncated)");
                return pages;
            }
            int end = body + bodyLen;
            if (crc(b, p, end) != (int) WavHandler.le(b, p + 22, 4)) {
                scan.damage().add("the Ogg page at byte " + p + " has a bad CRC (corrupt file)");
                return pages;
            }
            pages.add(new Page(p, b[p + 5] & 0xFF, WavHandler.le(b, p + 6, 8), (int) WavHandler.le(b, p + 14, 4),
                    WavHandler.le(b, p + 18, 4), lacing, segments, body, end));
            p = end;
        }
        if (!pages.isEmpty() && (pages.get(0).flags() & 2) == 0) {
            scan.damage().add("the first Ogg page does not begin a stream");
        }
        return pages;
    }

    /**
     * A stream's header packets, from its pages ({@code owned}, indices into {@code pages}), or null (a note) for a
     * codec other than Vorbis and Opus.
     */
    static Headers headers(byte[] b, List<Page> pages, List<Integer> owned, ContainerScan scan, Limits limits) {
        List<byte[]> packets = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        Codec codec = null;
        boolean clean = true;
        for (int n = 0; n < owned.size(); n++) {
            int i = owned.get(n);
            Page pg = pages.get(i);
            int off = pg.body();
            for (int s = 0; s < pg.segments(); s++) {
                int len = b[pg.lacing() + s] & 0xFF;
                current.write(b, off, len);
                off += len;
                if (current.size() > limits.maxSegmentBytes()) {
                    scan.damage().add("an Ogg header packet over " + limits.maxSegmentBytes() + " bytes");
                    return null;
                }
                if (len < 255) {
                    packets.add(current.toByteArray());
                    current.reset();
                    if (packets.size() == 1) {
                        codec = codecOf(packets.get(0));
                        if (codec == null) {
                            scan.notes().add("an Ogg stream of another codec than Vorbis or Opus ("
                                    + name(packets.get(0)) + "): its comment header is not read or written");
                            return null;
                        }
                        clean &= n == 0 && s == pg.segments() - 1;
                    }
                    if (packets.size() == codec.headers) {
                        clean &= s == pg.segments() - 1;
                        byte[] comment = packets.get(1);
                        if (!startsWith(comment, codec.commentMagic)) {
                            scan.damage().add("the second Ogg " + codec.name().toLowerCase(java.util.Locale.ROOT)
                                    + " packet is not a comment header");
                            return null;
                        }
                        return new Headers(codec, packets, i, clean);
                    }
                }
            }
        }
        scan.damage().add("the Ogg stream ends before its header packets do (truncated)");
        return null;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.OGG);
        List<Page> pages = pages(b, check);
        List<Stream> streams = check.damaged() ? List.of() : streams(b, pages, check, limits);
        if (check.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged Ogg file: " + check.damage().get(0));
        }
        if (streams.stream().allMatch(st -> st.headers() == null)) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "only Ogg Vorbis and Ogg Opus comment"
                    + " headers are written; this Ogg stream is " + name(firstPacket(b, pages.get(0))));
        }
        if (streams.stream().anyMatch(st -> st.headers() != null && !st.headers().clean())) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "the Ogg header packets share pages"
                    + " with other packets, against the Vorbis/Opus page layout; not rewritten");
        }
        // per page: which stream owns it; for a rewritten stream its new header pages go where its last one was
        int[] owner = new int[pages.size()];
        java.util.Map<Integer, byte[]> newHeaderPages = new java.util.HashMap<>();
        long[] delta = new long[streams.size()];
        for (int k = 0; k < streams.size(); k++) {
            Stream st = streams.get(k);
            for (int i : st.pages()) {
                owner[i] = k;
            }
            Headers h = st.headers();
            if (h == null) {
                continue;
            }
            byte[] comment = h.packets().get(1);
            int magic = h.codec().commentMagic.length;
            VorbisComments.List_ list = VorbisComments.read(comment, magic, comment.length, "ogg-comment", check);
            if (list == null) {
                throw AigcmarkException.corrupt("cannot relabel an Ogg file whose comment header is damaged: " + check.damage().get(0));
            }
            byte[] vc = VorbisComments.rewrite(comment, list, label.toBareJson());
            ByteArrayOutputStream packet = new ByteArrayOutputStream(comment.length + vc.length);
            packet.write(comment, 0, magic);
            packet.write(vc, 0, vc.length);
            packet.write(comment, list.end(), comment.length - list.end()); // Vorbis framing bit, Opus extra data
            List<byte[]> rest = new ArrayList<>(h.packets().subList(1, h.packets().size()));
            rest.set(0, packet.toByteArray());
            Page first = pages.get(st.firstPage());
            Page lastHeader = pages.get(h.lastPage());
            ByteArrayOutputStream headerPages = new ByteArrayOutputStream(vc.length + 8192);
            int written = paginate(headerPages, rest, first.serial(), first.seq() + 1, lastHeader.flags() & 4);
            newHeaderPages.put(h.lastPage(), headerPages.toByteArray());
            delta[k] = first.seq() + 1 + written - (lastHeader.seq() + 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 8192);
        for (int i = 0; i < pages.size(); i++) {
            Page pg = pages.get(i);
            Stream st = streams.get(owner[i]);
            Headers h = st.headers();
            if (h == null || i == st.firstPage()) {
                out.write(b, pg.start(), pg.end() - pg.start());
            } else if (i == h.lastPage()) {
                byte[] headerPages = newHeaderPages.get(i);
                out.write(headerPages, 0, headerPages.length);
            } else if (i < h.lastPage()) {
                continue; // an earlier header page (a stream's pages come in file order): its packets are in the new ones
            } else {
                byte[] page = java.util.Arrays.copyOfRange(b, pg.start(), pg.end());
                WavHandler.putLe(page, 18, (pg.seq() + delta[owner[i]]) & 0xFFFF_FFFFL, 4);
                WavHandler.putLe(page, 22, 0, 4);
                WavHandler.putLe(page, 22, crc(page, 0, page.length) & 0xFFFF_FFFFL, 4);
                out.write(page, 0, page.length);
            }
        }
        return out.toByteArray();
    }

    /**
     * Lays {@code packets} out on pages from sequence number {@code seq}: at most 255 lacing values a page, a packet
     * that continues carried on the next page (flag 1), granule 0 on a page where a packet ends and -1 where none
     * does. {@code lastFlags} (the old last header page's end-of-stream flag) goes on the last page. Returns how many
     * pages were written.
     */
    static int paginate(ByteArrayOutputStream out, List<byte[]> packets, int serial, long seq, int lastFlags) {
        List<Integer> lacing = new ArrayList<>();
        List<Boolean> ends = new ArrayList<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            int left = p.length;
            do {
                int v = Math.min(255, left);
                lacing.add(v);
                left -= v;
                ends.add(v < 255);
            } while (left > 0 || lacing.get(lacing.size() - 1) == 255);
            data.write(p, 0, p.length);
        }
        byte[] all = data.toByteArray();
        int pos = 0;
        int written = 0;
        boolean continued = false;
        for (int s = 0; s < lacing.size(); s += 255) {
            int n = Math.min(255, lacing.size() - s);
            int bodyLen = 0;
            boolean anyEnd = false;
            for (int i = s; i < s + n; i++) {
                bodyLen += lacing.get(i);
                anyEnd |= ends.get(i);
            }
            boolean last = s + n == lacing.size();
            byte[] page = new byte[27 + n + bodyLen];
            page[0] = 'O';
            page[1] = 'g';
            page[2] = 'g';
            page[3] = 'S';
            page[5] = (byte) ((continued ? 1 : 0) | (last ? lastFlags : 0));
            WavHandler.putLe(page, 6, anyEnd ? 0 : -1L, 8);
            WavHandler.putLe(page, 14, serial & 0xFFFF_FFFFL, 4);
            WavHandler.putLe(page, 18, (seq + written) & 0xFFFF_FFFFL, 4);
            page[26] = (byte) n;
            for (int i = 0; i < n; i++) {
                page[27 + i] = (byte) (int) lacing.get(s + i);
            }
            System.arraycopy(all, pos, page, 27 + n, bodyLen);
            pos += bodyLen;
            WavHandler.putLe(page, 22, crc(page, 0, page.length) & 0xFFFF_FFFFL, 4);
            out.write(page, 0, page.length);
            written++;
            continued = !ends.get(s + n - 1);
        }
        return written;
    }

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.OGG);
        List<Page> pages = pages(b, check);
        List<Stream> streams = check.damaged() ? List.of() : streams(b, pages, check, limits);
        if (check.damaged() || streams.stream().allMatch(st -> st.headers() == null)) {
            throw AigcmarkException.corrupt("cannot hash this Ogg file: " + (check.damaged() ? check.damage().get(0)
                    : "not Vorbis or Opus"));
        }
        // a Vorbis/Opus stream's header pages (which a label write lays out anew) count as its header packets but the
        // comment; every other page as its granule, lacing and body. One stream: the headers, then the later pages.
        boolean[] headerPage = new boolean[pages.size()];
        java.util.Map<Integer, Headers> startsAt = new java.util.HashMap<>();
        for (Stream st : streams) {
            if (st.headers() != null) {
                startsAt.put(st.firstPage(), st.headers());
                for (int i : st.pages()) {
                    if (i > st.headers().lastPage()) {
                        break;
                    }
                    headerPage[i] = true;
                }
            }
        }
        for (int i = 0; i < pages.size(); i++) {
            Headers h = startsAt.get(i);
            if (h != null) {
                for (int k = 0; k < h.packets().size(); k++) {
                    if (k != 1) {
                        digest.update(h.packets().get(k)); // identification and setup headers: the codec's configuration
                    }
                }
            }
            if (headerPage[i]) {
                continue;
            }
            Page pg = pages.get(i);
            digest.update(b, pg.start() + 6, 8); // granule position
            digest.update(b, pg.lacing(), pg.end() - pg.lacing()); // lacing and body: the audio packets
        }
    }

    private static Codec codecOf(byte[] id) {
        if (startsWith(id, new byte[] {1, 'v', 'o', 'r', 'b', 'i', 's'})) {
            return Codec.VORBIS;
        }
        if (startsWith(id, "OpusHead".getBytes(StandardCharsets.US_ASCII))) {
            return Codec.OPUS;
        }
        return null;
    }

    private static byte[] firstPacket(byte[] b, Page p) {
        return java.util.Arrays.copyOfRange(b, p.body(), Math.min(p.end(), p.body() + 16));
    }

    /** A printable name for a stream's first packet (its magic), for messages. */
    private static String name(byte[] packet) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, packet.length); i++) {
            int c = packet[i] & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
        }
        return s.toString();
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The Ogg page CRC (polynomial 0x04C11DB7, not reflected, initial 0) over {@code [from, to)}, the CRC field as 0. */
    static int crc(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            int v = i - from >= 22 && i - from < 26 ? 0 : b[i] & 0xFF;
            crc = (crc << 8) ^ CRC[((crc >>> 24) & 0xFF) ^ v];
        }
        return crc;
    }

    private static int[] crcTable() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int k = 0; k < 8; k++) {
                r = (r & 0x8000_0000) != 0 ? (r << 1) ^ 0x04C1_1DB7 : r << 1;
            }
            t[i] = r;
        }
        return t;
    }
}
