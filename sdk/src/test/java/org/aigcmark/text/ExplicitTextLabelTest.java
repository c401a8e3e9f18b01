package org.aigcmark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class ExplicitTextLabelTest {
    @Test
    void defaultLabelFollowsTheContentLanguage() {
        assertEquals(ExplicitTextLabel.DEFAULT_ZH, ExplicitTextLabel.forText("今天天气很好，我们去公园散步吧。").text());
        assertEquals(ExplicitTextLabel.DEFAULT_EN, ExplicitTextLabel.forText("The weather is fine today.").text());
        assertEquals(TextLanguage.ZH, TextLanguage.detect(TextFiles.readUtf8(Fixtures.path("text/human/zh-faq-debian.txt"))));
        assertEquals(TextLanguage.EN, TextLanguage.detect(TextFiles.readUtf8(Fixtures.path("text/human/en-faq-debian.txt"))));
    }

    @Test
    void positionsPutTheLabelWhereAsked() {
        ExplicitTextLabel l = ExplicitTextLabel.defaults(TextLanguage.ZH);
        String body = "第一段。\n\n第二段。";
        assertEquals("（本内容由AI生成）\n" + body, l.apply(body, LabelPosition.START));
        assertEquals(body + "\n（本内容由AI生成）\n", l.apply(body, LabelPosition.END));
        String both = l.apply(body + "\n", LabelPosition.BOTH);
        assertEquals("（本内容由AI生成）\n" + body + "\n（本内容由AI生成）\n", both);
        List<ExplicitLabelFinding> f = new ExplicitLabelDetector().find(both);
        assertEquals(2, f.size());
        assertEquals(ExplicitLabelFinding.Location.START, f.get(0).location());
        assertEquals(ExplicitLabelFinding.Location.END, f.get(1).location());
    }

    @Test
    void middleLabelGoesToAParagraphBreakOfLongTexts() {
        String text = TextFiles.readUtf8(Fixtures.path("text/human/en-faq-debian.txt")).substring(0, 6000);
        String out = ExplicitTextLabel.defaults(TextLanguage.EN).apply(text, LabelPosition.BOTH, true);
        List<ExplicitLabelFinding> f = new ExplicitLabelDetector().find(out);
        assertTrue(f.stream().anyMatch(x -> x.location() == ExplicitLabelFinding.Location.BODY), f.toString());
        int mid = out.indexOf(ExplicitTextLabel.DEFAULT_EN, 10);
        assertTrue(mid > out.length() / 4 && mid < out.length() * 3 / 4, "middle at " + mid + " of " + out.length());
        assertEquals('\n', out.charAt(mid - 1), "placed after a line break");
        // Short texts get no middle label.
        assertEquals(2, new ExplicitLabelDetector().find(ExplicitTextLabel.defaults(TextLanguage.EN).apply("Short.", LabelPosition.BOTH, true)).size());
    }

    @Test
    void customLabelsNeedBothElements() {
        assertEquals("由人工智能合成", ExplicitTextLabel.custom("由人工智能合成").text());
        assertEquals("Synthesized by artificial intelligence", ExplicitTextLabel.custom("Synthesized by artificial intelligence").text());
        assertEquals("AI-generated", ExplicitTextLabel.custom("AI-generated").text());
        AigcmarkException noGen = assertThrows(AigcmarkException.class, () -> ExplicitTextLabel.custom("本内容由AI提供"));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, noGen.reason());
        assertTrue(noGen.getMessage().contains("generation element"), noGen.getMessage());
        AigcmarkException noAi = assertThrows(AigcmarkException.class, () -> ExplicitTextLabel.custom("Generated automatically"));
        assertTrue(noAi.getMessage().contains("AI element"), noAi.getMessage());
        assertThrows(AigcmarkException.class, () -> ExplicitTextLabel.custom("said again, generated"));
        assertThrows(AigcmarkException.class, () -> ExplicitTextLabel.custom(" "));
        assertThrows(AigcmarkException.class, () -> ExplicitTextLabel.custom("AI生成\n第二行"));
    }

    @Test
    void relabellingReplacesThePromptsInsteadOfStackingThem() {
        ExplicitTextLabel zh = ExplicitTextLabel.defaults(TextLanguage.ZH);
        ExplicitTextLabel en = ExplicitTextLabel.defaults(TextLanguage.EN);
        ExplicitLabelDetector d = new ExplicitLabelDetector();
        for (String body : new String[]{"第一段。\n\n第二段。\n", "第一段。\n\n第二段。", "One.\n\nTwo.\n"}) {
            for (LabelPosition p : LabelPosition.values()) {
                String once = zh.apply(body, p);
                assertEquals(once, zh.apply(once, p), body + " " + p);
                // (The line break the old end prompt added after a body without one stays.)
                assertEquals(zh.apply(body, p).stripTrailing(), zh.apply(en.apply(body, LabelPosition.BOTH), p).stripTrailing(), body + " " + p);
                assertEquals(p == LabelPosition.BOTH ? 2 : 1, d.find(zh.apply(zh.apply(once, p), p)).size());
            }
            // Third-party prompts on the first or last line are replaced too; a prose first line is kept.
            assertEquals(zh.apply(body, LabelPosition.BOTH),
                    zh.apply("本内容由AI生成\n" + body + (body.endsWith("\n") ? "" : "\n") + "[AI-generated content]\n", LabelPosition.BOTH));
            String prose = "AI tools have generated debate.\n" + body;
            assertTrue(zh.apply(prose, LabelPosition.START).startsWith(zh.text() + "\n" + prose), prose);
        }
        ExplicitTextLabel.Result r = zh.relabel(en.apply("正文。\n", LabelPosition.BOTH), LabelPosition.BOTH, false);
        assertEquals(List.of(ExplicitTextLabel.DEFAULT_EN, ExplicitTextLabel.DEFAULT_EN), r.replaced());
        assertEquals(List.of(), r.notes());
    }

    @Test
    void relabellingAMiddleLabelReplacesIt() {
        ExplicitTextLabel zh = ExplicitTextLabel.defaults(TextLanguage.ZH);
        String human = TextFiles.readUtf8(Fixtures.path("text/human/zh-faq-debian.txt")).substring(0, 5000);
        String once = zh.apply(human, LabelPosition.BOTH, true);
        assertEquals(3, new ExplicitLabelDetector().find(once).size());
        assertEquals(once, zh.apply(once, LabelPosition.BOTH, true));
        assertEquals(once, zh.apply(ExplicitTextLabel.defaults(TextLanguage.EN).apply(human, LabelPosition.BOTH, true), LabelPosition.BOTH, true));
    }
}
