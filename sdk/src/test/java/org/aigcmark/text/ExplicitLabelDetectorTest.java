package org.aigcmark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class ExplicitLabelDetectorTest {
    private final ExplicitLabelDetector d = new ExplicitLabelDetector();

    @Test
    void toleratesWidthCaseSpacingAndPunctuationVariants() {
        for (String label : new String[]{"（本内容由ＡＩ生成）", "[This content was GENERATED   by A.I.]", "人 工 智 能 合 成",
                "ai-generated", "由A\u200BI生成", "Synthetic content (artificial-intelligence)", "AIGC"}) {
            String text = label + "\nThe body of the answer goes here and is long enough to leave the start window behind us.";
            List<ExplicitLabelFinding> f = d.find(text);
            assertEquals(1, f.size(), label + " -> " + f);
            assertEquals(ExplicitLabelFinding.Location.START, f.get(0).location(), label);
            assertTrue(f.get(0).end() <= label.length(), label + " -> " + f);
        }
    }

    @Test
    void reportsPositionsInTheOriginalText() {
        String body = "x".repeat(300);
        String text = body + " 注：以上内容由人工智能生成。 " + body;
        ExplicitLabelFinding f = d.find(text).get(0);
        assertEquals("人工智能生成", f.text());
        assertEquals(text.indexOf("人工智能"), f.start());
        assertEquals(ExplicitLabelFinding.Location.BODY, f.location());
    }

    @Test
    void findsEachLabelOnceInLargeTextsAcrossChunkBorders() {
        String human = TextFiles.readUtf8(Fixtures.path("text/human/zh-guide-debian-maint.txt"));
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 400_000) {
            sb.append(human);
        }
        String label = "（本内容由人工智能生成）";
        for (int at : new int[]{65_530, 131_070, 300_000}) {
            sb.insert(at, label);
        }
        String text = sb.toString();
        List<ExplicitLabelFinding> f = d.find(text).stream().filter(x -> x.text().equals("人工智能生成")).toList();
        assertEquals(3, f.size(), f.toString());
        for (ExplicitLabelFinding x : f) {
            assertEquals("人工智能生成", text.substring(x.start(), x.end()));
        }
    }

    @Test
    void wordsThatMerelyContainAiDoNotMatch() {
        assertTrue(d.find("She said again that the plaid train regenerated nothing.").isEmpty());
        assertTrue(d.find("The generator of the report was an engineer named Kai.").isEmpty());
    }

    @Test
    void realHumanTextHasNoLabelAtItsStartOrEnd() {
        for (String f : new String[]{"text/human/en-quotes-fortunes.txt", "text/human/zh-guide-debian-maint.txt"}) {
            assertTrue(!d.hasStartOrEndLabel(TextFiles.readUtf8(Fixtures.path(f))), f);
        }
    }
}
