package org.aigcmark.text;

import java.util.List;
import java.util.Optional;
import org.aigcmark.AigcmarkException;

/**
 * Finds a tokenizer by name among the {@link TokenizerProvider}s on the class path. The sdk has none of its own:
 * the BPE vocabularies (JTokkit, 3.3 MB) come with the aigcmark-text-tokenizers artifact, so a provider that only
 * labels text does not download them.
 */
public final class Tokenizers {
    /** The default tokenizer: o200k_base (GPT-4o family), good coverage of Chinese. */
    public static final String DEFAULT = "o200k_base";
    /** The artifact that provides o200k_base and cl100k_base. */
    public static final String ARTIFACT = "aigcmark-text-tokenizers";

    private Tokenizers() {}

    /**
     * The tokenizer called {@code name}, from the first provider that has it; when none has it, an
     * {@link AigcmarkException.Reason#INVALID_ARGUMENT} whose message lists the names available and the artifact to add.
     */
    public static Tokenizer byName(String name) {
        for (TokenizerProvider p : Providers.ALL) {
            Optional<Tokenizer> t = p.byName(name);
            if (t.isPresent()) {
                return t.get();
            }
        }
        List<String> names = Providers.ALL.stream().flatMap(p -> p.names().stream()).toList();
        throw AigcmarkException.invalid("no tokenizer named '" + name + "' on the class path (available: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + "); o200k_base and cl100k_base come with the "
                + ARTIFACT + " artifact (org.aigcmark:" + ARTIFACT + "); for others implement org.aigcmark.text.Tokenizer");
    }

    /** The providers on the class path, looked up once. */
    private static final class Providers {
        static final List<TokenizerProvider> ALL = org.aigcmark.internal.Plugins.load(TokenizerProvider.class);
    }
}
