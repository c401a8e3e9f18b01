package org.aigcmark.text;

/**
 * Turns text into the token ids a model generated, and back. The watermark detector scores token ids, so it must
 * use the tokenizer of the model that generated the text: plug a model's own tokenizer by implementing this
 * interface; {@link JTokkitTokenizer} provides the OpenAI BPE vocabularies (o200k_base, cl100k_base).
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
}
