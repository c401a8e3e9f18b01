package org.aigcmark;

import java.util.List;

/** The pixel steps a default {@link Labeler} runs. The invisible watermark registers here. */
final class PixelSteps {
    private PixelSteps() {}

    static List<Labeler.PixelStep> defaults() {
        return List.of();
    }
}
