package org.aigcmark.format.docs;

import java.nio.charset.StandardCharsets;
import org.aigcmark.format.MediaType;

/** Changes a document's content (not its label) the way an editor would, per format. */
final class Tamper {
    private Tamper() {}

    static byte[] changeContent(byte[] doc) {
        MediaType t = MediaType.sniff(doc);
        return switch (t) {
            case MARKDOWN, TEXT -> {
                String s = new String(doc, StandardCharsets.UTF_8);
                yield (s + "\nOne more sentence.\n").getBytes(StandardCharsets.UTF_8);
            }
            case ZIP, DOCX, XLSX, PPTX -> appendToMainPart(doc);
            case PDF -> appendToFirstPageContent(doc);
            default -> throw new IllegalArgumentException("no tamper for " + t);
        };
    }

    /** An incremental update (as an annotating tool would make) that adds a drawing operator to page 1. */
    static byte[] appendToFirstPageContent(byte[] pdf) {
        try (org.apache.pdfbox.pdmodel.PDDocument d = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            org.apache.pdfbox.pdmodel.PDPage page = d.getPage(0);
            try (var cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(d, page,
                    org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode.APPEND, false)) {
                cs.addRect(10, 10, 5, 5);
                cs.fill();
            }
            page.getCOSObject().setNeedToBeUpdated(true);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            d.saveIncremental(out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Re-zips the package with a newline appended to its first content part (still well-formed XML). */
    static byte[] appendToMainPart(byte[] zip) {
        boolean[] changed = {false};
        byte[] out = rezip(zip, (name, data) -> {
            if (!changed[0] && java.util.List.of("word/document.xml", "xl/worksheets/sheet1.xml", "ppt/slides/slide1.xml").contains(name)) {
                changed[0] = true;
                byte[] longer = java.util.Arrays.copyOf(data, data.length + 1);
                longer[data.length] = '\n';
                return longer;
            }
            return data;
        });
        if (!changed[0]) {
            throw new IllegalArgumentException("no main part to change");
        }
        return out;
    }

    /**
     * Re-zips the package with one part's text replaced (every other part as it was): e.g. the package
     * relationship's officeDocument target pointed at another part, so a reader opens that one instead.
     */
    static byte[] replaceInPart(byte[] zip, String part, String from, String to) {
        boolean[] changed = {false};
        byte[] out = rezip(zip, (name, data) -> {
            if (!name.equals(part)) {
                return data;
            }
            String text = new String(data, StandardCharsets.UTF_8);
            changed[0] = text.contains(from);
            return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        });
        if (!changed[0]) {
            throw new IllegalArgumentException(part + " does not hold " + from);
        }
        return out;
    }

    /** Every entry of {@code zip}, in order, written again as {@code edit} returns its bytes. */
    private static byte[] rezip(byte[] zip, java.util.function.BiFunction<String, byte[], byte[]> edit) {
        try {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip));
                 java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(b)) {
                for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    byte[] data = edit.apply(e.getName(), in.readAllBytes());
                    out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    out.write(data);
                    out.closeEntry();
                }
            }
            return b.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
