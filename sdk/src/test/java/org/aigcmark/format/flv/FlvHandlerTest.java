package org.aigcmark.format.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.TestSupport;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.MediaType;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FLV: the onMetaData key AIGC as ffmpeg writes it, read and written with the audio/video tags untouched. */
class FlvHandlerTest {
    static final Labeler LABELER = Labeler.create();
    static final String PRODUCER = "001191110102MACQD9K64010000";

    static String packets(byte[] flv) {
        return TestSupport.run("ffmpeg", "-v", "error", "-i", TestSupport.temp("p.flv", flv).toString(), "-map", "0", "-c", "copy",
                "-f", "framemd5", "-");
    }

    static String ffprobeAigc(byte[] flv) {
        return TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format_tags=AIGC", "-of", "default=nw=1:nk=1",
                TestSupport.temp("t.flv", flv).toString()).strip();
    }

    @Test
    void theKeyFfmpegWroteIsReadAsFfprobeReadsIt() {
        byte[] in = Fixtures.bytes("containers/clip-aigc.flv");
        assertEquals(MediaType.FLV, MediaType.sniff(in));
        InspectReport r = LABELER.inspect(in, "clip.flv", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("flv-onmetadata:AIGC", r.labels().get(0).source());
        assertEquals(ffprobeAigc(in), r.labels().get(0).label().toBareJson());
        ContainerScan scan = new FlvHandler().scan(in, Limits.DEFAULT);
        assertEquals(160, scan.width());
        assertEquals(120, scan.height());
        assertEquals(0, LABELER.inspect(Fixtures.bytes("containers/clip.flv"), "clip.flv", List.of()).labels().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"containers/clip.flv", "containers/clip-aigc.flv", "containers/clip-keyframes.flv"})
    void labellingWritesOneRecordFfprobeReadsAndKeepsEveryPacket(String fixture) throws Exception {
        byte[] in = Fixtures.bytes(fixture);
        AigcLabel label = AigcLabel.produced(PRODUCER, "flv-1");
        byte[] out = LABELER.label(in, fixture, new LabelRequest(label, null, null, null)).bytes();
        InspectReport r = LABELER.inspect(out, "out.flv", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals(label, r.labels().get(0).label());
        assertEquals(label.toBareJson(), ffprobeAigc(out));
        assertEquals(packets(in), packets(out));
        MessageDigest a = MessageDigest.getInstance("SHA-256");
        MessageDigest b = MessageDigest.getInstance("SHA-256");
        new FlvHandler().digestContent(in, a, Limits.DEFAULT);
        new FlvHandler().digestContent(out, b, Limits.DEFAULT);
        assertArrayEquals(a.digest(), b.digest());
    }

    @Test
    void theKeyframeIndexStillPointsAtTheKeyframesAfterTheTagGrew() {
        byte[] in = Fixtures.bytes("containers/clip-keyframes.flv");
        byte[] out = LABELER.label(in, "k.flv", LabelRequest.produced(PRODUCER, "k")).bytes();
        assertTrue(out.length > in.length);
        List<Long> before = positions(in);
        List<Long> after = positions(out);
        assertTrue(before.size() >= 4, "three filepositions and lastkeyframelocation: " + before);
        List<FlvHandler.Tag> inTags = FlvHandler.tags(in, new ContainerScan(MediaType.FLV));
        List<FlvHandler.Tag> outTags = FlvHandler.tags(out, new ContainerScan(MediaType.FLV));
        int keyframes = 0;
        for (int i = 0; i < before.size(); i++) {
            assertEquals(out.length - in.length, after.get(i) - before.get(i), "every position moved with the tags");
            long at = before.get(i);
            if (inTags.stream().anyMatch(t -> t.start() == at)) {
                FlvHandler.Tag t = outTags.stream().filter(x -> x.start() == after.get(before.indexOf(at))).findFirst()
                        .orElseThrow(() -> new AssertionError("no tag at the moved position"));
                assertEquals(9, t.type(), "a video tag");
                assertEquals(0x10, out[t.dataStart()] & 0xF0, "a keyframe");
                keyframes++;
            }
        }
        assertEquals(3, keyframes);
        for (byte[] file : List.of(in, out)) {
            String size = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format_tags=filesize", "-of", "default=nw=1:nk=1",
                    TestSupport.temp("s.flv", file).toString()).strip();
            if (!size.isEmpty()) {
                assertEquals(file.length, Long.parseLong(size));
            }
        }
    }

    /** The absolute positions in the first onMetaData tag, in file order. */
    static List<Long> positions(byte[] file) {
        List<FlvHandler.Tag> tags = FlvHandler.tags(file, new ContainerScan(MediaType.FLV));
        FlvHandler.MetaData m = FlvHandler.metaData(file, tags.get(0));
        return m.positions().stream().map(p -> (long) Double.longBitsToDouble(FlvHandler.be(file, p, 8))).toList();
    }

    @Test
    void damagedFilesGiveTypedErrorsAndDamage() {
        byte[] in = Fixtures.bytes("containers/clip-aigc.flv");
        byte[] cut = Arrays.copyOf(in, in.length - 7);
        assertTrue(LABELER.inspect(cut, "cut.flv", List.of()).damaged());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(cut, "cut.flv", LabelRequest.produced(PRODUCER, "x")));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
        // onMetaData nested 10 000 deep: a bounded walk, reported as damage.
        byte[] deep = new byte[13 + 11 + 13 + 10_000 * 4 + 4];
        System.arraycopy(in, 0, deep, 0, 13);
        int data = deep.length - 13 - 11 - 4;
        int p = 13;
        deep[p] = 18;
        deep[p + 1] = (byte) (data >>> 16);
        deep[p + 2] = (byte) (data >>> 8);
        deep[p + 3] = (byte) data;
        p += 11;
        deep[p++] = 2;
        deep[p++] = 0;
        deep[p++] = 10;
        for (char c : "onMetaData".toCharArray()) {
            deep[p++] = (byte) c;
        }
        while (p + 4 <= 13 + 11 + data) {
            deep[p++] = 3; // an object whose first key is "" ... never closed: object after object
            deep[p++] = 0;
            deep[p++] = 1;
            deep[p++] = 'k';
        }
        ContainerScan scan = new FlvHandler().scan(deep, Limits.DEFAULT);
        assertTrue(scan.damaged(), scan.damage().toString());
    }
}
