package org.aigcmark.detect.model;

import java.util.List;

/**
 * One image's result.
 *
 * @param probabilities the class probabilities, in the spec's label (id2label) order
 * @param fakeScore the summed probability of the spec's fake labels, 0..1
 * @param topLabel the most probable label
 */
public record Classification(List<Double> probabilities, double fakeScore, String topLabel) {
    public Classification {
        probabilities = List.copyOf(probabilities);
    }
}
