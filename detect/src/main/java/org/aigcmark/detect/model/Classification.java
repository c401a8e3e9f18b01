package org.aigcmark.detect.model;

import java.util.List;

/**
 * One image's result: the class probabilities (in id2label order), the fake score (the summed probability of the
 * spec's fake labels, 0..1) and the most probable label.
 */
public record Classification(List<Double> probabilities, double fakeScore, String topLabel) {
    public Classification {
        probabilities = List.copyOf(probabilities);
    }
}
