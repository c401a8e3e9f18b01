package org.aigcmark.format.ooxml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.PresentationDigest;
import org.aigcmark.format.MediaType;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Office Open XML (DOCX, XLSX, PPTX): the record is the custom document property named {@code AIGC} in
 * {@code docProps/custom.xml}, holding the bare Annex E object as {@code vt:lpwstr} (TC260-PG-20258A). The part is
 * registered in {@code _rels/.rels} and {@code [Content_Types].xml} when we create it.
 *
 * <p>Writing copies every other ZIP entry raw (its compressed bytes, CRC and name unchanged) and edits only the
 * three package parts involved, by splicing text so that their other properties, relationships and overrides stay
 * byte-identical. Input is hostile: entry count, central-directory size, per-part and total inflated size and the
 * compression ratio are capped ({@link #MAX_ENTRIES} and friends), and caps are checked while inflating, so a size
 * the archive lies about cannot get past them.
 */
public final class OoxmlHandler implements FormatHandler, FormatHandler.MetadataWriter {
    public static final int MAX_ENTRIES = 10_000;
    /** Largest single part we inflate (a big worksheet is tens of MiB). */
    public static final long MAX_PART_BYTES = 256L << 20;
    /** Largest total we inflate for a digest. */
    public static final long MAX_TOTAL_BYTES = 1L << 30;
    /**
     * Inflated:compressed ratio refused for parts past {@link #RATIO_FLOOR_BYTES} (Apache POI's default too); a
     * genuine, unusually repetitive file can be let through with {@code -Daigcmark.zipMaxRatio}.
     */
    public static final int MAX_RATIO = Integer.getInteger("aigcmark.zipMaxRatio", 100);
    public static final long RATIO_FLOOR_BYTES = 1L << 20;

    static final String CONTENT_TYPES = "[Content_Types].xml";
    static final String PACKAGE_RELS = "_rels/.rels";
    static final String DEFAULT_CUSTOM = "docProps/custom.xml";
    static final String CUSTOM_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
    static final String STRICT_CUSTOM_REL_TYPE = "http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties";
    static final String CUSTOM_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml";
    static final String OFFICE_DOCUMENT_REL = "relationships/officeDocument";

    @Override
    public MediaType type() {
        return MediaType.ZIP;
    }

    @Override
    public boolean handles(MediaType type) {
        return type == MediaType.ZIP || type == MediaType.DOCX || type == MediaType.XLSX || type == MediaType.PPTX;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.sniff(b));
        try (Package pkg = Package.open(b, limits)) {
            scan.damage().addAll(pkg.bombs());
            if (scan.damaged()) {
                return scan;
            }
            if (!pkg.isOoxml()) {
                scan.addHint(ContainerScan.HintKind.CONTAINER, "zip", "a ZIP archive without [Content_Types].xml: not an OOXML document");
                return scan;
            }
            scan.addHint(ContainerScan.HintKind.CONTAINER, "ooxml", pkg.kind());
            // The part names usually tell the kind at sniffing; the officeDocument relationship always does.
            for (MediaType t : List.of(MediaType.DOCX, MediaType.XLSX, MediaType.PPTX)) {
                if (t.id().equals(pkg.kind())) {
                    scan.refineType(t);
                }
            }
            String customName = pkg.customPartName();
            ZipArchiveEntry custom = pkg.zip.getEntry(customName);
            if (custom == null) {
                return scan;
            }
            String xml = pkg.readText(custom);
            for (CustomProperties.Property p : CustomProperties.parse(xml).properties()) {
                if (!p.name().toUpperCase(Locale.ROOT).contains("AIGC")) {
                    continue;
                }
                if (LabelParser.parse(p.value()).isPresent()) {
                    scan.addSlot("ooxml-custom:" + p.name(), p.value());
                } else {
                    scan.notes().add("custom property '" + p.name() + "' is not a readable AIGC record");
                }
            }
        } catch (AigcmarkException e) {
            scan.damage().add(e.getMessage());
        }
        return scan;
    }

    /** A DOCX's main document text (XLSX and PPTX text is not searched). */
    @Override
    public Optional<TextContent> text() {
        return Optional.of(OoxmlHandler::documentText);
    }

    /** Best effort: a package or part over the inflate limit, or not well-formed, gives no text. */
    private static Text documentText(byte[] b, Limits limits) {
        try (Package pkg = Package.open(b, limits)) {
            ZipArchiveEntry main = !pkg.bombs().isEmpty() || !pkg.isOoxml() || !pkg.kind().equals("docx")
                    || pkg.mainPartName() == null ? null : pkg.zip.getEntry(pkg.mainPartName());
            if (main == null) {
                return Text.NONE;
            }
            String xml = pkg.readText(main);
            return Text.of(Passage.whole("docx-text", SafeXml.unescape(SafeXml.stripTags(xml))));
        } catch (AigcmarkException e) {
            return Text.NONE;
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        try (Package pkg = Package.open(b, limits)) {
            if (!pkg.bombs().isEmpty()) {
                throw AigcmarkException.limit("cannot relabel this ZIP: " + pkg.bombs().get(0));
            }
            if (!pkg.isOoxml()) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                        "ZIP archive is not supported for labelling: it has no [Content_Types].xml, so it is not an OOXML"
                        + " document (DOCX/XLSX/PPTX), the only ZIP-based files that carry a label");
            }
            String customName = pkg.customPartName();
            ZipArchiveEntry customEntry = pkg.zip.getEntry(customName);
            String oldCustom = customEntry == null ? null : pkg.readText(customEntry);
            byte[] newCustom = CustomProperties.withLabel(oldCustom, label.toBareJson()).getBytes(StandardCharsets.UTF_8);

            ZipArchiveEntry relsEntry = pkg.zip.getEntry(PACKAGE_RELS);
            String rels = relsEntry == null ? null : pkg.readText(relsEntry);
            String newRels = PackageParts.withCustomRelationship(rels, customName);
            ZipArchiveEntry typesEntry = pkg.zip.getEntry(CONTENT_TYPES);
            String types = pkg.readText(typesEntry);
            String newTypes = PackageParts.withCustomOverride(types, "/" + customName, CUSTOM_CONTENT_TYPE);

            ByteArrayOutputStream bytes = new ByteArrayOutputStream(b.length + 2048);
            try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
                Set<String> written = new HashSet<>();
                for (ZipArchiveEntry e : Collections.list(pkg.zip.getEntriesInPhysicalOrder())) {
                    String name = e.getName();
                    if (!written.add(name)) {
                        throw AigcmarkException.corrupt("the ZIP holds two entries named " + name);
                    }
                    if (name.equals(customName)) {
                        addDeflated(out, name, newCustom, e.getTime());
                    } else if (name.equals(PACKAGE_RELS) && !newRels.equals(rels)) {
                        addDeflated(out, name, newRels.getBytes(StandardCharsets.UTF_8), e.getTime());
                    } else if (name.equals(CONTENT_TYPES) && !newTypes.equals(types)) {
                        addDeflated(out, name, newTypes.getBytes(StandardCharsets.UTF_8), e.getTime());
                    } else {
                        try (InputStream raw = pkg.zip.getRawInputStream(e)) {
                            out.addRawArchiveEntry(e, raw);
                        }
                    }
                }
                long time = typesEntry.getTime();
                if (relsEntry == null) {
                    addDeflated(out, PACKAGE_RELS, newRels.getBytes(StandardCharsets.UTF_8), time);
                }
                if (customEntry == null) {
                    addDeflated(out, customName, newCustom, time);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw AigcmarkException.corrupt("cannot rewrite the ZIP: " + e.getMessage());
        }
    }

    /** Adds a part deflated by us, sizes and CRC known up front (no data descriptor). */
    private static void addDeflated(ZipArchiveOutputStream out, String name, byte[] data, long time) throws IOException {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] packed;
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream o = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(buf);
                o.write(buf, 0, n);
            }
            packed = o.toByteArray();
        } finally {
            d.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setMethod(ZipArchiveEntry.DEFLATED);
        e.setSize(data.length);
        e.setCompressedSize(packed.length);
        e.setCrc(crc.getValue());
        e.setTime(time > 0 ? time : 315532800000L);
        out.addRawArchiveEntry(e, new ByteArrayInputStream(packed));
    }

    /**
     * Digest: every part except the custom-properties part, {@code [Content_Types].xml} and {@code _rels/.rels} (the
     * three a label write may change), sorted by name; for each, its UTF-8 name, a 0 byte, its inflated bytes and
     * its inflated length as 8 big-endian bytes. Raw compressed bytes are not used, so re-zipping the same parts
     * with another compressor keeps the digest.
     */
    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        try (Package pkg = Package.open(b, limits)) {
            if (!pkg.bombs().isEmpty()) {
                throw AigcmarkException.limit("cannot hash this ZIP: " + pkg.bombs().get(0));
            }
            if (!pkg.isOoxml()) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "not an OOXML document");
            }
            Set<String> skip = new HashSet<>(List.of(CONTENT_TYPES, PACKAGE_RELS, DEFAULT_CUSTOM, pkg.customPartName()));
            List<ZipArchiveEntry> parts = new ArrayList<>();
            for (ZipArchiveEntry e : Collections.list(pkg.zip.getEntries())) {
                if (!e.isDirectory() && !skip.contains(e.getName())) {
                    parts.add(e);
                }
            }
            parts.sort((x, y) -> x.getName().compareTo(y.getName()));
            long[] total = {0};
            byte[] buf = new byte[64 * 1024];
            for (ZipArchiveEntry e : parts) {
                digest.update(e.getName().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                long n = 0;
                try (InputStream in = pkg.inflating(e, total)) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        digest.update(buf, 0, r);
                        n += r;
                    }
                }
                for (int s = 56; s >= 0; s -= 8) {
                    digest.update((byte) (n >>> s));
                }
            }
        } catch (IOException e) {
            throw AigcmarkException.corrupt("cannot read the ZIP: " + e.getMessage());
        }
    }

    /**
     * The package's part graph, which decides which part is the document a reader opens: the package
     * relationships (type, target and target mode, sorted; the custom-properties one left out) and the content
     * types (sorted; the custom part's Override left out), the two parts {@link #digestContent} skips because a
     * label write adds exactly those entries.
     */
    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        try (Package pkg = Package.open(b, limits)) {
            if (!pkg.bombs().isEmpty() || !pkg.isOoxml()) {
                return; // digestContent has refused such a file already
            }
            ZipArchiveEntry relsEntry = pkg.zip.getEntry(PACKAGE_RELS);
            List<String> rels = new ArrayList<>();
            if (relsEntry != null) {
                for (PackageParts.Relationship r : PackageParts.relationships(pkg.readText(relsEntry))) {
                    if (!r.type().equals(CUSTOM_REL_TYPE) && !r.type().equals(STRICT_CUSTOM_REL_TYPE)) {
                        String target = r.target().startsWith("/") ? r.target().substring(1) : r.target();
                        rels.add(r.type() + "\t" + target + "\t" + r.targetMode());
                    }
                }
            }
            Collections.sort(rels);
            PresentationDigest.add(digest, "ooxml.package-relationships", String.join("\n", rels));
            List<String> types = PackageParts.contentTypeLines(pkg.readText(pkg.zip.getEntry(CONTENT_TYPES)),
                    "/" + pkg.customPartName());
            PresentationDigest.add(digest, "ooxml.content-types", String.join("\n", types));
        }
    }

    // ---------------------------------------------------------------- the package

    /** An opened ZIP with the OOXML package parts we need, and the caps applied. */
    static final class Package implements AutoCloseable {
        final ZipFile zip;
        final byte[] bytes;
        final Limits limits;
        private final List<String> bombs = new ArrayList<>();
        private String customPartName;
        private String kind = "ooxml";
        private String mainPartName;
        private final boolean ooxml;

        private Package(ZipFile zip, byte[] bytes, Limits limits) {
            this.zip = zip;
            this.bytes = bytes;
            this.limits = limits;
            this.ooxml = zip.getEntry(CONTENT_TYPES) != null;
        }

        static Package open(byte[] b, Limits limits) {
            int declaredEntries = endRecordEntryCount(b);
            if (declaredEntries > MAX_ENTRIES && declaredEntries != 0xFFFF) {
                throw AigcmarkException.limit("the ZIP end record declares " + declaredEntries
                        + " entries, more than " + MAX_ENTRIES + " entries, over the limit");
            }
            long cd = centralDirectorySize(b);
            if (cd > (long) MAX_ENTRIES * 1024) {
                throw AigcmarkException.limit("the ZIP central directory declares " + cd + " bytes, over the limit of "
                        + ((long) MAX_ENTRIES * 1024));
            }
            ZipFile zip;
            try {
                zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(b)).get();
            } catch (IOException | RuntimeException e) {
                throw AigcmarkException.corrupt("truncated or damaged ZIP: " + e.getMessage());
            }
            Package p = new Package(zip, b, limits);
            try {
                p.checkEntries();
                if (p.ooxml && p.bombs.isEmpty()) {
                    p.readRelationships();
                }
            } catch (RuntimeException e) {
                p.close();
                throw e;
            }
            return p;
        }

        /** The total entry count from the end record (0xFFFF means ZIP64: see there), or -1 without an end record. */
        private static int endRecordEntryCount(byte[] b) {
            int at = endRecord(b);
            return at < 0 ? -1 : (b[at + 10] & 0xFF) | (b[at + 11] & 0xFF) << 8;
        }

        private static int endRecord(byte[] b) {
            return org.aigcmark.format.ZipKinds.endOfCentralDirectory(b);
        }

        /** The central directory size from the end record, or -1 when no end record is found. */
        private static long centralDirectorySize(byte[] b) {
            int i = endRecord(b);
            return i < 0 ? -1 : (b[i + 12] & 0xFFL) | (b[i + 13] & 0xFFL) << 8 | (b[i + 14] & 0xFFL) << 16 | (b[i + 15] & 0xFFL) << 24;
        }

        private void checkEntries() {
            int count = 0;
            long declared = 0;
            for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                if (++count > MAX_ENTRIES) {
                    bombs.add("the ZIP holds more than " + MAX_ENTRIES + " entries, over the limit");
                    return;
                }
                long size = e.getSize();
                long packed = e.getCompressedSize();
                if (packed < 0 || e.getDataOffset() < 0 || e.getDataOffset() + packed > bytes.length) {
                    bombs.add("entry " + e.getName() + " runs past the end of the file (truncated ZIP)");
                    continue;
                }
                if (size > MAX_PART_BYTES) {
                    bombs.add("entry " + e.getName() + " declares " + size + " inflated bytes, over the limit of " + MAX_PART_BYTES);
                } else if (size > RATIO_FLOOR_BYTES && size > packed * MAX_RATIO) {
                    bombs.add("entry " + e.getName() + " declares " + size + " bytes inflated from " + packed
                            + " (ratio over the limit of " + MAX_RATIO + ":1; a zip bomb?)");
                }
                declared += Math.max(0, size);
            }
            if (declared > MAX_TOTAL_BYTES) {
                bombs.add("the ZIP declares " + declared + " inflated bytes in all, over the limit of " + MAX_TOTAL_BYTES);
            }
        }

        private void readRelationships() {
            ZipArchiveEntry rels = zip.getEntry(PACKAGE_RELS);
            String target = null;
            if (rels != null) {
                List<PackageParts.Relationship> all = PackageParts.relationships(readText(rels));
                for (PackageParts.Relationship r : all) {
                    if ((r.type().equals(CUSTOM_REL_TYPE) || r.type().equals(STRICT_CUSTOM_REL_TYPE)) && target == null) {
                        target = r.target();
                    }
                    if (r.type().endsWith(OFFICE_DOCUMENT_REL)) {
                        String t = r.target().startsWith("/") ? r.target().substring(1) : r.target();
                        mainPartName = t;
                        kind = t.startsWith("word/") ? "docx" : t.startsWith("xl/") ? "xlsx" : t.startsWith("ppt/") ? "pptx" : "ooxml";
                    }
                }
            }
            if (target != null) {
                String t = target.startsWith("/") ? target.substring(1) : target;
                if (t.isEmpty() || t.contains("..") || t.contains("://")) {
                    throw AigcmarkException.corrupt("the custom-properties relationship points outside the package: " + target);
                }
                customPartName = t;
            } else {
                customPartName = DEFAULT_CUSTOM;
            }
        }

        boolean isOoxml() {
            return ooxml;
        }

        List<String> bombs() {
            return bombs;
        }

        String kind() {
            return kind;
        }

        /** The officeDocument relationship's target (word/document.xml, ...), or null. */
        String mainPartName() {
            return mainPartName;
        }

        String customPartName() {
            return customPartName;
        }

        /** A small XML part as text (UTF-8, BOM dropped), inflated under {@link Limits#maxInflatedBytes()}. */
        String readText(ZipArchiveEntry e) {
            try (InputStream in = inflating(e, new long[] {0})) {
                byte[] data = in.readNBytes(limits.maxInflatedBytes() + 1);
                if (data.length > limits.maxInflatedBytes()) {
                    throw AigcmarkException.limit(e.getName() + " inflates past " + limits.maxInflatedBytes() + " bytes, over the limit");
                }
                int off = data.length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB && (data[2] & 0xFF) == 0xBF ? 3 : 0;
                if (data.length >= 2 && ((data[0] & 0xFF) == 0xFE || (data[0] & 0xFF) == 0xFF)) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.getName() + " is UTF-16; only UTF-8 package parts are edited");
                }
                return new String(data, off, data.length - off, StandardCharsets.UTF_8);
            } catch (IOException ex) {
                throw AigcmarkException.corrupt("cannot inflate " + e.getName() + ": " + ex.getMessage());
            }
        }

        /** The inflated stream of one entry, counting against the per-part, total and ratio caps as it goes. */
        InputStream inflating(ZipArchiveEntry e, long[] total) throws IOException {
            if (!zip.canReadEntryData(e)) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                        "entry " + e.getName() + " uses a compression method or encryption we do not read");
            }
            InputStream in = zip.getInputStream(e);
            long packed = Math.max(1, e.getCompressedSize());
            return new java.io.FilterInputStream(in) {
                long n;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int r = super.read(buf, off, len);
                    if (r > 0) {
                        n += r;
                        total[0] += r;
                        if (n > MAX_PART_BYTES) {
                            throw AigcmarkException.limit("entry " + e.getName() + " inflates past " + MAX_PART_BYTES + " bytes, over the limit");
                        }
                        if (n > RATIO_FLOOR_BYTES && n > packed * MAX_RATIO) {
                            throw AigcmarkException.limit("entry " + e.getName() + " inflates more than " + MAX_RATIO
                                    + " times its " + packed + " compressed bytes, over the limit (a zip bomb?)");
                        }
                        if (total[0] > MAX_TOTAL_BYTES) {
                            throw AigcmarkException.limit("the ZIP inflates past " + MAX_TOTAL_BYTES + " bytes in all, over the limit");
                        }
                    }
                    return r;
                }
            };
        }

        @Override
        public void close() {
            try {
                zip.close();
            } catch (IOException e) {
                // in-memory channel: nothing to release
            }
        }
    }
}
