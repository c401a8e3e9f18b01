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
 * excluded whole (length, type, data, CRC). WebP and BMFF are not written yet.
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
        int at = pngInsertionPoint(png);
        return embed(png, at, label, signing, store -> {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            byte[] type = {'c', 'a', 'B', 'X'};
            crc.update(type);
            crc.update(store);
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(store.length + 12);
            chunk.putInt(store.length).put(type).put(store).putInt((int) crc.getValue());
            return List.of(chunk.array());
        });
    }

    /** A copy of {@code file} (JPEG or PNG, by magic bytes) with a signed manifest store; see the format methods. */
    public static Signed sign(byte[] file, AigcLabel label, C2paSigning signing) {
        if (file.length > 8 && (file[0] & 0xFF) == 0x89 && file[1] == 'P' && file[2] == 'N' && file[3] == 'G') {
            return signPng(file, label, signing);
        }
        return signJpeg(file, label, signing);
    }

    /**
     * A copy of {@code jpeg} with a signed manifest store for {@code label}. The input must not carry a C2PA store
     * already (adding an update manifest to an existing one is not implemented; replacing it would drop provenance).
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} when the JPEG already has a C2PA store,
     *     {@code CORRUPT_INPUT} when its header segments cannot be walked
     */
    public static Signed signJpeg(byte[] jpeg, AigcLabel label, C2paSigning signing) {
        return embed(jpeg, insertionPoint(jpeg), label, signing, C2paSigner::app11Segments);
    }

    /** Inserts the store, framed by {@code frame}, at {@code at}; the hard binding excludes exactly the frames. */
    private static Signed embed(byte[] input, int at, AigcLabel label, C2paSigning signing,
                                java.util.function.Function<byte[], List<byte[]>> frame) {
        byte[] assetHash;
        try {
            // The output minus the excluded frames is exactly the input.
            assetHash = MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        C2paManifestBuilder builder = C2paManifestBuilder.forLabel(label);
        // The exclusion length is inside the store it measures; its CBOR integer only grows with the value, so
        // this settles in a round or two.
        long length = 0;
        for (int round = 0; round < MAX_SIZE_ROUNDS; round++) {
            byte[] store = builder.build(assetHash, at, length, signing);
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
