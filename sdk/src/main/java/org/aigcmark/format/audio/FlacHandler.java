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
 * FLAC: the record is the Vorbis comment {@code AIGC=<JSON>} in the VORBIS_COMMENT metadata block (type 4;
 * TC260-PG-202510A). Writing replaces that block's record entries (or adds the block after STREAMINFO) and takes the
 * size change out of a PADDING block when there is room, so the frames stay where they were; the frames are copied
 * byte for byte either way. The last frame's CRC-16 is checked to find a file cut short.
 */
public final class FlacHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final int STREAMINFO = 0;
    static final int PADDING = 1;
    static final int VORBIS_COMMENT = 4;
    private static final int MAX_BLOCKS = 100_000;
    private static final int MAX_BLOCK = 0xFF_FFFF;
    /** How far back from the end the last frame's header is looked for when STREAMINFO gives no maximum frame size. */
    private static final int LAST_FRAME_SEARCH = 1 << 20;
    /** Candidate last-frame headers whose CRC-16 is computed before giving up (each costs up to the window). */
    private static final int MAX_CRC_TRIES = 16;

    /** One metadata block: type, header offset, data offset and length. */
    record Block(int type, int start, int dataStart, int length) {
        int end() {
            return dataStart + length;
        }
    }

    /** The metadata blocks and where the frames start. */
    record Layout(List<Block> blocks, int audioStart) {}

    @Override
    public MediaType type() {
        return MediaType.FLAC;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.FLAC);
        Layout layout = layout(b, scan);
        if (layout == null) {
            return scan;
        }
        for (Block k : layout.blocks()) {
            if (k.type() == VORBIS_COMMENT) {
                VorbisComments.read(b, k.dataStart(), k.end(), "flac-comment", scan);
            }
        }
        checkLastFrame(b, layout, scan);
        return scan;
    }

    /** The metadata blocks; null (damage in {@code scan}) when they run past the file or STREAMINFO is missing. */
    static Layout layout(byte[] b, ContainerScan scan) {
        List<Block> blocks = new ArrayList<>();
        int p = 4;
        boolean last = false;
        while (!last) {
            if (p + 4 > b.length) {
                scan.damage().add("the FLAC metadata block header at byte " + p + " is cut short (truncated)");
                return null;
            }
            if (blocks.size() >= MAX_BLOCKS) {
                scan.damage().add("more than " + MAX_BLOCKS + " FLAC metadata blocks");
                return null;
            }
            last = (b[p] & 0x80) != 0;
            int type = b[p] & 0x7F;
            int len = ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            if (type == 127) {
                scan.damage().add("an invalid FLAC metadata block type 127 at byte " + p);
                return null;
            }
            if ((long) p + 4 + len > b.length) {
                scan.damage().add("FLAC metadata block " + type + " at byte " + p + " declares " + len
                        + " bytes, past the end of the file (truncated)");
                return null;
            }
            blocks.add(new Block(type, p, p + 4, len));
            p += 4 + len;
        }
        if (blocks.get(0).type() != STREAMINFO || blocks.get(0).length() < 34) {
            scan.damage().add("the first FLAC metadata block is not a STREAMINFO");
            return null;
        }
        if (p + 2 > b.length || (b[p] & 0xFF) != 0xFF || (b[p + 1] & 0xFE) != 0xF8) {
            scan.damage().add("no FLAC frame after the metadata blocks at byte " + p + " (truncated or not FLAC)");
            return null;
        }
        return new Layout(blocks, p);
    }

    /**
     * The file must end with a whole frame: searching back from the end for a frame header whose CRC-8 holds, the
     * frame from there to the end must pass its CRC-16. A trailing ID3v1 tag (seen in the wild) is skipped.
     */
    static void checkLastFrame(byte[] b, Layout layout, ContainerScan scan) {
        int end = b.length;
        if (end - 128 >= layout.audioStart() && b[end - 128] == 'T' && b[end - 127] == 'A' && b[end - 126] == 'G') {
            end -= 128;
            scan.notes().add("an ID3v1 tag after the FLAC frames");
        }
        Block info = layout.blocks().get(0);
        int maxFrame = ((b[info.dataStart() + 7] & 0xFF) << 16) | ((b[info.dataStart() + 8] & 0xFF) << 8)
                | (b[info.dataStart() + 9] & 0xFF);
        int window = maxFrame > 0 ? maxFrame + 16 : LAST_FRAME_SEARCH;
        int from = Math.max(layout.audioStart(), end - window);
        int tries = 0;
        for (int q = end - 4; q >= from; q--) {
            if ((b[q] & 0xFF) == 0xFF && (b[q + 1] & 0xFE) == 0xF8 && headerOk(b, q, end)) {
                if (crc16(b, q, end - 2) == (((b[end - 2] & 0xFF) << 8) | (b[end - 1] & 0xFF))) {
                    return;
                }
                if (++tries == MAX_CRC_TRIES) {
                    // bounded work on hostile input: many false headers; the end is left unchecked
                    scan.notes().add("the last FLAC frame was not found among " + MAX_CRC_TRIES + " candidates; not checked");
                    return;
                }
            }
        }
        scan.damage().add("the FLAC file does not end with a whole frame (no frame's CRC-16 matches up to the last byte):"
                + " truncated or followed by junk");
    }

    /** Whether a frame header starts at {@code q}: its coded fields are in range and its CRC-8 holds. */
    private static boolean headerOk(byte[] b, int q, int end) {
        if (q + 6 > end) {
            return false;
        }
        int blockCode = (b[q + 2] >> 4) & 0xF;
        int rateCode = b[q + 2] & 0xF;
        if (blockCode == 0 || rateCode == 0xF || (b[q + 3] & 1) != 0 || ((b[q + 3] >> 4) & 0xF) > 10) {
            return false;
        }
        int first = b[q + 4] & 0xFF;
        int n = first < 0x80 ? 1 : first >= 0xC0 && first < 0xE0 ? 2 : first >= 0xE0 && first < 0xF0 ? 3
                : first >= 0xF0 && first < 0xF8 ? 4 : first >= 0xF8 && first < 0xFC ? 5 : first >= 0xFC && first < 0xFE ? 6
                : first == 0xFE ? 7 : -1;
        if (n < 0) {
            return false;
        }
        int p = q + 4 + n;
        p += blockCode == 6 ? 1 : blockCode == 7 ? 2 : 0;
        p += rateCode == 12 ? 1 : rateCode == 13 || rateCode == 14 ? 2 : 0;
        if (p >= end) {
            return false;
        }
        int crc = 0;
        for (int i = q; i < p; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc == (b[p] & 0xFF);
    }

    private static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (b[i] & 0xFF) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }
        return crc;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.FLAC);
        Layout layout = layout(b, check);
        if (layout != null) {
            for (Block k : layout.blocks()) {
                if (k.type() == VORBIS_COMMENT) {
                    VorbisComments.read(b, k.dataStart(), k.end(), "flac-comment", check);
                }
            }
        }
        if (layout == null || check.damaged()) {
            throw AigcmarkException.corrupt("cannot relabel a damaged FLAC: " + check.damage().get(0));
        }
        String json = label.toBareJson();
        List<byte[]> data = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        boolean written = false;
        for (Block k : layout.blocks()) {
            byte[] d = java.util.Arrays.copyOfRange(b, k.dataStart(), k.end());
            if (k.type() == VORBIS_COMMENT) {
                VorbisComments.List_ list = VorbisComments.read(b, k.dataStart(), k.end(), "flac-comment", new ContainerScan(MediaType.FLAC));
                d = VorbisComments.rewrite(b, list, written ? null : json);
                written = true;
            }
            data.add(d);
            types.add(k.type());
        }
        if (!written) {
            data.add(1, VorbisComments.fresh("aigcmark", json));
            types.add(1, VORBIS_COMMENT);
        }
        // The size change comes out of (or goes into) the first PADDING block when it fits, so the frames stay put.
        long delta = -(layout.audioStart() - 4L);
        for (byte[] d : data) {
            delta += 4 + d.length;
        }
        int padding = types.indexOf(PADDING);
        if (padding >= 0 && delta != 0 && data.get(padding).length - delta >= 0) {
            data.set(padding, new byte[(int) (data.get(padding).length - delta)]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + json.length() + 64);
        out.write(b, 0, 4);
        for (int i = 0; i < data.size(); i++) {
            byte[] d = data.get(i);
            if (d.length > MAX_BLOCK) {
                throw AigcmarkException.limit("a FLAC metadata block would hold " + d.length + " bytes, over the format's 16 MiB");
            }
            out.write((i == data.size() - 1 ? 0x80 : 0) | types.get(i));
            out.write(d.length >>> 16);
            out.write(d.length >>> 8);
            out.write(d.length);
            out.write(d, 0, d.length);
        }
        out.write(b, layout.audioStart(), b.length - layout.audioStart());
        return out.toByteArray();
    }

    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        ContainerScan check = new ContainerScan(MediaType.FLAC);
        Layout layout = layout(b, check);
        if (layout == null) {
            throw AigcmarkException.corrupt("cannot hash a damaged FLAC: " + check.damage().get(0));
        }
        Block info = layout.blocks().get(0);
        digest.update(b, info.dataStart(), info.length());
        digest.update(b, layout.audioStart(), b.length - layout.audioStart());
    }
}
