package org.aigcmark.format.png;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * Fuzzing found that labelling a PNG whose AIGC record is duplicated wrote an output that re-inspects with as many
 * records as the input had (GB 45438 §6.1 c: exactly one). Every record slot must be replaced by the one written.
 */
class DuplicateRecordsTest {
    static final Labeler LABELER = Labeler.create();
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "dup-1");
    static final String OLD = "{\"Label\":\"1\",\"ContentProducer\":\"old\",\"ProduceID\":\"old-1\"}";

    static byte[] png() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    /** {@code png} with {@code copies} of each given chunk inserted right after IHDR. */
    static byte[] withChunks(byte[] png, int copies, List<String> types, List<byte[]> datas) {
        PngChunks pc = PngChunks.parse(png);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(PngChunks.SIGNATURE, 0, PngChunks.SIGNATURE.length);
        for (PngChunks.Chunk c : pc.chunks) {
            out.write(png, c.start(), c.end() - c.start());
            if (c.type().equals("IHDR")) {
                for (int i = 0; i < copies; i++) {
                    for (int k = 0; k < types.size(); k++) {
                        PngChunks.writeChunk(out, types.get(k), datas.get(k));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    static byte[] text(String keyword, String value) {
        return (keyword + "\0" + value).getBytes(StandardCharsets.ISO_8859_1);
    }

    void assertOneRecord(byte[] in) {
        assertEquals(1 < LABELER.inspect(in, "in.png", List.of()).labels().size(), true, "the input has duplicates");
        byte[] out = LABELER.label(in, "in.png", REQ).bytes();
        InspectReport r = LABELER.inspect(out, "out.png", List.of());
        assertEquals(1, r.labels().size(), r.labels().toString());
        assertEquals("dup-1", r.labels().get(0).label().produceId());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 266})
    void duplicateTextChunksLeaveOneRecord(int copies) throws Exception {
        assertOneRecord(withChunks(png(), copies, List.of("tEXt"), List.of(text("AIGC", OLD))));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 266})
    void duplicateXmpChunksLeaveOneRecord(int copies) throws Exception {
        byte[] xmp = PngHandler.xmpItxt(Xmp.withLabel(null, OLD).getBytes(StandardCharsets.UTF_8));
        assertOneRecord(withChunks(png(), copies, List.of("iTXt"), List.of(xmp)));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 30})
    void mixedDuplicatesLeaveOneRecord(int copies) throws Exception {
        byte[] xmp = PngHandler.xmpItxt(Xmp.withLabel(null, OLD).getBytes(StandardCharsets.UTF_8));
        byte[] broken = PngHandler.xmpItxt(("<x:xmpmeta TC260:AIGC=\"" + OLD.replace("\"", "&quot;") + "\"><oops")
                .getBytes(StandardCharsets.UTF_8));
        assertOneRecord(withChunks(png(), copies, List.of("iTXt", "tEXt", "iTXt"), List.of(xmp, text("TC260_AIGC", OLD), broken)));
    }
}
