package org.aigcmark.cli;

import picocli.CommandLine.Command;

@Command(name = "text", mixinStandardHelpOptions = true,
        description = "Plain text: explicit labels, the generation-time watermark, invisible characters.",
        subcommands = {TextLabelCommand.class, TextGenerateCommand.class, TextDetectCommand.class, TextEvaluateCommand.class})
public final class TextCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
