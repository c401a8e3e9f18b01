package org.aigcmark.format;

import java.nio.charset.StandardCharsets;

/**
 * Tells ZIP-based formats apart by their own markers, without inflating anything: EPUB and OpenDocument by the
 * uncompressed {@code mimetype} first entry (OCF 3.0 §4.3, ODF 1.2 part 3 §3.3), OOXML by {@code [Content_Types].xml}
 * plus the main part's folder ({@code word/}, {@code xl/}, {@code ppt/}) in the central directory. Bounded: at most
 * 64 KiB searched for the end record and 65,535 directory entries read, every offset checked.
 */
public final class ZipKinds {
    private ZipKinds() {}

    static MediaType sniff(byte[] b) {
        String mimetype = firstEntryMimetype(b);
        if (mimetype != null) {
            if (mimetype.equals("application/epub+zip")) {
                return MediaType.EPUB;
            }
            if (mimetype.startsWith("application/vnd.oasis.opendocument.")) {
                return MediaType.ODF;
            }
        }
        int eocd = endOfCentralDirectory(b);
        if (eocd < 0) {
            return MediaType.ZIP;
        }
        int entries = u16(b, eocd + 10);
        long offset = u32(b, eocd + 16);
        boolean contentTypes = false;
        boolean word = false;
        boolean xl = false;
        boolean ppt = false;
        long p = offset;
        for (int i = 0; i < entries && p + 46 <= b.length; i++) {
            int q = (int) p;
            if (u32(b, q) != 0x02014B50L) {
                break;
            }
            int nameLength = u16(b, q + 28);
            int next = q + 46 + nameLength + u16(b, q + 30) + u16(b, q + 32);
            if (q + 46 + nameLength > b.length) {
                break;
            }
            String name = new String(b, q + 46, nameLength, StandardCharsets.UTF_8);
            contentTypes |= name.equals("[Content_Types].xml");
            word |= name.startsWith("word/");
            xl |= name.startsWith("xl/");
            ppt |= name.startsWith("ppt/");
            p = next;
        }
        if (!contentTypes) {
            return MediaType.ZIP;
        }
        // One main folder decides; a package with several (or none) is left to the OOXML handler's reading.
        int kinds = (word ? 1 : 0) + (xl ? 1 : 0) + (ppt ? 1 : 0);
        if (kinds != 1) {
            return MediaType.ZIP;
        }
        return word ? MediaType.DOCX : xl ? MediaType.XLSX : MediaType.PPTX;
    }

    /** The text of a stored {@code mimetype} first entry (at most 100 bytes), or null. */
    private static String firstEntryMimetype(byte[] b) {
        if (b.length < 38 || u16(b, 8) != 0 || u16(b, 26) != 8
                || !new String(b, 30, 8, StandardCharsets.ISO_8859_1).equals("mimetype")) {
            return null;
        }
        long size = u32(b, 18);
        int start = 38 + u16(b, 28);
        if (size <= 0 || size > 100 || start + size > b.length) {
            return null;
        }
        return new String(b, start, (int) size, StandardCharsets.US_ASCII).strip();
    }

    /**
     * Where the end-of-central-directory record starts, searched backwards as far as a ZIP comment can reach
     * (65,535 bytes), or -1 when there is none. The OOXML handler reads its archives from the same record.
     */
    public static int endOfCentralDirectory(byte[] b) {
        int stop = Math.max(0, b.length - 22 - 0xFFFF);
        for (int i = b.length - 22; i >= stop; i--) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 5 && b[i + 3] == 6) {
                return i;
            }
        }
        return -1;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
