package org.aigcmark.format.tiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.junit.jupiter.api.Test;

/** BigTIFF offsets near 2^63 (found by the fuzz campaign): range checks that overflowed let them through. */
class TiffHostileTest {
    private static final FormatHandler TIFF = Labeler.create().registry().handlerFor(MediaType.TIFF).orElseThrow();

    private static ByteBuffer bigTiffHeader(int size, long firstIfd) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 'I').put((byte) 'I').putShort((short) 43).putShort((short) 8).putShort((short) 0)
                .putLong(firstIfd);
    }

    @Test
    void anIfdOffsetPastEveryFileIsDamageNotACrash() {
        byte[] file = bigTiffHeader(16, -1L).array(); // 0xFF.. reads as Long.MAX_VALUE: offset + 8 overflowed
        ContainerScan scan = TIFF.scan(file, Limits.DEFAULT);
        assertTrue(scan.damaged(), scan.damage().toString());
    }

    @Test
    void aValueOffsetPastEveryFileIsDamageNotACrash() {
        ByteBuffer b = bigTiffHeader(16 + 8 + 2 * 20 + 8, 16).putLong(2);
        for (int tag : new int[] {256, 257}) { // width and height as two LONG8s stored at offset 0xFF..
            b.putShort((short) tag).putShort((short) 16).putLong(2).putLong(-1L);
        }
        b.putLong(0);
        ContainerScan scan = TIFF.scan(b.array(), Limits.DEFAULT);
        assertTrue(scan.damaged(), scan.damage().toString());
    }
}
