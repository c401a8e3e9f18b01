package org.aigcmark.format.png;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A PNG as its list of chunks. Written by hand because no maintained Java library splices chunks into a PNG
 * without re-encoding it (commons-imaging rewrites the pixels and drops other chunks).
 */
final class PngChunks {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    static final int MAX_CHUNKS = 100_000;

    /** One chunk: type and the data range inside the file. */
    record Chunk(String type, int start, int dataStart, int dataLength, boolean crcOk) {
        int end() {
            return dataStart + dataLength + 4;
        }
    }

    final List<Chunk> chunks = new ArrayList<>();
    final List<String> damage = new ArrayList<>();

    static PngChunks parse(byte[] b) {
        return parse(b, true);
    }

    /**
     * As {@link #parse(byte[])}; with {@code checkImageCrcs} false the CRCs of the image data chunks (IDAT, fdAT:
     * nearly all of the file) are not computed, for bytes whose CRCs were just checked (a scanned input, or a file
     * written from one). Each check is a pass over the whole file, about the cost of a copy of it.
     */
    static PngChunks parse(byte[] b, boolean checkImageCrcs) {
        PngChunks c = new PngChunks();
        int p = SIGNATURE.length;
        boolean sawEnd = false;
        while (p < b.length) {
            if (p + 8 > b.length) {
                c.damage.add("truncated inside a chunk header at byte " + p);
                return c;
            }
            long len = u32(b, p);
            if (!isChunkType(b, p + 4)) {
                c.damage.add("invalid chunk type at byte " + p + " (corrupt file)");
                return c;
            }
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (len > Integer.MAX_VALUE || p + 12 + len > b.length) {
                c.damage.add("chunk " + type + " at byte " + p + " declares " + len
                        + " bytes, past the end of the file (truncated or oversized chunk)");
                return c;
            }
            if (c.chunks.size() >= MAX_CHUNKS) {
                c.damage.add("more than " + MAX_CHUNKS + " chunks");
                return c;
            }
            int dataStart = p + 8;
            boolean ok = !checkImageCrcs && (type.equals("IDAT") || type.equals("fdAT")) || crcMatches(b, p, (int) len);
            if (!ok) {
                c.damage.add("chunk " + type + " at byte " + p + " has a bad CRC (corrupt file)");
            }
            c.chunks.add(new Chunk(type, p, dataStart, (int) len, ok));
            p = dataStart + (int) len + 4;
            if (type.equals("IEND")) {
                sawEnd = true;
                break;
            }
        }
        if (!sawEnd) {
            c.damage.add("no IEND chunk (the file is truncated)");
        }
        if (c.chunks.isEmpty() || !c.chunks.get(0).type().equals("IHDR")) {
            c.damage.add("the first chunk is not IHDR");
        }
        return c;
    }

    /** Four ASCII letters (a loop: a stream per chunk cost more than the chunk's parse). */
    private static boolean isChunkType(byte[] b, int at) {
        for (int i = at; i < at + 4; i++) {
            int ch = b[i];
            if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean crcMatches(byte[] b, int chunkStart, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, chunkStart + 4, 4 + len);
        return crc.getValue() == u32(b, chunkStart + 8 + len);
    }

    static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        writeU32(out, data.length);
        out.write(t, 0, 4);
        out.write(data, 0, data.length);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        writeU32(out, crc.getValue());
    }

    static void writeU32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24) & 0xFF);
        out.write((int) (v >>> 16) & 0xFF);
        out.write((int) (v >>> 8) & 0xFF);
        out.write((int) v & 0xFF);
    }

    static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
