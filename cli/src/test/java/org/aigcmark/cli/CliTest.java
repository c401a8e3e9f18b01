package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI contract users' scripts rely on: exit codes, one-sentence errors, JSON shape. */
class CliTest {
    static final String CODE = "001191110102MACQD9K64010000";
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.getCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String f(String fixture) {
        return Fixtures.path(fixture).toString();
    }

    @Test
    void labelThenInspectJson() throws Exception {
        Path out = tmp.resolve("out.jpg");
        Run r = run("label", f("jpeg/exif-icc-xmp.jpg"), "-o", out.toString(), "--producer", CODE, "--produce-id", "cli-1");
        assertEquals(0, r.code(), r.err());
        Run i = run("inspect", out.toString(), "--json");
        assertEquals(0, i.code(), i.err());
        JsonNode n = new ObjectMapper().readTree(i.out());
        assertEquals("jpeg", n.get("format").asText());
        JsonNode l = n.get("labels").get(0);
        assertEquals(List.of("Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID",
                "ReservedCode2", "producerCode", "source", "form", "problems", "signature", "signatures"), names(l));
        assertEquals("1", l.get("Label").asText());
        assertEquals("cli-1", l.get("ProduceID").asText());
        assertEquals("xmp", l.get("source").asText());
        assertEquals("absent", l.get("signature").asText());
    }

    @Test
    void signedLabelIsValidWithTheKeyAndUnverifiedWithout() throws Exception {
        Path keys = tmp.resolve("k");
        assertEquals(0, run("keygen", "--alg", "sm2", "-o", keys.toString()).code());
        Path out = tmp.resolve("signed.png");
        assertEquals(0, run("label", f("png/rgba.png"), "-o", out.toString(), "--producer", CODE, "--produce-id", "s",
                "--sign-key", keys + ".key").code());
        JsonNode with = new ObjectMapper().readTree(run("inspect", out.toString(), "--json", "--public-key", keys + ".pub").out());
        assertEquals("valid", with.get("labels").get(0).get("signature").asText());
        JsonNode without = new ObjectMapper().readTree(run("inspect", out.toString(), "--json").out());
        assertEquals("unverified", without.get("labels").get(0).get("signature").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"labeled/xmp-element.jpg", "labeled/duplicate-xmp-and-text.png", "labeled/numeric-label-name-producer.jpg",
            "labeled/exif-usercomment-wrapped.jpg", "labeled/comfyui-prompt-workflow.png", "labeled/c2pa-app11-jumbf.jpg",
            "labeled/xmp-element.webp"})
    void inspectJsonMatchesTheKnownGoodReport(String fixture) throws Exception {
        Run r = run("inspect", f(fixture), "--json");
        assertEquals(0, r.code(), r.err());
        ObjectMapper m = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode actual = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(r.out());
        actual.remove("file");
        Path golden = Fixtures.root().resolve("known_good").resolve(fixture.replace('/', '_') + ".json");
        if (Boolean.getBoolean("aigcmark.updateGolden")) {
            Files.writeString(golden, m.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
        }
        assertEquals(m.readTree(Files.readString(golden)), actual, "differs from " + golden);
    }

    @Test
    void exitCodes() throws Exception {
        Path out = tmp.resolve("o.jpg");
        // 2: usage
        assertEquals(2, run("label", f("jpeg/plain.jpg"), "-o", out.toString(), "--producer", CODE).code());
        assertEquals(2, run("label", f("jpeg/plain.jpg"), "-o", tmp.resolve("o.png").toString(), "--producer", CODE, "--produce-id", "x").code());
        assertEquals(2, run("label", f("jpeg/plain.jpg"), "-o", out.toString(), "--producer", CODE, "--produce-id", "has space").code());
        assertEquals(2, run("label", f("jpeg/plain.jpg"), "-o", out.toString(), "--producer", CODE, "--produce-id", "x",
                "--visible-text", "生成图").code());
        assertEquals(2, run("bogus").code());
        // 3: bad input, nothing written
        for (String bad : List.of("bad/empty.jpg", "bad/wrong-magic.jpg", "bad/truncated-mid-scan.jpg", "bad/bomb-100000x100000.png")) {
            Path o = tmp.resolve("o-" + Path.of(bad).getFileName());
            Run r = run("label", f(bad), "-o", o.toString(), "--producer", CODE, "--produce-id", "x");
            assertEquals(3, r.code(), bad + ": " + r.err());
            assertFalse(Files.exists(o));
            assertTrue(r.err().startsWith("aigcmark: ") && r.err().contains(Path.of(bad).getFileName().toString()), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one sentence: " + r.err());
            assertFalse(Files.exists(out));
        }
        assertEquals(3, run("inspect", tmp.resolve("missing.jpg").toString()).code());
        // inspect of a damaged file prints what it read, then exits 3
        Run d = run("inspect", f("bad/truncated-mid-scan.jpg"), "--json");
        assertEquals(3, d.code());
        assertTrue(new ObjectMapper().readTree(d.out()).get("damaged").asBoolean());
        // 4: output not writable
        Path blocker = Files.writeString(tmp.resolve("file"), "x");
        assertEquals(4, run("label", f("jpeg/plain.jpg"), "-o", blocker.resolve("o.jpg").toString(), "--producer", CODE, "--produce-id", "x").code());
    }

    @Test
    void inPlaceNeedsTheFlagAndIsAtomic() throws Exception {
        Path in = tmp.resolve("in.png");
        Files.copy(Fixtures.path("png/rgb.png"), in);
        byte[] before = Files.readAllBytes(in);
        Run refused = run("label", in.toString(), "-o", in.toString(), "--producer", CODE, "--produce-id", "x");
        assertEquals(2, refused.code());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)));
        assertEquals(0, run("label", in.toString(), "-o", in.toString(), "--producer", CODE, "--produce-id", "x", "--in-place").code());
        assertEquals(1, new ObjectMapper().readTree(run("inspect", in.toString(), "--json").out()).get("labels").size());
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(in), s.toList());
        }
    }

    @Test
    void propagateCommand() throws Exception {
        Path out = tmp.resolve("p.png");
        Run r = run("propagate", f("png/rgb.png"), "-o", out.toString(), "--propagator", "00119144030008867405X210002",
                "--propagate-id", "u-1", "--label", "2");
        assertEquals(0, r.code(), r.err());
        JsonNode l = new ObjectMapper().readTree(run("inspect", out.toString(), "--json").out()).get("labels").get(0);
        assertEquals("2", l.get("Label").asText());
        assertEquals("u-1", l.get("PropagateID").asText());
        assertEquals(2, run("propagate", f("png/rgb.png"), "-o", out.toString(), "--propagator", "X", "--propagate-id", "u", "--label", "7").code());
    }

    @Test
    void demoRunsOnTheEmbeddedSample() throws Exception {
        Path out = tmp.resolve("demo.jpg");
        Run r = run("demo", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("signature valid"), r.out());
        assertTrue(r.out().contains("visible label"), r.out());
    }

    @Test
    void watermarkKeygenWritesAPrivateKeyFile() throws Exception {
        Path p = tmp.resolve("wm");
        assertEquals(0, run("keygen", "--alg", "watermark", "-o", p.toString()).code());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(p + ".key"))));
    }

    @Test
    void labelWithWatermarkThenDetectJson() throws Exception {
        Path key = tmp.resolve("wm");
        assertEquals(0, run("keygen", "--alg", "watermark", "-o", key.toString()).code());
        Path photo = Fixtures.list("photos").get(3);
        Path out = tmp.resolve("marked.jpg");
        Run l = run("label", photo.toString(), "-o", out.toString(), "--producer", CODE, "--produce-id", "wm-7",
                "--watermark", "--key", key + ".key");
        assertEquals(0, l.code(), l.err());
        String payload = l.out().lines().filter(x -> x.contains("watermark payload")).findFirst().orElseThrow().replaceAll(".*payload ", "").strip();
        Run d = run("detect", out.toString(), "--key", key + ".key", "--json");
        assertEquals(0, d.code(), d.err());
        JsonNode n = new ObjectMapper().readTree(d.out());
        assertTrue(n.get("watermark").get("detected").asBoolean());
        assertEquals(payload, n.get("watermark").get("payload").asText());
        assertTrue(n.get("watermark").get("matchesLabel").asBoolean());
        assertTrue(n.get("watermark").get("falsePositiveProbability").asDouble() < 1e-9);
        // the measured chance of such a score without a mark sits next to it (issue 17)
        assertTrue(n.get("watermark").get("unmarkedScoreProbability").asDouble() < 1e-9);
        assertEquals("1", n.get("verdict").get("label").asText());
        assertTrue(n.get("thirdPartyWatermarks").isArray());
        assertTrue(n.get("evidence").size() >= 2);
        // The quick search finds it too (the geometry is unchanged); a bad search value is a usage error.
        JsonNode q = new ObjectMapper().readTree(run("detect", out.toString(), "--key", key + ".key", "--json",
                "--watermark-search", "quick").out());
        assertEquals(payload, q.get("watermark").get("payload").asText());
        JsonNode own = new ObjectMapper().readTree(run("detect", out.toString(), "--key", key + ".key", "--json",
                "--watermark-search", "own").out());
        assertEquals(payload, own.get("watermark").get("payload").asText());
        assertEquals(ExitCodes.USAGE, run("detect", out.toString(), "--key", key + ".key", "--watermark-search", "fast").code());
        // Without the key the watermark is not looked for; the record still decides.
        JsonNode nk = new ObjectMapper().readTree(run("detect", out.toString(), "--json").out());
        assertFalse(nk.get("watermark").get("checked").asBoolean());
        assertEquals(2, run("label", photo.toString(), "-o", tmp.resolve("x.jpg").toString(), "--producer", CODE,
                "--produce-id", "x", "--watermark").code());
    }

    @Test
    void detectReportsEachBadFileAndGoesOn() throws Exception {
        Run r = run("detect", f("bad/wrong-magic.jpg"), f("jpeg/plain.jpg"), f("bad/truncated-mid-scan.jpg"), "--json");
        assertEquals(3, r.code());
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertEquals(3, a.size());
        assertEquals("UNSUPPORTED_FORMAT", a.get(0).get("reason").asText());
        assertTrue(a.get(1).get("verdict").get("label").isNull());
        assertTrue(a.get(2).get("damaged").asBoolean());
    }

    /**
     * Without OCR models in the default folder (a fresh install) the report itself says the visible-label check did
     * not run, not only a line on stderr; with --no-ocr it was not asked for. (An explicit --models folder without
     * them is an error that names the folder.)
     */
    @Test
    void aVisibleLabelCheckThatCannotRunIsInTheReportNotSilentlyAbsent() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AIGCMARK_MODELS") == null
                && System.getenv("XDG_CACHE_HOME") == null, "the default models folder is set by the environment");
        String home = System.getProperty("user.home");
        Path fresh = Files.createDirectories(tmp.resolve("fresh-home"));
        System.setProperty("user.home", fresh.toString()); // the default folder is ~/.cache/aigcmark/models
        try {
            Run r = run("detect", f("jpeg/plain.jpg"), "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode report = new ObjectMapper().readTree(r.out());
            assertTrue(report.get("problems").toString().contains("ocr-visible-label did not run: no OCR models in "
                    + fresh.resolve(".cache/aigcmark/models")), report.toString());
            assertTrue(report.get("verdict").get("label").isNull());
            Run off = run("detect", f("jpeg/plain.jpg"), "--json", "--no-ocr");
            assertFalse(new ObjectMapper().readTree(off.out()).get("problems").toString().contains("did not run"), off.out());
        } finally {
            System.setProperty("user.home", home);
        }
    }

    @Test
    void scanCompletesOverCorruptFilesResumesAndWritesAnOfflineHtmlReport() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("uploads/sub"));
        for (Path bad : Fixtures.list("bad")) {
            Files.copy(bad, dir.resolve(bad.getFileName()));
        }
        Files.copy(Fixtures.path("labeled/xmp-element.jpg"), tmp.resolve("uploads/a<b>.jpg"));
        Files.copy(Fixtures.path("labeled/a1111-parameters.png"), tmp.resolve("uploads/sd.png"));
        Path json = tmp.resolve("scan.json");
        Path html = tmp.resolve("scan.html");
        Run r = run("scan", tmp.resolve("uploads").toString(), "--json", json.toString(), "--html", html.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err()); // some files unreadable: reported in the report, the scan completed
        JsonNode rep = new ObjectMapper().readTree(Files.readString(json));
        int n = Fixtures.list("bad").size() + 2;
        assertEquals(n, rep.get("files").asInt());
        assertEquals(n, rep.get("results").size());
        assertEquals(1, rep.get("summary").get("label1").asInt());
        assertEquals(1, rep.get("summary").get("label3").asInt());
        String page = Files.readString(html);
        assertTrue(page.contains("a&lt;b&gt;.jpg") && !page.contains("a<b>.jpg"), "file names are escaped");
        assertTrue(page.contains("data:image/jpeg;base64,"), "thumbnails are inline");
        java.util.regex.Matcher thumb = java.util.regex.Pattern.compile("data:image/jpeg;base64,([A-Za-z0-9+/=]+)").matcher(page);
        assertTrue(thumb.find());
        java.awt.image.BufferedImage t = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(thumb.group(1))));
        assertTrue(t != null && Math.max(t.getWidth(), t.getHeight()) <= ScanHtml.THUMB, "a thumbnail that decodes");
        assertFalse(page.contains("<script") || page.contains("http://") && !page.contains("http://cv.iptc.org"), "no script, no remote assets");
        // Resume: a new file, plus a journal line cut short by an interruption.
        Path journal = Path.of(json + ".journal.jsonl");
        Files.writeString(journal, "{\"fingerprint\":\"cut", java.nio.file.StandardOpenOption.APPEND);
        Files.copy(Fixtures.path("png/rgb.png"), tmp.resolve("uploads/new.png"));
        Run again = run("scan", tmp.resolve("uploads").toString(), "--json", json.toString());
        assertTrue(again.err().contains("resuming: " + n + " of " + (n + 1) + " files already scanned"), again.err());
        assertEquals(n + 1, new ObjectMapper().readTree(Files.readString(json)).get("results").size());
        Run third = run("scan", tmp.resolve("uploads").toString(), "--json", json.toString());
        assertTrue(third.err().contains("resuming: " + (n + 1) + " of " + (n + 1)), third.err());
    }

    @Test
    void scanChecksVideoFramesLikeDetect() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("videos"));
        Files.copy(Fixtures.path("video/sample-360p-2s5.mp4"), dir.resolve("clip.mp4"));
        Path key = tmp.resolve("vk");
        assertEquals(0, run("keygen", "--alg", "watermark", "-o", key.toString()).code());
        Path json = tmp.resolve("videos.json");
        Run r = run("scan", dir.toString(), "--json", json.toString(), "--key", key + ".key", "--no-ocr");
        assertEquals(0, r.code(), r.err());
        JsonNode res = new ObjectMapper().readTree(Files.readString(json)).get("results").get(0);
        assertTrue(res.has("video"), "frame findings for the video: " + res);
        assertTrue(res.get("watermark").get("checked").asBoolean());
        assertFalse(res.get("watermark").get("detected").asBoolean());
        assertTrue(res.get("watermark").has("segments"), res.get("watermark").toString());
        // --metadata-only decodes no frame
        Path meta = tmp.resolve("videos-meta.json");
        assertEquals(0, run("scan", dir.toString(), "--json", meta.toString(), "--metadata-only").code());
        assertFalse(new ObjectMapper().readTree(Files.readString(meta)).get("results").get(0).has("video"));
    }

    static List<String> names(JsonNode n) {
        List<String> l = new ArrayList<>();
        n.fieldNames().forEachRemaining(l::add);
        return l;
    }
}
