package org.aigcmark.cli;

import picocli.CommandLine.Command;

@Command(name = "text", mixinStandardHelpOptions = true,
        description = "Plain text: explicit labels, the generation-time watermark's detector, invisible characters.",
        subcommands = {TextLabelCommand.class, TextDetectCommand.class,
                MovedToBench.TextGenerate.class, MovedToBench.TextEvaluate.class})
public final class TextCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
