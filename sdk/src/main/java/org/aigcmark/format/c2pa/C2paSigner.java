package org.aigcmark.format.c2pa;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.label.AigcLabel;

/**
 * Embeds a signed C2PA manifest store ({@link C2paManifestBuilder}) into an asset without touching its content.
 * JPEG: the store goes into APP11 segments (JPEG XT boxes, split into packets of at most 64 KiB, each repeating the
 * box header), inserted after the existing APPn segments; the hard binding excludes exactly those segments, so it
 * covers every other byte, the XMP record included. PNG: one {@code caBX} chunk before the first {@code IDAT},
 * excluded whole (length, type, data, CRC). WebP: one top-level RIFF {@code C2PA} chunk after the last chunk (where
 * the C2PA reference implementation puts it), excluded whole (header, data, pad byte); the RIFF size field grows by
 * the chunk and is covered by the hash. MP4/MOV: a top-level C2PA {@code uuid} box after {@code ftyp}, bound by
 * {@code c2pa.hash.bmff.v3} ({@link #signBmff}).
 */
public final class C2paSigner {
    /** Largest APP11 segment payload: the 16-bit length counts itself. */
    private static final int MAX_PAYLOAD = 0xFFFF - 2;
    private static final int FIRST_HEADER = 8;   // "JP", box instance (En), packet sequence (Z)
    private static final int LATER_HEADER = 16;  // the same, then the superbox's LBox and TBox again
    private static final int MAX_SIZE_ROUNDS = 8;

    private C2paSigner() {}

    /** What was embedded: the new file and the active manifest's label. */
    public record Signed(byte[] bytes, String manifestLabel) {}

    /**
     * A copy of {@code png} with a signed manifest store for {@code label} in a {@code caBX} chunk before the first
     * {@code IDAT}. The input must not carry a {@code caBX} chunk already.
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} when the PNG already has a C2PA store,
     *     {@code CORRUPT_INPUT} when its chunks cannot be walked
     */
    public static Signed signPng(byte[] png, AigcLabel label, C2paSigning signing) {
        return signPng(png, C2paManifestBuilder.forLabel(label), signing);
    }

    private static Signed signPng(byte[] png, C2paManifestBuilder builder, C2paSigning signing) {
        int at = pngInsertionPoint(png);
        return embed(png, at, builder, signing, store -> {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            byte[] type = {'c', 'a', 'B', 'X'};
            crc.update(type);
            crc.update(store);
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(store.length + 12);
            chunk.putInt(store.length).put(type).put(store).putInt((int) crc.getValue());
            return List.of(chunk.array());
        });
    }

    /**
     * A copy of {@code webp} with a signed manifest store for {@code label} in a top-level {@code C2PA} chunk after its
     * last chunk; the RIFF size is updated, every other byte (VP8X flags and image chunks included) is kept. The file
     * must be an extended WebP (VP8X), as unknown chunks are only allowed there: aigcmark's XMP record already makes
     * it one, so label first.
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} when the WebP already has a {@code C2PA} chunk or is not
     *     extended, {@code CORRUPT_INPUT} when its chunks cannot be walked
     */
    public static Signed signWebp(byte[] webp, AigcLabel label, C2paSigning signing) {
        return signWebp(webp, C2paManifestBuilder.forLabel(label), signing);
    }

    private static Signed signWebp(byte[] webp, C2paManifestBuilder builder, C2paSigning signing) {
        int end = webpEnd(webp);
        return embed(length -> {
            // the output minus the chunk: the input with the RIFF size that counts the chunk
            byte[] base = webp.clone();
            long riffSize = end - 8L + length;
            if (riffSize > 0xFFFF_FFFFL) {
                throw new AigcmarkException(AigcmarkException.Reason.LIMIT_EXCEEDED, "the WebP would exceed 4 GiB with its C2PA chunk");
            }
            for (int i = 0; i < 4; i++) {
                base[4 + i] = (byte) (riffSize >>> (8 * i));
            }
            return base;
        }, end, builder, signing, store -> {
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(8 + store.length + (store.length & 1))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            chunk.put(new byte[] {'C', '2', 'P', 'A'}).putInt(store.length).put(store); // a pad byte (0) if odd
            return List.of(chunk.array());
        });
    }

    /**
     * A copy of {@code mp4} (ISO BMFF: MP4, MOV, M4A) with a signed manifest store for {@code label} in a top-level
     * C2PA {@code uuid} box right after {@code ftyp} (at the start when there is none), as c2pa-rs and c2pa-ts place
     * it: {@code uuid} with the C2PA extended type, version 0, flags 0, the purpose {@code "manifest"}, a 64-bit
     * auxiliary-box offset of 0 (no Merkle tree) and the store. Every later box moves by the box's length and every
     * chunk offset ({@code stco}/{@code co64}, and fragment offsets) with it; the media data is byte-identical. The hard
     * binding is {@code c2pa.hash.bmff.v3} over the output with the standard exclusions (see {@code BmffHash}).
     *
     * @throws AigcmarkException {@code CORRUPT_INPUT} when the boxes cannot be walked
     */
    public static Signed signBmff(byte[] mp4, AigcLabel label, C2paSigning signing) {
        return signBmff(mp4, C2paManifestBuilder.forLabel(label), signing);
    }

    private static Signed signBmff(byte[] mp4, C2paManifestBuilder builder, C2paSigning signing) {
        List<BmffHash.Top> top = BmffHash.topLevel(mp4);
        if (top == null || top.isEmpty()) {
            throw AigcmarkException.corrupt("the MP4's top-level boxes do not parse");
        }
        long at = top.get(0).type().equals("ftyp") ? top.get(0).end() : 0;
        // The store's length does not depend on the hash (fixed-size fields only), so a store signed over a zero
        // hash sizes the box; the box is inserted, the output hashed, and the store signed again at the same length.
        byte[] box = bmffBox(builder.buildForBmff(new byte[32], signing));
        for (int round = 0; round < MAX_SIZE_ROUNDS; round++) {
            byte[] out = org.aigcmark.format.mp4.Mp4Handler.insertTopLevelBox(mp4, (int) at, box);
            BmffHash.Either h = BmffHash.hash(out, CBOR_TREE.valueToTree(BmffHash.standardExclusions()), sha256());
            if (h.hash() == null) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot hash the MP4: " + h.problem());
            }
            byte[] signed = bmffBox(builder.buildForBmff(h.hash(), signing));
            if (signed.length == box.length) {
                System.arraycopy(signed, 0, out, (int) at, signed.length);
                return new Signed(out, builder.manifestLabel());
            }
            box = signed; // e.g. a time-stamp token of another length: insert at the new length and hash again
        }
        throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the C2PA manifest size did not settle");
    }

    private static final com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper CBOR_TREE =
            new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper();

    /** The C2PA manifest box: {@code uuid}, the C2PA UUID, version and flags 0, "manifest\0", offset 0, the store. */
    static byte[] bmffBox(byte[] store) {
        long len = 8L + 16 + 4 + 9 + 8 + store.length;
        if (len > 0xFFFF_FFFFL) {
            throw AigcmarkException.limit("a C2PA box of " + len + " bytes does not fit a 32-bit box length");
        }
        java.nio.ByteBuffer box = java.nio.ByteBuffer.allocate((int) len);
        box.putInt((int) len).put(new byte[] {'u', 'u', 'i', 'd'}).put(BmffHash.C2PA_UUID).putInt(0)
                .put("manifest".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 0).putLong(0).put(store);
        return box.array();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A copy of {@code file} (JPEG, PNG, WebP or MP4/MOV, by magic bytes) with a signed manifest store; see the format methods. */
    public static Signed sign(byte[] file, AigcLabel label, C2paSigning signing) {
        return sign(file, C2paManifestBuilder.forLabel(label), signing);
    }

    /** As {@link #sign(byte[], AigcLabel, C2paSigning)}, with the manifest {@code builder} describes (e.g. with a watermark). */
    public static Signed sign(byte[] file, C2paManifestBuilder builder, C2paSigning signing) {
        if (org.aigcmark.format.MediaType.sniff(file) == org.aigcmark.format.MediaType.MP4) {
            return signBmff(file, builder, signing);
        }
        if (file.length > 8 && (file[0] & 0xFF) == 0x89 && file[1] == 'P' && file[2] == 'N' && file[3] == 'G') {
            return signPng(file, builder, signing);
        }
        if (file.length >= 12 && file[0] == 'R' && file[1] == 'I' && file[2] == 'F' && file[3] == 'F'
                && file[8] == 'W' && file[9] == 'E' && file[10] == 'B' && file[11] == 'P') {
            return signWebp(file, builder, signing);
        }
        return embed(file, insertionPoint(file), builder, signing, C2paSigner::app11Segments);
    }

    /**
     * A copy of {@code jpeg} with a signed manifest store for {@code label}. The input must not carry a C2PA store
     * already (adding an update manifest to an existing one is not implemented; replacing it would drop provenance).
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} when the JPEG already has a C2PA store,
     *     {@code CORRUPT_INPUT} when its header segments cannot be walked
     */
    public static Signed signJpeg(byte[] jpeg, AigcLabel label, C2paSigning signing) {
        return embed(jpeg, insertionPoint(jpeg), C2paManifestBuilder.forLabel(label), signing, C2paSigner::app11Segments);
    }

    /**
     * A copy of {@code file} (JPEG, PNG, WebP or MP4/MOV) without its C2PA manifest store: the JPEG's JUMBF APP11
     * segments, the PNG's {@code caBX} chunk, the WebP's {@code C2PA} chunk (the RIFF size shrinks with it) or the
     * MP4's C2PA {@code uuid} box (later boxes and chunk offsets move back). The same array when there is none. For
     * re-signing only: the caller puts the store's manifests into the new store ({@link
     * C2paManifestBuilder#withParent}), so no provenance is dropped.
     *
     * @throws AigcmarkException {@code CORRUPT_INPUT} when the container cannot be walked
     */
    public static byte[] withoutStore(byte[] file) {
        if (org.aigcmark.format.MediaType.sniff(file) == org.aigcmark.format.MediaType.MP4) {
            for (BmffHash.Top box : topLevelOrFail(file)) {
                if (box.type().equals("uuid") && box.end() - box.start() >= 24 && java.util.Arrays.equals(file,
                        (int) box.start() + 8, (int) box.start() + 24, BmffHash.C2PA_UUID, 0, 16)) {
                    return org.aigcmark.format.mp4.Mp4Handler.removeTopLevelBox(file, (int) box.start());
                }
            }
            return file;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length);
        if (file.length > 8 && (file[0] & 0xFF) == 0x89 && file[1] == 'P' && file[2] == 'N' && file[3] == 'G') {
            out.write(file, 0, 8);
            int p = 8;
            while (p + 12 <= file.length) {
                long len = u32(file, p);
                if (p + 12 + len > file.length) {
                    throw AigcmarkException.corrupt("the PNG chunk at byte " + p + " runs past the end of the file");
                }
                if (!(file[p + 4] == 'c' && file[p + 5] == 'a' && file[p + 6] == 'B' && file[p + 7] == 'X')) {
                    out.write(file, p, (int) (12 + len));
                }
                p += (int) (12 + len);
            }
            out.write(file, p, file.length - p);
        } else if (file.length >= 12 && file[0] == 'R' && file[8] == 'W' && file[9] == 'E' && file[10] == 'B') {
            out.write(file, 0, 12);
            int p = 12;
            while (p + 8 <= file.length) {
                long len = (file[p + 4] & 0xFFL) | (file[p + 5] & 0xFFL) << 8 | (file[p + 6] & 0xFFL) << 16
                        | (file[p + 7] & 0xFFL) << 24;
                long next = p + 8L + len + (len & 1);
                if (next > file.length) {
                    throw AigcmarkException.corrupt("the WebP chunk at byte " + p + " runs past the end of the file");
                }
                if (!(file[p] == 'C' && file[p + 1] == '2' && file[p + 2] == 'P' && file[p + 3] == 'A')) {
                    out.write(file, p, (int) (next - p));
                }
                p = (int) next;
            }
            out.write(file, p, file.length - p);
            byte[] b = out.toByteArray();
            java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, b.length - 8);
            return b.length == file.length ? file : b;
        } else {
            // JPEG: the header segments up to the scan, without the JUMBF APP11 ones
            if (file.length < 4 || (file[0] & 0xFF) != 0xFF || (file[1] & 0xFF) != 0xD8) {
                throw AigcmarkException.corrupt("not a JPEG (no start-of-image marker)");
            }
            out.write(file, 0, 2);
            int p = 2;
            while (p + 4 <= file.length && (file[p] & 0xFF) == 0xFF) {
                int marker = file[p + 1] & 0xFF;
                if (marker == 0xDA || marker == 0xD9 || marker == 0xFF || (marker >= 0xD0 && marker <= 0xD8) || marker == 0x01) {
                    break; // the scan (or a marker without a length): the store is before it
                }
                int len = (file[p + 2] & 0xFF) << 8 | (file[p + 3] & 0xFF);
                if (len < 2 || p + 2 + len > file.length) {
                    throw AigcmarkException.corrupt("the JPEG segment at byte " + p + " runs past the end of the file");
                }
                if (!(marker == 0xEB && len > 4 && file[p + 4] == 'J' && file[p + 5] == 'P')) {
                    out.write(file, p, 2 + len);
                }
                p += 2 + len;
            }
            out.write(file, p, file.length - p);
        }
        return out.size() == file.length ? file : out.toByteArray();
    }

    private static List<BmffHash.Top> topLevelOrFail(byte[] mp4) {
        List<BmffHash.Top> top = BmffHash.topLevel(mp4);
        if (top == null) {
            throw AigcmarkException.corrupt("the MP4's top-level boxes do not parse");
        }
        return top;
    }

    private static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    /** Inserts the store, framed by {@code frame}, at {@code at}; the hard binding excludes exactly the frames. */
    private static Signed embed(byte[] input, int at, C2paManifestBuilder builder, C2paSigning signing,
                                java.util.function.Function<byte[], List<byte[]>> frame) {
        // The output minus the excluded frames is exactly the input.
        return embed(length -> input, at, builder, signing, frame);
    }

    /**
     * Inserts the store, framed by {@code frame}, at {@code at} of {@code baseFor(framesLength)}: the output minus the
     * frames, which may depend on their length (a container size field); the hard binding excludes exactly the frames.
     */
    private static Signed embed(java.util.function.LongFunction<byte[]> baseFor, int at, C2paManifestBuilder builder,
                                C2paSigning signing, java.util.function.Function<byte[], List<byte[]>> frame) {
        // The exclusion length is inside the store it measures; its CBOR integer only grows with the value, so
        // this settles in a round or two.
        long length = 0;
        for (int round = 0; round < MAX_SIZE_ROUNDS; round++) {
            byte[] input = baseFor.apply(length);
            byte[] store = builder.build(sha256(input), at, length, signing);
            List<byte[]> segments = frame.apply(store);
            long actual = segments.stream().mapToLong(s -> s.length).sum();
            if (actual == length) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + (int) actual);
                out.write(input, 0, at);
                segments.forEach(out::writeBytes);
                out.write(input, at, input.length - at);
                return new Signed(out.toByteArray(), builder.manifestLabel());
            }
            length = actual;
        }
        throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the C2PA manifest size did not settle");
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The end of the RIFF form (where the C2PA chunk goes), after checking that the chunks walk to it, that the file is
     * an extended WebP and that no {@code C2PA} chunk is there yet.
     */
    static int webpEnd(byte[] b) {
        if (b.length < 20) {
            throw AigcmarkException.corrupt("not a WebP (too short for a RIFF header and a chunk)");
        }
        long declared = (b[4] & 0xFFL) | (b[5] & 0xFFL) << 8 | (b[6] & 0xFFL) << 16 | (b[7] & 0xFFL) << 24;
        if (declared + 8 != b.length) {
            throw AigcmarkException.corrupt("the WebP's RIFF size (" + declared + ") does not match the file length ("
                    + b.length + "); a C2PA chunk appended to it would be lost or misread");
        }
        if (!(b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'X')) {
            throw AigcmarkException.invalid("only an extended WebP (VP8X first) may carry extra chunks such as C2PA;"
                    + " write the XMP record first, which makes it one");
        }
        int p = 12;
        while (p < b.length) {
            if (p + 8 > b.length) {
                throw AigcmarkException.corrupt("a WebP chunk header at byte " + p + " runs past the end of the file");
            }
            long len = (b[p + 4] & 0xFFL) | (b[p + 5] & 0xFFL) << 8 | (b[p + 6] & 0xFFL) << 16 | (b[p + 7] & 0xFFL) << 24;
            if (b[p] == 'C' && b[p + 1] == '2' && b[p + 2] == 'P' && b[p + 3] == 'A') {
                throw AigcmarkException.invalid("the WebP already carries a C2PA manifest store (C2PA chunk); adding an"
                        + " update manifest to it is not implemented yet, and replacing it would drop its provenance");
            }
            long next = p + 8L + len + (len & 1);
            if (next > b.length) {
                throw AigcmarkException.corrupt("the WebP chunk at byte " + p + " runs past the end of the file");
            }
            p = (int) next;
        }
        return p;
    }

    /** After SOI and the APPn segments that follow it; refuses a JPEG that already has a JUMBF APP11 segment. */
    static int insertionPoint(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            throw AigcmarkException.corrupt("not a JPEG (no start-of-image marker)");
        }
        int p = 2;
        while (p + 4 <= b.length && (b[p] & 0xFF) == 0xFF) {
            int marker = b[p + 1] & 0xFF;
            if (marker < 0xE0 || marker > 0xEF) {
                return p;
            }
            int len = (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            if (len < 2 || p + 2 + len > b.length) {
                throw AigcmarkException.corrupt("APP segment at byte " + p + " runs past the end of the file");
            }
            if (marker == 0xEB && len > 4 && b[p + 4] == 'J' && b[p + 5] == 'P') {
                throw AigcmarkException.invalid("the JPEG already carries a C2PA/JUMBF manifest store; adding an update"
                        + " manifest to it is not implemented yet, and replacing it would drop its provenance");
            }
            p += 2 + len;
        }
        return p;
    }

    /** Before the first IDAT; refuses a PNG that already has a caBX chunk. Chunk lengths are checked, CRCs not. */
    static int pngInsertionPoint(byte[] b) {
        int p = 8;
        while (p + 12 <= b.length) {
            long len = ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            String type = new String(b, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (type.equals("IDAT")) {
                return p;
            }
            if (type.equals("caBX")) {
                throw AigcmarkException.invalid("the PNG already carries a C2PA manifest store (caBX); adding an update"
                        + " manifest to it is not implemented yet, and replacing it would drop its provenance");
            }
            if (p + 12 + len > b.length) {
                break;
            }
            p += (int) (12 + len);
        }
        throw AigcmarkException.corrupt("the PNG has no image data chunk (IDAT) where a C2PA store could precede it");
    }

    /** The store as APP11 segments (marker, length, JPEG XT header, box bytes), packets numbered from 1. */
    static List<byte[]> app11Segments(byte[] store) {
        List<byte[]> out = new java.util.ArrayList<>();
        int pos = 0;
        int sequence = 1;
        while (pos < store.length || sequence == 1) {
            int header = sequence == 1 ? FIRST_HEADER : LATER_HEADER;
            int chunk = Math.min(store.length - pos, MAX_PAYLOAD - header);
            int payload = header + chunk;
            ByteArrayOutputStream s = new ByteArrayOutputStream(payload + 4);
            s.write(0xFF);
            s.write(0xEB);
            s.write((payload + 2) >>> 8);
            s.write(payload + 2);
            s.write('J');
            s.write('P');
            s.write(0);
            s.write(1); // box instance number
            s.write(sequence >>> 24);
            s.write(sequence >>> 16);
            s.write(sequence >>> 8);
            s.write(sequence);
            if (sequence > 1) {
                s.write(store, 0, 8); // LBox and TBox of the superbox, repeated in every later packet
            }
            s.write(store, pos, chunk);
            out.add(s.toByteArray());
            pos += chunk;
            sequence++;
        }
        return out;
    }
}
