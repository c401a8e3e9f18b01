package org.aigcmark.bench.text;

import org.aigcmark.ExitCodes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.aigcmark.bench.text.eval.WatermarkEvaluation;
import org.aigcmark.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measures the text watermark (TPR at FPR 1e-5, robustness to word edits, passages inside human text,",
                "entropy curve, false positives on the shipped human text) and writes a Markdown report. Takes minutes."})
public final class TextEvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--docs", defaultValue = "200", description = "Documents per table cell (default: ${DEFAULT-VALUE}).")
    int docs;

    @Option(names = "--seed", defaultValue = "1", description = "The random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--human", defaultValue = "testdata/fixtures/text/human", description = "The folder of human-written .txt files (default: ${DEFAULT-VALUE}).")
    Path human;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here (default: print it).")
    Path out;

    @Override
    public Integer call() {
        if (docs < 10 || docs > 100_000) {
            throw org.aigcmark.AigcmarkException.invalid("--docs must be 10..100000");
        }
        String report = new WatermarkEvaluation(docs, seed, human).run();
        if (out != null) {
            AtomicFiles.write(out, report.getBytes(StandardCharsets.UTF_8));
            spec.commandLine().getOut().println("wrote " + out);
        } else {
            spec.commandLine().getOut().print(report);
        }
        return ExitCodes.OK;
    }
}
