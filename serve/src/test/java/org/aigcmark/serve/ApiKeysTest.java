package org.aigcmark.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auth with an API keys file: 401 without a valid key, 403 without the permission, reload on change. */
class ApiKeysTest {
    static final String DETECTOR_KEY = "detector-key-0123456789";
    static final String LABEL_ONLY_KEY = "label-only-key-0123456789";
    static final String DETECT_ONLY_KEY = "detect-only-key-0123456789";
    static final byte[] TEXT = "hello".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    @Test
    void keysGuardTheV1EndpointsAndReloadWhenTheFileChanges() throws Exception {
        Path file = tmp.resolve("keys.txt");
        Files.writeString(file, "# platform moderation\n" + DETECTOR_KEY + " detect,label\n\n" + LABEL_ONLY_KEY + " label\n"
                + DETECT_ONLY_KEY + " detect\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (AigcmarkServer s = AigcmarkServer.start(AigcmarkServerTest.checks(Detector.create(Labeler.create(), List.of(), List.of(), List.of())),
                ServeSettings.defaults().withPort(0).withApiKeys(file), new PrintWriter(new java.io.OutputStreamWriter(log, StandardCharsets.UTF_8), true))) {
            HttpResponse<String> none = AigcmarkServerTest.post(s, "/v1/text/detect", TEXT);
            assertEquals(401, none.statusCode());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals("UNAUTHORIZED", AigcmarkServerTest.JSON.readTree(none.body()).get("reason").asText());
            assertEquals(401, AigcmarkServerTest.post(s, "/v1/text/detect", TEXT, "Authorization", "Bearer " + DETECTOR_KEY + "x").statusCode());
            assertEquals(200, AigcmarkServerTest.post(s, "/v1/text/detect", TEXT, "Authorization", "Bearer " + DETECTOR_KEY).statusCode());
            assertEquals(200, AigcmarkServerTest.post(s, "/v1/detect", TEXT, "X-Api-Key", DETECTOR_KEY).statusCode());
            HttpResponse<String> forbidden = AigcmarkServerTest.post(s, "/v1/inspect", TEXT, "X-Api-Key", LABEL_ONLY_KEY);
            assertEquals(403, forbidden.statusCode());
            assertEquals("FORBIDDEN", AigcmarkServerTest.JSON.readTree(forbidden.body()).get("reason").asText());
            assertEquals(403, AigcmarkServerTest.post(s, "/v1/label?producer=x&produceId=y", TEXT, "X-Api-Key", DETECT_ONLY_KEY).statusCode());
            assertEquals(200, AigcmarkServerTest.post(s, "/v1/detect", TEXT, "X-Api-Key", DETECT_ONLY_KEY).statusCode());
            // health, metrics and the API description stay open (for probes and scrapers)
            assertEquals(200, AigcmarkServerTest.get(s, "/health").statusCode());
            assertEquals(200, AigcmarkServerTest.get(s, "/metrics").statusCode());

            // the file changes: the old key stops working, the new one works, without a restart
            String newKey = "rotated-key-0123456789";
            Files.writeString(file, newKey + " detect\n");
            Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
            assertEquals(401, AigcmarkServerTest.post(s, "/v1/detect", TEXT, "X-Api-Key", DETECTOR_KEY).statusCode());
            assertEquals(200, AigcmarkServerTest.post(s, "/v1/detect", TEXT, "Authorization", "bearer " + newKey).statusCode());

            // an unusable file locks everyone out until it is fixed
            Files.writeString(file, newKey + " detect,delete\n");
            Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 4000));
            assertEquals(401, AigcmarkServerTest.post(s, "/v1/detect", TEXT, "X-Api-Key", newKey).statusCode());

            String text = log.toString(StandardCharsets.UTF_8);
            assertTrue(text.lines().findFirst().orElse("").contains("auth ON: 3 API key(s)"), text);
            for (String k : List.of(DETECTOR_KEY, LABEL_ONLY_KEY, DETECT_ONLY_KEY, newKey)) {
                assertFalse(text.contains(k), "a key is never logged");
            }
            JsonNode ok = text.lines().map(l -> {
                try {
                    return AigcmarkServerTest.JSON.readTree(l);
                } catch (Exception e) {
                    throw new IllegalStateException(l, e);
                }
            }).filter(n -> n.path("status").asInt() == 200 && "/v1/text/detect".equals(n.path("path").asText())).findFirst().orElseThrow();
            assertEquals(8, ok.get("key").asText().length(), ok.toString()); // the key's id
        }
    }

    @Test
    void aBadKeysFileStopsTheStart() throws Exception {
        Path file = tmp.resolve("keys.txt");
        Files.writeString(file, "short detect\n");
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> ApiKeys.load(file, m -> {}));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        Files.writeString(file, "a-long-enough-key-123 detect,write\n");
        assertThrows(AigcmarkException.class, () -> ApiKeys.load(file, m -> {}));
        assertThrows(AigcmarkException.class, () -> ApiKeys.load(tmp.resolve("missing"), m -> {}));
    }
}
