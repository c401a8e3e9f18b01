package org.aigcmark.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The launcher's start-up cache training run (a JDK 25 AOT cache is made from one JVM's run): several CLI command
 * lines, separated by {@code ::}, run one after the other in this JVM, so that one cache holds the classes, links and
 * method profiles of each (a video label, an image label, an inspect). Not a user command: the launcher starts it with
 * {@code -XX:AOTCacheOutput}. Exits with the first failing command's code, printing its messages.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        for (List<String> command : split(args)) {
            StringWriter text = new StringWriter();
            PrintWriter out = new PrintWriter(text, true);
            int code = Main.getCommandLine(out, out).execute(command.toArray(String[]::new));
            out.flush();
            if (code != 0) {
                System.err.println("aigcmark aot training: " + String.join(" ", command) + " exited " + code);
                System.err.print(text);
                System.exit(code);
            }
        }
        System.exit(0);
    }

    static List<List<String>> split(String[] args) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String a : Arrays.asList(args)) {
            if (a.equals("::")) {
                commands.add(current);
                current = new ArrayList<>();
            } else {
                current.add(a);
            }
        }
        commands.add(current);
        commands.removeIf(List::isEmpty);
        return commands;
    }
}
