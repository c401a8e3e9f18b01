package org.aigcmark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.AigcmarkException;
import org.aigcmark.io.AtomicFiles;
import org.aigcmark.Limits;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * "-" as a file argument means standard input or output. Both go through a temp file (deleted afterwards), so the
 * file code paths (format sniffing, videos, atomic writes) run unchanged; while data goes to standard output every
 * human message goes to standard error.
 */
final class StdStreams {
    static final String DASH = "-";

    private StdStreams() {}

    static boolean isDash(Path p) {
        return p != null && p.toString().equals(DASH);
    }

    /** The streams the root command was given (tests give their own), else the process's. */
    static InputStream stdin(CommandSpec spec) {
        return spec.root().userObject() instanceof RootCommand r && r.stdin != null ? r.stdin : System.in;
    }

    static OutputStream stdout(CommandSpec spec) {
        return spec.root().userObject() instanceof RootCommand r && r.stdout != null ? r.stdout : System.out;
    }

    /** {@code --in-place} rewrites a named file: with "-" there is none. */
    static void refuseInPlace(CommandSpec spec, boolean inPlace, Path in, Path out) {
        if (inPlace && (isDash(in) || isDash(out))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--in-place needs a file, not - (standard input/output)");
        }
    }

    /** An input argument: the file itself, or standard input copied to a temp file (up to the input size limit). */
    static Input input(CommandSpec spec, Path arg) {
        if (!isDash(arg)) {
            return new Input(arg, arg.toString(), null);
        }
        Path dir = tempDir("stdin");
        Path file = dir.resolve("stdin");
        long max = Limits.DEFAULT.maxFileBytes();
        try (InputStream in = stdin(spec); OutputStream o = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > max) {
                    throw AigcmarkException.limit("standard input is over the input limit of " + max
                            + " bytes (raise -Daigcmark.maxFileBytes if it is genuine)");
                }
                o.write(buf, 0, n);
            }
        } catch (IOException e) {
            delete(dir);
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read standard input: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            delete(dir);
            throw e;
        }
        return new Input(file, DASH, dir);
    }

    /** A file to read: {@code path} is what to open, {@code name} what reports call it ("-" for standard input). */
    record Input(Path path, String name, Path tempDir) implements AutoCloseable {
        boolean isStdin() {
            return tempDir != null;
        }

        @Override
        public void close() {
            if (tempDir != null) {
                delete(tempDir);
            }
        }
    }

    /**
     * An output argument: the file itself, or a temp file that {@link Output#send} copies to standard output. While it
     * is open the command's messages go to standard error.
     */
    static Output output(CommandSpec spec, Path arg) {
        if (!isDash(arg)) {
            return new Output(spec, arg, null, null, null);
        }
        PrintWriter previous = spec.commandLine().getOut();
        previous.flush();
        // held until the data is out: "wrote standard output" must not be said when the write then fails
        java.io.StringWriter held = new java.io.StringWriter();
        spec.commandLine().setOut(new PrintWriter(held, true));
        Path dir = tempDir("stdout");
        return new Output(spec, dir.resolve("stdout"), dir, previous, held);
    }

    static final class Output implements AutoCloseable {
        private final CommandSpec spec;
        private final Path path;
        private final Path tempDir;
        private final PrintWriter previousOut;
        private final java.io.StringWriter heldMessages;

        private Output(CommandSpec spec, Path path, Path tempDir, PrintWriter previousOut, java.io.StringWriter heldMessages) {
            this.spec = spec;
            this.path = path;
            this.tempDir = tempDir;
            this.previousOut = previousOut;
            this.heldMessages = heldMessages;
        }

        Path path() {
            return path;
        }

        /**
         * For standard output: copies the finished file there, then shows the command's messages on standard error. A
         * failed command, or a failed write, sends nothing and drops the messages (they would claim success).
         */
        void send() {
            if (tempDir == null) {
                return;
            }
            OutputStream o = stdout(spec);
            try {
                Files.copy(path, o);
                flushChecked(o);
            } catch (IOException e) {
                throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write standard output: " + e.getMessage(), e);
            }
            PrintWriter err = spec.commandLine().getErr();
            err.print(heldMessages);
            err.flush();
        }

        @Override
        public void close() {
            if (tempDir != null) {
                spec.commandLine().setOut(previousOut);
                delete(tempDir);
            }
        }
    }

    /** Bytes to OUT: atomically to a file, or to standard output for "-". */
    static void write(CommandSpec spec, Path out, byte[] bytes) {
        if (!isDash(out)) {
            AtomicFiles.write(out, bytes);
            return;
        }
        OutputStream o = stdout(spec);
        try {
            o.write(bytes);
            flushChecked(o);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write standard output: " + e.getMessage(), e);
        }
    }

    /** Flushes, and fails where a PrintStream (System.out) swallowed an IOException: a full disk must not pass as success. */
    static void flushChecked(OutputStream o) throws IOException {
        o.flush();
        if (o instanceof java.io.PrintStream ps && ps.checkError()) {
            throw new IOException("the write failed (a full disk or a closed pipe?)");
        }
    }

    /** The writer for human messages: standard error when standard output carries the data. */
    static PrintWriter messages(CommandSpec spec, Path out) {
        return isDash(out) ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    private static Path tempDir(String what) {
        try {
            try {
                return Files.createTempDirectory("aigcmark-" + what + "-", java.nio.file.attribute.PosixFilePermissions
                        .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                return Files.createTempDirectory("aigcmark-" + what + "-");
            }
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot create a temp folder for " + what
                    + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: the folder is in the temp dir and named aigcmark-*
                }
            });
        } catch (IOException e) {
            // best effort, as above
        }
    }
}
