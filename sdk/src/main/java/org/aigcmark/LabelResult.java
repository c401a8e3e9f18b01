package org.aigcmark;

import java.util.List;
import java.util.Optional;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.visible.VisibleLabelRenderer;

/**
 * What a label or propagate call wrote.
 *
 * @param bytes the labelled file; empty for the {@code Path} methods that wrote it to disk while streaming
 * @param format the format (its {@code id()} is what reports print, e.g. {@code "jpeg"}, {@code "mp4"})
 * @param label the record written
 * @param pixelsChanged whether the image was decoded and encoded again (visible label or watermark)
 * @param visible where the visible label was drawn, or empty
 * @param watermarkPayload the payload of the watermark the output carries (hex), or empty
 * @param notes what could not be kept or was decided on the caller's behalf (a codec's losses, a changed Label);
 *     never null
 * @param existingWatermark present when the input already carried our watermark under the request's key, which was
 *     then kept instead of embedding a second (its payload; equal to {@code watermarkPayload})
 */
public record LabelResult(byte[] bytes, org.aigcmark.format.MediaType format, AigcLabel label, boolean pixelsChanged,
                          Optional<VisibleLabelRenderer.Placement> visible, Optional<String> watermarkPayload,
                          List<String> notes, Optional<String> existingWatermark) {
    public LabelResult {
        notes = List.copyOf(notes);
        existingWatermark = existingWatermark == null ? Optional.empty() : existingWatermark;
    }

    /** A result for an input that carried no watermark of ours ({@code existingWatermark} empty). */
    public LabelResult(byte[] bytes, org.aigcmark.format.MediaType format, AigcLabel label, boolean pixelsChanged,
                       Optional<VisibleLabelRenderer.Placement> visible, Optional<String> watermarkPayload, List<String> notes) {
        this(bytes, format, label, pixelsChanged, visible, watermarkPayload, notes, Optional.empty());
    }
}
