package org.aigcmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.aigcmark.detect.ModelScoreCheck;
import org.aigcmark.detect.model.ModelSpec;
import org.aigcmark.detect.model.OnnxImageClassifier;
import org.aigcmark.detect.ocr.ModelStore;
import org.aigcmark.detection.Evidence;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detect VIDEO} with the pixel checks: the OCR visible-label finder on sampled frames of real footage whose
 * labels were drawn by ffmpeg (drawtext, Noto CJK fonts from Debian's fonts-noto-cjk), and the per-video
 * aggregation of the project's own ONNX plumbing model, checked against the model run on the same frames
 * extracted by the ffmpeg CLI.
 */
class VideoChecksTest {
    static final String SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    static final String SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc";
    @TempDir
    Path tmp;

    @Test
    void ocrFindsEachLabelWithItsTimesAndHeightAndJudgesTheStartRule() throws Exception {
        Path models = ocrModels();
        requireTools();
        Path source = Fixtures.path("video/sample-720p.mp4"); // 5 s, 1280x720, 25 fps, no label
        // "AI生成" bottom-right for the first 3 s (meets the rule); "人工智能合成" top-left from 1 s on (not at the start).
        String start = "drawtext=fontfile=" + SANS + ":text='AI生成':fontsize=64:fontcolor=white:borderw=2:bordercolor=black"
                + ":x=w-tw-24:y=h-th-24";
        String late = "drawtext=fontfile=" + SERIF + ":text='人工智能合成':fontsize=48:fontcolor=yellow:borderw=2:bordercolor=black"
                + ":x=24:y=24";
        Path labelled = tmp.resolve("labelled.mp4");
        ffmpeg("-i", source.toString(), "-vf", start + ":enable='lt(t,3)'," + late + ":enable='gte(t,1)'",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-an", labelled.toString());

        CliTest.Run r = CliTest.run("detect", labelled.toString(), "--json", "--models", models.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        List<JsonNode> ocr = new ArrayList<>();
        n.get("visibleLabels").forEach(v -> {
            if (v.get("method").asText().equals("ocr")) {
                ocr.add(v);
            }
        });
        assertEquals(2, ocr.size(), n.get("visibleLabels").toString());
        JsonNode first = ocr.stream().filter(v -> v.get("text").asText().contains("AI生成")).findFirst().orElseThrow();
        JsonNode second = ocr.stream().filter(v -> v.get("text").asText().contains("智能合成")).findFirst().orElseThrow();

        // first: from the first frame, last sampled at ~2.5 s, gone at the 3.0 s sample
        assertEquals("bottom_right", first.get("position").asText());
        assertEquals(0.0, first.get("firstSeconds").asDouble());
        assertEquals(2.5, first.get("lastSeconds").asDouble(), 0.05);
        assertEquals(3.0, first.get("goneSeconds").asDouble(), 0.05);
        assertTrue(first.get("minDurationSeconds").asDouble() <= 3.0 && first.get("maxDurationSeconds").asDouble() >= 3.0,
                first.toString());
        assertEquals("met", first.get("startRule").asText());
        assertTrue(first.get("sizeCompliant").asBoolean());
        double truth = inkHeight(start) / 720.0;
        assertEquals(truth, first.get("heightRatio").asDouble(), 0.2 * truth, "drawn ink " + truth + " vs " + first);
        JsonNode box = first.get("box");
        assertTrue(box.get(0).asInt() > 1280 / 2 && box.get(1).asInt() > 720 / 2, box.toString());

        // second: appears at the 1.0 s sample and stays to the end: not a start-frame label
        assertEquals("top_left", second.get("position").asText());
        assertEquals(1.0, second.get("firstSeconds").asDouble(), 0.05);
        assertTrue(second.get("goneSeconds").isNull(), second.toString());
        assertEquals("not_met", second.get("startRule").asText());
        assertEquals(inkHeight(late) / 720.0, second.get("heightRatio").asDouble(), 0.2 * inkHeight(late) / 720.0);

        // a visible label is a generation trace: Label 3, and it is in evidence[] like an image's
        assertEquals("3", n.get("verdict").get("label").asText());
        assertEquals("traces", n.get("verdict").get("rule").asText());
        long ev = 0;
        for (JsonNode e : n.get("evidence")) {
            if (e.get("source").asText().equals("pixels:ocr") && e.get("kind").asText().equals("visible-label")) {
                ev++;
            }
        }
        assertEquals(2, ev);
        assertEquals(10, n.get("video").get("framesChecked").asInt(), "0.5 s steps over the first 5 s");

        // the same footage without the labels: nothing read, no verdict
        CliTest.Run plain = CliTest.run("detect", source.toString(), "--json", "--models", models.toString());
        assertEquals(0, plain.code(), plain.err());
        JsonNode p = new ObjectMapper().readTree(plain.out());
        assertEquals(0, p.get("visibleLabels").size(), p.get("visibleLabels").toString());
        assertTrue(p.get("verdict").get("label").isNull());
        assertEquals(10, p.get("video").get("checks").get(0).get("framesChecked").asInt());
        assertEquals(0, p.get("video").get("checks").get(0).get("framesWithEvidence").asInt());

        // --no-ocr and --metadata-only keep their meaning on video
        JsonNode noOcr = new ObjectMapper().readTree(CliTest.run("detect", labelled.toString(), "--json", "--models",
                models.toString(), "--no-ocr").out());
        assertEquals(0, noOcr.get("video").get("framesChecked").asInt());
        assertEquals(0, noOcr.get("visibleLabels").size());
        JsonNode meta = new ObjectMapper().readTree(CliTest.run("detect", labelled.toString(), "--json", "--models",
                models.toString(), "--metadata-only").out());
        assertTrue(meta.get("video") == null && meta.get("visibleLabels") == null, "no frame decoded: " + meta);
    }

    @Test
    void modelScoresAreAggregatedPerVideo() throws Exception {
        requireTools();
        Path spec = repo().resolve("detect/src/test/resources/models/plumbing/plumbing-cnn.json");
        // 64x64 crops of real footage; from 2.5 s on the crop is 4x downsampled and upsampled back, the resampling
        // the plumbing model was trained to spot.
        Path video = tmp.resolve("mix64.mp4");
        ffmpeg("-i", Fixtures.path("video/sample-720p.mp4").toString(), "-filter_complex",
                "[0:v]crop=64:64:600:300,split[a][b];[b]scale=16:16:flags=area,scale=64:64:flags=bicubic[u];"
                        + "[a][u]overlay=enable='gte(t,2.5)'",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "8", "-pix_fmt", "yuv444p", "-an", video.toString());

        CliTest.Run r = CliTest.run("detect", video.toString(), "--json", "--no-ocr", "--model", spec.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        JsonNode check = n.get("video").get("checks").get(0);
        assertEquals("model:aigcmark-plumbing-cnn", check.get("check").asText());
        JsonNode score = check.get("score");
        assertEquals(10, score.get("framesScored").asInt());

        // the same 10 frames (0, 0.5, ... 4.5 s: frames 0, 12.5 -> 13, ...), extracted by the ffmpeg CLI and scored
        double[] independent = new double[10];
        try (ModelScoreCheck model = ModelScoreCheck.of(OnnxImageClassifier.open(ModelSpec.read(spec)), null, 0.5)) {
            for (int i = 0; i < 10; i++) {
                int frame = (int) Math.ceil(i * 0.5 * 25 - 1e-9);
                Path png = tmp.resolve("f" + i + ".png");
                ffmpeg("-i", video.toString(), "-vf", "select=eq(n\\," + frame + ")", "-frames:v", "1", png.toString());
                List<Evidence> ev = model.check(ImageIO.read(png.toFile()), new ArrayList<>());
                independent[i] = ((Number) ev.get(0).details().get("score")).doubleValue();
            }
        }
        double[] sorted = independent.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElseThrow();
        double top = (sorted[9] + sorted[8] + sorted[7]) / 3; // highest quarter of 10 = 3 frames
        long above = Arrays.stream(sorted).filter(s -> s >= 0.5).count();
        String why = "independent " + Arrays.toString(independent) + " vs " + score;
        assertEquals(mean, score.get("mean").asDouble(), 0.03, why);
        assertEquals(sorted[9], score.get("max").asDouble(), 0.03, why);
        assertEquals(top, score.get("videoScore").asDouble(), 0.03, why);
        assertEquals(3, score.get("topFrames").asInt());
        assertEquals(0.5, score.get("threshold").asDouble());
        assertEquals(above, score.get("framesAtOrAbove").asInt(), 1, why);
        assertTrue(score.get("caveat").asText().contains("not proof"));

        // one WEAK evidence item for the video, never deciding the verdict alone
        JsonNode e = null;
        for (JsonNode x : n.get("evidence")) {
            if (x.get("source").asText().equals("model:aigcmark-plumbing-cnn")) {
                e = x;
            }
        }
        assertTrue(e != null, n.get("evidence").toString());
        assertEquals("weak", e.get("strength").asText());
        assertEquals(score.get("videoScore").asDouble() >= 0.5 ? "model-score" : "model-score-low", e.get("kind").asText());
        assertTrue(n.get("verdict").get("label").isNull(), n.get("verdict").toString());
    }

    /** Height of the ink drawtext puts on a plain canvas (glyphs and border), in pixels. */
    private double inkHeight(String drawtext) throws IOException {
        Path png = tmp.resolve("ink-" + Integer.toHexString(drawtext.hashCode()) + ".png");
        ffmpeg("-f", "lavfi", "-i", "color=c=0x808080:s=1280x720", "-vf", drawtext, "-frames:v", "1", png.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int d = Math.max(Math.abs(((rgb >> 16) & 0xff) - 128), Math.max(Math.abs(((rgb >> 8) & 0xff) - 128),
                        Math.abs((rgb & 0xff) - 128)));
                if (d > 40) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        assertTrue(bottom >= top, "drawtext drew nothing");
        return bottom - top + 1;
    }

    static Path repo() {
        return Paths.get(System.getProperty("aigcmark.testdata", "../testdata")).toAbsolutePath().getParent();
    }

    /**
     * The PaddleOCR models from {@code detect/target/models} (detect/fetch-models.sh, which CI runs) or the user
     * cache. Skipped with a message when absent, except in CI (variable CI set), where the OCR path must run.
     */
    static Path ocrModels() {
        for (Path dir : new Path[] {repo().resolve("detect/target/models"), ModelStore.defaultDirectory()}) {
            if (ModelStore.standard().find(dir).isPresent()) {
                return dir;
            }
        }
        String how = "the PaddleOCR models are not in detect/target/models or " + ModelStore.defaultDirectory()
                + "; run detect/fetch-models.sh";
        if (System.getenv("CI") != null) {
            fail("CI must provide the OCR models: " + how);
        }
        Assumptions.abort(how);
        return null;
    }

    static void requireTools() {
        Optional<String> missing = Files.isExecutable(Paths.get("/usr/bin/ffmpeg")) ? Optional.empty() : Optional.of("ffmpeg");
        if (missing.isEmpty() && !Files.isRegularFile(Paths.get(SANS))) {
            missing = Optional.of("fonts-noto-cjk");
        }
        if (missing.isPresent()) {
            String how = missing.get() + " is not installed (apt-get install ffmpeg fonts-noto-cjk)";
            if (System.getenv("CI") != null) {
                fail("CI must provide " + how);
            }
            Assumptions.abort(how);
        }
    }

    static void ffmpeg(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-threads", "2"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
