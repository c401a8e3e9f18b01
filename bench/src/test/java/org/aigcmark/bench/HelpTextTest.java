package org.aigcmark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * As the CLI's HelpTextTest: every command, option and positional argument is described, in whole sentences (capital
 * letter, full stop).
 */
class HelpTextTest {
    @Test
    void everyDescriptionIsAWholeSentence() {
        CommandLine root = BenchMain.getCommandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> bad = new ArrayList<>();
        walk(root.getCommandSpec(), bad);
        assertEquals(List.of(), bad, bad.size() + " descriptions are missing or not whole sentences");
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

    static void check(String where, String[] lines, List<String> bad) {
        String text = String.join(" ", lines).strip();
        if (text.isEmpty()) {
            bad.add(where + ": no description");
        } else if (!Character.isUpperCase(text.codePointAt(0)) || !text.endsWith(".")) {
            bad.add(where + ": \"" + text + "\"");
        }
    }
}
