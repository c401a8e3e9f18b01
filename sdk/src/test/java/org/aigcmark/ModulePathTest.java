package org.aigcmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sdk as a named module: its classes ({@code target/classes}, with module-info) and its runtime dependencies
 * (listed by the build in {@code target/runtime-classpath.txt}) on a {@code --module-path}, used by a tiny module
 * of our own that labels a JPEG and a WebP (visible label, image watermark) and reads the record back, as a modular
 * application would. A second tiny module that imports {@code org.aigcmark.internal} must not compile. Runs the
 * JDK's own {@code java} and {@code javac} ({@code java.home}).
 */
class ModulePathTest {
    private static final Path BIN = Path.of(System.getProperty("java.home"), "bin");

    @TempDir
    Path tmp;

    @Test
    void theModuleExportsEveryPackageButInternal() throws IOException {
        String described = run(List.of(BIN.resolve("java").toString(), "--module-path", modulePath(),
                "--describe-module", "org.aigcmark.sdk")).output;
        assertTrue(described.contains("exports org.aigcmark\n") || described.contains("exports org.aigcmark\r"), described);
        assertTrue(described.contains("exports org.aigcmark.io"), described);
        assertTrue(described.contains("uses org.aigcmark.watermark.RowKernels"), described);
        assertTrue(described.contains("contains org.aigcmark.internal"), "a concealed package: " + described);
        assertFalse(described.contains("exports org.aigcmark.internal"), described);
    }

    @Test
    void aModularApplicationLabelsAndInspects() throws IOException {
        Path src = tmp.resolve("src/demo");
        Files.createDirectories(src.resolve("demo"));
        Files.writeString(src.resolve("module-info.java"), "module demo { requires org.aigcmark.sdk; }");
        Files.writeString(src.resolve("demo/Main.java"), """
                package demo;

                import java.nio.file.Path;
                import java.util.List;
                import org.aigcmark.LabelRequest;
                import org.aigcmark.Labeler;
                import org.aigcmark.key.WatermarkKey;
                import org.aigcmark.visible.VisibleLabelOptions;

                public class Main {
                    public static void main(String[] args) {
                        Labeler labeler = Labeler.create();
                        for (int i = 0; i < args.length; i += 2) {
                            labeler.label(Path.of(args[i]), Path.of(args[i + 1]),
                                    LabelRequest.produced("00ABCDEFGHIJKLMNOPQRSTUVWXY", "module-path-" + i)
                                            .withVisible(VisibleLabelOptions.defaults())
                                            .withWatermark(WatermarkKey.fromPassphrase("module path")));
                            var found = labeler.inspect(Path.of(args[i + 1]), List.of()).labels();
                            System.out.println("records " + found.size() + " " + found.get(0).label().produceId());
                        }
                    }
                }
                """);
        Path classes = tmp.resolve("classes");
        Result compiled = run(List.of(BIN.resolve("javac").toString(), "--module-path", modulePath(), "-d",
                classes.toString(), src.resolve("module-info.java").toString(), src.resolve("demo/Main.java").toString()));
        assertEquals(0, compiled.exit, compiled.output);

        // the WebP is decoded by TwelveMonkeys' ImageIO reader, which ImageIO finds in its automatic module
        Result ran = run(List.of(BIN.resolve("java").toString(), "--add-modules", "jdk.incubator.vector",
                "--module-path", modulePath() + File.pathSeparator + classes, "-m", "demo/demo.Main",
                Fixtures.path("jpeg/plain.jpg").toString(), tmp.resolve("labelled.jpg").toString(),
                Fixtures.path("webp/lossy.webp").toString(), tmp.resolve("labelled.webp").toString()));
        assertEquals(0, ran.exit, ran.output);
        assertTrue(ran.output.contains("records 1 module-path-0\n") && ran.output.contains("records 1 module-path-2\n"),
                ran.output);
    }

    @Test
    void theInternalPackageIsNotVisibleToOtherModules() throws IOException {
        Path src = tmp.resolve("src/intruder");
        Files.createDirectories(src.resolve("intruder"));
        Files.writeString(src.resolve("module-info.java"), "module intruder { requires org.aigcmark.sdk; }");
        Files.writeString(src.resolve("intruder/Main.java"), """
                package intruder;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(org.aigcmark.internal.VectorApi.present());
                    }
                }
                """);
        Result compiled = run(List.of(BIN.resolve("javac").toString(), "--module-path", modulePath(), "-d",
                tmp.resolve("classes").toString(), src.resolve("module-info.java").toString(),
                src.resolve("intruder/Main.java").toString()));
        assertTrue(compiled.exit != 0, compiled.output);
        assertTrue(compiled.output.contains("package org.aigcmark.internal is not visible")
                || compiled.output.contains("does not export org.aigcmark.internal"), compiled.output);
    }

    /** The sdk's classes and its runtime dependencies, as the build listed them. */
    private static String modulePath() throws IOException {
        Path list = Path.of("target/runtime-classpath.txt");
        assertTrue(Files.isRegularFile(list), list.toAbsolutePath() + " (written by the build's dependency:build-classpath)");
        return Path.of("target/classes").toAbsolutePath() + File.pathSeparator + Files.readString(list).strip();
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot run " + cmd.get(0) + ": " + e, e);
        }
    }
}
