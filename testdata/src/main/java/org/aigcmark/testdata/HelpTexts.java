package org.aigcmark.testdata;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The help-text rule of aigcmark's command-line tools (the CLI and the bench jar): every description is a whole sentence. */
public final class HelpTexts {
    private HelpTexts() {}

    /**
     * Every command, option and positional argument under {@code root} whose description is missing or is not a whole
     * sentence (a capital letter first, a full stop last), as "where: text" lines; empty when all are.
     */
    public static List<String> notWholeSentences(CommandLine root) {
        List<String> bad = new ArrayList<>();
        walk(root.getCommandSpec(), bad);
        return bad;
    }

    private static void walk(CommandSpec cmd, List<String> bad) {
        String name = cmd.qualifiedName();
        check(name, cmd.usageMessage().description(), bad);
        for (OptionSpec o : cmd.options()) {
            check(name + " " + o.longestName(), o.description(), bad);
        }
        for (ArgSpec p : cmd.positionalParameters()) {
            check(name + " " + p.paramLabel(), p.description(), bad);
        }
        for (CommandLine sub : cmd.subcommands().values()) {
            if (sub.getCommandSpec().parent() == cmd) { // aliases list the same command again
                walk(sub.getCommandSpec(), bad);
            }
        }
    }

    private static void check(String where, String[] lines, List<String> bad) {
        String text = String.join(" ", lines).strip();
        if (text.isEmpty()) {
            bad.add(where + ": no description");
        } else if (!Character.isUpperCase(text.codePointAt(0)) || !text.endsWith(".")) {
            bad.add(where + ": \"" + text + "\"");
        }
    }
}
