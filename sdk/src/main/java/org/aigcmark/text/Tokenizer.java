package org.aigcmark.text;

import java.nio.charset.StandardCharsets;

/**
 * Turns text into the token ids a model generated, and back. The watermark detector scores token ids, so it must
 * use the tokenizer of the model that generated the text: plug a model's own tokenizer by implementing this
 * interface; the OpenAI BPE vocabularies (o200k_base, cl100k_base) come with the aigcmark-text-tokenizers artifact,
 * found by name through {@link Tokenizers#byName}.
 */
public interface Tokenizer {
    /** A stable name, e.g. {@code "o200k_base"}. */
    String name();

    /** The number of token ids (the logits length). */
    int vocabularySize();

    /** Token ids of ordinary text (special tokens are encoded as text). */
    int[] encode(String text);

    /** The text of token ids; ids that end mid-character decode to U+FFFD. */
    String decode(int[] tokens);

    /**
     * The raw bytes of token ids. A byte-level BPE token may hold part of a UTF-8 character, so a tokenizer that
     * has such tokens overrides this; the default is the UTF-8 of {@link #decode}.
     */
    default byte[] bytes(int[] tokens) {
        return decode(tokens).getBytes(StandardCharsets.UTF_8);
    }
}
