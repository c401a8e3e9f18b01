package org.aigcmark.format.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The quality read from the VP8 frame header against the {@code -q} cwebp (an independent encoder) was given. */
class Vp8QualityTest {

    @ParameterizedTest
    @CsvSource({"photos/26-ladybird-forget-me-not.jpg, 30", "photos/26-ladybird-forget-me-not.jpg, 50",
            "photos/26-ladybird-forget-me-not.jpg, 75", "photos/26-ladybird-forget-me-not.jpg, 90",
            "photos/09-pale-wood-planks.jpg, 60", "photos/09-pale-wood-planks.jpg, 80",
            "photos/05-dusk-calm-lake.jpg, 40", "photos/05-dusk-calm-lake.jpg, 95", "photos/31-colorful-cups.jpg, 10"})
    void estimateIsWithinThreeOfCwebpsQuality(String photo, int quality) throws Exception {
        Path out = Files.createTempDirectory("vp8q").resolve("q.webp");
        TestSupport.run("cwebp", "-quiet", "-q", String.valueOf(quality), "-resize", "640", "0", Fixtures.path(photo).toString(), "-o", out.toString());
        int estimated = Vp8Quality.estimate(Files.readAllBytes(out)).orElseThrow();
        assertTrue(Math.abs(estimated - quality) <= 3, photo + " at -q " + quality + " read as " + estimated);
    }

    @ParameterizedTest
    @CsvSource({"webp/lossy.webp, 80"})
    void fixtureMadeAtAKnownQuality(String fixture, int quality) {
        int estimated = Vp8Quality.estimate(Fixtures.bytes(fixture)).orElseThrow();
        assertTrue(Math.abs(estimated - quality) <= 3, fixture + " read as " + estimated);
    }

    @ParameterizedTest
    @CsvSource({"webp/lossless.webp"})
    void losslessHasNoQuality(String fixture) {
        assertEquals(java.util.OptionalInt.empty(), Vp8Quality.estimate(Fixtures.bytes(fixture)));
    }

    @ParameterizedTest
    @CsvSource({"0, 100", "127, 0"})
    void mappingEnds(int quantiser, int quality) {
        assertEquals(quality, Vp8Quality.qualityOf(quantiser));
    }

    /** Hostile input: a VP8 chunk cut short, or a declared size past the file's end, reads as unknown, never throws. */
    @org.junit.jupiter.api.Test
    void truncatedFramesReadAsUnknown() {
        byte[] lossy = Fixtures.bytes("webp/lossy.webp");
        for (int cut : new int[] {20, 25, 30, 40, 64}) {
            java.util.OptionalInt q = Vp8Quality.estimate(java.util.Arrays.copyOf(lossy, cut));
            assertTrue(q.isEmpty() || (q.getAsInt() >= 0 && q.getAsInt() <= 100), cut + ": " + q);
        }
    }
}
