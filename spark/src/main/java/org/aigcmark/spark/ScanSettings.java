package org.aigcmark.spark;

import java.io.Serializable;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detect.DetectorSettings;

/**
 * How {@link AigcScan} scans: the detector's settings (the CLI's {@code scan} options) and the sizes that route a file.
 * Serializable: Spark ships it to the executors inside each task.
 *
 * @param detector how each executor builds its one {@code Detector}; key and model files are read on the executor
 *     (local paths, or the names of files shipped with {@code --files}/{@code --archives}: see {@link AigcScan})
 * @param maxRowBytes files up to this size are scanned from the {@code binaryFile} row's bytes; larger ones are read
 *     by the executor from their path (a row holds at most 2 GiB, and big rows cost executor memory)
 * @param maxFileBytes a file over this size is an error row, never read (the detector's own limits still apply below)
 * @param withReport add the column {@code report}: the file's whole {@code detect --json} report as a JSON string
 */
public record ScanSettings(DetectorSettings detector, long maxRowBytes, long maxFileBytes, boolean withReport)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The default for {@link #maxRowBytes()}: 64 MiB. */
    public static final long DEFAULT_MAX_ROW_BYTES = 64L << 20;

    /** Checks the sizes. */
    public ScanSettings {
        if (detector == null) {
            throw AigcmarkException.invalid("detector settings are required");
        }
        if (maxRowBytes < 0 || maxRowBytes > Integer.MAX_VALUE - 64) {
            throw AigcmarkException.invalid("--max-row-bytes must be 0.." + (Integer.MAX_VALUE - 64) + ", got " + maxRowBytes);
        }
        if (maxFileBytes < 0) {
            throw AigcmarkException.invalid("--max-file-bytes must be 0 or more, got " + maxFileBytes);
        }
    }

    /** These detector settings, rows up to 64 MiB, no file-size cap of our own, with the {@code report} column. */
    public static ScanSettings of(DetectorSettings detector) {
        return new ScanSettings(detector, DEFAULT_MAX_ROW_BYTES, Long.MAX_VALUE, true);
    }

    /** The same with this {@link #maxRowBytes()}. */
    public ScanSettings withMaxRowBytes(long bytes) {
        return new ScanSettings(detector, bytes, maxFileBytes, withReport);
    }

    /** The same with this {@link #maxFileBytes()}. */
    public ScanSettings withMaxFileBytes(long bytes) {
        return new ScanSettings(detector, maxRowBytes, bytes, withReport);
    }

    /** The same with (true) or without the {@code report} column's contents (null when false). */
    public ScanSettings withReport(boolean on) {
        return new ScanSettings(detector, maxRowBytes, maxFileBytes, on);
    }
}
