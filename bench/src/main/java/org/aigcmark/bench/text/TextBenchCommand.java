package org.aigcmark.bench.text;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aigcmark bench text ...}: the text watermark on the built-in n-gram model (try it, measure it). */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = "The text watermark on the built-in trigram model: generate marked text to try the detector on,"
                + " or measure detection quality.",
        subcommands = {TextGenerateCommand.class, TextEvaluateCommand.class})
public final class TextBenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
