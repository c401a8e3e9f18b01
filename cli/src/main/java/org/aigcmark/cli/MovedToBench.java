package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Commands that moved to the bench jar (module {@code bench}, {@code ./aigcmark bench ...}): the CLI no longer
 * carries them, nor the n-gram model and corpora they need. Hidden; each says in one line where it went, exit 2.
 */
abstract class MovedToBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Whatever followed the old name: accepted so that the pointer, not a parse error, is what the user sees. */
    @Unmatched
    List<String> rest;

    /** The command line that replaces this one, after {@code ./aigcmark}. */
    abstract String replacement();

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("aigcmark: '" + spec.qualifiedName().replaceFirst("^aigcmark ", "")
                + "' moved to the bench jar: run ./aigcmark " + replacement() + " (docs/BENCHMARKS.md)");
        return ExitCodes.USAGE;
    }

    @Command(name = "bench", hidden = true, description = "Moved: ./aigcmark bench runs the bench jar.")
    static final class Bench extends MovedToBench {
        @Override
        String replacement() {
            return "bench ...";
        }
    }

    @Command(name = "generate", hidden = true, description = "Moved: ./aigcmark bench text generate.")
    static final class TextGenerate extends MovedToBench {
        @Override
        String replacement() {
            return "bench text generate ...";
        }
    }

    @Command(name = "evaluate", hidden = true, description = "Moved: ./aigcmark bench text evaluate.")
    static final class TextEvaluate extends MovedToBench {
        @Override
        String replacement() {
            return "bench text evaluate ...";
        }
    }
}
