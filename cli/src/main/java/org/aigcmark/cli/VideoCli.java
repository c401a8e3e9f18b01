package org.aigcmark.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.aigcmark.LabelRequest;
import org.aigcmark.format.MediaType;
import org.aigcmark.video.VideoLabelResult;
import org.aigcmark.video.VideoLabeler;
import org.aigcmark.video.VideoOptions;

/** Routes video labelling that needs pixels (visible labels, watermark) to the video module, and renders its result. */
final class VideoCli {
    private VideoCli() {}

    /** MP4/MOV/MKV by magic bytes (never by extension). */
    static boolean isVideo(Path file) {
        byte[] head = new byte[64];
        try (var in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            MediaType t = MediaType.sniff(java.util.Arrays.copyOf(head, n));
            // an M4A is audio: the labeler refuses pixel work on it with a usage error naming what audio takes
            return (t == MediaType.MP4 || t == MediaType.MKV) && !MediaType.isAudio(java.util.Arrays.copyOf(head, n));
        } catch (IOException e) {
            return false; // the normal path reports the read error
        }
    }

    /** {@code shownOut}: what the message calls OUT ("standard output" for -, whose bytes go through a temp file). */
    static VideoLabelResult label(Path in, Path out, String shownOut, LabelRequest req, VideoOptions options, PrintWriter o) {
        boolean bar = Terminal.stderrIsTerminal();
        try (ProgressBar pb = bar ? new ProgressBarBuilder().setTaskName("label").setStyle(ProgressBarStyle.ASCII)
                .setUnit(" frames", 1).continuousUpdate().build() : null) {
            VideoOptions opts = pb == null ? options : options.withProgress((done, expected) -> {
                if (expected > 0 && pb.getMax() != expected) {
                    pb.maxHint(Math.max(expected, done));
                }
                pb.stepTo(done);
            });
            VideoLabelResult r = VideoLabeler.create().label(in, out, req, opts);
            if (!r.reencoded()) {
                o.println("wrote " + shownOut + " (" + r.format() + "): AIGC record " + r.label().toBareJson());
                r.watermarkPayload().ifPresent(p -> o.println("  watermark: already in the frames, payload " + p + "; kept"));
                o.println("  content untouched: only the container record changed (the frames and audio are byte-identical)");
                r.notes().forEach(n -> o.println("  note: " + n));
                return r;
            }
            o.println("wrote " + shownOut + " (" + r.format() + ", " + r.width() + "x" + r.height() + ", " + r.frames()
                    + " frames, " + r.encoder() + "): AIGC record " + r.label().toBareJson());
            r.visible().ifPresent(p -> o.printf(Locale.ROOT, "  visible label at %s, glyph height %d px = %.1f%% of the shortest side, %s%n",
                    p.position().name().toLowerCase(Locale.ROOT), p.glyphBox().height, p.heightRatio() * 100,
                    visibleSpan(r)));
            r.watermarkPayload().ifPresent(p -> o.println("  watermark payload " + p + " in every frame's luma"));
            o.println("  audio: " + r.audioPackets() + " packets copied bit-exact (not re-encoded)");
            var t = r.timing();
            o.printf(Locale.ROOT, "  %.1f frames/s; busy time (stages overlap): decode %.0f%%, label %.0f%%, encode+mux %.0f%%,"
                    + " container record %.0f%%; labelling = %.0f%% of the CPU time%n",
                    t.framesPerSecond(r.frames()), pct(t.decodeNanos(), t), pct(t.labelNanos(), t), pct(t.encodeNanos(), t),
                    pct(t.containerNanos(), t), 100 * t.labelCpuShare());
            r.notes().forEach(n -> o.println("  note: " + n));
            return r;
        }
    }

    /** How long the visible label shows: a span asked for longer than the video is the whole video, and says so. */
    static String visibleSpan(VideoLabelResult r) {
        if (Double.isInfinite(r.visibleSeconds())) {
            return "on every frame";
        }
        if (r.durationSeconds() > 0 && r.visibleSeconds() >= r.durationSeconds()) {
            return String.format(Locale.ROOT, "on every frame: the whole %.1f s video (shorter than the %.1f s asked)",
                    r.durationSeconds(), r.visibleSeconds());
        }
        return String.format(Locale.ROOT, "for the first %.1f s", r.visibleSeconds());
    }

    private static double pct(long part, VideoLabelResult.Timing t) {
        return t.totalNanos() == 0 ? 0 : 100.0 * part / t.totalNanos();
    }
}
