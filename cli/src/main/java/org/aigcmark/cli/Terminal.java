package org.aigcmark.cli;

/** Whether standard error is a terminal (progress redrawn in place) or a pipe or file (plain lines). */
final class Terminal {
    /** Set by the launcher, which filters stderr through a pipe and so hides the terminal from the JVM. */
    static final String STDERR_TTY_PROPERTY = "aigcmark.stderr.tty";

    private Terminal() {}

    static boolean stderrIsTerminal() {
        String told = System.getProperty(STDERR_TTY_PROPERTY);
        if (told != null && !told.isBlank()) {
            return Boolean.parseBoolean(told.strip());
        }
        java.io.Console console = System.console();
        return console != null && isTerminal(console);
    }

    /**
     * {@code Console.isTerminal()} (JDK 22+; the build targets 21): from JDK 22 on a console exists even when the
     * streams are redirected, and this tells the two apart. Before 22 a console existed only on a terminal.
     */
    private static boolean isTerminal(java.io.Console console) {
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
