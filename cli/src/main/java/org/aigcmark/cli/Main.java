package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.aigcmark.AigcmarkException;
import picocli.CommandLine;

/** Entry point: {@code System.exit(getCommandLine(out, err).execute(args))}, nothing else. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = getCommandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The single factory: tests call this with their own writers. */
    public static CommandLine getCommandLine(PrintWriter out, PrintWriter err) {
        return getCommandLine(null, null, out, err);
    }

    /** As {@link #getCommandLine(PrintWriter, PrintWriter)}, with the byte streams that "-" reads and writes. */
    public static CommandLine getCommandLine(java.io.InputStream stdin, java.io.OutputStream stdout, PrintWriter out, PrintWriter err) {
        RootCommand root = new RootCommand();
        root.stdin = stdin;
        root.stdout = stdout;
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // PrintWriter and PrintStream (System.out) swallow IOExceptions: a report lost to a full disk or a closed
        // pipe must still end in exit 4, so the one check for every command is here.
        cl.setExecutionStrategy(parseResult -> {
            int code = new CommandLine.RunLast().execute(parseResult);
            java.io.OutputStream bytes = stdout != null ? stdout : System.out;
            boolean failed = out.checkError() | (bytes instanceof java.io.PrintStream ps && ps.checkError());
            if (failed && code != ExitCodes.OUTPUT_NOT_WRITABLE) {
                err.println("aigcmark: cannot write standard output (a full disk or a closed pipe?)");
                return ExitCodes.OUTPUT_NOT_WRITABLE;
            }
            return code;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            if (ex instanceof AigcmarkException ae) {
                e.println("aigcmark: " + ae.getMessage());
                return ExitCodes.of(ae.reason());
            }
            e.println("aigcmark: internal error: " + ex);
            if (Boolean.getBoolean("aigcmark.debug")) {
                ex.printStackTrace(e);
            }
            return ExitCodes.INTERNAL_ERROR;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("aigcmark: " + ex.getMessage());
            e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        return cl;
    }
}
