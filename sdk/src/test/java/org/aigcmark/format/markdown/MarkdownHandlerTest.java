package org.aigcmark.format.markdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.MediaType;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class MarkdownHandlerTest {
    static final Labeler LABELER = Labeler.create();
    static final AigcLabel LABEL = AigcLabel.produced("001191110102MACQD9K64010000", "md-1");
    static final LabelRequest REQ = LabelRequest.produced("001191110102MACQD9K64010000", "md-1");

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void sniffingIsByContent() {
        assertEquals(MediaType.MARKDOWN, MediaType.sniff(Fixtures.bytes("docs/front-matter.md")));
        assertEquals(MediaType.TEXT, MediaType.sniff(Fixtures.bytes("docs/no-front-matter.md")));
        assertEquals(MediaType.TEXT, MediaType.sniff("---\nan unclosed rule, not front matter\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(MediaType.UNKNOWN, MediaType.sniff(new byte[] {'a', 'b', (byte) 0xC3, 'c'}), "invalid UTF-8");
        assertEquals(MediaType.UNKNOWN, MediaType.sniff(new byte[] {'a', 0, 'b'}), "NUL byte");
        // A multibyte character cut by the 64 KiB sniff window is still text.
        byte[] big = new byte[MediaType.TEXT_SNIFF_BYTES + 10];
        Arrays.fill(big, (byte) 'x');
        byte[] han = "汉".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(han, 0, big, MediaType.TEXT_SNIFF_BYTES - 1, 3);
        assertEquals(MediaType.TEXT, MediaType.sniff(big));
    }

    @Test
    void writingKeepsEveryOtherFrontMatterLineAndTheBodyByteIdentical() {
        byte[] in = Fixtures.bytes("docs/front-matter.md");
        byte[] out = LABELER.label(in, "front-matter.md", REQ).bytes();
        String expected = utf8(in).replace("date: 2026-11-20\n", "date: 2026-11-20\n" + MarkdownHandler.block(LABEL, "\n"));
        assertEquals(expected, utf8(out));
        assertTrue(utf8(out).startsWith("---\ntitle: \"季度报告 Quarterly notes\"\ntags:\n  - report\n  - draft\n# a comment the writer must keep\n"));
    }

    @Test
    void anExistingRecordIsReplacedInPlace() {
        byte[] in = Fixtures.bytes("docs/wild-inline.md");
        byte[] out = LABELER.label(in, "wild-inline.md", REQ).bytes();
        String s = utf8(out);
        assertTrue(s.startsWith("---\ntitle: inline JSON as some tools write it\nAIGC:\n  Label: \"1\"\n"), s);
        assertTrue(s.contains("  ReservedCode2: \"\"\nlayout: post\n---\nBody text.\n"), s);
        assertEquals(1, s.split("AIGC", -1).length - 1, "one record: " + s);
    }

    @Test
    void frontMatterIsCreatedWhenAbsentKeepingCrlfAndTheBody() {
        byte[] in = Fixtures.bytes("docs/no-front-matter.md");
        Labeler asMarkdown = Labeler.create(FormatRegistry.of(List.of(MarkdownHandler.treatingPlainTextAsMarkdown())), Limits.DEFAULT);
        byte[] out = asMarkdown.label(in, "no-front-matter.md", REQ).bytes();
        String s = utf8(out);
        assertEquals("---\r\n" + MarkdownHandler.block(LABEL, "\r\n") + "---\r\n" + utf8(in), s);
        assertEquals(MediaType.MARKDOWN, MediaType.sniff(out));
        assertEquals(LABEL, LABELER.inspect(out, "out.md", List.of()).labels().get(0).label(), "the default registry reads it back");
    }

    @Test
    void plainTextIsRefusedWithThePlainReasonButCanBeInspected() {
        byte[] in = Fixtures.bytes("docs/no-front-matter.md");
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(in, "notes.txt", REQ));
        assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("plain text has no metadata slot") && e.getMessage().contains("aigcmark text label"), e.getMessage());
        InspectReport r = LABELER.inspect(Fixtures.bytes("bad/text-named.png"), "text-named.png", List.of());
        assertEquals("text", r.format().id());
        assertEquals(0, r.labels().size());
    }

    @Test
    void tolerantReadOfBlockMappingsWithPlainValuesCommentsAndQuotes() {
        String md = "---\n\"AIGC\":\n  Label: 1   # producer\n  ContentProducer: '001191110102MACQD9K64010000'\n  ProduceID: x-1\n"
                + "  ReservedCode1:\n  ContentPropagator: 001191110102MACQD9K64010000\n  PropagateID: \"x-1\"\n  ReservedCode2: ~\n---\nbody\n";
        InspectReport r = LABELER.inspect(md.getBytes(StandardCharsets.UTF_8), "t.md", List.of());
        assertEquals(1, r.labels().size(), r.toString());
        assertEquals(AigcLabel.produced("001191110102MACQD9K64010000", "x-1"), r.labels().get(0).label());
    }

    @Test
    void twoRecordsAreBothReportedAndALabelWriteLeavesOne() {
        String rec = "{\"Label\":\"1\",\"ContentProducer\":\"A\",\"ProduceID\":\"p\",\"ReservedCode1\":\"\",\"ContentPropagator\":\"A\",\"PropagateID\":\"p\",\"ReservedCode2\":\"\"}";
        String md = "---\nAIGC: " + rec + "\ntitle: t\naigc: '" + rec.replace("\"p\"", "\"q\"") + "'\n---\nbody\n";
        byte[] in = md.getBytes(StandardCharsets.UTF_8);
        InspectReport r = LABELER.inspect(in, "t.md", List.of());
        assertEquals(2, r.labels().size(), r.toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("2 AIGC records") && p.contains("disagree")), r.problems().toString());
        String out = utf8(LABELER.label(in, "t.md", REQ).bytes());
        assertEquals("---\n" + MarkdownHandler.block(LABEL, "\n") + "title: t\n---\nbody\n", out);
    }

    @Test
    void invalidUtf8AfterTheSniffWindowIsDamageAndRefused() {
        byte[] head = "---\ntitle: t\n---\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = Arrays.copyOf(head, MediaType.TEXT_SNIFF_BYTES * 2);
        Arrays.fill(b, head.length, b.length, (byte) 'a');
        b[b.length - 5] = (byte) 0xFF;
        assertEquals(MediaType.MARKDOWN, MediaType.sniff(b));
        InspectReport r = LABELER.inspect(b, "t.md", List.of());
        assertTrue(r.damaged() && r.problems().get(0).contains("invalid UTF-8 at byte offset " + (b.length - 5)), r.problems().toString());
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(b, "t.md", REQ));
        assertEquals(Reason.CORRUPT_INPUT, e.reason());
    }

    @Test
    void binaryGarbageNamedMdIsUnsupported() {
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        garbage[0] = '-'; // starts like front matter, then noise
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.inspect(garbage, "garbage.md", List.of()));
        assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("valid UTF-8"), e.getMessage());
    }

    @Test
    void aHugeLineIsJustBodyAndTheFrontMatterWindowIsBounded() {
        byte[] head = "---\ntitle: t\n---\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = Arrays.copyOf(head, 8 << 20); // one 8 MiB line of body
        Arrays.fill(b, head.length, b.length, (byte) 'z');
        byte[] out = LABELER.label(b, "huge.md", REQ).bytes();
        assertEquals(b.length + MarkdownHandler.block(LABEL, "\n").length(), out.length);
        // An opening fence whose block never closes within the window is not front matter: plain text.
        byte[] open = Arrays.copyOf("---\ntitle: t\n".getBytes(StandardCharsets.UTF_8), 8 << 20);
        Arrays.fill(open, 13, open.length, (byte) 'z');
        assertEquals(MediaType.TEXT, MediaType.sniff(open));
    }

    @Test
    void explicitLabelsInTheBodyAreReportedAsHints() {
        String md = "---\ntitle: t\n---\n（本内容由AI生成）\n\nBody of the note, long enough to leave the start window behind it.\n\nAI-generated content.\n";
        InspectReport r = LABELER.inspect(md.getBytes(StandardCharsets.UTF_8), "t.md", List.of());
        List<String> hints = r.hints().stream().filter(h -> h.kind().id().equals("explicit-label")).map(h -> h.source() + "=" + h.value()).toList();
        assertEquals(2, hints.size(), hints.toString());
        assertTrue(hints.get(0).startsWith("text:start=") && hints.get(0).contains("AI生成"), hints.toString());
        assertTrue(hints.get(1).startsWith("text:end=") && hints.get(1).contains("AI-generated"), hints.toString());
        InspectReport plain = LABELER.inspect("Nothing to see here.\n".getBytes(StandardCharsets.UTF_8), "n.txt", List.of());
        assertTrue(plain.hints().stream().noneMatch(h -> h.kind().id().equals("explicit-label")), plain.hints().toString());
    }

    @Test
    void gb18030TextGetsAnEncodingHintNotAFormatShrug() {
        byte[] gbk = "---\ntitle: 报告\n---\n这是一段用GB18030编码的中文文本。\n".getBytes(java.nio.charset.Charset.forName("GB18030"));
        assertEquals(MediaType.UNKNOWN, MediaType.sniff(gbk));
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> LABELER.label(gbk, "gbk.md", REQ));
        assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("looks like text but is not valid UTF-8 (byte offset 11)")
                && e.getMessage().contains("iconv -f GB18030 -t UTF-8"), e.getMessage());
    }

    @Test
    void theUtf8CheckAgreesWithTheJdkDecoder() {
        java.util.Random rnd = new java.util.Random(11);
        String sample = "中文 text ÄÖ 😀 \u0800\uFFFF";
        int disagreements = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] b = sample.getBytes(StandardCharsets.UTF_8);
            for (int k = 0, n = rnd.nextInt(3); k < n; k++) {
                b[rnd.nextInt(b.length)] = (byte) (0x80 + rnd.nextInt(128)); // perhaps break a sequence
            }
            if (rnd.nextBoolean()) {
                b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length) + 1); // perhaps cut one
            }
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
                jdk = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                jdk = false;
            }
            if (jdk != (MarkdownHandler.firstInvalidUtf8(b) < 0)) {
                disagreements++;
            }
        }
        assertEquals(0, disagreements);
    }
}
