package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.Evidence;
import org.aigcmark.detection.EvidenceCheck;
import org.aigcmark.detection.forensic.ForensicSignalCheck;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VideoDetector#withChecks}: the frames the checks see (as displayed, against the ffmpeg CLI's decode), the
 * sampling schedule, and the generic per-check aggregation with the sdk's weight-free forensic check. The OCR and
 * ONNX checks live in the detect module; their video tests are in the cli module (VideoChecksTest).
 */
class VideoDetectorChecksTest {
    static final Path SOURCE = Fixtures.path("video/sample-360p-2s5.mp4"); // 640x360, 25 fps, 2.52 s
    @TempDir
    Path tmp;

    /** Records what a check is given: the time order and size of every frame, and a copy of the first one. */
    static final class FrameProbe implements EvidenceCheck {
        final List<int[]> sizes = new ArrayList<>();
        BufferedImage first;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public List<Evidence> check(BufferedImage image, List<String> problems) {
            sizes.add(new int[] {image.getWidth(), image.getHeight()});
            if (first == null) {
                first = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                first.getGraphics().drawImage(image, 0, 0, null);
            }
            return List.of();
        }
    }

    @Test
    void checksSeeTheFramesAsDisplayedLikeTheFfmpegCli() throws Exception {
        Tools.require("ffmpeg");
        Path rotated = tmp.resolve("rot90.mp4");
        Tools.ffmpeg("-i", SOURCE.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated.toString());
        for (Path video : List.of(SOURCE, rotated)) {
            Path png = tmp.resolve(video.getFileName() + ".png");
            Tools.ffmpeg("-i", video.toString(), "-frames:v", "1", png.toString()); // the CLI applies the rotation
            BufferedImage expected = ImageIO.read(png.toFile());
            FrameProbe probe = new FrameProbe();
            VideoDetection d = VideoDetector.create(List.of()).withChecks(List.of(probe)).detect(video);
            assertEquals(5, d.framesChecked(), "0, 0.5, 1, 1.5, 2 s of a 2.52 s video");
            assertEquals(expected.getWidth(), probe.first.getWidth(), video.toString());
            assertEquals(expected.getHeight(), probe.first.getHeight(), video.toString());
            double diff = meanAbsDiff(expected, probe.first);
            assertTrue(diff < 3, video + ": mean abs difference " + diff + " per channel level");
            assertEquals(1, d.checks().size());
            assertEquals(5, d.checks().get(0).framesChecked());
            assertEquals(0, d.checks().get(0).framesWithEvidence());
            assertTrue(d.labelAppearances().isEmpty() && d.problems().isEmpty());
        }
    }

    @Test
    void forensicCheckIsCountedPerVideo() throws Exception {
        Tools.require("ffmpeg");
        // the same footage upscaled 1.5x (bicubic): the upsampling peaks the forensic check looks for
        Path upscaled = tmp.resolve("up15.mp4");
        Tools.ffmpeg("-i", SOURCE.toString(), "-vf", "scale=960:540:flags=bicubic", "-c:v", "libx264", "-preset", "veryfast",
                "-crf", "16", "-an", upscaled.toString());
        VideoDetector detector = VideoDetector.create(List.of()).withChecks(List.of(ForensicSignalCheck.standard()));
        VideoDetection.CheckSummary up = detector.detect(upscaled).checks().get(0);
        VideoDetection.CheckSummary original = detector.detect(SOURCE).checks().get(0);
        assertEquals("forensic-upsampling", up.check());
        assertEquals(5, up.framesChecked());
        assertTrue(up.framesWithEvidence() >= 4, "upscaled frames flagged: " + up);
        assertEquals(Evidence.Strength.WEAK, up.strongest().orElseThrow());
        assertEquals(0, original.framesWithEvidence(), "the original frames are quiet: " + original);
        assertTrue(original.strongest().isEmpty());
        // a tight budget: 0.5 s steps for 1 s, then the rest of the 2.52 s stretched over the one frame left
        VideoDetection few = detector.withCheckSchedule(new VideoDetector.CheckSchedule(0.5, 1.0, 0.5, 3)).detect(SOURCE);
        assertEquals(3, few.framesChecked());
        assertEquals(3, few.checks().get(0).framesChecked());
    }

    @Test
    void scheduleIsDenseAtTheStartAndBounded() {
        VideoDetector.CheckSchedule s = VideoDetector.CheckSchedule.defaults();
        List<Double> times = new ArrayList<>();
        double duration = 3600;
        double step = s.sparseStep(duration);
        for (double t = 0; t < duration && times.size() < 1000; t = s.next(t, step)) {
            times.add(t);
        }
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0), times.subList(0, 11));
        assertTrue(times.size() <= s.maxFrames() + 1, times.size() + " samples for one hour");
        assertEquals((3600 - 5) / 50.0, step, 1e-9);
        assertEquals(2.0, s.sparseStep(20), 1e-9, "short videos keep the 2 s step");
        assertEquals(7.0, s.next(5.3, 2.0), 1e-9);
        assertThrows(AigcmarkException.class, () -> new VideoDetector.CheckSchedule(0.5, 5, 0.25, 60));
        assertThrows(AigcmarkException.class, () -> new VideoDetector.CheckSchedule(0.5, 5, 2, 0));
    }

    private static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
