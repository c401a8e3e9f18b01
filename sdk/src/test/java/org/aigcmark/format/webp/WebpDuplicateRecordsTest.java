package org.aigcmark.format.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A WebP whose AIGC record is duplicated (many {@code XMP } chunks, issue 16): labelling replaces them all by the
 * one record written (GB 45438 §6.1 c: exactly one), cross-checked with webpinfo-free parsing of the chunk list.
 */
class WebpDuplicateRecordsTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "dup-webp");
    static final String OLD = "{\"Label\":\"1\",\"ContentProducer\":\"old\",\"ProduceID\":\"old-1\"}";

    /** The labelled WebP fixture with {@code copies} more XMP chunks (each with a record) before its own. */
    static byte[] withXmpCopies(int copies) {
        byte[] b = Fixtures.bytes("labeled/xmp-element.webp");
        byte[] packet = Xmp.withLabel(null, OLD).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 12; i + 8 <= b.length; ) {
            String id = new String(b, i, 4, StandardCharsets.ISO_8859_1);
            int n = ByteBuffer.wrap(b, i + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            int end = i + 8 + n + (n & 1);
            if (id.equals("XMP ")) {
                for (int k = 0; k < copies; k++) {
                    chunk(body, "XMP ", packet);
                }
            }
            body.write(b, i, end - i);
            i = end;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.size()).array());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String id, byte[] data) {
        out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
        out.writeBytes(data);
        if ((data.length & 1) == 1) {
            out.write(0);
        }
    }

    static long xmpChunks(byte[] b) {
        long n = 0;
        for (int i = 12; i + 8 <= b.length; ) {
            int size = ByteBuffer.wrap(b, i + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (new String(b, i, 4, StandardCharsets.ISO_8859_1).equals("XMP ")) {
                n++;
            }
            i += 8 + size + (size & 1);
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 40})
    void duplicateXmpChunksLeaveOneRecord(int copies) {
        byte[] in = withXmpCopies(copies);
        InspectReport before = LABELER.inspect(in, "in.webp", List.of());
        assertTrue(before.labels().size() > 1 || before.problems().stream().anyMatch(p -> p.contains("XMP")),
                "the input carries several records: " + before.labels().size());
        byte[] out = LABELER.label(in, "in.webp", REQ).bytes();
        InspectReport r = LABELER.inspect(out, "out.webp", List.of());
        assertEquals(1, r.labels().size(), r.labels().toString());
        assertEquals("dup-webp", r.labels().get(0).label().produceId());
        assertEquals(1, xmpChunks(out), "one XMP chunk left");
    }
}
