package org.aigcmark.format.gif;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.AigcmarkException;

/**
 * The block structure of a GIF for writing: the header with the logical screen descriptor and global colour table,
 * then each extension and image as a byte range, then the trailer. Bounded like the scan: at most
 * {@link #MAX_BLOCKS} blocks, every step advances.
 */
final class GifBlocks {
    static final int MAX_BLOCKS = 1_000_000;
    static final int EXTENSION = 0x21;
    static final int IMAGE = 0x2C;
    static final int GRAPHIC_CONTROL = 0xF9;
    static final int APPLICATION = 0xFF;
    static final int COMMENT = 0xFE;
    static final byte[] XMP_APP = "XMP DataXMP".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * One block: {@code kind} is {@link #EXTENSION} or {@link #IMAGE}; {@code label} the extension's label (0 for an
     * image); [start, end) its bytes, the image's descriptor, colour table and data sub-blocks included.
     */
    record Block(int kind, int label, int start, int end) {
        boolean isXmp(byte[] b) {
            return kind == EXTENSION && label == APPLICATION && start + 14 <= end && (b[start + 2] & 0xFF) == 11
                    && GifHandler.matches(b, start + 3, XMP_APP);
        }
    }

    /** Where the header ends (after the global colour table), the blocks, and where the trailer byte is. */
    final int headerEnd;
    final List<Block> blocks;
    final int trailer;

    private GifBlocks(int headerEnd, List<Block> blocks, int trailer) {
        this.headerEnd = headerEnd;
        this.blocks = blocks;
        this.trailer = trailer;
    }

    /** Parses {@code b}, or throws {@code CORRUPT_INPUT} naming what is wrong (nothing is written into a damaged GIF). */
    static GifBlocks parse(byte[] b) {
        if (b.length < 13 || b[0] != 'G' || b[1] != 'I' || b[2] != 'F') {
            throw AigcmarkException.corrupt("GIF header truncated");
        }
        int p = 13;
        if ((b[10] & 0x80) != 0) {
            p += 3 * (1 << ((b[10] & 0x07) + 1));
        }
        int headerEnd = p;
        List<Block> blocks = new ArrayList<>();
        while (p < b.length) {
            if (blocks.size() >= MAX_BLOCKS) {
                throw AigcmarkException.limit("more than " + MAX_BLOCKS + " GIF blocks");
            }
            int kind = b[p] & 0xFF;
            int start = p;
            if (kind == 0x3B) {
                return new GifBlocks(headerEnd, List.copyOf(blocks), p);
            } else if (kind == EXTENSION && p + 2 < b.length) {
                int label = b[p + 1] & 0xFF;
                p = GifHandler.skipSubBlocks(b, p + 2);
                if (p < 0) {
                    throw AigcmarkException.corrupt("GIF data is truncated");
                }
                blocks.add(new Block(EXTENSION, label, start, p));
            } else if (kind == IMAGE && p + 10 <= b.length) {
                int packed = b[p + 9] & 0xFF;
                p += 10;
                if ((packed & 0x80) != 0) {
                    p += 3 * (1 << ((packed & 0x07) + 1));
                }
                p = GifHandler.skipSubBlocks(b, p + 1);
                if (p < 0) {
                    throw AigcmarkException.corrupt("GIF data is truncated");
                }
                blocks.add(new Block(IMAGE, 0, start, p));
            } else {
                throw AigcmarkException.corrupt("unexpected GIF block 0x" + Integer.toHexString(kind) + " at byte " + p);
            }
        }
        throw AigcmarkException.corrupt("no GIF trailer (the file is truncated)");
    }

    /** The number of images (frames). */
    int frames() {
        return (int) blocks.stream().filter(x -> x.kind() == IMAGE).count();
    }

    /** The index in {@link #blocks} of the first image, or -1. */
    int firstImage() {
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).kind() == IMAGE) {
                return i;
            }
        }
        return -1;
    }
}
