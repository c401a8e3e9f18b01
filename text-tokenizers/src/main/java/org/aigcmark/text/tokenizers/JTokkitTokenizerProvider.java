package org.aigcmark.text.tokenizers;

import java.util.List;
import java.util.Optional;
import org.aigcmark.text.Tokenizer;
import org.aigcmark.text.TokenizerProvider;

/** o200k_base and cl100k_base (also by their short names o200k, cl100k) for {@link org.aigcmark.text.Tokenizers}. */
public final class JTokkitTokenizerProvider implements TokenizerProvider {
    @Override
    public List<String> names() {
        return List.of("o200k_base", "cl100k_base");
    }

    @Override
    public Optional<Tokenizer> byName(String name) {
        return switch (name) {
            case "o200k_base", "o200k" -> Optional.of(JTokkitTokenizer.o200k());
            case "cl100k_base", "cl100k" -> Optional.of(JTokkitTokenizer.cl100k());
            default -> Optional.empty();
        };
    }
}
