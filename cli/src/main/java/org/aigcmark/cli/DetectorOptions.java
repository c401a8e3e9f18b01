package org.aigcmark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.detect.DetectorFlags;
import org.aigcmark.detect.DetectorSettings;
import org.aigcmark.detection.Detector;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;
import picocli.CommandLine.Mixin;

/** Options shared by {@code detect} and {@code scan}; {@link DetectorSettings} builds the Detector from them. */
final class DetectorOptions implements AutoCloseable {
    @Mixin
    final DetectorFlags flags = new DetectorFlags();

    /** The detector {@link #build} made: it owns the pixel checks and closes them. */
    private Detector built;
    /** The settings {@link #build} used, kept for {@link #resultOptions} and {@link #watermarkKeys}. */
    private DetectorSettings settings;
    /** The watermark keys {@link #build} read (each --key file is read once). */
    private List<WatermarkKey> watermarkKeys = List.of();

    List<WatermarkKey> watermarkKeys() {
        return watermarkKeys;
    }

    /** These options as plain values (the building itself is {@link DetectorSettings#build}, shared with Spark). */
    DetectorSettings settings() {
        return flags.settings();
    }

    Detector build(PrintWriter err) {
        return build(err, 1);
    }

    /**
     * As {@link #build(PrintWriter)}, for {@code workers} detections at once (scan's threads, serve's workers): each
     * OCR session of ONNX Runtime gets cores / workers threads instead of one a core each.
     */
    Detector build(PrintWriter err, int workers) {
        settings = workers > 1 ? settings().withOnnxThreads(DetectorSettings.onnxThreadsFor(Runtime.getRuntime().availableProcessors(), workers))
                : settings();
        built = settings.build(note -> err.println("aigcmark: note: " + note));
        watermarkKeys = settings.watermarkKeys();
        return built;
    }

    /**
     * What shapes a result, as {@link #build} set it up: scan's journal compares it before reusing results. Keys and
     * anchors appear as fingerprints, never secrets; effective values (OCR on only when its models were found).
     */
    ObjectNode resultOptions() {
        if (built == null) {
            throw new IllegalStateException("build() first");
        }
        ObjectNode n = ReportJson.MAPPER.createObjectNode();
        n.put("aigcmark", RootCommand.class.getAnnotation(picocli.CommandLine.Command.class).version()[0]);
        n.setAll(settings.describe(built));
        return n;
    }

    @Override
    public void close() {
        if (built != null) {
            built.close();
        }
    }
}
