package org.aigcmark.bench;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the bench jar's command line, with what it printed: the tests' way to call it. */
public record BenchRun(int code, String out, String err) {
    /** Runs {@code aigcmark bench ARGS...} in this JVM. */
    public static BenchRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.getCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new BenchRun(code, out.toString(), err.toString());
    }
}
