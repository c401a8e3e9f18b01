package org.aigcmark.format.png;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.junit.jupiter.api.Test;
import org.aigcmark.testdata.Allocations;

/** A PNG with 99 990 AIGC text chunks (7 MB, issue 16's "huge counts"; under the 100 000-chunk cap): its scan allocated 367 MiB, inspect 786 MiB. */
class PngHostileTest {
    static final long HEAP_BUDGET = 256L << 20;


    @Test
    void manyTextChunksAreCappedAndReported() throws Exception {
        byte[] png = DuplicateRecordsTest.png();
        byte[] text = DuplicateRecordsTest.text("AIGC", DuplicateRecordsTest.OLD);
        byte[] many = DuplicateRecordsTest.withChunks(png, 99_990, java.util.List.of("tEXt"), java.util.List.of(text));
        ContainerScan[] scan = new ContainerScan[1];
        long bytes = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Allocations.allocated(() -> scan[0] = new PngHandler().scan(many, Limits.DEFAULT)), "hang guard only");
        assertTrue(bytes < HEAP_BUDGET, "allocated " + (bytes >> 20) + " MiB for a " + (many.length >> 10) + " KiB file");
        assertTrue(scan[0].slots().size() <= Limits.MAX_METADATA_PACKETS, scan[0].slots().size() + " slots");
        assertTrue(scan[0].notes().stream().anyMatch(d -> d.contains("more than " + Limits.MAX_METADATA_PACKETS + " text chunks")),
                scan[0].notes().toString());
        assertTrue(scan[0].damage().isEmpty(), "not damage: labelling still replaces every copy " + scan[0].damage());
    }
}
