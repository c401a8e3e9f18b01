package org.aigcmark.bench;

import org.aigcmark.ExitCodes;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.aigcmark.AigcmarkException;
import picocli.CommandLine;

/**
 * Entry point of the bench jar ({@code aigcmark-bench.jar}, run as {@code ./aigcmark bench ...}): measurements,
 * attacks and evaluations, kept out of the product jars. Errors read and exit as the CLI's do.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = getCommandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The single factory: tests call this with their own writers. */
    public static CommandLine getCommandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            if (ex instanceof AigcmarkException ae) {
                e.println("aigcmark bench: " + ae.getMessage());
                return ExitCodes.of(ae.reason());
            }
            e.println("aigcmark bench: internal error: " + ex);
            if (Boolean.getBoolean("aigcmark.debug")) {
                ex.printStackTrace(e);
            }
            return ExitCodes.INTERNAL_ERROR;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("aigcmark bench: " + ex.getMessage());
            e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        return cl;
    }
}
