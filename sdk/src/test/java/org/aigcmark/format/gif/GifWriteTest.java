package org.aigcmark.format.gif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.TestSupport;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelFinder;
import org.aigcmark.visible.VisibleLabelOptions;
import org.junit.jupiter.api.Test;

/** GIF writing: the record as the XMP application extension, frames byte-identical; the visible label on frame 1. */
class GifWriteTest {
    static final Labeler LABELER = Labeler.create();
    static final String PRODUCER = "001191110102MACQD9K64010000";

    /** Every image block (descriptor, colour table, LZW data) and graphic control, in order, as one byte string. */
    static byte[] frames(byte[] gif, int from) {
        GifBlocks g = GifBlocks.parse(gif);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int image = 0;
        for (GifBlocks.Block b : g.blocks) {
            if (b.kind() == GifBlocks.IMAGE) {
                image++;
            }
            if (image > from && (b.kind() == GifBlocks.IMAGE || b.label() == GifBlocks.GRAPHIC_CONTROL)) {
                out.write(gif, b.start(), b.end() - b.start());
            }
        }
        return out.toByteArray();
    }

    static int xmpExtensions(byte[] gif) {
        return (int) GifBlocks.parse(gif).blocks.stream().filter(b -> b.isXmp(gif)).count();
    }

    static String exiftoolRecord(byte[] gif) {
        return TestSupport.run("exiftool", "-config", Fixtures.root().resolve("tools/tc260.exiftool.config").toString(),
                "-a", "-s3", "-XMP-TC260:AIGC", TestSupport.temp("out.gif", gif).toString()).strip();
    }

    @Test
    void theRecordGoesIntoAnXmpExtensionAndEveryFrameStaysByteIdentical() {
        byte[] in = Fixtures.bytes("containers/animated.gif");
        AigcLabel label = AigcLabel.produced(PRODUCER, "gif-1");
        byte[] out = LABELER.label(in, "animated.gif", new LabelRequest(label, null, null, null)).bytes();
        assertArrayEquals(frames(in, 0), frames(out, 0));
        assertEquals(1, xmpExtensions(out));
        InspectReport r = LABELER.inspect(out, "out.gif", List.of());
        assertEquals(1, r.labels().size());
        assertEquals(label, r.labels().get(0).label());
        assertEquals(label.toBareJson(), exiftoolRecord(out));
        // ImageMagick still sees the five frames of 96x72, and the loop extension kept its place before them.
        String identify = TestSupport.run("identify", "-format", "%n %W %H\n", TestSupport.temp("out.gif", out).toString());
        assertEquals("5 96 72", identify.lines().findFirst().orElseThrow(), identify);
        assertEquals("NETSCAPE2.0", new String(out, GifBlocks.parse(out).blocks.get(0).start() + 3, 11, StandardCharsets.ISO_8859_1));
    }

    @Test
    void exiftoolsXmpExtensionIsReplacedNotJoinedBySecondOne() {
        byte[] in = Fixtures.bytes("labeled/xmp-element.gif");
        assertEquals(1, xmpExtensions(in));
        AigcLabel label = AigcLabel.produced(PRODUCER, "gif-2");
        byte[] out = LABELER.label(in, "x.gif", new LabelRequest(label, null, null, null)).bytes();
        assertEquals(1, xmpExtensions(out));
        assertArrayEquals(frames(in, 0), frames(out, 0));
        assertEquals(label.toBareJson(), exiftoolRecord(out));
        // Relabelling the output keeps it at one extension.
        byte[] again = LABELER.label(out, "x.gif", new LabelRequest(AigcLabel.produced(PRODUCER, "gif-3"), null, null, null)).bytes();
        assertEquals(1, xmpExtensions(again));
        assertEquals(AigcLabel.produced(PRODUCER, "gif-3").toBareJson(), exiftoolRecord(again));
    }

    @Test
    void aRecordInACommentIsReplacedByTheOneInXmp() {
        byte[] in = Fixtures.bytes("containers/animated.gif");
        GifBlocks g = GifBlocks.parse(in);
        String old = "{\"AIGC\":" + AigcLabel.produced(PRODUCER, "old-comment").toBareJson() + "}";
        ByteArrayOutputStream comment = new ByteArrayOutputStream();
        comment.write(0x21);
        comment.write(0xFE);
        byte[] text = old.getBytes(StandardCharsets.ISO_8859_1);
        for (int p = 0; p < text.length; p += 255) {
            int n = Math.min(255, text.length - p);
            comment.write(n);
            comment.write(text, p, n);
        }
        comment.write(0);
        byte[] withComment = TestSupport.concat(Arrays.copyOf(in, g.headerEnd), comment.toByteArray(),
                Arrays.copyOfRange(in, g.headerEnd, in.length));
        assertEquals("old-comment", LABELER.inspect(withComment, "c.gif", List.of()).labels().get(0).label().produceId());
        byte[] out = LABELER.label(withComment, "c.gif", LabelRequest.produced(PRODUCER, "new")).bytes();
        InspectReport r = LABELER.inspect(out, "out.gif", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals("new", r.labels().get(0).label().produceId());
    }

    @Test
    void theContentDigestIsTheSameBeforeAndAfterTheLabel() throws Exception {
        byte[] in = Fixtures.bytes("containers/animated.gif");
        byte[] out = LABELER.label(in, "a.gif", LabelRequest.produced(PRODUCER, "d")).bytes();
        GifHandler h = new GifHandler();
        for (boolean presentation : new boolean[] {false, true}) {
            MessageDigest a = MessageDigest.getInstance("SHA-256");
            MessageDigest b = MessageDigest.getInstance("SHA-256");
            if (presentation) {
                h.digestPresentation(in, a, Limits.DEFAULT);
                h.digestPresentation(out, b, Limits.DEFAULT);
            } else {
                h.digestContent(in, a, Limits.DEFAULT);
                h.digestContent(out, b, Limits.DEFAULT);
            }
            assertEquals(HexFormat.of().formatHex(a.digest()), HexFormat.of().formatHex(b.digest()));
        }
        // The loop count is presentation: changing it changes that digest.
        byte[] loopOnce = in.clone();
        int loop = GifBlocks.parse(in).blocks.get(0).start() + 16;
        loopOnce[loop] = 1;
        MessageDigest a = MessageDigest.getInstance("SHA-256");
        MessageDigest b = MessageDigest.getInstance("SHA-256");
        h.digestPresentation(in, a, Limits.DEFAULT);
        h.digestPresentation(loopOnce, b, Limits.DEFAULT);
        assertTrue(!Arrays.equals(a.digest(), b.digest()));
    }

    @Test
    void theVisibleLabelIsDrawnOnTheFirstFrameAndTheOthersStayByteIdentical() throws Exception {
        byte[] in = Fixtures.bytes("containers/animated.gif");
        var result = LABELER.label(in, "a.gif", LabelRequest.produced(PRODUCER, "v").withVisible(VisibleLabelOptions.defaults()));
        byte[] out = result.bytes();
        assertTrue(result.pixelsChanged());
        assertTrue(result.notes().stream().anyMatch(n -> n.contains("the visible label is on the first frame")), result.notes().toString());
        assertArrayEquals(frames(in, 1), frames(out, 1));
        String identify = TestSupport.run("identify", "-format", "%n %W %H\n", TestSupport.temp("v.gif", out).toString());
        assertEquals("5 96 72", identify.lines().findFirst().orElseThrow(), identify);
        var first = new GifPixels().decode(out, Limits.DEFAULT);
        assertTrue(VisibleLabelFinder.find(first, 1, VisibleLabelFinder.templatesFor(VisibleLabelOptions.defaults())).isPresent());
        assertEquals(1, LABELER.inspect(out, "v.gif", List.of()).labels().size());
        // The first frame kept its delay (10 cs at 5 fps) as ImageMagick reads it.
        String delays = TestSupport.run("identify", "-format", "%T\n", TestSupport.temp("v.gif", out).toString());
        assertEquals(TestSupport.run("identify", "-format", "%T\n", Fixtures.path("containers/animated.gif").toString()), delays);
    }

    /**
     * A first frame smaller than its screen (the labelled fixture's 160x100 frame placed at +120+80 on a 400x300
     * screen): the label goes on the frame, which is all a viewer sees on the opening frame (nothing is coded around
     * it), and the labelled frame keeps its place and size. Before, the whole screen was composed and the label drawn
     * in the screen's empty corner, the new frame covering the screen. ImageMagick reads the output independently.
     */
    @Test
    void theVisibleLabelGoesOnTheFirstFrameWhereItLiesOnALargerScreen() throws Exception {
        byte[] in = Fixtures.bytes("labeled/xmp-element.gif");
        GifBlocks.Block frame = GifBlocks.parse(in).blocks.get(GifBlocks.parse(in).firstImage());
        assertEquals("160 100 0 0", u16(in, 6) + " " + u16(in, 8) + " " + u16(in, frame.start() + 1) + " "
                + u16(in, frame.start() + 3), "the fixture's frame fills its screen");
        in[6] = (byte) 144; in[7] = 1;   // screen 400x300
        in[8] = 44; in[9] = 1;
        in[frame.start() + 1] = 120;     // frame at +120+80
        in[frame.start() + 3] = 80;
        byte[] out = LABELER.label(in, "offset.gif", LabelRequest.produced(PRODUCER, "o")
                .withVisible(VisibleLabelOptions.defaults())).bytes();
        Path file = TestSupport.temp("offset.gif", out);
        assertEquals("1 400 300 160 100 +120 +80", TestSupport.run("identify", "-format", "%n %W %H %w %h %X %Y\n",
                file.toString()).strip());
        Path flat = file.resolveSibling("offset-flat.png");
        TestSupport.run("convert", file + "[0]", "-background", "none", "-flatten", flat.toString());
        BufferedImage screen = ImageIO.read(flat.toFile());
        assertEquals(400, screen.getWidth());
        List<VisibleLabelOptions> templates = VisibleLabelFinder.templatesFor(VisibleLabelOptions.defaults());
        assertTrue(VisibleLabelFinder.find(screen.getSubimage(120, 80, 160, 100), 1, templates).isPresent(),
                "ImageMagick shows the label on the frame");
        for (int y = 0; y < 300; y += 7) {
            for (int x = 0; x < 400; x += 7) {
                boolean inFrame = x >= 120 && x < 280 && y >= 80 && y < 180;
                assertTrue(inFrame || screen.getRGB(x, y) >>> 24 == 0, "outside the frame the screen stays empty at " + x + "," + y);
            }
        }
        assertEquals(1, LABELER.inspect(out, "o.gif", List.of()).labels().size());
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    @Test
    void aPixelBombTakesTheRecordButNotAVisibleLabel() {
        // 41 bytes declaring a 10000x10000 screen and frame.
        byte[] bomb = TestSupport.concat("GIF89a".getBytes(StandardCharsets.ISO_8859_1), new byte[] {0x10, 0x27, 0x10, 0x27,
                (byte) 0x80, 0, 0, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255, 0x2C, 0, 0, 0, 0, 0x10, 0x27, 0x10, 0x27, 0, 2, 2,
                0x44, 1, 0, 0x3B});
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(bomb, "bomb.gif",
                LabelRequest.produced(PRODUCER, "b").withVisible(VisibleLabelOptions.defaults())));
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, e.reason(), e.getMessage());
        byte[] out = LABELER.label(bomb, "bomb.gif", LabelRequest.produced(PRODUCER, "b")).bytes();
        assertEquals("b", LABELER.inspect(out, "b.gif", List.of()).labels().get(0).label().produceId());
    }

    @Test
    void aTruncatedGifIsRefusedAndNothingIsWritten() {
        byte[] in = Fixtures.bytes("containers/animated.gif");
        byte[] cut = Arrays.copyOf(in, in.length / 2);
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(cut, "cut.gif", LabelRequest.produced(PRODUCER, "t")));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
        e = assertThrows(AigcmarkException.class, () -> new GifHandler().writeLabel(cut, AigcLabel.produced(PRODUCER, "t"), Limits.DEFAULT));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
    }
}
