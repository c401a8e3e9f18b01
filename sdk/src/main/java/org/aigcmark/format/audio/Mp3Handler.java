package org.aigcmark.format.audio;

import java.io.ByteArrayOutputStream;
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
 * MP3 (MPEG audio with ID3v2 tags): the record is an ID3v2 {@code TXXX} frame described {@code AIGC}
 * (TC260-PG-202510A). Writing adds it to the leading ID3v2 tag in that tag's version ({@code TXX} in 2.2), in the
 * tag's padding when it fits, so the audio does not move, or prepends a new ID3v2.4 tag; the MPEG frames are copied
 * byte for byte. Reading also takes {@code TXXX} frames described {@code aigc} in any case and {@code COMM}/{@code TXXX}
 * frames whose text is a record, in ID3v2.2 to 2.4. The frames are walked (header arithmetic only, no decoding) to find a file cut short.
 */
public final class Mp3Handler implements FormatHandler, FormatHandler.MetadataWriter {
    /** How far past the tags the first frame is looked for (encoders leave some zero bytes, rarely more). */
    private static final int FIRST_FRAME_SEARCH = 64 * 1024;

    private static final int[][] BITRATES = {
        {32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 layer I
        {32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},    // MPEG-1 layer II
        {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},     // MPEG-1 layer III
        {32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},    // MPEG-2/2.5 layer I
        {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},         // MPEG-2/2.5 layers II and III
    };
    private static final int[][] RATES = {{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000}, {44100, 48000, 32000}};

    /** The leading ID3v2 tags and where the audio starts. */
    record Layout(List<Id3.Tag> tags, int audioStart) {}

    @Override
    public MediaType type() {
        return MediaType.MP3;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.MP3);
        Layout layout = layout(b, scan, limits);
        if (layout != null) {
            walkFrames(b, layout.audioStart(), scan);
        }
        return scan;
    }

    /** The leading tags (several are read: some tools prepend a second one); null when one is damaged. */
    static Layout layout(byte[] b, ContainerScan scan, Limits limits) {
        List<Id3.Tag> tags = new ArrayList<>();
        int p = 0;
        while (Id3.at(b, p)) {
            if (tags.size() >= Limits.MAX_METADATA_PACKETS) {
                scan.damage().add("more than " + Limits.MAX_METADATA_PACKETS + " ID3v2 tags in a row");
                return null;
            }
            Id3.Tag t = Id3.read(b, p, b.length, "id3", scan, limits);
            if (t == null) {
                return null;
            }
            tags.add(t);
            p = t.end();
        }
        return new Layout(tags, p);
    }

    /**
     * Steps from frame header to frame header; damage when no frame follows the tags or the last frame is cut short.
     * A lost sync (junk between frames) is searched past and noted. Linear: every step moves forward.
     */
    static void walkFrames(byte[] b, int start, ContainerScan scan) {
        int p = nextFrame(b, start, Math.min(b.length, (long) start + FIRST_FRAME_SEARCH));
        if (p < 0) {
            scan.damage().add("no MPEG audio frame " + (start == 0 ? "at the start of the file" : "after the ID3v2 tag")
                    + " (not an MP3, or truncated)");
            return;
        }
        if (p > start) {
            scan.notes().add((p - start) + " bytes before the first MPEG frame");
        }
        long declared = xingBytes(b, p);
        // against the whole file, not the stream: some encoders count the leading tag in too
        if (declared > b.length) {
            scan.damage().add("the Xing/Info header counts " + declared + " bytes of MPEG audio, the whole file has "
                    + b.length + " (truncated)");
            return;
        }
        int frames = 0;
        int lost = 0;
        while (p < b.length) {
            if (trailer(b, p)) {
                return;
            }
            int len = frameLength(b, p);
            if (len == 0) {
                scan.notes().add("a free-format MPEG frame at byte " + p + "; the rest of the frames are not walked");
                return;
            }
            if (len < 0) {
                int next = nextFrame(b, p + 1, b.length);
                if (next < 0 && zeros(b, p)) {
                    scan.notes().add((b.length - p) + " zero bytes after the last MPEG frame");
                    return;
                }
                if (next < 0) {
                    scan.damage().add((b.length - p) + " bytes at byte " + p + " after the last MPEG frame are not audio"
                            + " (garbage or a cut frame)");
                    return;
                }
                lost++;
                p = next;
                continue;
            }
            if (p + len > b.length) {
                scan.damage().add("the MPEG frame at byte " + p + " needs " + len + " bytes, " + (b.length - p)
                        + " remain (truncated)");
                return;
            }
            frames++;
            p += len;
        }
        if (lost > 0) {
            scan.notes().add("MPEG frame sync was lost " + lost + " time(s) in " + frames + " frames (junk between frames)");
        }
    }

    /**
     * The stream size a Xing/Info header (LAME, ffmpeg) in the frame at {@code p} declares, or -1: a file cut at a
     * frame boundary is still found short.
     */
    static long xingBytes(byte[] b, int p) {
        boolean mpeg1 = ((b[p + 1] >> 3) & 3) == 3;
        boolean mono = ((b[p + 3] >> 6) & 3) == 3;
        int q = p + 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
        if (q + 16 > b.length || !(starts(b, q, "Xing") || starts(b, q, "Info"))) {
            return -1;
        }
        long flags = u32be(b, q + 4);
        int f = q + 8;
        if ((flags & 1) != 0) {
            f += 4; // frame count
        }
        return (flags & 2) != 0 && f + 4 <= b.length ? u32be(b, f) : -1;
    }

    private static long u32be(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    /** An ID3v1, APE, Lyrics3 or appended ID3v2 tag at {@code p}: the audio ended. */
    private static boolean trailer(byte[] b, int p) {
        return starts(b, p, "TAG") && b.length - p == 128 || starts(b, p, "APETAGEX") || starts(b, p, "LYRICS")
                || Id3.at(b, p);
    }

    /**
     * The first offset in {@code [from, to)} where a frame header starts that is followed by another header (or by
     * the end of the file or a trailing tag); -1 when none.
     */
    private static int nextFrame(byte[] b, int from, long to) {
        for (int p = from; p < to; p++) {
            if ((b[p] & 0xFF) != 0xFF) {
                continue;
            }
            int len = frameLength(b, p);
            if (len > 0) {
                int q = p + len;
                if (q == b.length || q < b.length && (trailer(b, q) || frameLength(b, q) >= 0) || q > b.length) {
                    return p;
                }
            }
        }
        return -1;
    }

    /** The length of the MPEG audio frame whose header is at {@code p}; 0 for free format; -1 when not a header. */
    static int frameLength(byte[] b, int p) {
        if (p + 4 > b.length || (b[p] & 0xFF) != 0xFF || (b[p + 1] & 0xE0) != 0xE0) {
            return -1;
        }
        int version = (b[p + 1] >> 3) & 3; // 0: 2.5, 1: reserved, 2: 2, 3: 1
        int layer = (b[p + 1] >> 1) & 3;   // 1: III, 2: II, 3: I
        int bitrateIndex = (b[p + 2] >> 4) & 0xF;
        int rateIndex = (b[p + 2] >> 2) & 3;
        if (version == 1 || layer == 0 || bitrateIndex == 0xF || rateIndex == 3) {
            return -1;
        }
        if (bitrateIndex == 0) {
            return 0;
        }
        int padding = (b[p + 2] >> 1) & 1;
        int rate = RATES[version][rateIndex];
        int table = version == 3 ? 3 - layer : layer == 3 ? 3 : 4;
        int kbps = BITRATES[table][bitrateIndex - 1];
        if (layer == 3) {
            return (12 * kbps * 1000 / rate + padding) * 4;
        }
        int coefficient = layer == 1 && version != 3 ? 72 : 144;
        return coefficient * kbps * 1000 / rate + padding;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.MP3);
        Layout layout = layout(b, check, limits);
        if (layout == null || check.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged MP3: " + check.damage().get(0));
        }
        String json = label.toBareJson();
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + json.length() + 64);
        if (layout.tags().isEmpty()) {
            byte[] tag = Id3.newTag(json);
            out.write(tag, 0, tag.length);
        } else {
            for (int i = 0; i < layout.tags().size(); i++) {
                Id3.Tag t = layout.tags().get(i);
                if (i > 0 && t.frames().stream().noneMatch(Id3.Frame::record)) {
                    out.write(b, t.start(), t.end() - t.start());
                    continue;
                }
                byte[] tag = Id3.rewrite(t, i == 0 ? json : null, "the MP3");
                out.write(tag, 0, tag.length);
            }
        }
        out.write(b, layout.audioStart(), b.length - layout.audioStart());
        return out.toByteArray();
    }

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.MP3);
        Layout layout = layout(b, check, limits);
        if (layout == null || check.damaged()) {
            throw AigcmarkException.corrupt("cannot hash a damaged MP3: " + check.damage().get(0));
        }
        digest.update(b, layout.audioStart(), b.length - layout.audioStart());
    }

    private static boolean zeros(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean starts(byte[] b, int p, String s) {
        if (p + s.length() > b.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[p + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
