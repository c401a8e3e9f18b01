package org.aigcmark.detection;

import java.nio.file.Path;
import java.util.List;
import org.aigcmark.InspectReport;
import org.aigcmark.format.MediaType;
import org.aigcmark.key.WatermarkKey;

/**
 * Checks the content of a format the sdk cannot decode itself, plugged in by another module: the video module's
 * frame check (watermark per 2-s segment, visible labels, the {@link EvidenceCheck}s on sampled frames).
 * {@link Detector} finds implementations through {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/org.aigcmark.detection.MediaCheck} entry) and folds their findings into its one report
 * and verdict, so every caller gets the same answer for a video. Implementations are stateless and thread-safe.
 */
public interface MediaCheck {
    /** A short stable name, e.g. {@code "video-frames"}. */
    String name();

    /** Whether this check reads files of this format ({@link InspectReport#format()}). */
    boolean handles(MediaType format);

    /**
     * Checks the file's content. Problems that do not stop the check go in {@link MediaFindings#problems()}; a file
     * the check cannot read at all throws {@link org.aigcmark.AigcmarkException}, which the detector reports as a
     * problem.
     */
    MediaFindings check(Path file, Context context);

    /**
     * What the detector hands a media check: the container's metadata report, the watermark keys to look for and the
     * pixel checks to run on sampled frames (owned by the detector: a media check never closes them).
     */
    record Context(InspectReport metadata, List<WatermarkKey> watermarkKeys, List<EvidenceCheck> checks) {
        public Context {
            watermarkKeys = List.copyOf(watermarkKeys);
            checks = List.copyOf(checks);
        }
    }
}
