package org.aigcmark.format.avi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.TestSupport;
import org.aigcmark.format.MediaType;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

/** AVI: records in the INFO list as ffmpeg writes them, and the RIFF AIGC chunk written with nothing moved. */
class AviHandlerTest {
    static final Labeler LABELER = Labeler.create();
    static final String PRODUCER = "001191110102MACQD9K64010000";

    /** ffmpeg's MD5 of every packet, stream-copied: equal output means equal samples, timestamps and order. */
    static String packets(byte[] avi) {
        return TestSupport.run("ffmpeg", "-v", "error", "-i", TestSupport.temp("p.avi", avi).toString(), "-map", "0", "-c", "copy",
                "-f", "framemd5", "-");
    }

    static String ffprobeTag(byte[] file, String tag, String name) {
        return TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format_tags=" + tag, "-of", "default=nw=1:nk=1",
                TestSupport.temp(name, file).toString()).strip();
    }

    @Test
    void theRecordFfmpegWroteAsTheInfoCommentIsReadAsFfprobeReadsIt() {
        byte[] in = Fixtures.bytes("containers/clip-icmt-record.avi");
        assertEquals(MediaType.AVI, MediaType.sniff(in));
        InspectReport r = LABELER.inspect(in, "clip.avi", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("avi-info:ICMT", r.labels().get(0).source());
        assertEquals(r.labels().get(0).label().toBareJson(), ffprobeTag(in, "comment", "c.avi"));
        assertEquals(0, LABELER.inspect(Fixtures.bytes("containers/clip.avi"), "clip.avi", List.of()).labels().size());
    }

    @Test
    void theInfoEntryGrowsIntoTheJunkBeforeMoviAndNothingMoves() throws Exception {
        byte[] in = Fixtures.bytes("containers/clip.avi");
        AigcLabel label = AigcLabel.produced(PRODUCER, "avi-1");
        byte[] out = LABELER.label(in, "clip.avi", new LabelRequest(label, null, null, null)).bytes();
        assertEquals(in.length, out.length);
        int movi = TestSupport.indexOf(in, "movi".getBytes(StandardCharsets.ISO_8859_1)) - 8;
        assertArrayEquals(Arrays.copyOf(in, 4600), Arrays.copyOf(out, 4600), "hdrl untouched");
        assertArrayEquals(Arrays.copyOfRange(in, movi, in.length), Arrays.copyOfRange(out, movi, out.length), "movi and idx1 untouched");
        InspectReport r = LABELER.inspect(out, "out.avi", List.of());
        assertEquals(1, r.labels().size());
        assertEquals(label, r.labels().get(0).label());
        assertEquals("avi-info:AIGC", r.labels().get(0).source());
        assertEquals(label.toBareJson(), ffprobeTag(out, "AIGC", "o.avi"), "ffmpeg reads the INFO entry as the tag AIGC");
        assertEquals(ffprobeTag(in, "software", "i.avi"), ffprobeTag(out, "software", "o.avi"), "the other INFO entries kept");
        assertEquals(packets(in), packets(out));
        assertEquals("", TestSupport.run("ffprobe", "-v", "error", TestSupport.temp("o.avi", out).toString()).strip());
        MessageDigest a = MessageDigest.getInstance("SHA-256");
        MessageDigest b = MessageDigest.getInstance("SHA-256");
        new AviHandler().digestContent(in, a, Limits.DEFAULT);
        new AviHandler().digestContent(out, b, Limits.DEFAULT);
        assertArrayEquals(a.digest(), b.digest());
        byte[] again = LABELER.label(out, "o.avi", LabelRequest.produced(PRODUCER, "avi-2")).bytes();
        assertEquals(in.length, again.length);
        assertEquals("avi-2", LABELER.inspect(again, "a.avi", List.of()).labels().get(0).label().produceId());
    }

    @Test
    void withoutJunkBeforeMoviTheInfoListIsAppendedAfterTheIndex() {
        byte[] in = Fixtures.bytes("containers/clip.avi").clone();
        int junk = AviHandler.chunks(in, new org.aigcmark.format.ContainerScan(MediaType.AVI)).stream()
                .filter(c -> c.id().equals("JUNK")).findFirst().orElseThrow().start();
        in[junk + 3] = 'Q'; // "JUNQ": a chunk readers skip, but not free room
        AigcLabel label = AigcLabel.produced(PRODUCER, "avi-end");
        byte[] out = LABELER.label(in, "clip.avi", new LabelRequest(label, null, null, null)).bytes();
        assertPrefixKept(in, out);
        assertEquals(label, LABELER.inspect(out, "out.avi", List.of()).labels().get(0).label());
        assertEquals(packets(in), packets(out));
        byte[] again = LABELER.label(out, "o.avi", LabelRequest.produced(PRODUCER, "avi-fin")).bytes();
        assertEquals(out.length, again.length, "the appended list is replaced, not joined by a second");
        assertEquals(1, LABELER.inspect(again, "a.avi", List.of()).labels().size());
    }

    /** The output starts with the input's bytes, all but the RIFF size field: nothing before the new chunk moved. */
    static void assertPrefixKept(byte[] in, byte[] out) {
        byte[] copy = in.clone();
        System.arraycopy(out, 4, copy, 4, 4);
        assertArrayEquals(copy, Arrays.copyOf(out, in.length));
    }

    @Test
    void aRecordInTheInfoCommentIsTurnedIntoJunkOfTheSameSize() {
        byte[] in = Fixtures.bytes("containers/clip-icmt-record.avi");
        byte[] out = LABELER.label(in, "c.avi", LabelRequest.produced(PRODUCER, "avi-3")).bytes();
        InspectReport r = LABELER.inspect(out, "out.avi", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("avi-3", r.labels().get(0).label().produceId());
        assertEquals("", ffprobeTag(out, "comment", "o.avi"));
        assertFalse(new String(out, StandardCharsets.ISO_8859_1).contains("ffmpeg-20261207-0001"));
        assertEquals(packets(in), packets(out));
    }

    @Test
    void theAviOnceRefusedIsInspectedAndLabelled() {
        byte[] in = Fixtures.bytes("unsupported/vtest-1s.avi");
        InspectReport r = LABELER.inspect(in, "vtest.avi", List.of());
        assertEquals(0, r.labels().size());
        assertFalse(r.damaged(), r.toString());
        byte[] out = LABELER.label(in, "vtest.avi", LabelRequest.produced(PRODUCER, "vtest")).bytes();
        assertEquals(in.length, out.length, "the INFO list grew into the JUNK before movi");
        assertEquals("vtest", LABELER.inspect(out, "o.avi", List.of()).labels().get(0).label().produceId());
        assertEquals(packets(in), packets(out));
        assertTrue(ffprobeTag(out, "AIGC", "o.avi").contains("\"ProduceID\":\"vtest\""));
    }

    @Test
    void aVisibleLabelIsAUsageErrorThatSaysWhatWorks() {
        for (String f : List.of("containers/clip.avi", "containers/clip.flv")) {
            AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(Fixtures.bytes(f), f,
                    LabelRequest.produced(PRODUCER, "v").withVisible(org.aigcmark.visible.VisibleLabelOptions.defaults())));
            assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.reason());
            assertTrue(e.getMessage().contains("the metadata label alone works here"), e.getMessage());
        }
    }

    @Test
    void damagedAndOpenDmlFilesAreRefusedWithTypedErrors() {
        byte[] in = Fixtures.bytes("containers/clip.avi");
        byte[] cut = Arrays.copyOf(in, in.length / 2);
        assertTrue(LABELER.inspect(cut, "cut.avi", List.of()).damaged());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(cut, "cut.avi", LabelRequest.produced(PRODUCER, "x")));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
        byte[] avix = TestSupport.concat(in, "RIFF\4\0\0\0AVIX".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(AigcmarkException.class, () -> new AviHandler().writeLabel(avix, AigcLabel.produced(PRODUCER, "x"), Limits.DEFAULT));
        assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("AVIX"), e.getMessage());
        // A chunk size that lies (past the end of its list) is damage, not an exception from the scan.
        byte[] lie = in.clone();
        lie[16] = (byte) 0xFF;
        lie[17] = (byte) 0xFF;
        assertTrue(new AviHandler().scan(lie, Limits.DEFAULT).damaged());
    }
}
