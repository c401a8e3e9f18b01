package org.aigcmark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
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
        String body = "x".repeat(300) + ".";
        String text = body + "\n注：以上内容由人工智能生成。\n" + body;
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

    /** News-style prose that discusses AI and generation: no finding anywhere, not even at the start or end. */
    static final String[] PROSE = {
        "人工智能正在改变新闻业的内容生成方式。多家媒体表示，它们正在评估相关工具。",
        "近年来，人工智能生成内容迅速增长，监管部门发布了《人工智能生成合成内容标识办法》，要求服务提供者添加标识。",
        "研究人员指出，AI 模型在生成图像时仍会出错。\n\n专家认为，合成数据可以缓解训练数据不足的问题。",
        "Researchers say AI tools have generated debate among teachers, who worry about homework.",
        "AI-generated content, once rare, is now everywhere on social media.",
        "Teachers worry about AI-generated essays.\nThe district will publish guidance next month.",
        "The conference discussed AI. Generated reports from the sensors were also reviewed.",
        "Artificial intelligence research has generated new questions about power use in data centres.",
        "This package provides a library for detecting AI-generated images and synthetic speech.",
        "The photo spread quickly online. The video was AI-generated.",
        "网上流传一段视频。经核实，该视频由AI生成。",
        "Officials said the clip was fake. It was AI-generated. Police are investigating who posted it first.",
        // News about the Measures: a term in parentheses is a mention, not a prompt.
        "China's rules on AI-generated content (AIGC) take effect on September 1.",
        "Platforms must label synthetic media (AI-generated content) from September.",
        "新规要求对人工智能生成合成内容（AIGC）添加显式标识。",
        "The rules cover AI-generated synthetic content (AIGC).",
    };

    @Test
    void proseThatDiscussesAiIsNotALabel() {
        for (String p : PROSE) {
            assertEquals(List.of(), d.find(p), p);
            assertTrue(!d.hasStartOrEndLabel(p), p);
            for (String name : new String[]{"news.txt", "news.md"}) {
                byte[] doc = (name.endsWith(".md") ? "---\ntitle: news\n---\n" + p : p).getBytes(StandardCharsets.UTF_8);
                DetectionReport r = DETECTOR.detect(doc, name, false);
                assertNull(r.verdict().labelCode(), name + ": " + p + " -> " + r.verdict());
            }
        }
    }

    static final Detector DETECTOR = Detector.create(Labeler.create(), List.of(), List.of(), List.of()).metadataOnly();

    /** Our own prompts and common third-party wordings, alone, at the start, at the end and on a line of their own. */
    static final String[] LABELS = {
        ExplicitTextLabel.DEFAULT_ZH, ExplicitTextLabel.DEFAULT_EN, "本内容由AI生成", "由人工智能生成", "AI-generated content",
        "This text was generated by AI", "[AI生成]", "【AI生成】", "AI生成", "人工智能合成", "Generated by AI.",
        "注：以上内容由人工智能生成。", "本回答由AI生成，仅供参考。", "*Content generated by artificial intelligence*",
        "(AI-generated)", "内容由AI辅助生成", "This answer was generated with the help of an AI model.", "AIGC",
    };

    @Test
    void labelsAreFoundAtTheStartTheEndAndOnALineOfTheirOwn() {
        String zh = "今天的天气很好，我们去公园散步，看到很多人在放风筝。孩子们在草地上奔跑，老人们坐在长椅上聊天，一切都显得那么安静而美好。";
        String en = "The weather was fine today, so we walked to the park and watched people flying kites. Children ran on the grass while the old sat on benches.";
        for (String label : LABELS) {
            for (String body : new String[]{zh, en}) {
                assertEquals(List.of(ExplicitLabelFinding.Location.START), locations(label + "\n" + body), label);
                if ("（[【(*".indexOf(label.charAt(0)) >= 0) { // a marked-up prompt needs no line break
                    assertEquals(List.of(ExplicitLabelFinding.Location.START), locations(label + body), label);
                    assertEquals(List.of(ExplicitLabelFinding.Location.END), locations(body + label), label);
                }
                assertEquals(List.of(ExplicitLabelFinding.Location.END), locations(body + "\n" + label), label);
                assertEquals(List.of(ExplicitLabelFinding.Location.BODY), locations(body + body + "\n\n" + label + "\n\n" + body + body), label);
            }
        }
    }

    @Test
    void aPromptWrappedOverTwoLinesIsFoundButNotOneSplitByABlankLine() {
        String body = "The weather was fine today, so we walked to the park and watched people flying kites for an hour.\n";
        assertEquals(List.of(ExplicitLabelFinding.Location.END), locations(body + "This answer was generated\nwith the help of an AI model.\n"));
        assertEquals(List.of(), locations(body + "This answer was generated\n\nwith the help of an AI model.\n"));
    }

    private List<ExplicitLabelFinding.Location> locations(String text) {
        return d.find(text).stream().map(ExplicitLabelFinding::location).toList();
    }
}
