package org.aigcmark.text;

import java.util.List;
import java.util.Optional;

/**
 * Tokenizers by name, found through {@link java.util.ServiceLoader} (register an implementation in
 * {@code META-INF/services/org.aigcmark.text.TokenizerProvider}). The aigcmark-text-tokenizers artifact provides
 * o200k_base and cl100k_base; {@link Tokenizers#byName} asks every provider on the class path.
 */
public interface TokenizerProvider {
    /** The names offered, e.g. {@code o200k_base}. */
    List<String> names();

    /** The tokenizer of that name (or of an alias of it), empty when this provider has none by that name. */
    Optional<Tokenizer> byName(String name);
}
