package org.aigcmark.format.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PdfHandlerTest {
    static final Labeler LABELER = Labeler.create();
    static final AigcLabel LABEL = AigcLabel.produced("001191110102MACQD9K64010000", "pdf-1");
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "pdf-1");

    @ParameterizedTest
    @ValueSource(strings = {"docs/ghostscript.pdf", "docs/qpdf-object-streams.pdf", "docs/qpdf-linearized-no-info.pdf"})
    void theWriteIsAnIncrementalUpdateThatExiftoolAndQpdfAccept(String fixture) throws Exception {
        byte[] in = Fixtures.bytes(fixture);
        byte[] out = LABELER.label(in, fixture, REQ).bytes();
        assertArrayEquals(in, Arrays.copyOf(out, in.length), "the original bytes are a prefix of the output");
        assertTrue(out.length - in.length < 4096, "only an update section is appended: " + (out.length - in.length));
        Path f = TestSupport.temp(Path.of(fixture).getFileName().toString(), out);
        JsonNode n = new ObjectMapper().readTree(TestSupport.run("exiftool", "-j", "-G1", "-a", "-PDF:all", "-Warning", "-Error", f.toString())).get(0);
        assertEquals(LABEL.toBareJson(), n.path("PDF:AIGC").asText(), n.toString());
        assertFalse(n.has("ExifTool:Warning") || n.has("ExifTool:Error"), n.toString());
        String check = TestSupport.run("qpdf", "--check", f.toString());
        assertTrue(check.contains("No syntax or stream encoding errors found"), check);
    }

    @Test
    void relabellingAppendsAnotherUpdateAndLeavesOneRecord() {
        byte[] once = LABELER.label(Fixtures.bytes("docs/ghostscript.pdf"), "a.pdf", REQ).bytes();
        byte[] twice = LABELER.label(once, "a.pdf", LabelRequest.produced("001191110102MACQD9K64010000", "pdf-2")).bytes();
        assertArrayEquals(once, Arrays.copyOf(twice, once.length));
        InspectReport r = LABELER.inspect(twice, "a.pdf", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("pdf-2", r.labels().get(0).label().produceId());
        assertEquals("pdf-info:AIGC", r.labels().get(0).source());
    }

    @Test
    void truncatedAndGarbagePdfsAreTypedErrors() {
        byte[] in = Fixtures.bytes("docs/ghostscript.pdf");
        byte[] cut = Arrays.copyOf(in, in.length / 2);
        InspectReport r = LABELER.inspect(cut, "cut.pdf", List.of());
        assertTrue(r.damaged() && r.problems().get(0).contains("truncated PDF"), r.problems().toString());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(cut, "cut.pdf", REQ));
        assertEquals(Reason.CORRUPT_INPUT, e.reason());
        byte[] garbage = new byte[8192];
        new java.util.Random(3).nextBytes(garbage);
        byte[] head = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, garbage, 0, head.length);
        System.arraycopy(tail, 0, garbage, garbage.length - tail.length, tail.length);
        InspectReport g = LABELER.inspect(garbage, "garbage.pdf", List.of());
        assertTrue(g.damaged(), g.toString());
        AigcmarkException ge = assertThrows(AigcmarkException.class, () -> LABELER.label(garbage, "garbage.pdf", REQ));
        assertEquals(Reason.CORRUPT_INPUT, ge.reason());
    }

    @Test
    void aPreExistingRecordUnderAnotherAigcKeyIsReplaced() throws Exception {
        // Written by qpdf's JSON-free route: a labelled file from us, then the key renamed by hand-editing the update.
        byte[] once = LABELER.label(Fixtures.bytes("docs/ghostscript.pdf"), "a.pdf", REQ).bytes();
        String s = new String(once, StandardCharsets.ISO_8859_1);
        int at = s.lastIndexOf("/AIGC");
        byte[] renamed = (s.substring(0, at) + "/aigc" + s.substring(at + 5)).getBytes(StandardCharsets.ISO_8859_1);
        InspectReport before = LABELER.inspect(renamed, "r.pdf", List.of());
        assertEquals("pdf-info:aigc", before.labels().get(0).source());
        byte[] out = LABELER.label(renamed, "r.pdf", LabelRequest.produced("001191110102MACQD9K64010000", "pdf-3")).bytes();
        InspectReport r = LABELER.inspect(out, "r.pdf", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("pdf-3", r.labels().get(0).label().produceId());
    }

    @Test
    void theSignatureSurvivesAQpdfRewriteButNotAContentEdit() throws Exception {
        org.aigcmark.label.LabelKeys.SigningKey key = org.aigcmark.label.LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        java.security.PublicKey pub = org.aigcmark.label.LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"));
        byte[] out = LABELER.label(Fixtures.bytes("docs/ghostscript.pdf"), "a.pdf", REQ.withSigningKey(key)).bytes();
        Path signed = TestSupport.temp("signed.pdf", out);
        Path rewritten = signed.resolveSibling("rewritten.pdf");
        TestSupport.run("qpdf", "--object-streams=generate", signed.toString(), rewritten.toString());
        byte[] re = java.nio.file.Files.readAllBytes(rewritten);
        assertFalse(Arrays.equals(out, Arrays.copyOf(re, out.length)), "qpdf rewrote the whole file");
        InspectReport r = LABELER.inspect(re, "rewritten.pdf", List.of(pub));
        assertEquals(org.aigcmark.label.LabelSignatures.Status.VALID, r.labels().get(0).signature(), r.toString());
        // Same file rewritten with one character of page text changed: invalid.
        Path qdf = signed.resolveSibling("q.pdf");
        TestSupport.run("qpdf", "--qdf", "--object-streams=disable", "--stream-data=preserve", "--normalize-content=n",
                signed.toString(), qdf.toString());
        String text = new String(java.nio.file.Files.readAllBytes(qdf), StandardCharsets.ISO_8859_1);
        // Same length, so the QDF cross-reference offsets stay right: page 1 becomes one point taller.
        byte[] edited = text.replaceFirst("(?s)(/MediaBox \\[\\s+0\\s+0\\s+595\\s+)842", "$1843").getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(edited != null && !Arrays.equals(edited, java.nio.file.Files.readAllBytes(qdf)), "the page box was found and edited");
        assertEquals(org.aigcmark.label.LabelSignatures.Status.VALID,
                LABELER.inspect(java.nio.file.Files.readAllBytes(qdf), "q.pdf", List.of(pub)).labels().get(0).signature(),
                "QDF with stream data preserved keeps the content");
        assertEquals(org.aigcmark.label.LabelSignatures.Status.INVALID,
                LABELER.inspect(edited, "edited.pdf", List.of(pub)).labels().get(0).signature());
    }

    @Test
    void aBrokenStartxrefIsReadLenientlyButNotUpdated() {
        byte[] labelled = LABELER.label(Fixtures.bytes("docs/ghostscript.pdf"), "a.pdf", REQ).bytes();
        String s = new String(labelled, StandardCharsets.ISO_8859_1);
        int at = s.lastIndexOf("startxref") + "startxref".length();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s+(\\d+)").matcher(s).region(at, s.length());
        assertTrue(m.find());
        String wrong = String.valueOf(Long.parseLong(m.group(1)) - 7).concat(" ".repeat(m.group(1).length()))
                .substring(0, m.group(1).length()); // same width, so no other offset moves
        byte[] broken = (s.substring(0, m.start(1)) + wrong + s.substring(m.end(1))).getBytes(StandardCharsets.ISO_8859_1);
        InspectReport r = LABELER.inspect(broken, "broken.pdf", List.of());
        assertTrue(r.damaged() && r.problems().get(0).contains("does not point at a cross-reference section"), r.problems().toString());
        assertEquals(LABEL, r.labels().get(0).label(), "PDFBox still recovers the record");
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(broken, "broken.pdf", REQ));
        assertEquals(Reason.CORRUPT_INPUT, e.reason());
    }

    @Test
    void aTc260RecordInTheXmpStreamIsRemovedSoTheInfoRecordIsTheOnlyOne() throws Exception {
        // A PDF whose catalog XMP carries an older TC260:AIGC record (as an image-minded tool might write).
        AigcLabel old = AigcLabel.produced("001191110102MACQD9K64010000", "old-xmp");
        byte[] withXmp;
        try (org.apache.pdfbox.pdmodel.PDDocument d = org.apache.pdfbox.Loader.loadPDF(Fixtures.bytes("docs/ghostscript.pdf"))) {
            org.apache.pdfbox.pdmodel.common.PDMetadata meta = new org.apache.pdfbox.pdmodel.common.PDMetadata(d);
            meta.importXMPMetadata(org.aigcmark.format.xmp.Xmp.withLabel(null, old.toBareJson()).getBytes(StandardCharsets.UTF_8));
            d.getDocumentCatalog().setMetadata(meta);
            d.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
            d.saveIncremental(o);
            withXmp = o.toByteArray();
        }
        InspectReport before = LABELER.inspect(withXmp, "x.pdf", List.of());
        assertEquals(List.of("xmp"), before.labels().stream().map(InspectReport.FoundLabel::source).toList(), before.toString());
        byte[] out = LABELER.label(withXmp, "x.pdf", REQ).bytes();
        InspectReport r = LABELER.inspect(out, "x.pdf", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("pdf-info:AIGC", r.labels().get(0).source());
        assertEquals(LABEL, r.labels().get(0).label());
        assertEquals(List.of(), r.problems());
        assertArrayEquals(withXmp, Arrays.copyOf(out, withXmp.length), "still an incremental update");
        // The rest of the XMP packet survives (the IPTC DigitalSourceType written next to the old record).
        assertTrue(r.hints().stream().anyMatch(h -> h.kind().id().equals("iptc-digital-source-type")), r.hints().toString());
    }

    /** A minimal PDF whose object 4 is the given stream (dictionary entries and raw data). */
    static byte[] pdfWithStream(String dictEntries, byte[] data, boolean asMetadata) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        List<String> objs = List.of(
                "<< /Type /Catalog /Pages 2 0 R" + (asMetadata ? " /Metadata 4 0 R" : "") + " >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>");
        int[] offsets = new int[4];
        out.writeBytes("%PDF-1.5\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) {
            offsets[i] = out.size();
            out.writeBytes(((i + 1) + " 0 obj\n" + objs.get(i) + "\nendobj\n").getBytes(StandardCharsets.US_ASCII));
        }
        offsets[3] = out.size();
        out.writeBytes(("4 0 obj\n<< " + dictEntries + " /Length " + data.length + " >>\nstream\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\nendstream\nendobj\n".getBytes(StandardCharsets.US_ASCII));
        int xref = out.size();
        StringBuilder x = new StringBuilder("xref\n0 5\n0000000000 65535 f \n");
        for (int o : offsets) {
            x.append(String.format("%010d 00000 n \n", o));
        }
        x.append("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        out.writeBytes(x.toString().getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static byte[] deflatedZeros(int n) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(9);
        d.setInput(new byte[n]);
        d.finish();
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            o.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return o.toByteArray();
    }

    @Test
    void anObjectStreamBombIsRefusedBeforePdfboxUnpacksIt() {
        byte[] bomb = pdfWithStream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", deflatedZeros(100 << 20), false);
        InspectReport r = LABELER.inspect(bomb, "objstm-bomb.pdf", List.of());
        assertTrue(r.damaged() && r.problems().get(0).contains("object stream at byte")
                && r.problems().get(0).contains("a decompression bomb?"), r.problems().toString());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(bomb, "objstm-bomb.pdf", REQ));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
    }

    /** Fuzzing: PDFBox unpacks an object stream that has no {@code /Type} just the same (28-82 s, OutOfMemoryError). */
    @Test
    void anUntypedObjectStreamBombIsRefused() {
        byte[] bomb = pdfWithStream("/N 1 /First 4 /Filter /Fl", deflatedZeros(100 << 20), false);
        InspectReport r = LABELER.inspect(bomb, "untyped-objstm.pdf", List.of());
        assertTrue(r.damaged() && r.problems().get(0).contains("a decompression bomb?"), r.problems().toString());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(bomb, "untyped-objstm.pdf", REQ));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
    }

    /** Fuzzing: Flate over RunLength packs ~3 GB into 49 KB; only the Flate layer was measured. */
    @Test
    void aFilterChainOnAnObjectStreamIsRefused() {
        byte[] runs = new byte[4096];
        for (int i = 0; i < runs.length; i += 2) {
            runs[i] = (byte) 129; // RunLengthDecode: repeat the next byte 128 times
        }
        byte[] bomb = pdfWithStream("/Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /RunLengthDecode]",
                deflated(runs), false);
        InspectReport r = LABELER.inspect(bomb, "chain-objstm.pdf", List.of());
        assertTrue(r.damaged() && r.problems().get(0).contains("RunLengthDecode"), r.problems().toString());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(bomb, "chain-objstm.pdf", REQ));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
    }

    static byte[] deflated(byte[] data) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(9);
        d.setInput(data);
        d.finish();
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            o.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return o.toByteArray();
    }

    @Test
    void anXmpBombIsNeverInflatedAndTheFileStillLabels() {
        byte[] bomb = pdfWithStream("/Type /Metadata /Subtype /XML /Filter /FlateDecode", deflatedZeros(100 << 20), true);
        InspectReport r = LABELER.inspect(bomb, "xmp-bomb.pdf", List.of());
        assertFalse(r.damaged(), r.problems().toString());
        byte[] out = LABELER.label(bomb, "xmp-bomb.pdf", REQ).bytes();
        assertArrayEquals(bomb, Arrays.copyOf(out, bomb.length));
        assertEquals(LABEL, LABELER.inspect(out, "xmp-bomb.pdf", List.of()).labels().get(0).label());
    }

    @Test
    void manyStreamKeywordsAreScannedAndReported() {
        // 8 MiB of "stream" lines: the structure-stream pre-scan looks back only to the previous keyword (linear
        // time; measured in docs/DOCUMENTS.md), and the file is damage, not a crash.
        byte[] filler = "stream\n".repeat((8 << 20) / 7).getBytes(StandardCharsets.US_ASCII);
        byte[] b = TestSupport.concat("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), filler,
                "\nstartxref\n9\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        InspectReport r = LABELER.inspect(b, "streams.pdf", List.of());
        assertTrue(r.damaged(), r.problems().toString());
    }
}
