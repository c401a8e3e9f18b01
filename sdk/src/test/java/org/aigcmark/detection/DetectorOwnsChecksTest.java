package org.aigcmark.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.aigcmark.Labeler;
import org.aigcmark.watermark.WatermarkOptions;
import org.junit.jupiter.api.Test;

/** The detector owns the checks it was built with: it closes each once, whichever of its copies is closed. */
class DetectorOwnsChecksTest {
    static final class Counting implements EvidenceCheck {
        final AtomicInteger closed = new AtomicInteger();
        final boolean fail;

        Counting(boolean fail) {
            this.fail = fail;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public List<Evidence> check(BufferedImage image, List<String> problems) {
            return List.of();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
            if (fail) {
                throw new IllegalStateException("native release failed");
            }
        }
    }

    @Test
    void copiesShareTheChecksAndCloseThemOnce() {
        Counting a = new Counting(false);
        Counting b = new Counting(false);
        Detector d = Detector.create(Labeler.create(), List.of(), List.of(), List.of(a, b));
        Detector copy = d.withWatermarkSearch(WatermarkOptions.Search.QUICK).metadataOnly();
        assertEquals(List.of(a, b), copy.checks());
        copy.close();
        assertEquals(1, a.closed.get());
        assertEquals(1, b.closed.get());
        d.close();
        assertEquals(1, a.closed.get(), "closing again is a no-op");
    }

    @Test
    void aCheckThatFailsToCloseDoesNotKeepTheOthersOpen() {
        Counting bad = new Counting(true);
        Counting good = new Counting(false);
        Detector d = Detector.create(Labeler.create(), List.of(), List.of(), List.of(bad, good));
        assertThrows(IllegalStateException.class, d::close);
        assertEquals(1, good.closed.get());
    }
}
