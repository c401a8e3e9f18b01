package org.aigcmark.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigcmark.AigcmarkException;
import org.junit.jupiter.api.Test;

class AigcLabelTest {
    static final String CODE = "001191110102MACQD9K64010000";

    @Test
    void serialisesTheAnnexETemplateByteExactly() {
        AigcLabel l = new AigcLabel("1", CODE, "id-1", "", CODE, "id-1", "");
        assertEquals("{\"AIGC\": {\"Label\":\"1\",\"ContentProducer\":\"" + CODE + "\",\"ProduceID\":\"id-1\",\"ReservedCode1\":\"\","
                + "\"ContentPropagator\":\"" + CODE + "\",\"PropagateID\":\"id-1\",\"ReservedCode2\":\"\"}}", l.toJson());
        assertEquals("{\"Label\":\"1\",\"ContentProducer\":\"" + CODE + "\",\"ProduceID\":\"id-1\",\"ReservedCode1\":\"\","
                + "\"ContentPropagator\":\"" + CODE + "\",\"PropagateID\":\"id-1\",\"ReservedCode2\":\"\"}", l.toBareJson());
    }

    @Test
    void firstWriteCopiesProductionFieldsIntoPropagationFields() {
        AigcLabel l = AigcLabel.produced(CODE, "p-9");
        assertEquals(List.of("1", CODE, "p-9", "", CODE, "p-9", ""), l.values());
    }

    @Test
    void charsetViolationNamesTheCharacterAndPosition() {
        var e = assertThrows(AigcmarkException.class, () -> AigcLabel.produced(CODE, "a b").requireValid());
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("ProduceID contains a space (U+0020) at position 1"), e.getMessage());
        e = assertThrows(AigcmarkException.class, () -> AigcLabel.produced(CODE, "x\"y").requireValid());
        assertTrue(e.getMessage().contains("'\"' (U+0022)"), e.getMessage());
        e = assertThrows(AigcmarkException.class, () -> AigcLabel.produced("豆包", "x").requireValid());
        assertTrue(e.getMessage().contains("'豆' (U+8C46) at position 0"), e.getMessage());
        e = assertThrows(AigcmarkException.class, () -> AigcLabel.produced(CODE, "a\\b").requireValid());
        assertTrue(e.getMessage().contains("U+005C"), e.getMessage());
    }

    @Test
    void everyAllowedCharacterPasses() {
        StringBuilder all = new StringBuilder();
        for (int c = 0x21; c <= 0x7E; c++) {
            if (c != 0x22 && c != 0x5C) {
                all.append((char) c);
            }
        }
        AigcLabel.produced(CODE, all.toString()).requireValid();
    }

    @Test
    void labelValueAndRequiredFields() {
        var e = assertThrows(AigcmarkException.class, () -> new AigcLabel("4", CODE, "x", "", CODE, "x", "").requireValid());
        assertTrue(e.getMessage().contains("Label must be"), e.getMessage());
        e = assertThrows(AigcmarkException.class, () -> new AigcLabel("1", "", "x", "", "", "x", "").requireValid());
        assertTrue(e.getMessage().contains("ContentProducer is required"), e.getMessage());
        e = assertThrows(AigcmarkException.class, () -> new AigcLabel("1", CODE, "x", "", CODE, "", "").requireValid());
        assertTrue(e.getMessage().contains("PropagateID is required"), e.getMessage());
    }

    @Test
    void legacyProducerNamesWarnButAreAccepted() {
        AigcLabel l = AigcLabel.produced("doubao", "x").requireValid();
        assertEquals(1, l.warnings().size());
        assertTrue(l.warnings().get(0).contains("not a 27-character provider code"));
        assertEquals(List.of(), AigcLabel.produced(CODE, "x").warnings());
    }
}
