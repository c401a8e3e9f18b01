package org.aigcmark.format.mkv;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.internal.ChannelSource;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;

/**
 * Matroska and WebM: the record is a {@code Segment/Tags/Tag/SimpleTag} with {@code TagName} AIGC and the JSON
 * in {@code TagString} (what {@code ffmpeg -metadata AIGC=...} writes). Also reads the video size from
 * {@code Tracks} and the muxing software from {@code Info}. Writing ({@link MkvWriter}) never moves a cluster:
 * the new {@code Tags} goes into the old one's space, a {@code Void}, or the end of the Segment, with the
 * {@code SeekHead} updated; see docs/VIDEO-CONTAINERS.md.
 *
 * <p>The EBML walk is bounded: variable-length sizes are checked against the parent, unknown sizes are resolved
 * by the next top-level element, nesting and the element count are capped, cluster payloads are skipped, and no
 * allocation follows a declared size except for text values under {@link #MAX_TEXT}.
 */
public final class MkvHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final int EBML = 0x1A45DFA3;
    static final int DOC_TYPE = 0x4282;
    static final int SEGMENT = 0x18538067;
    static final int INFO = 0x1549A966;
    static final int MUXING_APP = 0x4D80;
    static final int WRITING_APP = 0x5741;
    static final int TRACKS = 0x1654AE6B;
    static final int TRACK_ENTRY = 0xAE;
    static final int TRACK_TYPE = 0x83;
    static final int VIDEO = 0xE0;
    static final int PIXEL_WIDTH = 0xB0;
    static final int PIXEL_HEIGHT = 0xBA;
    static final int CLUSTER = 0x1F43B675;
    static final int TAGS = 0x1254C367;
    static final int TAG = 0x7373;
    static final int SIMPLE_TAG = 0x67C8;
    static final int TAG_NAME = 0x45A3;
    static final int TAG_STRING = 0x4487;
    /** Elements that can only appear at Segment level: they end an element of unknown size. */
    static final Set<Integer> SEGMENT_LEVEL = Set.of(0x114D9B74, INFO, TRACKS, CLUSTER, 0x1C53BB6B, TAGS,
            0x1941A469, 0x1043A770, SEGMENT, EBML);
    static final int MAX_DEPTH = 16;
    static final int MAX_ELEMENTS = 5_000_000;
    /** Children listed for one master (Tags, Tracks, Info...): bounds the memory a hostile master can take. */
    static final int MAX_CHILDREN = 1_000_000;
    static final int MAX_TEXT = LabelParser.MAX_LENGTH;
    static final long UNKNOWN = -1;

    /** An element header: id, where its data starts, its data size ({@link #UNKNOWN} when unknown). */
    record Header(int id, long start, long dataStart, long size) {}

    @Override
    public MediaType type() {
        return MediaType.MKV;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        ContainerScan s = scan(b, limits);
        if (s.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged Matroska file: " + s.damage().get(0));
        }
        return MkvWriter.write(b, label.toBareJson(), limits);
    }

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        ContainerScan s = scan(b, limits);
        if (s.damaged()) {
            throw AigcmarkException.corrupt("cannot hash a damaged Matroska file: " + s.damage().get(0));
        }
        MkvWriter.digest(b, digest);
    }

    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        MkvWriter.presentation(Src.of(b), digest);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        return scan(Src.of(b));
    }

    static ContainerScan scan(Src b) {
        Walk w = new Walk(b, new ContainerScan(MediaType.MKV));
        w.file();
        return w.scan;
    }

    @Override
    public Optional<Streaming> streaming() {
        return Optional.of(new Streaming() {
            @Override
            public ContainerScan scan(java.nio.channels.SeekableByteChannel in, Limits limits) {
                return MkvHandler.scan(Src.of(ChannelSource.of(in, "the file")));
            }

            @Override
            public void writeLabel(java.nio.channels.SeekableByteChannel in, AigcLabel label,
                                   java.nio.channels.WritableByteChannel out, Limits limits) throws java.io.IOException {
                ChannelSource file = ChannelSource.of(in, "the file");
                ContainerScan s = MkvHandler.scan(Src.of(file));
                if (s.damaged()) {
                    throw AigcmarkException.corrupt("cannot relabel a damaged Matroska file: " + s.damage().get(0));
                }
                MkvWriter.write(file, label.toBareJson(), out, limits);
            }

            @Override
            public void digestPresentation(java.nio.channels.SeekableByteChannel in, MessageDigest digest, Limits limits) {
                MkvWriter.presentation(Src.of(ChannelSource.of(in, "the file")), digest);
            }

            @Override
            public void digestContent(java.nio.channels.SeekableByteChannel in, MessageDigest digest, Limits limits) {
                ChannelSource file = ChannelSource.of(in, "the file");
                ContainerScan s = MkvHandler.scan(Src.of(file));
                if (s.damaged()) {
                    throw AigcmarkException.corrupt("cannot hash a damaged Matroska file: " + s.damage().get(0));
                }
                MkvWriter.digest(Src.of(file), (from, to) -> file.digest(from, to, digest));
            }
        });
    }

    /** One pass over a file. */
    private static final class Walk {
        final Src b;
        final ContainerScan scan;
        int elements;
        int tracks;
        int videoTracks;
        boolean stopped;

        Walk(Src b, ContainerScan scan) {
            this.b = b;
            this.scan = scan;
        }

        void file() {
            Header h = header(0, b.length(), "the file");
            if (h == null || h.id() != EBML) {
                damage("the file does not start with an EBML header");
                return;
            }
            long p = end(h, b.length());
            String docType = null;
            for (Header c : children(h, b.length(), 1, "EBML header")) {
                if (c.id() == DOC_TYPE) {
                    docType = text(c);
                }
            }
            if (docType != null && !docType.equals("matroska") && !docType.equals("webm")) {
                scan.notes().add("EBML DocType '" + docType + "' is not matroska or webm");
            }
            boolean segment = false;
            while (p < b.length() && !stopped) {
                Header s = header(p, b.length(), "the file");
                if (s == null) {
                    break;
                }
                if (s.id() == SEGMENT) {
                    segment = true;
                    segment(s);
                } else if (s.id() != 0xEC) {
                    scan.notes().add(String.format("top-level element 0x%X at byte %d ignored", s.id(), p));
                }
                p = end(s, b.length());
            }
            if (!segment && !stopped) {
                damage("no Segment element: the file is truncated or not a Matroska file");
            } else if (!stopped && tracks == 0) {
                damage("the Segment has no tracks");
            } else if (!stopped && videoTracks == 0) {
                scan.notes().add("no video track");
            }
        }

        void segment(Header seg) {
            long end = end(seg, b.length());
            long p = seg.dataStart();
            while (p < end && !stopped) {
                Header c = header(p, end, "the Segment");
                if (c == null) {
                    return;
                }
                switch (c.id()) {
                    case INFO -> info(c, end);
                    case TRACKS -> {
                        for (Header t : children(c, end, 2, "Tracks")) {
                            if (t.id() == TRACK_ENTRY) {
                                track(t, end);
                            }
                        }
                    }
                    case TAGS -> {
                        for (Header t : children(c, end, 2, "Tags")) {
                            if (t.id() == TAG) {
                                for (Header st : children(t, end, 3, "Tag")) {
                                    if (st.id() == SIMPLE_TAG) {
                                        simpleTag(st, end, 4);
                                    }
                                }
                            }
                        }
                    }
                    case CLUSTER -> {
                        if (c.size() == UNKNOWN) {
                            p = unknownSizeEnd(c, end);
                            continue;
                        }
                    }
                    default -> { }
                }
                p = end(c, end);
            }
        }

        void info(Header info, long limit) {
            for (Header c : children(info, limit, 2, "Info")) {
                if (c.id() == WRITING_APP || c.id() == MUXING_APP) {
                    String app = text(c);
                    if (app != null && !app.isBlank()) {
                        scan.addHint(ContainerScan.HintKind.GENERATOR, c.id() == WRITING_APP ? "mkv-info:WritingApp" : "mkv-info:MuxingApp", app);
                    }
                }
            }
        }

        void track(Header entry, long limit) {
            tracks++;
            long type = -1;
            long w = -1;
            long h = -1;
            for (Header c : children(entry, limit, 3, "TrackEntry")) {
                if (c.id() == TRACK_TYPE) {
                    type = uint(c);
                } else if (c.id() == VIDEO) {
                    for (Header v : children(c, limit, 4, "Video")) {
                        if (v.id() == PIXEL_WIDTH) {
                            w = uint(v);
                        } else if (v.id() == PIXEL_HEIGHT) {
                            h = uint(v);
                        }
                    }
                }
            }
            if (type == 1) {
                videoTracks++;
                if (scan.width() < 0 && w > 0 && h > 0) {
                    scan.dimensions((int) Math.min(w, Integer.MAX_VALUE), (int) Math.min(h, Integer.MAX_VALUE));
                }
            }
        }

        void simpleTag(Header st, long limit, int depth) {
            String name = null;
            String value = null;
            for (Header c : children(st, limit, depth + 1, "SimpleTag")) {
                if (c.id() == TAG_NAME) {
                    name = text(c);
                } else if (c.id() == TAG_STRING) {
                    value = text(c);
                } else if (c.id() == SIMPLE_TAG) {
                    simpleTag(c, limit, depth + 1); // nested tags
                }
            }
            if (name == null) {
                return;
            }
            boolean parses = value != null && LabelParser.parse(value).isPresent();
            if (name.toUpperCase(Locale.ROOT).contains("AIGC")) {
                if (parses) {
                    scan.addSlot("mkv-simpletag", value);
                } else {
                    scan.notes().add("mkv-simpletag '" + name + "' is not a readable AIGC record");
                }
            } else if (parses) {
                scan.addSlot("mkv-simpletag:" + name, value);
            } else if (name.equalsIgnoreCase("ENCODER") && value != null && !value.isBlank()) {
                scan.addHint(ContainerScan.HintKind.GENERATOR, "mkv-simpletag:ENCODER", value);
            }
        }

        /** Where a Cluster of unknown size ends: at the first Segment-level element or the end of its parent. */
        long unknownSizeEnd(Header c, long limit) {
            long p = c.dataStart();
            while (p < limit && !stopped) {
                Header h = header(p, limit, "a Cluster of unknown size");
                if (h == null) {
                    return limit;
                }
                if (SEGMENT_LEVEL.contains(h.id())) {
                    return p;
                }
                if (h.size() == UNKNOWN) {
                    damage(String.format("element 0x%X of unknown size inside a Cluster of unknown size at byte %d", h.id(), p));
                    return limit;
                }
                p = end(h, limit);
            }
            return limit;
        }

        /** The children of a master element (empty when nested too deep). */
        java.util.List<Header> children(Header parent, long limit, int depth, String where) {
            java.util.List<Header> out = new java.util.ArrayList<>();
            if (depth > MAX_DEPTH) {
                damage("elements nested deeper than " + MAX_DEPTH + " levels in " + where + " (a nesting bomb?)");
                return out;
            }
            long end = end(parent, limit);
            long p = parent.dataStart();
            while (p < end && !stopped) {
                Header h = header(p, end, where);
                if (h == null) {
                    break;
                }
                if (h.size() == UNKNOWN) {
                    damage(String.format("element 0x%X at byte %d in %s has an unknown size", h.id(), p, where));
                    break;
                }
                if (out.size() == MAX_CHILDREN) {
                    damage("more than " + MAX_CHILDREN + " elements in " + where + " (over the limit)");
                    break;
                }
                out.add(h);
                p = end(h, end);
            }
            return out;
        }

        /** Reads the element header at {@code p}; records damage and returns null when it does not fit. */
        Header header(long p, long limit, String where) {
            if (++elements > MAX_ELEMENTS) {
                damage("more than " + MAX_ELEMENTS + " elements (over the limit)");
                return null;
            }
            int idLen = vintLength(p, limit);
            if (idLen < 1 || idLen > 4) {
                damage("bad element id at byte " + p + " in " + where + (p >= limit ? " (truncated)" : " (corrupt file)"));
                return null;
            }
            int id = Ebml.elementId(b::at, p, idLen);
            long sp = p + idLen;
            int sizeLen = vintLength(sp, limit);
            if (sizeLen < 1) {
                damage(String.format("element 0x%X at byte %d in %s has a bad size field%s", id, p, where,
                        sp >= limit ? " (truncated)" : " (corrupt file)"));
                return null;
            }
            long size = Ebml.vintValue(b::at, sp, sizeLen);
            long dataStart = sp + sizeLen;
            if (Ebml.unknownSize(size, sizeLen)) {
                return new Header(id, p, dataStart, UNKNOWN);
            }
            if (size > limit - dataStart) {
                damage(String.format("element 0x%X at byte %d declares %d bytes but only %d remain in %s "
                        + "(truncated file or oversized element)", id, p, size, limit - dataStart, where));
                return null;
            }
            return new Header(id, p, dataStart, size);
        }

        /** Length of the variable-length integer at {@code p} (1..8), or 0 when invalid or cut. */
        int vintLength(long p, long limit) {
            return Ebml.vintLength(b::at, p, limit);
        }

        long end(Header h, long limit) {
            return h.size() == UNKNOWN ? limit : h.dataStart() + h.size();
        }

        String text(Header h) {
            if (h.size() > MAX_TEXT) {
                return null;
            }
            byte[] t = b.bytes(h.dataStart(), (int) h.size());
            int n = t.length;
            while (n > 0 && t[n - 1] == 0) {
                n--; // strings may be zero-padded
            }
            return new String(t, 0, n, StandardCharsets.UTF_8);
        }

        long uint(Header h) {
            if (h.size() > 8) {
                return -1;
            }
            long v = 0;
            for (int i = 0; i < h.size(); i++) {
                v = (v << 8) | b.at(h.dataStart() + i);
            }
            return v;
        }

        void damage(String s) {
            scan.damage().add(s);
            stopped = true;
        }
    }
}
