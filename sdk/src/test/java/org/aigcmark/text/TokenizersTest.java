package org.aigcmark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aigcmark.AigcmarkException;
import org.junit.jupiter.api.Test;

/** The sdk alone has no tokenizer: aigcmark-text-tokenizers is not on its test class path. */
class TokenizersTest {
    @Test
    void withoutTheTokenizersArtifactTheLookupIsAUsageErrorThatNamesIt() {
        AigcmarkException e = assertThrows(AigcmarkException.class, () -> Tokenizers.byName(Tokenizers.DEFAULT));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("no tokenizer named 'o200k_base'"), e.getMessage());
        assertTrue(e.getMessage().contains("(available: none)"), e.getMessage());
        assertTrue(e.getMessage().contains("org.aigcmark:aigcmark-text-tokenizers"), e.getMessage());
    }

    @Test
    void aTokenizerWithoutPartialCharactersGivesTheUtf8OfItsTextAsBytes() {
        Tokenizer chars = new Tokenizer() {
            public String name() { return "code-points"; }
            public int vocabularySize() { return 0x110000; }
            public int[] encode(String text) { return text.codePoints().toArray(); }
            public String decode(int[] tokens) { return new String(tokens, 0, tokens.length); }
        };
        assertEquals("e4b8ad", java.util.HexFormat.of().formatHex(chars.bytes(chars.encode("中"))));
    }
}
