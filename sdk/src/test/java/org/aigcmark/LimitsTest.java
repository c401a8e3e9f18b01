package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The decode checks in one call: the pixel limit, the per-byte rule above 16 Mpx, and a format's coding ceiling. */
class LimitsTest {
    static final Limits LIMITS = Limits.DEFAULT;

    @Test
    void theCodingCeilingRefusesAnImageItsBytesCannotCarryAsCorrupt() {
        // 4000x4000 in 35 bytes: under 16 Mpx, so only GIF's ceiling (2 731 pixels a byte) refuses it
        assertDoesNotThrow(() -> LIMITS.checkDecode(4000, 4000, 35, "gif"));
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> LIMITS.checkDecode(4000, 4000, 35, Limits.GIF_PIXELS_PER_BYTE, "gif"));
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, e.reason());
        assertTrue(e.getMessage().contains("2731 pixels per byte at best"), e.getMessage());
        assertDoesNotThrow(() -> LIMITS.checkDecode(4000, 4000, 6000, Limits.GIF_PIXELS_PER_BYTE, "gif"));
    }

    @Test
    void theOverloadKeepsThePixelLimitAndThePerByteRule() {
        assertEquals(AigcmarkException.Reason.CORRUPT_INPUT, assertThrows(AigcmarkException.class,
                () -> LIMITS.checkDecode(0, 10, 100, Limits.JPEG_PIXELS_PER_BYTE, "jpeg")).reason());
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, assertThrows(AigcmarkException.class,
                () -> LIMITS.checkDecode(100_000, 100_000, 1 << 30, Limits.JPEG_PIXELS_PER_BYTE, "jpeg")).reason());
        // 10000x10000 in 300 KB: within JPEG's ceiling (512 a byte), over the 64-per-byte rule above 16 Mpx
        assertEquals(AigcmarkException.Reason.LIMIT_EXCEEDED, assertThrows(AigcmarkException.class,
                () -> LIMITS.checkDecode(10_000, 10_000, 300_000, Limits.JPEG_PIXELS_PER_BYTE, "jpeg")).reason());
    }
}
