package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Records written by other tools, in each variant found in the wild (testdata/fixtures/labeled/README.md). */
class ThirdPartyVariantsTest {
    static final Labeler LABELER = Labeler.create();
    static final AigcLabel DOUBAO = new AigcLabel("1", "001191110102MACQD9K64010000", "doubao-20250901-0001", "",
            "001191110102MACQD9K64010000", "doubao-20250901-0001", "");

    static InspectReport inspect(String f) {
        return LABELER.inspect(Fixtures.path(f), List.of());
    }

    @ParameterizedTest
    @CsvSource({
        "labeled/xmp-element.jpg, xmp, bare",
        "labeled/xmp-element.png, xmp, bare",
        "labeled/xmp-element.webp, xmp, bare",
        "labeled/xmp-attribute.jpg, xmp, bare",
        "labeled/text-aigc-wrapped.png, png-text, wrapped",
        "labeled/itxt-aigc-bare.png, png-itxt, bare",
        "labeled/exif-usercomment-wrapped.jpg, exif-usercomment, wrapped",
        "labeled/exif-imagedescription-bare.jpg, exif-imagedescription, bare",
        "labeled/app10-bare-blob.jpg, jpeg-app10, bare",
        "labeled/com-bare-blob.jpg, jpeg-com, bare",
        "labeled/xmp-element.tif, xmp, bare",
        "labeled/xmp-element.gif, xmp, bare",
    })
    void findsTheRecordInEachVariant(String file, String source, String form) {
        InspectReport r = inspect(file);
        assertEquals(1, r.labels().size(), r.toString());
        InspectReport.FoundLabel f = r.labels().get(0);
        assertEquals(DOUBAO, f.label());
        assertEquals(source, f.source());
        assertEquals(form, f.form().name().toLowerCase());
        assertEquals(List.of(), f.problems());
        assertEquals("absent", f.signature().json());
    }

    @Test
    void tencentServiceProviderSchemaInImageDescriptionIsReadAndNamedAsAVariant() {
        // exiftool wrote {"AIGC":{"ServiceProvider":"腾讯云","ServiceUser":...,"Time":...,"ContentId":...}}
        InspectReport r = inspect("labeled/exif-imagedescription-tencent.jpg");
        assertEquals(1, r.labels().size(), r.toString());
        InspectReport.FoundLabel f = r.labels().get(0);
        assertEquals("exif-imagedescription", f.source());
        assertEquals("腾讯云", f.label().contentProducer());
        assertEquals("a284dd3d-15ae-4cce-b2dd-010be84921df", f.label().produceId());
        assertEquals("", f.label().label());
        String all = String.join("|", f.problems());
        assertTrue(all.contains("Tencent Cloud ServiceProvider/ServiceUser schema, not GB 45438 Annex E"), all);
        assertTrue(all.contains("ServiceUser \"1379431822\""), all);
        assertTrue(all.contains("Label must be"), all);
    }

    @Test
    void duplicateRecordsAreBothReportedAndFlagged() {
        InspectReport r = inspect("labeled/duplicate-xmp-and-text.png");
        assertEquals(2, r.labels().size());
        assertEquals(DOUBAO, r.labels().get(0).label());
        assertEquals("tongyi-20250902-7781", r.labels().get(1).label().produceId());
        assertTrue(r.problems().contains("2 AIGC records in one file (GB 45438 §6.1 c: a file keeps only one); they disagree"));
        assertTrue(r.labels().get(1).problems().contains("duplicate: one of 2 AIGC records in this file"));
    }

    @Test
    void relabellingADuplicateFileLeavesExactlyOneRecord() {
        for (String f : List.of("labeled/duplicate-xmp-and-text.png", "labeled/exif-usercomment-wrapped.jpg",
                "labeled/app10-bare-blob.jpg", "labeled/xmp-attribute.jpg", "labeled/itxt-aigc-bare.png",
                "labeled/exif-imagedescription-bare.jpg", "labeled/xmp-element.gif", "labeled/xmp-element.tif")) {
            AigcLabel mine = AigcLabel.produced("001191110102MACQD9K64010000", "mine-1");
            byte[] out = LABELER.label(LABELER.readInput(Fixtures.path(f)), new LabelRequest(mine, null, null, null)).bytes();
            InspectReport r = LABELER.inspect(out, f, List.of());
            assertEquals(1, r.labels().size(), f + ": " + r);
            assertEquals(mine, r.labels().get(0).label(), f);
        }
    }

    @Test
    void aGarbledTc260PropertyIsReplacedToo() throws Exception {
        // A PNG whose XMP holds an unreadable TC260:AIGC value: inspect flags it, relabel leaves exactly one record.
        String packet = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description rdf:about=\"\" xmlns:TC260=\"http://www.tc260.org.cn/ns/AIGC/1.0/\"><TC260:AIGC>{\"Label\":</TC260:AIGC>"
                + "</rdf:Description></rdf:RDF></x:xmpmeta>";
        byte[] png = org.aigcmark.TestSupport.concat(java.util.Arrays.copyOf(Fixtures.bytes("png/rgb.png"), 33),
                itxt(packet), java.util.Arrays.copyOfRange(Fixtures.bytes("png/rgb.png"), 33, Fixtures.bytes("png/rgb.png").length));
        InspectReport before = LABELER.inspect(png, "garbled.png", List.of());
        assertEquals(0, before.labels().size());
        assertTrue(before.problems().stream().anyMatch(p -> p.contains("not a readable label record")), before.problems().toString());
        AigcLabel mine = AigcLabel.produced("001191110102MACQD9K64010000", "g-1");
        byte[] out = LABELER.label(png, new LabelRequest(mine, null, null, null)).bytes();
        InspectReport after = LABELER.inspect(out, "x", List.of());
        assertEquals(1, after.labels().size());
        assertEquals(List.of(), after.problems());
    }

    static byte[] itxt(String packet) {
        byte[] body = org.aigcmark.TestSupport.concat("XML:com.adobe.xmp\0\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                packet.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("iTXt".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        crc.update(body);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + body.length);
        b.putInt(body.length).put("iTXt".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).put(body).putInt((int) crc.getValue());
        return b.array();
    }

    @Test
    void looseValuesAreReadWithProblems() {
        InspectReport r = inspect("labeled/numeric-label-name-producer.jpg");
        InspectReport.FoundLabel f = r.labels().get(0);
        assertEquals("1", f.label().label());
        assertEquals("doubao", f.label().contentProducer());
        assertTrue(f.problems().contains("Label is a JSON number (1), expected a string"), f.problems().toString());
        assertTrue(f.problems().stream().anyMatch(p -> p.contains("\"doubao\" is not a 27-character provider code")));
    }

    @Test
    void provenanceHintsThatAreNotRecords() {
        InspectReport iptc = inspect("labeled/iptc-trained-algorithmic.jpg");
        assertEquals(0, iptc.labels().size());
        assertTrue(iptc.hints().stream().anyMatch(h -> h.kind().id().equals("iptc-digital-source-type")
                && h.value().equals("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")));
        InspectReport a1111 = inspect("labeled/a1111-parameters.png");
        assertTrue(a1111.hints().stream().anyMatch(h -> h.source().equals("png-text:parameters") && h.value().contains("Steps: 28")));
        InspectReport comfy = inspect("labeled/comfyui-prompt-workflow.png");
        assertTrue(comfy.hints().stream().anyMatch(h -> h.source().equals("png-text:prompt")));
        assertTrue(comfy.hints().stream().anyMatch(h -> h.source().equals("png-text:workflow")));
        assertEquals(List.of("jpeg-app11"), inspect("labeled/c2pa-app11-jumbf.jpg").c2pa());
        assertEquals(List.of("png-caBX"), inspect("labeled/c2pa-cabx.png").c2pa());
        assertEquals(List.of(), inspect("jpeg/plain.jpg").c2pa());
    }

    @Test
    void iptcDigitalSourceTypeIsKeptWhenLabelling() {
        byte[] out = LABELER.label(LABELER.readInput(Fixtures.path("labeled/iptc-trained-algorithmic.jpg")),
                LabelRequest.produced("001191110102MACQD9K64010000", "k")).bytes();
        InspectReport r = LABELER.inspect(out, "x", List.of());
        assertEquals(1, r.hints().stream().filter(h -> h.kind().id().equals("iptc-digital-source-type")).count());
        assertTrue(new String(out, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Example Image Generator"), "dc:creator kept");
    }
}
