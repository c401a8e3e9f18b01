package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aigcmark.testdata.Allocations;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A metadata-only label builds its output in one buffer (issue 19: "one output buffer, no intermediate copies"):
 * the call allocates about one file's worth, not two or three. Counted by the JVM's allocation counter, not timed.
 */
class MetadataLabelCopiesTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "copies-1");

    @ParameterizedTest
    @ValueSource(strings = {"photos/18-mountain-trail-peaks.jpg", "watermark/chat-screenshot-1080x1920.png",
            "webp/lossless.webp"})
    void labelAllocatesOneOutputBuffer(String fixture) {
        byte[] in = Fixtures.bytes(fixture);
        byte[][] out = new byte[1][];
        for (int i = 0; i < 3; i++) {
            out[0] = LABELER.label(in, fixture, REQ).bytes(); // classes loaded, templates made
        }
        long allocated = Allocations.allocated(() -> out[0] = LABELER.label(in, fixture, REQ).bytes());
        // One output buffer plus the record, the scans and the XMP packet (tens of kB); a second copy would be 2x.
        assertTrue(allocated < out[0].length * 1.5, fixture + ": allocated " + allocated + " bytes for a "
                + out[0].length + "-byte output (" + String.format(java.util.Locale.ROOT, "%.2f", (double) allocated / out[0].length) + "x)");
        assertArrayEquals(LABELER.label(in, fixture, REQ).bytes(), out[0], "the same output every call");
    }
}
