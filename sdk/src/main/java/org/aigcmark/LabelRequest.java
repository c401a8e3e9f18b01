package org.aigcmark;

import java.util.Optional;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.visible.VisibleLabelOptions;

/**
 * What {@link Labeler#label} writes: the metadata record (always), and optionally a visible label, a producer
 * signature in ReservedCode1 and an invisible watermark.
 */
public record LabelRequest(AigcLabel label, Optional<VisibleLabelOptions> visible,
                           Optional<LabelKeys.SigningKey> signingKey, Optional<WatermarkKey> watermarkKey) {

    public LabelRequest {
        visible = visible == null ? Optional.empty() : visible;
        signingKey = signingKey == null ? Optional.empty() : signingKey;
        watermarkKey = watermarkKey == null ? Optional.empty() : watermarkKey;
    }

    /** A producer's label: Label "1", propagation fields equal to the production fields. */
    public static LabelRequest produced(String contentProducer, String produceId) {
        return new LabelRequest(AigcLabel.produced(contentProducer, produceId), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public LabelRequest withVisible(VisibleLabelOptions v) {
        return new LabelRequest(label, Optional.of(v), signingKey, watermarkKey);
    }

    public LabelRequest withSigningKey(LabelKeys.SigningKey k) {
        return new LabelRequest(label, visible, Optional.of(k), watermarkKey);
    }

    public LabelRequest withWatermark(WatermarkKey k) {
        return new LabelRequest(label, visible, signingKey, Optional.of(k));
    }
}
