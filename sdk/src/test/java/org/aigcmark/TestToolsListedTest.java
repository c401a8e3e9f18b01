package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * CI installs the programs that the {@code TEST_TOOLS} list in {@code .ci/run} names and nothing else, so a test that starts a program
 * missing from that list passes on a developer's machine and fails on a fresh one (this happened with qpdf). This
 * test reads every module's test sources for the ways tests start programs and checks each name is listed.
 */
class TestToolsListedTest {
    /** Calls that start an external program named by their first string argument. */
    private static final Pattern STARTS = Pattern.compile(
            "(?:TestSupport\\.run|TestSupport\\.requireTool|requireTool|Tools\\.run|Tools\\.require|Tools\\.available"
                    + "|List\\.of|new ProcessBuilder)\\(\\s*\"([a-z0-9][a-z0-9_.+-]*)\"");

    @Test
    void everyProgramATestStartsIsInstalledByCi() throws IOException {
        Path repo = org.aigcmark.testdata.Fixtures.repoRoot();
        Set<String> listed = listedTools(repo);
        Set<String> started = new TreeSet<>();
        try (Stream<Path> files = Files.walk(repo, 12)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/")).toList()) {
                Matcher m = STARTS.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    String name = m.group(1);
                    if (m.group().startsWith("List.of") && !looksLikeProgram(name)) {
                        continue;
                    }
                    started.add(name + " (" + repo.relativize(f) + ")");
                }
            }
        }
        assertTrue(started.size() >= 5, "the scan found the tool calls: " + started);
        List<String> missing = started.stream().filter(s -> !listed.contains(s.substring(0, s.indexOf(' ')))).toList();
        assertEquals(List.of(), missing, "programs started by tests but not in .ci/run's TEST_TOOLS (CI would not install them)");
    }

    @Test
    void theListNamesADebianPackageForEveryEntry() throws IOException {
        List<String> entries = listEntries(org.aigcmark.testdata.Fixtures.repoRoot());
        assertTrue(entries.size() >= 10, "the TEST_TOOLS block of .ci/run was found: " + entries);
        for (String line : entries) {
            String[] parts = line.trim().split("\\s+", 3);
            assertEquals(3, parts.length, "tool, package and purpose: " + line);
            assertTrue(parts[1].matches("[a-z0-9][a-z0-9+.-]+"), "a Debian package name: " + line);
        }
    }

    /**
     * {@code List.of("...")} builds many lists that are not commands: count it only when its first word is a
     * program that tests are known to start this way.
     */
    private static boolean looksLikeProgram(String name) {
        return Set.of("ffmpeg", "ffprobe", "exiftool", "convert", "identify", "magick", "dwebp", "cwebp", "webpinfo",
                "qpdf", "openssl", "python3", "gcc", "sox", "tesseract").contains(name);
    }

    private static Set<String> listedTools(Path repo) throws IOException {
        Set<String> tools = new TreeSet<>();
        for (String line : listEntries(repo)) {
            tools.add(line.trim().split("\\s+")[0]);
        }
        return tools;
    }

    /** The lines of the {@code TEST_TOOLS} here-document in {@code .ci/run}, which CI installs from. */
    private static List<String> listEntries(Path repo) throws IOException {
        List<String> lines = Files.readAllLines(repo.resolve(".ci/run"));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("TEST_TOOLS <<'TOOLS'")) {
                start = i + 1;
            } else if (start >= 0 && lines.get(i).equals("TOOLS")) {
                return lines.subList(start, i).stream().filter(l -> !l.isBlank()).toList();
            }
        }
        throw new AssertionError(".ci/run has no TEST_TOOLS <<'TOOLS' ... TOOLS block");
    }

}
