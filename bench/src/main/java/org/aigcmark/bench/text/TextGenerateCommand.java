package org.aigcmark.bench.text;

import org.aigcmark.ExitCodes;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.aigcmark.AigcmarkException;
import org.aigcmark.bench.text.lm.NGramLanguageModel;
import org.aigcmark.bench.text.lm.TextGenerator;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.text.watermark.WatermarkConfig;
import org.aigcmark.text.watermark.WatermarkLogitsProcessor;
import org.aigcmark.text.watermark.WatermarkScheme;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Prints watermarked text from the built-in trigram model (temperature 1), to try the detector.",
                "English is trained on the King James Bible, Chinese on Tang and Song poems (both shipped in the bench jar)."})
public final class TextGenerateCommand implements Callable<Integer> {
    enum Lang { en, zh }

    enum Scheme { kgw, gumbel }

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "K", description = "The watermark key file (made by aigcmark keygen --alg watermark).")
    Path key;

    @Option(names = "--tokens", defaultValue = "300", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--seed", description = "The sampling seed (default: random).")
    Long seed;

    @Option(names = "--scheme", defaultValue = "kgw", description = "The watermark scheme: kgw or gumbel (default: ${DEFAULT-VALUE}).")
    Scheme scheme;

    @Option(names = "--lang", defaultValue = "en", description = "The language: en or zh (default: ${DEFAULT-VALUE}).")
    Lang lang;

    @Option(names = "--no-watermark", description = "Sample without the watermark (for comparison).")
    boolean noWatermark;

    @Override
    public Integer call() {
        if (tokens < 1 || tokens > 100_000) {
            throw AigcmarkException.invalid("--tokens must be 1..100000, got " + tokens);
        }
        WatermarkKey k = WatermarkKey.read(key);
        NGramLanguageModel model = NGramLanguageModel.builtIn(lang == Lang.zh ? NGramLanguageModel.Corpus.CHINESE : NGramLanguageModel.Corpus.ENGLISH);
        WatermarkConfig config = WatermarkConfig.of(scheme == Scheme.gumbel ? WatermarkScheme.GUMBEL : WatermarkScheme.KGW);
        WatermarkLogitsProcessor p = noWatermark ? null : new WatermarkLogitsProcessor(k, config);
        SplittableRandom rng = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
        int[] ids = TextGenerator.generate(model, p, model.startContext(), tokens, rng);
        spec.commandLine().getOut().println(model.tokenizer().decode(ids).strip());
        return ExitCodes.OK;
    }
}
