package org.aigcmark.text;

import java.util.List;
import java.util.Optional;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.text.watermark.WatermarkConfig;
import org.aigcmark.text.watermark.WatermarkDetection;
import org.aigcmark.text.watermark.WatermarkDetector;
import org.aigcmark.text.watermark.WatermarkScheme;

/**
 * Every check on a text, in one place for {@code text detect}, {@link org.aigcmark.detection.Detector} and the
 * services built on it: explicit label prompts, invisible characters, aigcmark zero-width marks and, for each
 * watermark key, the generation-time watermark (the first key that detects wins; else the first key's result).
 * Immutable and thread-safe; the tokenizer is loaded on the first text that needs it.
 */
public final class TextChecker {
    /** The tokenizer the text watermark uses unless told otherwise (the one {@code text label} uses). */
    public static final String DEFAULT_TOKENIZER = "o200k_base";

    private final List<WatermarkKey> keys;
    private final WatermarkScheme scheme;
    private final String tokenizer;

    private TextChecker(List<WatermarkKey> keys, WatermarkScheme scheme, String tokenizer) {
        this.keys = List.copyOf(keys);
        this.scheme = scheme;
        this.tokenizer = tokenizer;
    }

    /** Checks with these keys (none: no watermark test), the KGW scheme and {@link #DEFAULT_TOKENIZER}. */
    public static TextChecker of(List<WatermarkKey> keys) {
        return new TextChecker(keys, WatermarkScheme.KGW, DEFAULT_TOKENIZER);
    }

    /** The same checks, testing the watermark of this scheme with this tokenizer ({@code o200k_base}, {@code cl100k_base}). */
    public TextChecker withWatermark(WatermarkScheme scheme, String tokenizer) {
        return new TextChecker(keys, scheme, tokenizer);
    }

    /** The watermark keys the text is tested under, in the order they are tried; empty when none. */
    public List<WatermarkKey> keys() {
        return keys;
    }

    /**
     * Runs every check on {@code text} (not null; empty gives empty findings). Without keys no tokenizer is needed
     * and nothing is thrown; with keys the tokenizer is looked up by name ({@link Tokenizers#byName}) and, when it is
     * not on the class path, an {@link org.aigcmark.AigcmarkException} with {@code Reason.INVALID_ARGUMENT} names the
     * artifact to add.
     */
    public TextFindings check(String text) {
        List<ExplicitLabelFinding> labels = new ExplicitLabelDetector().find(text);
        InvisibleCharacterScanner.Report invisible = new InvisibleCharacterScanner().scan(text);
        List<String> tags = ZeroWidthMark.payloads(text);
        Optional<Boolean> keyed = keys.isEmpty() ? Optional.empty()
                : Optional.of(keys.stream().anyMatch(k -> tags.contains(new ZeroWidthMark(k).tagHex())));
        Optional<TextFindings.KeyedWatermark> watermark = Optional.empty();
        if (!keys.isEmpty()) {
            Tokenizer tok = Tokenizers.byName(tokenizer);
            WatermarkConfig config = WatermarkConfig.of(scheme);
            for (WatermarkKey k : keys) {
                WatermarkDetection d = new WatermarkDetector(k, config).detect(text, tok);
                if (watermark.isEmpty() || d.detected()) {
                    watermark = Optional.of(new TextFindings.KeyedWatermark(d, tok.name(), k.fingerprint()));
                }
                if (d.detected()) {
                    break;
                }
            }
        }
        return new TextFindings(text.length(), labels, invisible, tags, keyed, watermark);
    }
}
