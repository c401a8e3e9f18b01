package org.aigcmark.detection;

import java.util.Map;

/**
 * One thing a check found.
 *
 * @param source   where it was found, as {@code area:detail}: {@code metadata:xmp}, {@code watermark:aigcmark},
 *                 {@code pixels:ocr}, {@code model:NAME}, {@code content:text:start}, {@code audio:rhythm-cue}
 * @param kind     what was found
 * @param strength how far it goes: {@link Strength#PROOF} for a verified implicit label, {@link Strength#STRONG} for
 *                 an unverified record or our watermark, {@link Strength#TRACE} for generation traces that justify
 *                 "suspected" (third-party marks, IPTC, C2PA, generator metadata, visible labels, the audio cue), {@link
 *                 Strength#WEAK} for statistical signals (model scores) that never decide alone
 * @param summary  one sentence for people
 * @param details  the measured values, for machines (numbers, strings, lists, maps)
 */
public record Evidence(String source, Kind kind, Strength strength, String summary, Map<String, Object> details) {
    /** How far a finding goes towards a verdict. */
    public enum Strength { PROOF, STRONG, TRACE, WEAK }

    /** What a finding is; {@link #id()} is its name in reports. */
    public enum Kind {
        /** An Annex E AIGC record in the metadata. */
        AIGC_LABEL("aigc-label"),
        /** Our keyed watermark (image, video frames, text, or a zero-width mark made with the key): Label 1. */
        WATERMARK("watermark"),
        /** A third-party invisible watermark (SD/SDXL). */
        THIRD_PARTY_WATERMARK("third-party-watermark"),
        /** An aigcmark zero-width text mark made with another key, or not checked against one. */
        ZERO_WIDTH_MARK("zero-width-mark"),
        /** IPTC DigitalSourceType saying an algorithm made the content. */
        IPTC_DIGITAL_SOURCE_TYPE("iptc-digital-source-type"),
        /** A C2PA manifest store. */
        C2PA_MANIFEST("c2pa-manifest"),
        /** Generator metadata (Stable Diffusion parameters, ComfyUI workflows, known generator names). */
        GENERATOR_METADATA("generator-metadata"),
        /** An explicit label prompt in a text or document. */
        EXPLICIT_LABEL("explicit-label"),
        /** A visible label in the pixels (OCR, or the shape of ours). */
        VISIBLE_LABEL("visible-label"),
        /** A classifier's score at or above its report threshold (weak). */
        MODEL_SCORE("model-score"),
        /** A classifier's score below its report threshold, reported for completeness (weak). */
        MODEL_SCORE_LOW("model-score-low"),
        /** Periodic upsampling peaks in the spectrum (weak forensic signal). */
        UPSAMPLING_PEAKS("upsampling-peaks"),
        /**
         * The GB 45438 §5.3 rhythm cue "短长短短" (Morse "AI") heard in the audio: an explicit label, a trace like a
         * visible label ({@link org.aigcmark.audio.RhythmCueDetector}).
         */
        AUDIO_CUE("audio-cue");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The kind's name in reports, e.g. {@code "aigc-label"}. */
        public String id() {
            return id;
        }

        /** The kind named {@code id} in reports. */
        public static Kind ofId(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no evidence kind " + id);
        }
    }

    public Evidence {
        java.util.Objects.requireNonNull(kind, "kind");
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
