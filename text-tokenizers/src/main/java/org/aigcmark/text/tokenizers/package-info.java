/**
 * The aigcmark-text-tokenizers artifact: the OpenAI BPE tokenizers o200k_base and cl100k_base (JTokkit, vocabularies
 * bundled in its jar, nothing downloaded) that the text watermark scores tokens with.
 * {@link org.aigcmark.text.tokenizers.JTokkitTokenizerProvider} is found through {@link java.util.ServiceLoader} and
 * answers {@link org.aigcmark.text.Tokenizers#byName}; without this jar, asking for a tokenizer is a usage error that
 * names it. Kept out of the sdk so that callers who only label text do not carry the vocabularies.
 */
package org.aigcmark.text.tokenizers;
