package org.aigcmark.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the real fixture files under {@code testdata/fixtures}. Tests read them in place (never copy them into
 * a jar) so that independent tools such as exiftool can be pointed at the very same bytes.
 *
 * <p>The folder comes from the system property {@code aigcmark.testdata} (set by the build) or, failing that,
 * from walking up from the working directory until a {@code testdata/fixtures} folder appears.
 */
public final class Fixtures {
    private static final Path ROOT = locate();

    private Fixtures() {}

    /** The {@code testdata} folder. */
    public static Path root() {
        return ROOT;
    }

    /**
     * The checkout's root folder, the one holding {@code .ci/run}: tests that read the project's own files (every
     * module's sources, the CI script) start there.
     */
    public static Path repoRoot() {
        for (Path p = ROOT.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".ci/run"))) {
                return p;
            }
        }
        throw new IllegalStateException(".ci/run not found above " + ROOT);
    }

    /** A fixture by its path relative to {@code testdata/fixtures}, e.g. {@code "jpeg/astronaut.jpg"}. */
    public static Path path(String relative) {
        Path p = ROOT.resolve("fixtures").resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no fixture " + relative + " under " + ROOT.resolve("fixtures"));
        }
        return p;
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file under a fixture folder, sorted by name. */
    public static List<Path> list(String folder) {
        Path dir = ROOT.resolve("fixtures").resolve(folder);
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locate() {
        String prop = System.getProperty("aigcmark.testdata");
        if (prop != null && Files.isDirectory(Paths.get(prop, "fixtures"))) {
            return Paths.get(prop).toAbsolutePath();
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata").resolve("fixtures"))) {
                return p.resolve("testdata");
            }
        }
        throw new IllegalStateException("cannot find testdata/fixtures; set -Daigcmark.testdata=PATH");
    }
}
