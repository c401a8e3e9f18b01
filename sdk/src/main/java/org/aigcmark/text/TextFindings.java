package org.aigcmark.text;

import java.util.List;
import java.util.Optional;
import org.aigcmark.text.watermark.WatermarkDetection;

/**
 * What {@link TextChecker} found in one text.
 *
 * @param chars            the text's length in UTF-16 chars
 * @param explicitLabels   explicit label prompts (GB 45438 §4.1), with where they sit
 * @param invisible        invisible characters (zero-width, bidi controls, variation selectors, homoglyphs)
 * @param zeroWidthTags    the payloads of aigcmark zero-width marks in the text, in order of appearance
 * @param zeroWidthKeyed   whether one of them was made with a given key; empty when no key was given
 * @param watermark        the generation-time watermark test; empty when no key was given
 */
public record TextFindings(int chars, List<ExplicitLabelFinding> explicitLabels, InvisibleCharacterScanner.Report invisible,
                           List<String> zeroWidthTags, Optional<Boolean> zeroWidthKeyed, Optional<KeyedWatermark> watermark) {
    public TextFindings {
        explicitLabels = List.copyOf(explicitLabels);
        zeroWidthTags = List.copyOf(zeroWidthTags);
    }

    /**
     * A watermark test under one key.
     *
     * @param detection      the test's result
     * @param tokenizer      the tokenizer the text was scored with
     * @param keyFingerprint the key's public fingerprint (never the secret)
     */
    public record KeyedWatermark(WatermarkDetection detection, String tokenizer, String keyFingerprint) {}
}
