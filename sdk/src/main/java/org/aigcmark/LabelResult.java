package org.aigcmark;

import java.util.List;
import java.util.Optional;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.visible.VisibleLabelRenderer;

/** What a label or propagate call wrote. */
public record LabelResult(byte[] bytes, String format, AigcLabel label, boolean pixelsChanged,
                          Optional<VisibleLabelRenderer.Placement> visible, Optional<String> watermarkPayload,
                          List<String> notes) {
    public LabelResult {
        notes = List.copyOf(notes);
    }
}
