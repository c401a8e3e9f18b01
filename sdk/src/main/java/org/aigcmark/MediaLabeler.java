package org.aigcmark;

import java.nio.file.Path;
import org.aigcmark.format.MediaType;

/**
 * Labels the content of a format whose pixels the sdk cannot re-encode itself: the video module's implementation
 * draws the visible label on the first seconds of a video and embeds the watermark in every frame, re-encoding them,
 * then writes the record through the {@link Labeler} it is given. {@link Labeler#label} finds implementations through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.aigcmark.MediaLabeler}) and hands them a request that
 * asks for pixel work on a format they handle, so SDK callers and the service label a video the way the CLI does.
 * Without one, such a request is {@code UNSUPPORTED_FORMAT} naming the artifact to add.
 */
public interface MediaLabeler {
    /** Whether this labeller re-encodes files of this format. */
    boolean handles(MediaType format);

    /**
     * Whether this labeller does what {@code request} asks of a file of this format; by default {@link
     * #handles(MediaType)}. The first installed labeller that says yes gets the request (the audio cue and the
     * video frames are done by different labellers of the same module).
     */
    default boolean handles(MediaType format, LabelRequest request) {
        return handles(format);
    }

    /**
     * Labels {@code in} into {@code out} (atomically; {@code in} is not modified) as {@code request} asks, writing the
     * record through {@code labeler} (its registry and limits). The result carries no bytes: the output is on disk.
     *
     * @throws AigcmarkException as {@link Labeler#label(Path, Path, LabelRequest)} does
     */
    LabelResult label(Labeler labeler, Path in, Path out, LabelRequest request);
}
