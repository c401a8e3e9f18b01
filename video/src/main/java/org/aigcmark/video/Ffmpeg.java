package org.aigcmark.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import org.aigcmark.AigcmarkException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/** Small helpers around the FFmpeg C API as JavaCPP exposes it. */
final class Ffmpeg {
    /** AVERROR(EAGAIN): errno values are platform constants, FFmpeg negates them. */
    static final int AVERROR_EAGAIN = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac") ? -35 : -11;

    static {
        // Errors reach the caller as AigcmarkException messages; FFmpeg's own log would only duplicate them on stderr.
        av_log_set_level(Integer.getInteger("aigcmark.ffmpeg.loglevel", AV_LOG_FATAL));
    }

    private Ffmpeg() {}

    static void init() {
        // class initialisation does the work
    }

    static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + code + ")";
    }

    static AigcmarkException corrupt(String what, int code) {
        return new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, what + ": " + error(code));
    }

    /** A pointer to a field of a native struct, for the C APIs that take {@code T **field} / {@code int *field}. */
    static Pointer fieldOf(Pointer struct, Class<? extends Pointer> type, String field) {
        long at = struct.address() + Loader.offsetof(type, field);
        return new Pointer() {
            {
                address = at;
            }
        };
    }
}
