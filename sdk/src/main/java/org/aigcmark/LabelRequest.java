package org.aigcmark;

import java.util.Optional;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.visible.VisibleLabelOptions;

/**
 * What {@link Labeler#label} writes: the metadata record (always), and optionally a visible label, a producer
 * signature in ReservedCode1 and an invisible watermark. {@code visibleAgain}: draw the visible label even when the
 * image already shows one of ours (refused by default, so relabelling never stacks two).
 */
public record LabelRequest(AigcLabel label, Optional<VisibleLabelOptions> visible,
                           Optional<LabelKeys.SigningKey> signingKey, Optional<WatermarkKey> watermarkKey,
                           boolean visibleAgain) {

    public LabelRequest {
        visible = visible == null ? Optional.empty() : visible;
        signingKey = signingKey == null ? Optional.empty() : signingKey;
        watermarkKey = watermarkKey == null ? Optional.empty() : watermarkKey;
    }

    public LabelRequest(AigcLabel label, Optional<VisibleLabelOptions> visible,
                        Optional<LabelKeys.SigningKey> signingKey, Optional<WatermarkKey> watermarkKey) {
        this(label, visible, signingKey, watermarkKey, false);
    }

    /** A producer's label: Label "1", propagation fields equal to the production fields. */
    public static LabelRequest produced(String contentProducer, String produceId) {
        return new LabelRequest(AigcLabel.produced(contentProducer, produceId), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public LabelRequest withVisible(VisibleLabelOptions v) {
        return new LabelRequest(label, Optional.of(v), signingKey, watermarkKey, visibleAgain);
    }

    public LabelRequest withSigningKey(LabelKeys.SigningKey k) {
        return new LabelRequest(label, visible, Optional.of(k), watermarkKey, visibleAgain);
    }

    public LabelRequest withWatermark(WatermarkKey k) {
        return new LabelRequest(label, visible, signingKey, Optional.of(k), visibleAgain);
    }

    /** Draws the visible label even over an image that already shows one of ours (a second label, stacked). */
    public LabelRequest withVisibleAgain() {
        return new LabelRequest(label, visible, signingKey, watermarkKey, true);
    }
}
