package org.aigcmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@code inspect --json} on every file of testdata/conformance/ and compares it with the
 * {@code NAME.expected.json} beside it ({@code file} is the path relative to the corpus, so nothing in an expected
 * file depends on the machine). After an intended change, re-record with
 * {@code ./mvnw -B -q -pl cli -am test -Dtest=ConformanceCorpusTest -Daigcmark.recordConformance=true
 * -Dsurefire.failIfNoSpecifiedTests=false} and review the diff (testdata/conformance/README.md).
 */
class ConformanceCorpusTest {
    static final Path CORPUS = Fixtures.repoRoot().resolve("testdata").resolve("conformance");
    static final String SUFFIX = ".expected.json";
    static final ObjectMapper JSON = new ObjectMapper();
    static final boolean RECORD = Boolean.getBoolean("aigcmark.recordConformance");

    static List<Path> inputs() throws IOException {
        try (Stream<Path> s = Files.walk(CORPUS)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getParent().equals(CORPUS))
                    .filter(p -> !p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    static String relative(Path p) {
        return CORPUS.relativize(p).toString().replace('\\', '/');
    }

    /** What the CLI prints for {@code input}, made independent of where the corpus lies. */
    static JsonNode inspect(Path input) throws IOException {
        CliTest.Run r = CliTest.run("inspect", input.toString(), "--json");
        if (r.out().isBlank()) { // refused: no report, only the one-sentence error (exit 3)
            ObjectNode e = JSON.createObjectNode();
            e.put("file", relative(input));
            e.put("exitCode", r.code());
            e.put("error", r.err().strip().replace(input.toString(), relative(input)));
            return e;
        }
        ObjectNode n = (ObjectNode) JSON.readTree(r.out());
        n.put("file", relative(input));
        return n;
    }

    @TestFactory
    Stream<DynamicTest> everyFileMatchesItsExpectedReport() throws IOException {
        return inputs().stream().map(input -> DynamicTest.dynamicTest(relative(input), () -> {
            Path expected = input.resolveSibling(input.getFileName() + SUFFIX);
            JsonNode actual = inspect(input);
            if (RECORD) {
                Files.writeString(expected, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
            }
            assertTrue(Files.exists(expected), "no " + expected.getFileName() + ": re-record (see the class comment)");
            assertEquals(JSON.readTree(Files.readString(expected)), actual, relative(input));
        }));
    }

    @Test
    void theCorpusIsCompleteAndHoldsNothingMachineSpecific() throws IOException {
        List<Path> inputs = inputs();
        assertTrue(inputs.size() >= 200, inputs.size() + " files");
        List<String> orphans;
        try (Stream<Path> s = Files.walk(CORPUS)) {
            orphans = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .filter(p -> !Files.exists(p.resolveSibling(p.getFileName().toString().replace(SUFFIX, ""))))
                    .map(ConformanceCorpusTest::relative).toList();
        }
        assertEquals(List.of(), orphans, "expected files whose input is gone");
        String home = System.getProperty("user.home");
        for (Path input : inputs) {
            String text = Files.readString(input.resolveSibling(input.getFileName() + SUFFIX));
            assertTrue(!text.contains(CORPUS.toString()) && !text.contains(home), input + " names a local path");
        }
        String readme = Files.readString(CORPUS.resolve("README.md"));
        for (Path input : inputs) {
            String rel = relative(input);
            if (rel.startsWith("matrix/")) { // explained once per slot and once per case
                String name = input.getFileName().toString();
                assertTrue(readme.contains("`matrix/" + input.getParent().getFileName() + "/`")
                        && readme.contains("`" + name.substring(0, name.lastIndexOf('.')) + "`"), rel + " is not explained in README.md");
            } else {
                assertTrue(readme.contains("`" + rel + "`"), rel + " is not explained in README.md");
            }
        }
    }
}
