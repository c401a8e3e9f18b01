package org.aigcmark.format.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged documents, made by flipping, cutting and splicing bytes of real fixtures (fixed seeds): every outcome is a
 * report or a typed {@link AigcmarkException}, never another exception, and whatever {@code label} writes reads back
 * with exactly the record written.
 */
class DocumentMutationTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "mut-1");
    static final int MUTANTS = 40;

    @ParameterizedTest
    @ValueSource(strings = {"docs/front-matter.md", "docs/python-docx.docx", "docs/openpyxl.xlsx", "docs/pandoc.pptx",
            "docs/ghostscript.pdf", "docs/qpdf-object-streams.pdf"})
    void mutantsGiveReportsOrTypedErrors(String fixture) {
        byte[] original = Fixtures.bytes(fixture);
        Random rnd = new Random(fixture.hashCode());
        {
            for (int i = 0; i < MUTANTS; i++) {
                byte[] m = mutate(original, rnd);
                String name = fixture + "#" + i;
                try {
                    LABELER.inspect(m, name, List.of());
                } catch (AigcmarkException e) {
                    // typed: fine
                } catch (RuntimeException | Error e) {
                    fail(name + ": inspect threw " + e, e);
                }
                try {
                    byte[] out = LABELER.label(m, name, REQ).bytes();
                    assertEquals(1, LABELER.inspect(out, name, List.of()).labels().size(), name);
                } catch (AigcmarkException e) {
                    // typed: fine
                } catch (RuntimeException | Error e) {
                    if (e instanceof org.opentest4j.AssertionFailedError) {
                        throw e;
                    }
                    fail(name + ": label threw " + e, e);
                }
            }
        }
    }

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> { // flip a few bytes
                for (int k = 0, n = 1 + rnd.nextInt(8); k < n; k++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            case 1 -> b = Arrays.copyOf(b, 1 + rnd.nextInt(b.length - 1)); // cut
            case 2 -> { // overwrite a run with junk
                int at = rnd.nextInt(b.length);
                for (int k = at; k < Math.min(b.length, at + 1 + rnd.nextInt(64)); k++) {
                    b[k] = (byte) rnd.nextInt(256);
                }
            }
            default -> { // duplicate a slice somewhere else
                int from = rnd.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + rnd.nextInt(256));
                int to = rnd.nextInt(b.length);
                byte[] c = new byte[b.length + len];
                System.arraycopy(b, 0, c, 0, to);
                System.arraycopy(b, from, c, to, len);
                System.arraycopy(b, to, c, to + len, b.length - to);
                b = c;
            }
        }
        return b;
    }
}
