package org.aigcmark.format.gif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.xmp.Xmp;
import org.junit.jupiter.api.Test;
import org.aigcmark.testdata.Allocations;

/** GIF bombs the fuzzing campaign found: many XMP packets (GBs allocated), an XMP extension in tiny sub-blocks. */
class GifHostileTest {
    static final String RECORD = "{\"Label\":\"1\",\"ContentProducer\":\"p\",\"ProduceID\":\"g1\"}";
    static final long HEAP_BUDGET = 256L << 20;

    static void header(ByteArrayOutputStream out) {
        out.writeBytes("GIF89a".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {1, 0, 1, 0, (byte) 0x80, 0, 0, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    }

    static void xmpExtension(ByteArrayOutputStream out, byte[] packet) {
        out.writeBytes(new byte[] {0x21, (byte) 0xFF, 11});
        out.writeBytes("XMP DataXMP".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(packet);
        out.write(1); // the "magic trailer" that lets a reader skip the raw packet as sub-blocks
        for (int i = 255; i >= 0; i--) {
            out.write(i);
        }
        out.write(0);
    }

    static byte[] trailer(ByteArrayOutputStream out) {
        out.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B});
        return out.toByteArray();
    }


    @Test
    void duplicateXmpPacketsAreCappedAndReported() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out);
        byte[] packet = Xmp.withLabel(null, RECORD).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1741; i++) {
            xmpExtension(out, packet);
        }
        byte[] gif = trailer(out);
        ContainerScan[] scan = new ContainerScan[1];
        long bytes = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Allocations.allocated(() -> scan[0] = new GifHandler().scan(gif, Limits.DEFAULT)), "hang guard only");
        assertTrue(bytes < HEAP_BUDGET, "allocated " + (bytes >> 20) + " MiB for a " + (gif.length >> 10) + " KiB file");
        assertEquals(Limits.MAX_METADATA_PACKETS, scan[0].slots().size());
        assertTrue(scan[0].damage().stream().anyMatch(d -> d.contains("more than " + Limits.MAX_METADATA_PACKETS + " XMP packets")),
                scan[0].damage().toString());
    }

    @Test
    void anXmpExtensionInTinySubBlocksIsReadWithinBounds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out);
        // The packet's text carried as 20 000 one-byte sub-blocks: raw XMP readers see a length byte before each.
        byte[] text = ("<x:xmpmeta TC260:AIGC=\"" + RECORD.replace("\"", "&quot;") + "\">" + "a".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream blocks = new ByteArrayOutputStream();
        for (byte c : text) {
            blocks.write(1);
            blocks.write(c);
        }
        blocks.writeBytes("</x:xmpmeta>".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 200; i++) {
            xmpExtension(out, blocks.toByteArray());
        }
        byte[] gif = trailer(out);
        long bytes = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Allocations.allocated(() -> new GifHandler().scan(gif, Limits.DEFAULT)), "hang guard only");
        assertTrue(bytes < HEAP_BUDGET, "allocated " + (bytes >> 20) + " MiB for a " + (gif.length >> 10) + " KiB file");
    }
    /** A 20x20 GIF (a gradient) moved to ({@code left}, {@code top}) on a {@code screen}-square logical screen. */
    static byte[] frameOnScreen(int screen, int left, int top) throws java.io.IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(20, 20, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                img.setRGB(x, y, (x * 12) << 16 | (y * 12) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "gif", out);
        byte[] gif = out.toByteArray();
        gif[6] = (byte) screen;
        gif[7] = (byte) (screen >> 8);
        gif[8] = (byte) screen;
        gif[9] = (byte) (screen >> 8);
        int at = GifBlocks.parse(gif).blocks.get(GifBlocks.parse(gif).firstImage()).start();
        gif[at + 1] = (byte) left;
        gif[at + 2] = (byte) (left >> 8);
        gif[at + 3] = (byte) top;
        gif[at + 4] = (byte) (top >> 8);
        return gif;
    }

    @Test
    void detectionSeesTheFrameAsItIsComposedOnTheScreen() throws Exception {
        byte[] gif = frameOnScreen(100, 10, 30);
        GifPixels codec = new GifPixels();
        // The screen as the JDK's reader composes it: its first frame drawn at its place on a transparent screen.
        java.awt.image.BufferedImage screen = new java.awt.image.BufferedImage(100, 100, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = screen.createGraphics();
        g.drawImage(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(gif)), 10, 30, null);
        g.dispose();
        // Labelling (decode) and detection (decodeForChecks) both take the part the frame covers (issue 16).
        for (java.awt.image.BufferedImage checked : java.util.List.of(codec.decode(gif, Limits.DEFAULT), codec.decodeForChecks(gif, Limits.DEFAULT))) {
            assertEquals(20, checked.getWidth());
            assertEquals(20, checked.getHeight());
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    assertEquals(screen.getRGB(10 + x, 30 + y), checked.getRGB(x, y), x + "," + y);
                }
            }
        }
        // A frame running past the screen's edge is cut where the screen cuts it.
        assertEquals(15, codec.decodeForChecks(frameOnScreen(100, 85, 0), Limits.DEFAULT).getWidth());
    }

    /** A file cut inside its screen descriptor: refused as damaged by both decodes, never an index out of bounds. */
    @Test
    void aGifCutInsideItsScreenDescriptorIsCorrupt() {
        byte[] cut = "GIF89a\u00a0".getBytes(StandardCharsets.ISO_8859_1);
        GifPixels codec = new GifPixels();
        for (org.junit.jupiter.api.function.Executable decode : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                () -> codec.decode(cut, Limits.DEFAULT), () -> codec.decodeForChecks(cut, Limits.DEFAULT))) {
            assertEquals(org.aigcmark.AigcmarkException.Reason.CORRUPT_INPUT,
                    org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class, decode).reason());
        }
    }

    @Test
    void aFrameOutsideItsScreenHasNothingToCheck() throws Exception {
        byte[] gif = frameOnScreen(100, 200, 200);
        org.aigcmark.AigcmarkException e = org.junit.jupiter.api.Assertions.assertThrows(org.aigcmark.AigcmarkException.class,
                () -> new GifPixels().decodeForChecks(gif, Limits.DEFAULT));
        assertEquals(org.aigcmark.AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }
}
