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
}
