package org.aigcmark.format.c2pa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.PropagateRequest;
import org.aigcmark.TestSupport;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Reading reports both marks side by side: the manifest's {@code org.aigcmark.gb45438} assertion against the GB 45438
 * record, its soft binding against the decoded watermark, its AI disclosure and parent ingredient.
 */
class C2paAgreementTest {
    private static final Labeler LABELER = Labeler.create();
    private static final WatermarkKey KEY = WatermarkKey.fromPassphrase("c2pa agreement");

    private static JsonNode manifest(InspectReport r) {
        return ReportJson.toNode(r).path("c2pa").path("manifests").path(0);
    }

    private static InspectReport inspect(byte[] file) {
        return LABELER.inspect(file, "x.jpg", List.of(), C2paSignerTest.TRUST_CA);
    }

    @Test
    void aFreshLabelAgreesAndNamesItsModel() {
        C2paAiDisclosure model = C2paAiDisclosure.of("agree-model", "pkg:huggingface/org/agree-model@1");
        byte[] out = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"),
                C2paSignerTest.REQUEST.withC2pa(C2paSignerTest.SIGNING.withAiDisclosure(model))).bytes();
        InspectReport r = inspect(out);
        JsonNode m = manifest(r);
        assertEquals("valid", m.path("validation").path("status").asText(), m.toString());
        assertEquals("c2pa-writer-test-0001", m.path("gb45438").path("ProduceID").asText(), m.toString());
        assertEquals("agree", m.path("agreement").path("record").asText(), m.toString());
        assertEquals(0, m.path("agreement").path("differingFields").size());
        assertEquals("not-applicable", m.path("agreement").path("softBinding").asText(), "inspect decodes no watermark");
        assertEquals("agree-model", m.path("aiDisclosure").path("modelName").asText());
        assertEquals("pkg:huggingface/org/agree-model@1", m.path("aiDisclosure").path("modelIdentifier").asText());
        assertEquals(C2paAiDisclosure.GENERIC_MODEL, m.path("aiDisclosure").path("modelType").asText());
        assertTrue(m.path("parentIngredient").isNull(), "a new asset has no parent");
        String text = ReportJson.toText(r);
        assertTrue(text.contains("GB 45438 record and manifest: agree") && text.contains("AI disclosure: model agree-model"), text);
    }

    @Test
    void aRecordChangedByExiftoolDisagreesAndNamesTheField() throws Exception {
        byte[] out = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), C2paSignerTest.REQUEST).bytes();
        String config = Fixtures.root().resolve("tools/tc260.exiftool.config").toString();
        Path in = TestSupport.temp("agree.jpg", out);
        String json = TestSupport.run("exiftool", "-config", config, "-s3", "-XMP-TC260:AIGC", in.toString()).strip();
        String produceId = "\"ProduceID\":\"c2pa-writer-test-0001\"";
        assertTrue(json.contains(produceId), json);
        Path edited = in.resolveSibling("edited.jpg");
        Files.deleteIfExists(edited);
        TestSupport.run("exiftool", "-config", config, "-XMP-TC260:AIGC=" + json.replace(produceId, "\"ProduceID\":\"someone-elses-id\""),
                "-o", edited.toString(), in.toString());
        InspectReport r = inspect(Files.readAllBytes(edited));
        assertEquals("someone-elses-id", r.labels().get(0).label().produceId(), "exiftool rewrote the record");
        JsonNode m = manifest(r);
        assertEquals("c2pa-writer-test-0001", m.path("gb45438").path("ProduceID").asText(), "the manifest is kept: " + m);
        assertEquals("disagree", m.path("agreement").path("record").asText(), m.toString());
        assertEquals(List.of("ProduceID"), List.of(m.path("agreement").path("differingFields").get(0).asText()));
        assertEquals(1, m.path("agreement").path("differingFields").size(), m.toString());
        assertTrue(m.path("agreement").path("problems").get(0).asText().contains("ProduceID"), m.toString());
        assertEquals("invalid", m.path("validation").path("status").asText(), "the hard binding covers the record");
        assertTrue(ReportJson.toText(r).contains("GB 45438 record and manifest: DISAGREE (ProduceID)"), ReportJson.toText(r));
    }

    @Test
    void detectComparesTheSoftBindingWithTheDecodedWatermark() {
        LabelResult labelled = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), C2paSignerTest.REQUEST.withWatermark(KEY));
        Detector detector = Detector.create(LABELER, List.of(KEY), List.of(), List.of())
                .withC2paTrustAnchors(List.of(C2paSignerTest.CA));
        DetectionReport d = detector.detect(labelled.bytes(), "wm.jpg", false);
        JsonNode json = ReportJson.toNode(d);
        assertEquals(labelled.watermarkPayload().orElseThrow(), json.path("watermark").path("payload").asText(), json.toString());
        JsonNode m = json.path("c2pa").path("manifests").path(0);
        assertEquals(List.of(labelled.watermarkPayload().orElseThrow()), List.of(m.path("softBindings").get(0).asText()));
        assertEquals("agree", m.path("agreement").path("softBinding").asText(), m.toString());
        assertEquals("agree", m.path("agreement").path("record").asText(), m.toString());
        assertTrue(ReportJson.toText(d).contains("soft binding and decoded watermark: match"), ReportJson.toText(d));
        // the agreement is the report's data (the JSON only renders it); inspect decodes no watermark
        assertEquals(C2paAgreement.Status.AGREE, d.c2paAgreements().get(0).softBinding());
        assertEquals(labelled.watermarkPayload(), d.decodedWatermarkPayload());
        assertEquals(C2paAgreement.Status.NOT_APPLICABLE, d.metadata().c2paAgreements().get(0).softBinding());
        assertEquals(C2paAgreement.Status.AGREE, d.metadata().c2paAgreements().get(0).record());
        // a payload other than the manifest's is a disagreement, reported as data
        C2paReader.Summary s = d.metadata().c2paManifests().get(0);
        C2paAgreement other = C2paAgreement.of(s, d.metadata().labels().get(0).label(), "0123456789abcdef");
        assertEquals(C2paAgreement.Status.DISAGREE, other.softBinding());
        assertTrue(other.problems().get(0).contains("0123456789abcdef"), other.problems().toString());
    }

    @Test
    void aPropagatedFileNamesItsParentManifest() {
        byte[] producer = LABELER.label(Fixtures.bytes("jpeg/plain.jpg"), C2paSignerTest.REQUEST).bytes();
        String parentLabel = inspect(producer).c2paManifests().get(0).activeManifest();
        byte[] platform = LABELER.propagate(producer, "p.jpg",
                PropagateRequest.of("00" + "B".repeat(25), "platform-upload-77").withC2pa(C2paSignerTest.SIGNING)).bytes();
        JsonNode m = manifest(inspect(platform));
        assertEquals(parentLabel, m.path("parentIngredient").path("activeManifest").asText(), m.toString());
        assertEquals("image/jpeg", m.path("parentIngredient").path("format").asText(), m.toString());
        // the platform's assertion carries the propagated record: it agrees with the file's record
        assertEquals("platform-upload-77", m.path("gb45438").path("PropagateID").asText(), m.toString());
        assertEquals("agree", m.path("agreement").path("record").asText(), m.toString());
    }

    @Test
    void aFileWithoutAManifestOrWithoutARecordIsNotApplicable() {
        C2paReader.Summary none = C2paReader.read(new byte[0]);
        assertEquals(C2paAgreement.Status.NOT_APPLICABLE, C2paAgreement.of(none, C2paSignerTest.REQUEST.label(), "0123456789abcdef").record());
        assertEquals(C2paAgreement.Status.NOT_APPLICABLE, C2paAgreement.of(none, null, "0123456789abcdef").softBinding());
        assertEquals(0, ReportJson.toNode(LABELER.inspect(Fixtures.bytes("jpeg/plain.jpg"), "p.jpg", List.of())).path("c2pa").path("manifests").size());
    }
}
