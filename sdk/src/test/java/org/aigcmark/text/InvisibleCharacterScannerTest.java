package org.aigcmark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class InvisibleCharacterScannerTest {
    private final InvisibleCharacterScanner scanner = new InvisibleCharacterScanner();

    @Test
    void findsEachKindWithItsPosition() {
        String text = "ab\u200Bc " + "x\u202Ey " + "A\uFE01 " + "t\uDB40\uDC41 " + "p\u0430ypal " + "w\u2009v";
        List<InvisibleCharacterFinding> f = scanner.scan(text).findings();
        assertEquals(List.of(InvisibleCharacterFinding.Kind.ZERO_WIDTH, InvisibleCharacterFinding.Kind.BIDI_CONTROL,
                InvisibleCharacterFinding.Kind.VARIATION_SELECTOR, InvisibleCharacterFinding.Kind.TAG,
                InvisibleCharacterFinding.Kind.HOMOGLYPH, InvisibleCharacterFinding.Kind.UNUSUAL_SPACE),
                f.stream().map(InvisibleCharacterFinding::kind).toList());
        assertEquals(2, f.get(0).index());
        assertEquals("U+200B", f.get(0).codePointHex());
        assertEquals(text.indexOf("p\u0430ypal"), f.get(4).index());
        assertEquals(6, f.get(4).length());
    }

    @Test
    void legitimateEmojiSequencesAndALeadingBomAreClean() {
        assertTrue(scanner.scan("\uFEFFfamily: 👨\u200D👩\u200D👧, heart ❤\uFE0F, flag 🏴\uDB40\uDC67\uDB40\uDC62\uDB40\uDC7F").clean());
    }

    @Test
    void realHumanTextIsMostlyClean() {
        for (String f : new String[]{"text/human/en-faq-debian.txt", "text/human/zh-faq-debian.txt"}) {
            InvisibleCharacterScanner.Report r = scanner.scan(TextFiles.readUtf8(Fixtures.path(f)));
            assertTrue(r.total() < 5, f + ": " + r.findings());
        }
    }

    @Test
    void zeroWidthMarkRoundTripsAndIsFragile() {
        String text = TextFiles.readUtf8(Fixtures.path("text/human/en-faq-debian.txt")).substring(0, 3000);
        ZeroWidthMark mark = new ZeroWidthMark(WatermarkKey.fromPassphrase("zw"));
        String marked = mark.embed(text);
        assertTrue(mark.count(marked) >= 2, "repeated through the text");
        assertEquals(List.of(mark.tagHex()), ZeroWidthMark.payloads(marked).stream().distinct().toList());
        assertEquals(0, new ZeroWidthMark(WatermarkKey.fromPassphrase("other")).count(marked));
        assertNotEquals(0, scanner.scan(marked).total(), "the scanner sees it");
        assertEquals(text, ZeroWidthMark.strip(marked), "and one regex removes it");
        assertEquals(0, mark.count(ZeroWidthMark.strip(marked)));
    }
}
