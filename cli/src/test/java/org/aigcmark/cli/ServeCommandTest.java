package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code aigcmark serve} started as the CLI starts it (port 0, the detect options), called over HTTP: each endpoint
 * answers what the matching CLI command prints with --json for the same file (only {@code file} differs: the
 * service names the upload by its {@code name} parameter), and refused input gets the CLI's sentence.
 */
class ServeCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String KEY = Fixtures.path("keys/test-watermark.key").toString();

    static ServeCommand serve;
    static CompletableFuture<Integer> exit;
    static final StringWriter ERR = new StringWriter();
    static int port;

    @BeforeAll
    static void start() throws Exception {
        CommandLine cl = Main.getCommandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(ERR, true));
        serve = cl.getSubcommands().get("serve").getCommand();
        exit = CompletableFuture.supplyAsync(() -> cl.execute("serve", "--port", "0", "--key", KEY, "--no-ocr", "--queue", "4",
                "--sign-key", Fixtures.path("keys/test-ed25519.key").toString()));
        port = serve.awaitPort();
    }

    @AfterAll
    static void stop() throws Exception {
        serve.stop();
        assertEquals(0, exit.get());
        String log = ERR.toString();
        JsonNode first = JSON.readTree(log.lines().findFirst().orElseThrow());
        assertEquals("aigcmark serve listening on http://127.0.0.1:" + port + ", auth OFF: anyone who can reach 127.0.0.1:" + port
                + " may call it (--api-keys FILE turns it on); limits: 64 MiB a body, " + Runtime.getRuntime().availableProcessors()
                + " at once, 4 waiting, 60 s a request", first.get("msg").asText());
        assertTrue(log.contains("\"msg\":\"stopped\""), log);
    }

    static HttpResponse<String> post(String pathAndQuery, Path file) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofFile(file)).header("Content-Type", "application/octet-stream").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The CLI's JSON and the service's for the same file, {@code file} set aside. */
    static void assertSameReport(String cliJson, HttpResponse<String> served) throws Exception {
        assertEquals(200, served.statusCode(), served.body());
        ObjectNode cli = (ObjectNode) JSON.readTree(cliJson);
        ObjectNode http = (ObjectNode) JSON.readTree(served.body());
        assertEquals("upload.bin", http.remove("file").asText());
        cli.remove("file");
        assertEquals(cli, http);
    }

    @Test
    void detectAnswersWhatDetectJsonPrintsForAnImageAVideoAndAText() throws Exception {
        for (String fixture : new String[] {"labeled/xmp-element.jpg", "video/sample-360p-2s5.mp4", "text/watermarked/kgw-en.txt"}) {
            Path file = Fixtures.path(fixture);
            CliTest.Run cli = CliTest.run("detect", file.toString(), "--key", KEY, "--no-ocr", "--json");
            assertEquals(0, cli.code(), cli.err());
            assertSameReport(cli.out(), post("/v1/detect?name=upload.bin", file));
        }
        // and the same verdicts the CLI gives: a labelled JPEG and the keyed text watermark are Label 1
        assertEquals("1", JSON.readTree(post("/v1/detect", Fixtures.path("text/watermarked/kgw-en.txt")).body())
                .get("verdict").get("label").asText());
        assertTrue(JSON.readTree(post("/v1/detect", Fixtures.path("video/sample-360p-2s5.mp4")).body()).has("video"),
                "the video's frames were checked (the video module's media check is on the class path)");
    }

    @Test
    void userDeclaredIsTheCliOption() throws Exception {
        Path photo = Fixtures.path("jpeg/plain.jpg");
        CliTest.Run cli = CliTest.run("detect", photo.toString(), "--key", KEY, "--no-ocr", "--json", "--user-declared");
        assertSameReport(cli.out(), post("/v1/detect?name=upload.bin&userDeclared=true", photo));
    }

    @Test
    void inspectAndTextDetectAnswerWhatTheirCommandsPrint() throws Exception {
        Path png = Fixtures.path("labeled/xmp-element.png");
        CliTest.Run inspect = CliTest.run("inspect", png.toString(), "--json");
        assertEquals(0, inspect.code(), inspect.err());
        assertSameReport(inspect.out(), post("/v1/inspect?name=upload.bin", png));

        Path text = Fixtures.path("text/watermarked/kgw-en.txt");
        CliTest.Run textDetect = CliTest.run("text", "detect", text.toString(), "--key", KEY, "--json");
        assertEquals(0, textDetect.code(), textDetect.err());
        assertSameReport(textDetect.out(), post("/v1/text/detect?name=upload.bin", text));
    }

    @Test
    void labelReturnsTheBytesLabelWrites() throws Exception {
        Path photo = Fixtures.path("jpeg/plain.jpg");
        Path viaCli = Files.createTempDirectory("serve-label-").resolve("labelled.jpg");
        try {
            String signKey = Fixtures.path("keys/test-ed25519.key").toString();
            CliTest.Run cli = CliTest.run("label", photo.toString(), "-o", viaCli.toString(), "--producer", "001191110102MACQD9K64010000",
                    "--produce-id", "serve-2", "--visible", "--watermark", "--key", KEY, "--sign-key", signKey);
            assertEquals(0, cli.code(), cli.err());
            String keyId = org.aigcmark.label.LabelKeys.keyId(org.aigcmark.label.LabelKeys.readSigningKey(Path.of(signKey)).publicKey());
            HttpResponse<byte[]> served = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/v1/label?producer=001191110102MACQD9K64010000&produceId=serve-2&visible=true&watermark=true&signKey=" + keyId))
                    .POST(HttpRequest.BodyPublishers.ofFile(photo)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, served.statusCode(), new String(served.body(), java.nio.charset.StandardCharsets.UTF_8));
            org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(viaCli), served.body());
        } finally {
            Files.deleteIfExists(viaCli);
            Files.deleteIfExists(viaCli.getParent());
        }
    }

    @Test
    void propagateReturnsTheBytesPropagateWrites() throws Exception {
        String signKey = Fixtures.path("keys/test-ed25519.key").toString();
        String keyId = org.aigcmark.label.LabelKeys.keyId(org.aigcmark.label.LabelKeys.readSigningKey(Path.of(signKey)).publicKey());
        Path dir = Files.createTempDirectory("serve-propagate-");
        try {
            for (String fixture : new String[] {"jpeg/plain.jpg", "video-labeled/ffmpeg-mdta.mp4"}) {
                Path in = Fixtures.path(fixture);
                Path viaCli = dir.resolve(in.getFileName());
                CliTest.Run cli = CliTest.run("propagate", in.toString(), "-o", viaCli.toString(), "--propagator", "001191110102MACQD9K64010000",
                        "--propagate-id", "post-9", "--label", "3", "--sign-key", signKey);
                assertEquals(0, cli.code(), cli.err());
                HttpResponse<byte[]> served = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/v1/propagate?propagator=001191110102MACQD9K64010000&propagateId=post-9&label=3&signKey=" + keyId))
                        .POST(HttpRequest.BodyPublishers.ofFile(in)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, served.statusCode(), new String(served.body(), java.nio.charset.StandardCharsets.UTF_8));
                org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(viaCli), served.body(), fixture);
                Files.delete(viaCli);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void textLabelStreamsWhatTextLabelWrites() throws Exception {
        Path dir = Files.createTempDirectory("serve-text-label-");
        try {
            for (String fixture : new String[] {"text/watermarked/kgw-en.txt", "text/human/zh-faq-debian.txt"}) {
                Path in = Fixtures.path(fixture);
                Path viaCli = dir.resolve(in.getFileName());
                CliTest.Run cli = CliTest.run("text", "label", in.toString(), "-o", viaCli.toString());
                assertEquals(0, cli.code(), cli.err());
                byte[] body = Files.readAllBytes(in);
                // sent as a stream (chunked, no Content-Length), as an LLM's answer arrives
                HttpRequest.BodyPublisher pieces = HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body));
                HttpResponse<byte[]> served = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/text/label"))
                        .POST(pieces).header("Content-Type", "text/plain; charset=utf-8").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, served.statusCode(), new String(served.body(), java.nio.charset.StandardCharsets.UTF_8));
                org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(viaCli), served.body(), fixture);
                Files.delete(viaCli);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void refusedInputGets422WithTheCliSentence() throws Exception {
        Path bad = Fixtures.path("bad/wrong-magic.jpg");
        CliTest.Run cli = CliTest.run("detect", bad.toString(), "--no-ocr");
        assertEquals(ExitCodes.BAD_INPUT, cli.code());
        HttpResponse<String> r = post("/v1/detect?name=" + bad, bad);
        assertEquals(422, r.statusCode(), r.body());
        assertEquals(cli.err().strip(), "aigcmark: " + JSON.readTree(r.body()).get("error").asText());
        assertEquals("UNSUPPORTED_FORMAT", JSON.readTree(r.body()).get("reason").asText());
        assertTrue(Files.exists(bad));
    }

    @Test
    void tlsOptionsGoTogetherAndABadKeyStopsTheStartWithASentence(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        CliTest.Run half = CliTest.run("serve", "--port", "0", "--no-ocr", "--tls-cert", tmp.resolve("chain.pem").toString());
        assertEquals(ExitCodes.USAGE, half.code(), half.err());
        assertTrue(half.err().contains("--tls-cert and --tls-key go together"), half.err());
        Path cert = Files.writeString(tmp.resolve("chain.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(tmp.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        CliTest.Run bad = CliTest.run("serve", "--port", "0", "--no-ocr", "--tls-cert", cert.toString(), "--tls-key", key.toString());
        assertEquals(ExitCodes.USAGE, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("aigcmark: cannot use " + key + " and " + cert + " for TLS"), bad.err());
    }
}
