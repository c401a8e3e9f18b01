package org.aigcmark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.aigcmark.testdata.HelpTexts;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** As the CLI's: every command, option and positional argument of the bench jar is described in whole sentences. */
class HelpTextTest {
    @Test
    void everyDescriptionIsAWholeSentence() {
        CommandLine root = BenchMain.getCommandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> bad = HelpTexts.notWholeSentences(root);
        assertEquals(List.of(), bad, bad.size() + " descriptions are missing or not whole sentences");
    }
}
