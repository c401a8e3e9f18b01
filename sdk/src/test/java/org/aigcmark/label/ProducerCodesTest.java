package org.aigcmark.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerCodesTest {
    /** Real provider codes from labelled files in the wild (docs/gb45438 reference, remove-ai-watermarks fixtures). */
    static final List<String> REAL = List.of("001191110102MACQD9K64010000", "001191330106MA2CFLDG4R10001",
            "001191440300MA5G49LC9K1YO01", "00119144030008867405X210002", "001191440300708461136T1308L");

    @Test
    void realCodesPassTheGb32100CheckAndEveryTableRowToo() {
        for (String code : REAL) {
            assertTrue(ProducerCodes.of(code).orElseThrow().checksumValid(), code);
        }
        ProducerCodes.table().keySet().forEach(uscc -> assertTrue(ProducerCodes.checksumValid(uscc), uscc));
    }

    @Test
    void everyOtherCheckCharacterIsRejected() {
        String body = "91110102MACQD9K64";
        int valid = 0;
        for (char c : "0123456789ABCDEFGHJKLMNPQRTUWXY".toCharArray()) {
            valid += ProducerCodes.checksumValid(body + c) ? 1 : 0;
        }
        assertEquals(1, valid);
        assertFalse(ProducerCodes.checksumValid("91110102MACQD9K64I")); // I is not in the alphabet
        assertFalse(ProducerCodes.checksumValid("91110102MACQD9K6"));
    }

    @Test
    void nameIsListedNotVerifiedAndOnlyForUsccBoundCodes() {
        ProducerCodes.ProducerCode c = ProducerCodes.of("001191110102MACQD9K64010000").orElseThrow();
        assertEquals("91110102MACQD9K640", c.uscc());
        assertEquals("Doubao (ByteDance)", c.listedAs());
        assertNull(ProducerCodes.of("001191330106MA2CFLDG4R10001").orElseThrow().listedAs()); // valid, unlisted
        assertTrue(ProducerCodes.of("doubao").isEmpty());
        assertTrue(ProducerCodes.of("002191110102MACQD9K64010000").isEmpty()); // another subject type
    }

    @Test
    void aWrongCheckCharacterIsAWarningOfTheRecord() {
        AigcLabel bad = AigcLabel.produced("001191110102MACQD9K64110000", "x");
        List<String> w = bad.warnings();
        assertEquals(1, w.size(), w.toString()); // once, though the propagator repeats the producer
        assertTrue(w.get(0).contains("producer code checksum invalid"), w.toString());
        assertEquals(List.of(), AigcLabel.produced("001191110102MACQD9K64010000", "x").warnings());
        AigcLabel badPropagator = AigcLabel.produced("001191110102MACQD9K64010000", "x")
                .propagated(null, "001191330106MA2CFLDG4A10001", "p");
        assertTrue(badPropagator.warnings().get(0).startsWith("ContentPropagator"), badPropagator.warnings().toString());
    }

    @Test
    void reportsSayListedAsNeverVerified() {
        org.aigcmark.InspectReport r = org.aigcmark.Labeler.create().inspect(
                org.aigcmark.testdata.Fixtures.bytes("labeled/xmp-element.jpg"), "x.jpg", List.of());
        var json = org.aigcmark.report.ReportJson.toNode(r).path("labels").path(0);
        assertEquals("91110102MACQD9K640", json.path("producerCode").path("uscc").asText());
        assertTrue(json.path("producerCode").path("checksumValid").asBoolean());
        assertEquals("Doubao (ByteDance)", json.path("producerCode").path("listedAs").asText());
        assertTrue(json.path("propagatorCode").isMissingNode()); // the same code as the producer: said once
        String text = org.aigcmark.report.ReportJson.toText(r);
        assertTrue(text.contains("ContentProducer USCC 91110102MACQD9K640 (check character valid), listed as Doubao (ByteDance) "
                + "(public list, information only, not verified)"), text);
        assertFalse(text.contains("verified as"), text);
    }
}
