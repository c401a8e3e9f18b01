package org.aigcmark.detect.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.aigcmark.AigcmarkException;
import org.junit.jupiter.api.Test;

class ScoreAggregationTest {
    @Test
    void maxAndTopMean() {
        List<Double> frames = List.of(0.1, 0.9, 0.2, 0.7, 0.3);
        assertEquals(0.9, ScoreAggregation.max(frames));
        assertEquals(0.8, ScoreAggregation.topMean(frames, 2), 1e-12);
        assertEquals(0.44, ScoreAggregation.topMean(frames, 10), 1e-12);
        assertEquals(0, ScoreAggregation.topMean(List.of(), 3));
        assertThrows(AigcmarkException.class, () -> ScoreAggregation.max(List.of(0.5, Double.NaN)));
        assertThrows(AigcmarkException.class, () -> ScoreAggregation.topMean(frames, 0));
    }
}
