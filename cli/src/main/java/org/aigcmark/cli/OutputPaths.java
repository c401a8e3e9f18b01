package org.aigcmark.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.format.MediaType;
import picocli.CommandLine;

/** Checks shared by commands that write a file next to an input. */
final class OutputPaths {
    private OutputPaths() {}

    /** Refuses in-place writes without --in-place, and an output extension naming another format. */
    static void check(CommandLine cl, Path in, Path out, boolean inPlace, byte[] inputBytes) {
        refuseOverwritingInput(cl, in, out, inPlace);
        MediaType actual = MediaType.sniff(inputBytes);
        MediaType named = MediaType.fromExtension(out.getFileName().toString());
        // An OOXML package whose kind only its relationships tell is sniffed as a ZIP: any office extension fits it.
        boolean ooxml = actual == MediaType.ZIP && (named == MediaType.DOCX || named == MediaType.XLSX || named == MediaType.PPTX);
        // Markdown without front matter sniffs as text: the labeler then says what the record needs, which helps more
        boolean markdownAsText = actual == MediaType.TEXT && named == MediaType.MARKDOWN;
        if (named != null && actual != MediaType.UNKNOWN && named != actual && !ooxml && !markdownAsText) {
            throw new CommandLine.ParameterException(cl, "output " + out + " names " + named.id() + " but the input is "
                    + actual.id() + "; labelling keeps the input's format");
        }
    }

    /** Inputs are never modified in place unless asked: OUT == IN needs --in-place. */
    static void refuseOverwritingInput(CommandLine cl, Path in, Path out, boolean inPlace) {
        if (!inPlace && sameFile(in, out)) {
            throw new CommandLine.ParameterException(cl, "output " + out + " is the input file; add --in-place to overwrite it");
        }
    }

    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall through to the path comparison
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
