package org.aigcmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.ExitCodes;
import org.aigcmark.detect.model.BundledModels;
import org.aigcmark.detect.model.FaceDetector;
import org.aigcmark.io.Sha256;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models list}, {@code models fetch NAME} and {@code detect --model mesonet}: licence and caveat in text as in JSON. */
class ModelsCliTest {
    @TempDir
    Path tmp;

    @Test
    void listShowsLicenceAndCaveatInTextAsInJson() throws Exception {
        CliTest.Run text = CliTest.run("models", "list");
        CliTest.Run json = CliTest.run("models", "list", "--json");
        assertEquals(ExitCodes.OK, text.code(), text.err());
        assertEquals(ExitCodes.OK, json.code(), json.err());
        JsonNode entries = new ObjectMapper().readTree(json.out());
        assertTrue(entries.size() >= 6, json.out());
        for (JsonNode e : entries) {
            assertTrue(text.out().contains(e.path("name").asText() + "  ("), e.toString());
            assertTrue(text.out().contains("licence: " + e.path("licence").asText()), e.toString());
            assertTrue(text.out().contains("caveat: " + e.path("caveat").asText()), e.toString());
            assertTrue(text.out().contains(e.path("fileSha256").asText()), e.toString());
            assertEquals(64, e.path("fileSha256").asText().length());
        }
        assertTrue(text.out().contains("CC-BY-NC-3.0 (NON-COMMERCIAL)"), text.out());
    }

    @Test
    void fetchByNameWritesTheBundledModelAndItsSpec() throws Exception {
        CliTest.Run r = CliTest.run("models", "fetch", "mesonet-f2f", "--dir", tmp.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("licence: Apache-2.0") && r.out().contains("caveat: "), r.out());
        assertEquals(BundledModels.spec("mesonet-f2f").sha256(), Sha256.hex(tmp.resolve("mesonet-f2f.onnx")));
        assertTrue(Files.isRegularFile(tmp.resolve("mesonet-f2f.json")));
        CliTest.Run unknown = CliTest.run("models", "fetch", "no-such-model", "--dir", tmp.toString());
        assertEquals(ExitCodes.USAGE, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("models list"), unknown.err());
    }

    @Test
    void detectWithTheBundledModelShowsItsScoreLicenceAndCaveat() throws Exception {
        Path models = blazeFaceFolder();
        String face = Fixtures.path("faces/astronaut-nasa.jpg").toString();
        CliTest.Run text = CliTest.run("detect", face, "--no-ocr", "--models", models.toString(), "--model", "mesonet");
        CliTest.Run json = CliTest.run("detect", face, "--no-ocr", "--models", models.toString(), "--model", "mesonet", "--json");
        assertEquals(ExitCodes.OK, json.code(), json.err());
        JsonNode score = null;
        for (JsonNode e : new ObjectMapper().readTree(json.out()).path("evidence")) {
            if (e.path("source").asText().equals("model:mesoinception-df")) {
                score = e;
            }
        }
        assertTrue(score != null, json.out());
        String licence = score.path("details").path("licence").asText();
        String caveat = score.path("details").path("caveat").asText();
        assertEquals("Apache-2.0", licence);
        assertTrue(caveat.contains("2018"), caveat);
        assertTrue(text.out().contains("model:mesoinception-df: " + score.path("summary").asText()), text.out());
        assertTrue(text.out().contains("licence: " + licence + "\n"), text.out());
        assertTrue(text.out().contains("caveat: " + caveat + "\n"), text.out());
    }

    /** BlazeFace from detect/target/models (detect/tools/fetch-blazeface.sh, which CI runs). */
    private static Path blazeFaceFolder() {
        Path dir = VideoChecksTest.repo().resolve("detect/target/models");
        if (FaceDetector.find(dir).isEmpty()) {
            String how = "BlazeFace is not in " + dir + "; run detect/tools/fetch-blazeface.sh";
            if (System.getenv("CI") != null) {
                fail("CI must provide BlazeFace: " + how);
            }
            Assumptions.abort(how);
        }
        return dir;
    }
}
