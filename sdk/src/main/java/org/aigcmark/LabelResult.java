package org.aigcmark;

import java.util.List;
import java.util.Optional;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.visible.VisibleLabelRenderer;

/**
 * What a label or propagate call wrote. {@code watermarkPayload}: the payload of the watermark the output carries;
 * {@code existingWatermark}: present when the input already carried our watermark under the request's key, which was
 * then kept instead of embedding a second (its payload; equal to {@code watermarkPayload}).
 */
public record LabelResult(byte[] bytes, org.aigcmark.format.MediaType format, AigcLabel label, boolean pixelsChanged,
                          Optional<VisibleLabelRenderer.Placement> visible, Optional<String> watermarkPayload,
                          List<String> notes, Optional<String> existingWatermark) {
    public LabelResult {
        notes = List.copyOf(notes);
        existingWatermark = existingWatermark == null ? Optional.empty() : existingWatermark;
    }

    public LabelResult(byte[] bytes, org.aigcmark.format.MediaType format, AigcLabel label, boolean pixelsChanged,
                       Optional<VisibleLabelRenderer.Placement> visible, Optional<String> watermarkPayload, List<String> notes) {
        this(bytes, format, label, pixelsChanged, visible, watermarkPayload, notes, Optional.empty());
    }
}
