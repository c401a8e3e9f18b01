package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.format.c2pa.C2paSigning;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-encoded video (watermark) with a C2PA manifest: the manifest is added after FFmpeg wrote the final MP4, so it
 * binds the re-encoded file with its record; a WebM is refused before anything is decoded.
 */
class VideoC2paTest {
    static final String PRODUCER = "00119144030008867405X210002";
    // the c2pa fixtures' test-only signer (ES256) and root (testdata/SOURCES.md)
    static final C2paSigning SIGNING = C2paSigning.fromPemFiles(Fixtures.path("c2pa/test-signer.pem"),
            Fixtures.path("c2pa/test-signer.key"));
    static final C2paValidator TRUST = C2paValidator.fromPemFiles(List.of(Fixtures.path("c2pa/test-root-ca.pem")));

    @TempDir
    Path dir;

    @Test
    void theReencodedMp4CarriesAValidManifestOverTheFinalContainer() throws Exception {
        Tools.require("ffmpeg", "ffprobe");
        Path out = dir.resolve("wm.mp4");
        VideoLabelResult r = VideoLabeler.create().label(Fixtures.path("video/sample-360p-2s5.mp4"), out,
                LabelRequest.produced(PRODUCER, "c2pa-video-1").withWatermark(WatermarkKey.fromPassphrase("video-c2pa"))
                        .withC2pa(SIGNING), VideoOptions.defaults());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("C2PA manifest urn:c2pa:")), r.notes().toString());
        InspectReport report = Labeler.create().inspect(out, List.of(), TRUST);
        // the frames' watermark is the manifest's soft binding, its embedding the c2pa.watermarked.bound action
        assertEquals(List.of("c2pa.created", "c2pa.watermarked.bound"), report.c2paManifests().get(0).actions());
        String payload = r.watermarkPayload().orElseThrow();
        byte[] file = java.nio.file.Files.readAllBytes(out);
        String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("c2pa.soft-binding") && text.contains("org.aigcmark.watermark.1"), "soft binding");
        assertTrue(text.contains(new String(java.util.HexFormat.of().parseHex(payload), java.nio.charset.StandardCharsets.ISO_8859_1)),
                "the payload's bytes " + payload);
        assertEquals(List.of("mp4-uuid"), report.c2pa());
        C2paValidator.Result v = report.c2paManifests().get(0).validation();
        assertEquals(C2paValidator.Status.VALID, v.status(), v.reason());
        assertTrue(v.codes().contains("assertion.bmffHash.match"), v.codes().toString());
        assertEquals("c2pa-video-1", report.labels().get(0).label().produceId());
        // detect decodes the mark from the frames and finds it equal to the manifest's soft binding
        try (org.aigcmark.detection.Detector d = org.aigcmark.detection.Detector.create(Labeler.create(),
                List.of(WatermarkKey.fromPassphrase("video-c2pa")), List.of(), List.of())) {
            com.fasterxml.jackson.databind.JsonNode agreement = org.aigcmark.report.ReportJson.toNode(
                    d.detect(file, "wm.mp4", false)).path("c2pa").path("manifests").path(0).path("agreement");
            assertEquals("agree", agreement.path("softBinding").asText(), agreement.toString());
        }
        String probe = Tools.run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v", "-show_entries",
                "stream=nb_read_frames", "-of", "csv=p=0", out.toString());
        assertTrue(Integer.parseInt(probe.trim()) > 50, probe);
    }

    @Test
    void reencodingAVideoWithAManifestSaysTheManifestIsNotCarried() throws Exception {
        Tools.require("ffmpeg", "ffprobe");
        Path signed = dir.resolve("signed.mp4");
        Labeler.create().label(Fixtures.path("video/sample-360p-2s5.mp4"), signed,
                LabelRequest.produced(PRODUCER, "c2pa-video-2").withC2pa(SIGNING));
        VideoLabelResult r = VideoLabeler.create().label(signed, dir.resolve("wm.mp4"),
                LabelRequest.produced(PRODUCER, "c2pa-video-2").withWatermark(WatermarkKey.fromPassphrase("video-c2pa")),
                VideoOptions.defaults());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("C2PA manifest is not carried")), r.notes().toString());
        assertTrue(Labeler.create().inspect(dir.resolve("wm.mp4"), List.of()).c2pa().isEmpty(), "FFmpeg dropped the store");
    }

    @Test
    void aWebmWithC2paIsRefusedBeforeDecoding() {
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> VideoLabeler.create().label(
                Fixtures.path("video-labeled/ffmpeg-simpletag-audio.webm"), dir.resolve("x.webm"),
                LabelRequest.produced(PRODUCER, "x").withWatermark(WatermarkKey.fromPassphrase("k")).withC2pa(SIGNING),
                VideoOptions.defaults()));
        assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("MP4/MOV video only"), e.getMessage());
    }
}
