package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.report.ReportJson;
import org.aigcmark.text.TextChecker;
import org.aigcmark.text.TextFiles;
import org.aigcmark.text.TextFindings;
import org.aigcmark.text.watermark.WatermarkScheme;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;


@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Looks for AI labels in a plain UTF-8 text file: explicit label prompts, invisible characters",
                "(zero-width, bidi, variation selectors, homoglyphs) and, with --key, the generation-time watermark."})
public final class TextDetectCommand implements Callable<Integer> {
    enum Scheme { kgw, gumbel }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The text file (UTF-8), or - for standard input.")
    Path file;

    @Option(names = "--key", paramLabel = "K", description = "The watermark key file; without it the watermark is not tested.")
    Path key;

    @Option(names = "--scheme", defaultValue = "kgw", description = "The watermark scheme: kgw or gumbel (default: ${DEFAULT-VALUE}).")
    Scheme scheme;

    @Option(names = "--tokenizer", defaultValue = "o200k_base", description = "The tokenizer: o200k_base or cl100k_base (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--json", description = "Print a JSON report.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<WatermarkKey> keys = key == null ? List.of() : List.of(WatermarkKey.read(key));
        TextChecker checker = TextChecker.of(keys).withWatermark(
                scheme == Scheme.gumbel ? WatermarkScheme.GUMBEL : WatermarkScheme.KGW, tokenizer);
        String text;
        try (StdStreams.Input input = StdStreams.input(spec, file)) { // "-": standard input
            text = TextFiles.readUtf8(input.path());
        }
        TextFindings findings = checker.check(text);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = ReportJson.MAPPER.createObjectNode();
            root.put("file", file.toString());
            root.setAll(ReportJson.toNode(findings));
            out.println(ReportJson.write(root));
        } else {
            ReportJson.toLines(findings).forEach(out::println);
        }
        return ExitCodes.OK;
    }
}
