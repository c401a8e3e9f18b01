package org.aigcmark.format.ooxml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.testdata.Fixtures;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OoxmlHandlerTest {
    static final Labeler LABELER = Labeler.create();
    static final AigcLabel LABEL = AigcLabel.produced("001191110102MACQD9K64010000", "office-1");
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "office-1");
    static final String FIXTURES = "docs/python-docx.docx,docs/openpyxl.xlsx,docs/pandoc.pptx,docs/pandoc-custom-props.docx";

    /** Every entry's inflated bytes, read by java.util.zip (not the library the handler uses). */
    static Map<String, byte[]> parts(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                assertEquals(null, m.put(e.getName(), in.readAllBytes()), "duplicate entry " + e.getName());
            }
        }
        return m;
    }

    static Map<String, byte[]> rawParts(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipFile z = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zip)).get()) {
            for (ZipArchiveEntry e : java.util.Collections.list(z.getEntriesInPhysicalOrder())) {
                try (var in = z.getRawInputStream(e)) {
                    m.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/python-docx.docx", "docs/openpyxl.xlsx", "docs/pandoc.pptx", "docs/pandoc-custom-props.docx"})
    void everyOtherPartIsCopiedRawAndTheRecordIsRegistered(String fixture) throws Exception {
        byte[] in = Fixtures.bytes(fixture);
        byte[] out = LABELER.label(in, fixture, REQ).bytes();
        Map<String, byte[]> before = parts(in);
        Map<String, byte[]> after = parts(out);
        Map<String, byte[]> rawBefore = rawParts(in);
        Map<String, byte[]> rawAfter = rawParts(out);
        List<String> edited = List.of("docProps/custom.xml", "[Content_Types].xml", "_rels/.rels");
        for (String name : before.keySet()) {
            if (!edited.contains(name)) {
                assertArrayEquals(before.get(name), after.get(name), name + " inflated bytes");
                assertArrayEquals(rawBefore.get(name), rawAfter.get(name), name + " compressed bytes");
            }
        }
        assertEquals(new java.util.ArrayList<>(rawBefore.keySet()),
                rawAfter.keySet().stream().filter(rawBefore::containsKey).toList(), "entry order kept");
        String custom = new String(after.get("docProps/custom.xml"), StandardCharsets.UTF_8);
        assertTrue(custom.contains("<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"")
                && custom.contains("name=\"AIGC\"><vt:lpwstr>" + LABEL.toBareJson() + "</vt:lpwstr></property>"), custom);
        String types = new String(after.get("[Content_Types].xml"), StandardCharsets.UTF_8);
        assertTrue(types.contains("PartName=\"/docProps/custom.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\""), types);
        String rels = new String(after.get("_rels/.rels"), StandardCharsets.UTF_8);
        assertTrue(rels.contains("Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\"")
                && rels.contains("Target=\"docProps/custom.xml\"") || rels.contains("Target=\"/docProps/custom.xml\""), rels);
        assertEquals(1, custom.split("name=\"AIGC\"", -1).length - 1);
    }

    @Test
    void existingCustomPropertiesStayByteIdentical() throws Exception {
        byte[] in = Fixtures.bytes("docs/pandoc-custom-props.docx");
        String before = new String(parts(in).get("docProps/custom.xml"), StandardCharsets.UTF_8);
        byte[] once = LABELER.label(in, "x.docx", REQ).bytes();
        byte[] twice = LABELER.label(once, "x.docx", LabelRequest.produced("001191110102MACQD9K64010000", "office-2")).bytes();
        String after = new String(parts(twice).get("docProps/custom.xml"), StandardCharsets.UTF_8);
        String props = before.substring(before.indexOf("<property"), before.lastIndexOf("</Properties>"));
        assertTrue(after.startsWith(before.substring(0, before.lastIndexOf("</Properties>"))), after);
        assertTrue(after.contains(props));
        assertTrue(after.contains("pid=\"4\" name=\"AIGC\""), "next free pid after 2 and 3: " + after);
        assertEquals(1, after.split("name=\"AIGC\"", -1).length - 1, after);
        // The package parts are registered once, not once per write.
        String rels = new String(parts(twice).get("_rels/.rels"), StandardCharsets.UTF_8);
        assertEquals(1, rels.split("custom-properties", -1).length - 1, rels);
    }

    @Test
    void pythonZipfileReadsTheRecordIndependently() throws Exception {
        byte[] out = LABELER.label(Fixtures.bytes("docs/python-docx.docx"), "x.docx", REQ).bytes();
        Path f = TestSupport.temp("labelled.docx", out);
        String script = "import sys,zipfile,json,xml.etree.ElementTree as ET\n"
                + "z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None\n"
                + "ns={'c':'http://schemas.openxmlformats.org/officeDocument/2006/custom-properties','vt':'http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes'}\n"
                + "r=ET.fromstring(z.read('docProps/custom.xml'))\n"
                + "p=[e for e in r.findall('c:property',ns) if e.get('name')=='AIGC']\n"
                + "print(len(p)); print(json.dumps(json.loads(p[0].find('vt:lpwstr',ns).text)))\n";
        String got = TestSupport.run("python3", "-c", script, f.toString());
        String[] lines = got.strip().split("\n");
        assertEquals("1", lines[0], got);
        JsonNode n = new ObjectMapper().readTree(lines[1]);
        assertEquals("office-1", n.get("ProduceID").asText());
        assertEquals(AigcLabel.KEYS, iterate(n.fieldNames()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/python-docx.docx", "docs/openpyxl.xlsx", "docs/pandoc.pptx"})
    void exiftoolReadsTheCustomProperty(String fixture) throws Exception {
        byte[] out = LABELER.label(Fixtures.bytes(fixture), fixture, REQ).bytes();
        Path f = TestSupport.temp(Path.of(fixture).getFileName().toString(), out);
        JsonNode n = new ObjectMapper().readTree(TestSupport.run("exiftool", "-j", "-G1", "-a", "-AIGC", "-Warning", "-Error", f.toString())).get(0);
        assertEquals(LABEL.toBareJson(), n.path("XML:AIGC").asText(), n.toString());
        assertFalse(n.has("ExifTool:Error"), n.toString());
    }

    @Test
    void aZipBombIsRefusedByItsDeclaredRatio() throws Exception {
        byte[] bomb = zip(Map.of("[Content_Types].xml", TYPES, "word/document.xml", new byte[100 << 20]));
        assertTrue(bomb.length < 1 << 20, "100 MiB of zeros packs small: " + bomb.length);
        InspectReport r = LABELER.inspect(bomb, "bomb.docx", List.of());
        assertTrue(r.damaged() && r.problems().get(0).contains("a zip bomb?"), r.problems().toString());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(bomb, "bomb.docx", REQ));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
    }

    @Test
    void aZipBombThatLiesAboutItsSizeIsStoppedWhileInflating() throws Exception {
        byte[] bomb = zip(Map.of("[Content_Types].xml", TYPES, "word/document.xml", new byte[100 << 20]));
        lieAboutSizes(bomb, "word/document.xml", 1000);
        InspectReport r = LABELER.inspect(bomb, "bomb.docx", List.of());
        assertFalse(r.damaged(), "the declared sizes look harmless: " + r.problems());
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> LABELER.contentDigest(TestSupport.temp("bomb.docx", bomb), "SHA-256"));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("inflates more than 100 times"), e.getMessage());
    }

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("[Content_Types].xml", TYPES);
        for (int i = 0; i <= OoxmlHandler.MAX_ENTRIES; i++) {
            m.put("e/" + i, new byte[0]);
        }
        byte[] z = zip(m);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(z, "many.docx", REQ));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("more than 10000 entries"), e.getMessage());
    }

    @Test
    void truncatedAndNonOfficeZipsGiveTypedErrors() throws Exception {
        byte[] in = Fixtures.bytes("docs/python-docx.docx");
        byte[] cut = Arrays.copyOf(in, in.length / 2);
        InspectReport r = LABELER.inspect(cut, "cut.docx", List.of());
        assertTrue(r.damaged() && r.problems().get(0).contains("truncated or damaged ZIP"), r.problems().toString());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(cut, "cut.docx", REQ));
        assertEquals(Reason.CORRUPT_INPUT, e.reason());
        byte[] plainZip = zip(Map.of("readme.txt", "hi".getBytes(StandardCharsets.UTF_8)));
        AigcmarkException u = assertThrows(AigcmarkException.class, () -> LABELER.label(plainZip, "a.zip", REQ));
        assertEquals(Reason.UNSUPPORTED_FORMAT, u.reason());
        assertTrue(u.getMessage().contains("not an OOXML document"), u.getMessage());
    }

    @Test
    void aMalformedCustomPartIsDamageNotACrash() throws Exception {
        byte[] z = zip(Map.of("[Content_Types].xml", TYPES, "docProps/custom.xml",
                "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><Properties>&a;</Properties>".getBytes(StandardCharsets.UTF_8)));
        InspectReport r = LABELER.inspect(z, "dtd.docx", List.of());
        assertTrue(r.damaged() && r.problems().get(0).contains("not well-formed XML"), r.problems().toString());
    }

    /**
     * Fuzzing found a DOCX whose document holds many unmatched {@code <} (and {@code &} without {@code ;}): the
     * tag-stripping regex and the entity scan were quadratic (minutes). The text after them is still read.
     */
    @Test
    void manyUnmatchedAngleBracketsAndAmpersandsAreReadInLinearTime() throws Exception {
        Map<String, byte[]> p = parts(Fixtures.bytes("docs/python-docx.docx"));
        String doc = "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                + "<w:body><w:p><w:r><w:t>\u672c\u5185\u5bb9\u7531\u4eba\u5de5\u667a\u80fd\u751f\u6210</w:t></w:r></w:p>"
                + "</w:body></w:document>" + "&".repeat(500_000) + ";" + "<".repeat(500_000);
        p.put("word/document.xml", doc.getBytes(StandardCharsets.UTF_8));
        byte[] z = zip(p);
        Detector detector = Detector.create(LABELER, List.of(), List.of(), List.of());
        DetectionReport r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> detector.detect(z, "lt.docx", false),
                "hang guard only");
        assertEquals("3", r.verdict().labelCode(), "the visible prompt before the junk is read: " + r.verdict().reason());
    }

    static final byte[] TYPES = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>").getBytes(StandardCharsets.UTF_8);

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    /** Rewrites the uncompressed size of {@code name} in the data descriptor and central directory. */
    static void lieAboutSizes(byte[] z, String name, int size) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 + n.length <= z.length; i++) {
            boolean central = z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 1 && z[i + 3] == 2
                    && Arrays.equals(Arrays.copyOfRange(z, i + 46, i + 46 + n.length), n);
            if (central) {
                putLe32(z, i + 24, size);
            }
        }
        for (int i = 0; i + 16 <= z.length; i++) {
            if (z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 7 && z[i + 3] == 8 && (z[i + 12] != 0 || z[i + 13] != 0 || z[i + 14] != 0)) {
                long declared = (z[i + 12] & 0xFFL) | (z[i + 13] & 0xFFL) << 8 | (z[i + 14] & 0xFFL) << 16 | (z[i + 15] & 0xFFL) << 24;
                if (declared == 100 << 20) {
                    putLe32(z, i + 12, size);
                }
            }
        }
    }

    static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static List<String> iterate(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    @Test
    void aPackageWrittenWithDataDescriptorsIsCopiedFaithfully() throws Exception {
        // java.util.zip writes every deflated entry with a data descriptor (sizes after the data).
        Map<String, byte[]> original = parts(Fixtures.bytes("docs/openpyxl.xlsx"));
        byte[] rezipped = zip(original);
        byte[] out = LABELER.label(rezipped, "x.xlsx", REQ).bytes();
        Map<String, byte[]> after = parts(out);
        for (Map.Entry<String, byte[]> e : original.entrySet()) {
            if (!List.of("[Content_Types].xml", "_rels/.rels").contains(e.getKey())) {
                assertArrayEquals(e.getValue(), after.get(e.getKey()), e.getKey());
            }
        }
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(TestSupport.temp("dd.xlsx", out).toFile())) {
            assertEquals(original.size() + 1, z.size(), "one new part: docProps/custom.xml");
        }
        assertEquals(LABEL, LABELER.inspect(out, "x.xlsx", List.of()).labels().get(0).label());
    }

    @Test
    void strictNamespacesAreReadToo() throws Exception {
        String custom = "<?xml version=\"1.0\"?><Properties xmlns=\"http://purl.oclc.org/ooxml/officeDocument/customProperties\" "
                + "xmlns:vt=\"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes\"><property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" "
                + "pid=\"2\" name=\"AIGC\"><vt:lpwstr>" + LABEL.toBareJson() + "</vt:lpwstr></property></Properties>";
        byte[] z = zip(Map.of("[Content_Types].xml", TYPES, "docProps/custom.xml", custom.getBytes(StandardCharsets.UTF_8)));
        assertEquals(LABEL, LABELER.inspect(z, "strict.docx", List.of()).labels().get(0).label());
    }
}
