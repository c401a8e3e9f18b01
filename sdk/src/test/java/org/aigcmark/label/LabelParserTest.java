package org.aigcmark.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelParserTest {
    static final String BARE = "{\"Label\":\"1\",\"ContentProducer\":\"001191110102MACQD9K64010000\",\"ProduceID\":\"a\","
            + "\"ReservedCode1\":\"\",\"ContentPropagator\":\"001191110102MACQD9K64010000\",\"PropagateID\":\"a\",\"ReservedCode2\":\"\"}";

    @Test
    void readsBareWrappedAndPrefixedFormsIdentically() {
        var bare = LabelParser.parse(BARE).orElseThrow();
        var wrapped = LabelParser.parse("{\"AIGC\":" + BARE + "}").orElseThrow();
        var template = LabelParser.parse("{\"AIGC\": " + BARE + "}").orElseThrow();
        var prefixed = LabelParser.parse("AIGC" + BARE).orElseThrow();
        assertEquals(LabelParser.Form.BARE, bare.form());
        assertEquals(LabelParser.Form.WRAPPED, wrapped.form());
        assertEquals(bare.label(), wrapped.label());
        assertEquals(bare.label(), template.label());
        assertEquals(bare.label(), prefixed.label());
        assertEquals(List.of(), bare.problems());
        assertEquals(List.of(), wrapped.problems());
    }

    @Test
    void roundTripsWhatTheWriterProduces() {
        AigcLabel l = AigcLabel.produced("001191110102MACQD9K64010000", "x-1");
        assertEquals(l, LabelParser.parse(l.toJson()).orElseThrow().label());
        assertEquals(l, LabelParser.parse(l.toBareJson()).orElseThrow().label());
    }

    @Test
    void deviationsBecomeProblemsNotFailures() {
        var p = LabelParser.parse("{\"ProduceID\":\"a\",\"Label\":1,\"contentproducer\":\"doubao\",\"Extra\":\"z\"}").orElseThrow();
        assertEquals("1", p.label().label());
        assertEquals("doubao", p.label().contentProducer());
        String all = String.join("|", p.problems());
        assertTrue(all.contains("Label is a JSON number (1), expected a string"), all);
        assertTrue(all.contains("key \"contentproducer\" should be spelled \"ContentProducer\""), all);
        assertTrue(all.contains("unknown key \"Extra\""), all);
        assertTrue(all.contains("missing keys [ReservedCode1, ContentPropagator, PropagateID, ReservedCode2]"), all);
        assertTrue(all.contains("not in Annex E order"), all);
    }

    @Test
    void duplicateKeysAreFlagged() {
        var p = LabelParser.parse("{\"Label\":\"1\",\"Label\":\"3\",\"ContentProducer\":\"x\",\"ProduceID\":\"y\"}").orElseThrow();
        assertEquals("3", p.label().label());
        assertTrue(p.problems().contains("duplicate key \"Label\" (the last value is used)"), p.problems().toString());
    }

    @Test
    void objectsWithoutAnyAnnexEKeyAreNotLabels() {
        assertTrue(LabelParser.parse("{\"prompt\":\"a cat\"}").isEmpty());
        assertTrue(LabelParser.parse("not json").isEmpty());
        assertTrue(LabelParser.parse("{\"Label\":").isEmpty());
        assertTrue(LabelParser.parse("something{\"Label\":\"1\"}").isEmpty());
        assertTrue(LabelParser.parse("[".repeat(10_000)).isEmpty());
    }

    @Test
    void aByteOrderMarkOrTextAfterTheObjectIsAProblemNotAMiss() {
        var bom = LabelParser.parse("\uFEFF" + BARE).orElseThrow();
        assertEquals("a", bom.label().produceId());
        assertTrue(bom.problems().contains("a byte order mark (U+FEFF) before the record"), bom.problems().toString());
        var trailing = LabelParser.parse(BARE + " trailing words").orElseThrow();
        assertEquals("a", trailing.label().produceId());
        assertTrue(trailing.problems().contains("text after the JSON object"), trailing.problems().toString());
    }
}
