package org.aigcmark.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.MediaLabeler;
import org.aigcmark.format.MediaType;

/**
 * The sdk's {@link MediaLabeler} for MP4/MOV and Matroska/WebM (registered in {@code META-INF/services}): a
 * {@link Labeler} call that asks for a visible label or the watermark on a video comes here and runs
 * {@link VideoLabeler} with the default {@link VideoOptions} (the input's codec family, quality and frame rate; audio
 * copied bit-exact). The CLI calls {@link VideoLabeler} itself, for its progress bar and encoder options.
 */
public final class VideoMediaLabeler implements MediaLabeler {
    @Override
    public boolean handles(MediaType format) {
        return format == MediaType.MP4 || format == MediaType.MKV;
    }

    @Override
    public LabelResult label(Labeler labeler, Path in, Path out, LabelRequest request) {
        VideoLabelResult r = VideoLabeler.create(labeler).label(in, out, request, VideoOptions.defaults());
        List<String> notes = new ArrayList<>(r.notes());
        if (r.reencoded()) {
            notes.add(0, String.format(Locale.ROOT, "frames re-encoded: %dx%d, %d frames with %s; audio copied bit-exact (%d packets)",
                    r.width(), r.height(), r.frames(), r.encoder(), r.audioPackets()));
        }
        MediaType type = MediaType.sniff(labeler.readHead(out));
        return new LabelResult(new byte[0], type, r.label(), r.reencoded(), r.visible(), r.watermarkPayload(), notes,
                r.reencoded() ? Optional.empty() : r.watermarkPayload());
    }
}
