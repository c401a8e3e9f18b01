package org.aigcmark.text.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.aigcmark.AigcmarkException;
import org.aigcmark.text.Tokenizer;
import org.aigcmark.text.Tokenizers;
import org.junit.jupiter.api.Test;

/** With this module on the class path, the sdk's lookup finds JTokkit's vocabularies by name. */
class TokenizersLookupTest {
    @Test
    void theSdkLookupFindsBothVocabulariesByNameAndShortName() {
        Tokenizer o200k = Tokenizers.byName(Tokenizers.DEFAULT);
        assertSame(JTokkitTokenizer.o200k(), o200k);
        assertSame(o200k, Tokenizers.byName("o200k"));
        assertEquals("o200k_base", o200k.name());
        assertEquals(200_019, o200k.vocabularySize());
        Tokenizer cl100k = Tokenizers.byName("cl100k_base");
        assertSame(cl100k, Tokenizers.byName("cl100k"));
        assertEquals(100_277, cl100k.vocabularySize());
        String text = "本文由人工智能生成。The quick brown fox.";
        assertEquals(text, o200k.decode(o200k.encode(text)));
        assertEquals(text, cl100k.decode(cl100k.encode(text)));
        assertTrue(!Arrays.equals(o200k.encode(text), cl100k.encode(text)), "two vocabularies, two encodings");
    }

    @Test
    void anUnknownNameListsTheNamesOnTheClassPath() {
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> Tokenizers.byName("p50k_base"));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("(available: o200k_base, cl100k_base)"), e.getMessage());
    }

    /** Token bytes, not text: a token may end inside a UTF-8 character (the n-gram model counts owed bytes). */
    @Test
    void tokenBytesJoinToTheUtf8OfTheText() {
        Tokenizer t = Tokenizers.byName(Tokenizers.DEFAULT);
        String text = "𠮷野家の鰻丼";
        int[] ids = t.encode(text);
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (int id : ids) {
            joined.writeBytes(t.bytes(new int[]{id}));
        }
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), joined.toByteArray());
    }
}
