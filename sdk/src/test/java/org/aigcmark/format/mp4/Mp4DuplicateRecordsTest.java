package org.aigcmark.format.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An MP4 whose AIGC record is duplicated (an mdta record, an XMP uuid box, and more XMP uuid boxes appended, issue
 * 16): labelling, in memory and through the streaming file API, replaces them all by the one record written.
 */
class Mp4DuplicateRecordsTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "dup-mp4");
    static final String OLD = "{\"Label\":\"1\",\"ContentProducer\":\"old\",\"ProduceID\":\"old-1\"}";

    @TempDir
    Path dir;

    /** The fixture with an mdta record and an XMP uuid box, plus {@code copies} XMP uuid boxes at the end. */
    static byte[] withUuidCopies(int copies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Fixtures.bytes("video-labeled/xmp-uuid-and-mdta.mp4"));
        byte[] packet = Xmp.withLabel(null, OLD).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < copies; i++) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(8 + 16 + packet.length).array());
            out.writeBytes("uuid".getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(HexFormat.of().parseHex(Mp4Handler.XMP_UUID));
            out.writeBytes(packet);
        }
        return out.toByteArray();
    }

    void assertOneRecord(byte[] out) {
        InspectReport r = LABELER.inspect(out, "out.mp4", List.of());
        assertEquals(1, r.labels().size(), r.labels().toString());
        assertEquals("dup-mp4", r.labels().get(0).label().produceId());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 30})
    void duplicateRecordsLeaveOne(int copies) throws Exception {
        byte[] in = withUuidCopies(copies);
        assertTrue(LABELER.inspect(in, "in.mp4", List.of()).labels().size() >= 2, "the input has duplicates");
        assertOneRecord(LABELER.label(in, "in.mp4", REQ).bytes());
        Path src = Files.write(dir.resolve("in.mp4"), in);
        Path dst = dir.resolve("out.mp4");
        LABELER.label(src, dst, REQ);
        assertOneRecord(Files.readAllBytes(dst));
    }
}
