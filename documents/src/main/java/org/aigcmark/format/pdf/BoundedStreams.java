package org.aigcmark.format.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.aigcmark.AigcmarkException;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;

/**
 * PDFBox decodes a stream into memory in one go, with no cap, so a FlateDecode stream of a few MB can ask for GBs
 * (a decompression bomb). Everything PDFBox would decode for us is measured here first with a streaming, capped
 * inflate: the cross-reference and object streams the parser unpacks (found in the raw bytes, before PDFBox
 * runs), the XMP packet (decoded here, never by PDFBox), and the streams a page's text extraction touches.
 */
final class BoundedStreams {
    /** Cap for one cross-reference or object stream (real ones are a few MB at most). */
    static final long MAX_STRUCTURE_STREAM = 64L << 20;
    /** Cap for all of them together. */
    static final long MAX_STRUCTURE_TOTAL = 256L << 20;
    /** Cap for one stream that page text extraction decodes (content, form, font). */
    static final long MAX_PAGE_STREAM = 16L << 20;

    private BoundedStreams() {}

    /**
     * Scans the raw file for {@code /Type /XRef} and {@code /Type /ObjStm} streams compressed with FlateDecode and
     * inflates each with a cap; throws LIMIT_EXCEEDED for one that inflates past it.
     */
    static void checkStructureStreams(byte[] b) {
        long total = 0;
        int from = 0;
        int previous = 0;
        while (true) {
            int s = indexOf(b, "stream", from);
            if (s < 0) {
                return;
            }
            from = s + 6;
            if (s >= 3 && b[s - 3] == 'e' && b[s - 2] == 'n' && b[s - 1] == 'd') {
                continue; // "endstream"
            }
            int data = s + 6;
            if (data < b.length && b[data] == '\r') {
                data++;
            }
            if (data < b.length && b[data] == '\n') {
                data++;
            } else {
                continue; // the keyword must end its line
            }
            // Look back at most to the previous keyword, so hostile "stream" repeats cost linear time in all.
            int dictFrom = Math.max(previous, s - 4096);
            previous = s + 6;
            int obj = lastIndexOf(b, " obj", dictFrom, s);
            String dict = new String(b, obj < 0 ? dictFrom : obj, s - (obj < 0 ? dictFrom : obj), StandardCharsets.ISO_8859_1);
            String compact = dict.replaceAll("\\s+", "");
            // PDFBox unpacks any stream an xref entry names as an object stream, /Type or not: /First marks one.
            boolean structure = compact.contains("/Type/XRef") || compact.contains("/Type/ObjStm") || compact.contains("/First");
            java.util.List<String> filters = filters(compact);
            if (!structure || filters.isEmpty()) {
                continue;
            }
            if (!filters.stream().allMatch(f -> f.equals("FlateDecode") || f.equals("Fl")) || filters.size() > 1) {
                // Only one Flate layer is measured here; a chain (Flate over RunLength: 49 KB -> 3 GB) is not.
                throw AigcmarkException.limit("a PDF cross-reference or object stream at byte " + s + " is encoded with "
                        + String.join(" + ", filters) + ", which is not decoded within a bound (only one FlateDecode layer is measured), over the limit");
            }
            long n = inflatedSize(b, data, MAX_STRUCTURE_STREAM);
            if (n > MAX_STRUCTURE_STREAM) {
                throw AigcmarkException.limit("a PDF " + (compact.contains("/XRef") ? "cross-reference" : "object")
                        + " stream at byte " + s + " inflates past " + MAX_STRUCTURE_STREAM + " bytes, over the limit (a decompression bomb?)");
            }
            total += n;
            if (total > MAX_STRUCTURE_TOTAL) {
                throw AigcmarkException.limit("the PDF's cross-reference and object streams inflate past "
                        + MAX_STRUCTURE_TOTAL + " bytes in all, over the limit");
            }
        }
    }

    /** The filter names of a whitespace-free stream dictionary's {@code /Filter} entry (a name or an array of names). */
    static java.util.List<String> filters(String compact) {
        int at = compact.indexOf("/Filter");
        if (at < 0) {
            return java.util.List.of();
        }
        int p = at + "/Filter".length();
        boolean array = p < compact.length() && compact.charAt(p) == '[';
        int end = array ? compact.indexOf(']', p) : p + 1;
        if (end < 0) {
            end = compact.length();
        }
        if (!array) {
            while (end < compact.length() && "/[]<>()%".indexOf(compact.charAt(end)) < 0) {
                end++;
            }
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String part : compact.substring(array ? p + 1 : p, end).split("/")) {
            if (!part.isEmpty()) {
                names.add(part);
            }
        }
        return names;
    }

    /**
     * The stream's decoded bytes when it has no filter or only FlateDecode without a predictor and decodes to at
     * most {@code cap} bytes; null otherwise (other filters are not decoded here).
     */
    static byte[] decode(COSStream s, int cap) throws IOException {
        Boolean flate = flateOnly(s);
        if (flate == null) {
            return null;
        }
        try (InputStream raw = s.createRawInputStream()) {
            if (!flate) {
                byte[] d = raw.readNBytes(cap + 1);
                return d.length > cap ? null : d;
            }
            Inflater inf = new Inflater();
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(cap, 1 << 16));
                byte[] in = new byte[8192];
                byte[] buf = new byte[8192];
                while (!inf.finished()) {
                    if (inf.needsInput()) {
                        int r = raw.read(in);
                        if (r <= 0) {
                            break;
                        }
                        inf.setInput(in, 0, r);
                    }
                    int k = inf.inflate(buf);
                    if (k == 0 && inf.needsDictionary()) {
                        return null;
                    }
                    out.write(buf, 0, k);
                    if (out.size() > cap) {
                        return null;
                    }
                }
                return out.toByteArray();
            } catch (DataFormatException e) {
                return null;
            } finally {
                inf.end();
            }
        }
    }

    /**
     * Whether every stream page text extraction would decode (the page's contents, and fonts and form XObjects of
     * its resources, recursively; images are not decoded by text extraction) is FlateDecode or unfiltered and
     * decodes within {@link #MAX_PAGE_STREAM}.
     */
    static boolean pageIsSafeToExtract(COSDictionary page) throws IOException {
        return safe(page, new IdentityHashMap<>(), 0);
    }

    private static boolean safe(COSBase o, Map<COSBase, Boolean> seen, int depth) throws IOException {
        if (depth > 64) {
            return false;
        }
        if (o instanceof COSObject ref) {
            o = ref.getObject();
        }
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return true;
        }
        if (o instanceof COSStream s) {
            if (COSName.IMAGE.equals(s.getCOSName(COSName.SUBTYPE))) {
                return true; // not decoded for text
            }
            Boolean flate = flateOnly(s);
            if (flate == null) {
                return false;
            }
            if (flate && decode(s, (int) MAX_PAGE_STREAM) == null) {
                return false;
            }
        }
        if (o instanceof COSArray a) {
            for (int i = 0; i < a.size(); i++) {
                if (!safe(a.get(i), seen, depth + 1)) {
                    return false;
                }
            }
        } else if (o instanceof COSDictionary d) {
            for (COSName k : d.keySet()) {
                if (k.equals(COSName.PARENT) || k.equals(COSName.ANNOTS) || k.equals(COSName.getPDFName("B"))) {
                    continue; // up the page tree, annotations and article beads are not read for text
                }
                if (!safe(d.getItem(k), seen, depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** TRUE: only FlateDecode; FALSE: no filter; null: any other filter chain. */
    private static Boolean flateOnly(COSStream s) {
        COSBase f = s.getDictionaryObject(COSName.FILTER);
        if (f == null) {
            return Boolean.FALSE;
        }
        if (COSName.FLATE_DECODE.equals(f)) {
            return Boolean.TRUE;
        }
        if (f instanceof COSArray a && a.size() == 1 && COSName.FLATE_DECODE.equals(a.getObject(0))) {
            return Boolean.TRUE;
        }
        if (f instanceof COSArray a && a.size() == 0) {
            return Boolean.FALSE;
        }
        return null;
    }

    /** Inflated size of the zlib data at {@code off}, counting up to just past {@code cap}. */
    static long inflatedSize(byte[] b, int off, long cap) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(b, off, b.length - off);
            byte[] buf = new byte[64 * 1024];
            long n = 0;
            while (!inf.finished() && n <= cap) {
                int k = inf.inflate(buf);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            return n;
        } catch (DataFormatException e) {
            return 0; // not valid zlib: PDFBox will fail on it too, without a bomb
        } finally {
            inf.end();
        }
    }

    private static int indexOf(byte[] b, String s, int from) {
        byte[] p = s.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= b.length - p.length; i++) {
            for (int k = 0; k < p.length; k++) {
                if (b[i + k] != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, String s, int from, int to) {
        byte[] p = s.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = to - p.length; i >= from; i--) {
            for (int k = 0; k < p.length; k++) {
                if (b[i + k] != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
