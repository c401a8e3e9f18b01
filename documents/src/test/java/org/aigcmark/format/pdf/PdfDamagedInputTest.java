package org.aigcmark.format.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fuzzing found mutated PDFs on which {@code label} ended in an internal error ("read-back after writing found 0
 * record(s)", exit 1): damaged input must be labelled correctly or refused as input (exit 3), never exit 1.
 */
class PdfDamagedInputTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "pdf-1");

    @ParameterizedTest
    @ValueSource(strings = {"docs/ghostscript.pdf", "docs/qpdf-object-streams.pdf", "docs/qpdf-linearized-no-info.pdf"})
    void mutatedPdfsAreLabelledOrRefusedAsInput(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        Random rnd = new Random(16);
        List<String> internal = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] damaged = in.clone();
            for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                damaged[rnd.nextInt(damaged.length)] = (byte) rnd.nextInt(256);
            }
            try {
                byte[] out = LABELER.label(damaged, "m.pdf", REQ).bytes();
                assertEquals(1, LABELER.inspect(out, "out.pdf", List.of()).labels().size(), "mutation " + i);
            } catch (AigcmarkException e) {
                if (e.reason() == AigcmarkException.Reason.INTERNAL) {
                    internal.add(i + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), internal, "internal errors on mutated input");
    }
}
