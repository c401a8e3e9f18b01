package org.aigcmark.cli;

import picocli.CommandLine.Command;

@Command(name = "aigcmark", mixinStandardHelpOptions = true, version = "aigcmark 0.1.0",
        description = "Labels AI-generated content (GB 45438-2025) and detects such labels.",
        subcommands = {DemoCommand.class, LabelCommand.class, InspectCommand.class, DetectCommand.class, ScanCommand.class, PropagateCommand.class, ModelsCommand.class,
                KeygenCommand.class, TextCommand.class, MovedToBench.Bench.class, ServeCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok",
                "1:internal error",
                "2:usage error (bad option, bad label value, bad key)",
                "3:input unreadable, corrupt, unsupported or over a limit",
                "4:output not writable (nothing was written)"})
public final class RootCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** What "-" reads and writes (set by {@link Main#getCommandLine(java.io.InputStream, java.io.OutputStream,
     * java.io.PrintWriter, java.io.PrintWriter)}); null: the process's own streams. */
    java.io.InputStream stdin;
    java.io.OutputStream stdout;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
