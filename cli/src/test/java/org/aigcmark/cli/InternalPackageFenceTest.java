package org.aigcmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code org.aigcmark.internal} is the sdk's own: its module-info does not export it, and on the class path nothing
 * else stops another module from using it. This test reads every module's main sources (the sdk's excepted) and
 * fails on any mention of the package, so what other modules need stays public API (docs/ARCHITECTURE.md).
 */
class InternalPackageFenceTest {
    private static final Pattern INTERNAL = Pattern.compile("\\borg\\.aigcmark\\.internal\\b");

    @Test
    void noModuleButTheSdkUsesTheInternalPackage() throws IOException {
        Path repo = org.aigcmark.testdata.Fixtures.repoRoot();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(repo, 14)) {
            sources = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .filter(p -> !repo.relativize(p).startsWith("sdk"))
                    .filter(p -> !repo.relativize(p).toString().contains("/target/"))
                    .toList();
        }
        assertTrue(sources.stream().anyMatch(p -> p.endsWith("cli/src/main/java/org/aigcmark/cli/Main.java")),
                "the walk reached the other modules' sources: " + sources.size() + " files");
        List<String> offenders = sources.stream().filter(InternalPackageFenceTest::mentionsInternal)
                .map(p -> repo.relativize(p).toString()).sorted().toList();
        assertEquals(List.of(), offenders, "main sources outside the sdk that use org.aigcmark.internal");
    }

    private static boolean mentionsInternal(Path file) {
        try {
            return INTERNAL.matcher(Files.readString(file, StandardCharsets.UTF_8)).find();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
