package org.aigcmark.format.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.format.xmp.Xmp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Labelling a JPEG whose record is duplicated (XMP, extended XMP, bare APPn/COM) leaves exactly one (GB 45438 §6.1 c). */
class JpegDuplicateRecordsTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "dup-1");
    static final String OLD = "{\"Label\":\"1\",\"ContentProducer\":\"old\",\"ProduceID\":\"old-1\"}";

    /** A small JPEG with {@code copies} of each record-bearing segment inserted after SOI. */
    static byte[] jpeg(int copies) throws Exception {
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "jpg", img);
        byte[] plain = img.toByteArray();
        byte[] xmp = Xmp.withLabel(null, OLD).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2);
        for (int i = 0; i < copies; i++) {
            JpegHandler.writeSegment(out, 0xE1, JpegHandler.XMP_HEADER, xmp);
            String guid = String.format("%032X", i);
            ByteArrayOutputStream ext = new ByteArrayOutputStream();
            ext.writeBytes(guid.getBytes(StandardCharsets.ISO_8859_1));
            ext.writeBytes(new byte[] {0, 0, (byte) (xmp.length >> 8), (byte) xmp.length, 0, 0, 0, 0});
            ext.writeBytes(xmp);
            JpegHandler.writeSegment(out, 0xE1, JpegHandler.XMP_EXT_HEADER, ext.toByteArray());
        }
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 40})
    void everyRecordSlotIsReplacedByTheOneWritten(int copies) throws Exception {
        byte[] in = jpeg(copies);
        InspectReport before = LABELER.inspect(in, "in.jpg", List.of());
        assertEquals(2 * copies, before.labels().size(), before.labels().toString());
        byte[] out = LABELER.label(in, "in.jpg", REQ).bytes();
        InspectReport r = LABELER.inspect(out, "out.jpg", List.of());
        assertEquals(1, r.labels().size(), r.labels().toString());
        assertEquals("dup-1", r.labels().get(0).label().produceId());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
    }
}
