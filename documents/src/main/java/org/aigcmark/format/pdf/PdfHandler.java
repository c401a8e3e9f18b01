package org.aigcmark.format.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDMetadata;

/**
 * PDF: the record is the document information dictionary entry {@code /AIGC}, a text string holding the bare
 * Annex E object (TC260-PG-20258A). Apache PDFBox parses the file; writing is an incremental update
 * ({@link PDDocument#saveIncremental}): the original bytes are kept as a prefix of the output and only the Info
 * dictionary (and the trailer, and the XMP stream when it carried a TC260 record, which is removed there: one
 * record per file) is appended. Nothing is re-rendered.
 *
 * <p>Reading also looks at the catalog's XMP metadata stream for a {@code TC260:AIGC} property.
 */
public final class PdfHandler implements FormatHandler, FormatHandler.MetadataWriter {
    static final String KEY = "AIGC";
    /** Deeper object nesting than this is refused (real PDFs nest a few dozen levels). */
    static final int MAX_DEPTH = 512;

    /**
     * PDFBox logs every repair it makes on a damaged file (WARNING, and stack traces at SEVERE) through
     * java.util.logging when no other logging framework is bound; our scan reports damage as data, so that logger
     * is turned off unless the host configured it itself or sets {@code -Daigcmark.pdfboxLogging}. Held strongly:
     * JUL keeps loggers weakly.
     */
    private static final java.util.logging.Logger PDFBOX_LOG = java.util.logging.Logger.getLogger("org.apache.pdfbox");

    static {
        if (System.getProperty("aigcmark.pdfboxLogging") == null && PDFBOX_LOG.getLevel() == null) {
            PDFBOX_LOG.setLevel(java.util.logging.Level.OFF);
        }
    }

    @Override
    public MediaType type() {
        return MediaType.PDF;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.PDF);
        if (!endsWithEof(b)) {
            scan.damage().add("no %%EOF marker in the last 1024 bytes (a truncated PDF?)");
            return scan;
        }
        String xref = xrefProblem(b);
        if (xref != null) {
            scan.damage().add(xref);
        }
        try (PDDocument doc = load(b)) {
            if (doc.isEncrypted()) {
                scan.addHint(ContainerScan.HintKind.CONTAINER, "pdf", "encrypted PDF");
            }
            if (doc.getNumberOfPages() > 0) {
                var box = doc.getPage(0).getMediaBox();
                scan.dimensions(Math.round(box.getWidth()), Math.round(box.getHeight()));
            }
            COSDictionary info = infoOf(doc);
            if (info != null) {
                for (COSName k : info.keySet()) {
                    if (!k.getName().toUpperCase(Locale.ROOT).contains(KEY)) {
                        continue;
                    }
                    COSBase v = info.getDictionaryObject(k);
                    String text = v instanceof COSString s ? s.getString() : null;
                    if (text != null && LabelParser.parse(text).isPresent()) {
                        scan.addSlot("pdf-info:" + k.getName(), text);
                    } else {
                        scan.notes().add("Info entry /" + k.getName() + " is not a readable AIGC record");
                    }
                }
                String producer = info.getString(COSName.PRODUCER);
                String creator = info.getString(COSName.CREATOR);
                if (creator != null && !creator.isBlank()) {
                    scan.addHint(ContainerScan.HintKind.GENERATOR, "pdf-info:Creator", creator);
                }
                if (producer != null && !producer.isBlank()) {
                    scan.addHint(ContainerScan.HintKind.GENERATOR, "pdf-info:Producer", producer);
                }
            }
            String xmp = xmpOf(doc, limits);
            if (xmp != null) {
                scan.xmpPackets().add(xmp);
                Xmp.scan(xmp, "xmp", scan);
            }
        } catch (AigcmarkException e) {
            scan.damage().add(e.getMessage());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            scan.damage().add("PDF parse error: " + e.getMessage());
        }
        return scan;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        String json = label.toBareJson();
        String xref = xrefProblem(b);
        if (xref != null) {
            // PDFBox would read it by reconstruction, but an update chained to a broken xref stays broken.
            throw AigcmarkException.corrupt("cannot update this PDF incrementally: " + xref);
        }
        try (PDDocument doc = load(b)) {
            refuseEncrypted(doc);
            COSDictionary trailer = doc.getDocument().getTrailer();
            COSBase infoRef = trailer.getItem(COSName.INFO);
            COSDictionary info = infoOf(doc);
            if (info == null) {
                PDDocumentInformation fresh = new PDDocumentInformation();
                doc.setDocumentInformation(fresh);
                info = fresh.getCOSObject();
            }
            for (COSName k : new ArrayList<>(info.keySet())) {
                String name = k.getName();
                if (name.equals(KEY) || !name.toUpperCase(Locale.ROOT).contains(KEY)) {
                    continue;
                }
                COSBase v = info.getDictionaryObject(k);
                if (v instanceof COSString s && LabelParser.parse(s.getString()).isPresent()) {
                    info.removeItem(k); // a second record under another AIGC-ish key: one record per file
                }
            }
            info.setString(COSName.getPDFName(KEY), json);
            info.setNeedToBeUpdated(true);
            if (!(infoRef instanceof COSObject)) {
                trailer.setNeedToBeUpdated(true); // a new or direct Info dictionary hangs off the trailer
            }
            PDMetadata meta = doc.getDocumentCatalog().getMetadata();
            String xmp = xmpOf(doc, limits);
            if (meta != null && xmp != null && Xmp.hasLabel(xmp)) {
                // One record per file (§6.1 c): the Info entry is the PDF slot, so a TC260 copy in XMP goes.
                byte[] packet = withoutLabel(xmp).getBytes(StandardCharsets.UTF_8);
                COSStream s = meta.getCOSObject();
                try (var out = s.createOutputStream()) {
                    out.write(packet);
                }
                s.setNeedToBeUpdated(true);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 4096);
            doc.saveIncremental(out);
            return requireUpdateReadsBack(out.toByteArray(), json, limits);
        } catch (IOException | RuntimeException e) {
            throw e instanceof AigcmarkException a ? a : AigcmarkException.corrupt("cannot update the PDF: " + e);
        }
    }

    /**
     * PDFBox reads many damaged files by repairing them in memory (rebuilding the cross-references), but an
     * incremental update chains to the file's own, broken structure, so its output may not read back (fuzzing:
     * mutated PDFs ended in an internal error). Such input is refused as damaged (exit 3), before anything is written.
     */
    private byte[] requireUpdateReadsBack(byte[] written, String json, Limits limits) {
        ContainerScan check = scan(written, limits);
        if (check.damaged() || check.slots().size() != 1 || !json.equals(check.slots().get(0).text())) {
            throw AigcmarkException.corrupt("cannot relabel this damaged PDF: it reads only by repair, and an incremental"
                    + " update to it does not read back" + (check.damaged() ? " (" + check.damage().get(0) + ")" : ""));
        }
        return written;
    }

    /**
     * Digest: the document's object graph reached from the catalog ({@code /Root}), with the catalog's
     * {@code /Metadata} left out, in a canonical serialisation (dictionary keys sorted, indirect references
     * replaced by their first-visit number, streams as their stored, still-encoded bytes). The Info dictionary
     * hangs off the trailer, not the catalog, so the label never enters; object numbers, xref layout and
     * incremental updates do not matter, so an incremental label write keeps the digest while any change to a
     * page, font, image or annotation breaks it.
     */
    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        try (PDDocument doc = load(b)) {
            refuseEncrypted(doc);
            COSDictionary catalog = doc.getDocumentCatalog().getCOSObject();
            new Canonical(digest).write(catalog, 0, true);
        } catch (IOException e) {
            throw AigcmarkException.corrupt("cannot read the PDF: " + e.getMessage());
        }
    }

    /** Writes COS objects in a fixed byte form into a digest. */
    private static final class Canonical {
        private final MessageDigest d;
        private final Map<COSBase, Integer> seen = new IdentityHashMap<>();

        Canonical(MessageDigest d) {
            this.d = d;
        }

        void write(COSBase o, int depth, boolean isCatalog) throws IOException {
            if (depth > MAX_DEPTH) {
                throw AigcmarkException.limit("PDF objects nest deeper than " + MAX_DEPTH + " levels, over the limit");
            }
            if (o instanceof COSObject ref) {
                COSBase target = ref.getObject();
                if (target == null) {
                    tag("null");
                    return;
                }
                Integer n = seen.get(target);
                if (n != null) {
                    tag("R" + n);
                    return;
                }
                seen.put(target, seen.size());
                tag("O");
                write(target, depth + 1, false);
                return;
            }
            if (o == null || o instanceof COSNull) {
                tag("null");
            } else if (o instanceof COSBoolean bool) {
                tag(bool.getValue() ? "true" : "false");
            } else if (o instanceof COSInteger i) {
                tag("i" + i.longValue());
            } else if (o instanceof COSFloat f) {
                tag("f" + f.floatValue());
            } else if (o instanceof COSName n) {
                bytes('/', n.getName().getBytes(StandardCharsets.UTF_8));
            } else if (o instanceof COSString s) {
                bytes('(', s.getBytes());
            } else if (o instanceof COSArray a) {
                tag("[" + a.size());
                for (int i = 0; i < a.size(); i++) {
                    write(a.get(i), depth + 1, false);
                }
            } else if (o instanceof COSDictionary dict) {
                List<COSName> keys = new ArrayList<>(dict.keySet());
                keys.sort((x, y) -> x.getName().compareTo(y.getName()));
                tag("<<" + keys.size());
                for (COSName k : keys) {
                    if (isCatalog && k.equals(COSName.METADATA)) {
                        continue;
                    }
                    if (o instanceof COSStream && k.equals(COSName.LENGTH)) {
                        continue; // the stored bytes below say it; a direct or indirect /Length is layout
                    }
                    bytes('/', k.getName().getBytes(StandardCharsets.UTF_8));
                    write(dict.getItem(k), depth + 1, false);
                }
                if (o instanceof COSStream s) {
                    tag("stream");
                    long n = 0;
                    byte[] buf = new byte[64 * 1024];
                    try (InputStream in = s.createRawInputStream()) {
                        for (int r; (r = in.read(buf)) > 0; ) {
                            d.update(buf, 0, r);
                            n += r;
                        }
                    }
                    tag("endstream" + n);
                }
            } else {
                tag("?" + o.getClass().getSimpleName());
            }
        }

        private void tag(String s) {
            d.update(s.getBytes(StandardCharsets.US_ASCII));
            d.update((byte) 0);
        }

        private void bytes(char kind, byte[] b) {
            tag(kind + Integer.toString(b.length));
            d.update(b);
        }
    }

    /** The text of the first and the last page (an explicit label sits at a document's start or end). */
    @Override
    public Optional<TextContent> text() {
        return Optional.of(PdfHandler::pageText);
    }

    private static Text pageText(byte[] b, Limits limits) {
        try (PDDocument doc = load(b)) {
            int pages = doc.getNumberOfPages();
            if (doc.isEncrypted() || pages == 0) {
                return Text.NONE;
            }
            if (!BoundedStreams.pageIsSafeToExtract(doc.getPage(0).getCOSObject())
                    || !BoundedStreams.pageIsSafeToExtract(doc.getPage(pages - 1).getCOSObject())) {
                return new Text(List.of(), List.of("page text not searched for explicit labels: a stream it needs is over "
                        + BoundedStreams.MAX_PAGE_STREAM + " bytes decoded or uses a filter we do not bound"));
            }
            org.apache.pdfbox.text.PDFTextStripper stripper = new org.apache.pdfbox.text.PDFTextStripper();
            List<Passage> passages = new ArrayList<>();
            stripper.setStartPage(1);
            stripper.setEndPage(1);
            passages.add(Passage.whole("pdf-text:page-1", stripper.getText(doc)));
            if (pages > 1) {
                stripper.setStartPage(pages);
                stripper.setEndPage(pages);
                passages.add(Passage.whole("pdf-text:page-" + pages, stripper.getText(doc)));
            }
            return new Text(passages, List.of());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return Text.NONE; // text serves the report's hints; the record does not depend on it
        }
    }

    // ---------------------------------------------------------------- helpers

    private static PDDocument load(byte[] b) throws IOException {
        if (!endsWithEof(b)) {
            throw AigcmarkException.corrupt("no %%EOF marker in the last 1024 bytes (a truncated PDF?)");
        }
        BoundedStreams.checkStructureStreams(b); // before PDFBox unpacks them without a cap
        try {
            return Loader.loadPDF(b);
        } catch (org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException e) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                    "the PDF is encrypted with a user password; it cannot be read without it");
        }
    }

    private static String withoutLabel(String xmp) {
        try {
            return Xmp.withoutLabel(xmp);
        } catch (AigcmarkException e) {
            throw AigcmarkException.corrupt("the PDF's XMP metadata holds an AIGC record but is not well-formed XML: " + e.getMessage());
        }
    }

    private static void refuseEncrypted(PDDocument doc) {
        if (doc.isEncrypted()) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                    "the PDF is encrypted; labelling it would need the owner's password to re-encrypt the Info dictionary");
        }
    }

    private static COSDictionary infoOf(PDDocument doc) {
        COSBase info = doc.getDocument().getTrailer().getDictionaryObject(COSName.INFO);
        return info instanceof COSDictionary d ? d : null;
    }

    /** The catalog's XMP packet as text, bounded by {@link Xmp#MAX_PACKET}; null when absent or unreadable. */
    private static String xmpOf(PDDocument doc, Limits limits) throws IOException {
        PDMetadata meta = doc.getDocumentCatalog().getMetadata();
        if (meta == null) {
            return null;
        }
        // Decoded here with a cap, not by PDFBox (which would inflate a bomb into memory whole).
        byte[] data = BoundedStreams.decode(meta.getCOSObject(), Xmp.MAX_PACKET);
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    /**
     * Why the last cross-reference section cannot be trusted, or null when {@code startxref} points at a
     * {@code xref} table or an {@code N G obj} cross-reference stream as it should.
     */
    static String xrefProblem(byte[] b) {
        String tail = new String(b, Math.max(0, b.length - 1024), Math.min(1024, b.length), StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("startxref\\s+(\\d{1,12})\\s+%%EOF").matcher(tail);
        long off = -1;
        while (m.find()) {
            off = Long.parseLong(m.group(1));
        }
        if (off < 0) {
            return "no startxref before the final %%EOF";
        }
        if (off >= b.length) {
            return "startxref points past the end of the file (" + off + " >= " + b.length + ")";
        }
        String at = new String(b, (int) off, (int) Math.min(64, b.length - off), StandardCharsets.ISO_8859_1);
        if (at.startsWith("xref") || at.matches("(?s)\\s*\\d+\\s+\\d+\\s+obj\\b.*")) {
            return null;
        }
        return "startxref " + off + " does not point at a cross-reference section (damaged or edited without updating offsets)";
    }

    /** PDF readers look for %%EOF near the end; a file without one was cut short. */
    static boolean endsWithEof(byte[] b) {
        int from = Math.max(0, b.length - 1024);
        byte[] eof = "%%EOF".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = b.length - eof.length; i >= from; i--) {
            for (int k = 0; k < eof.length; k++) {
                if (b[i + k] != eof[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
