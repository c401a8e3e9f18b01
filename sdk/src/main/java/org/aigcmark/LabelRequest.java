package org.aigcmark;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.aigcmark.audio.CuePosition;
import org.aigcmark.format.c2pa.C2paSigning;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.visible.VisibleLabelOptions;

/**
 * What {@link Labeler#label} writes: the metadata record (always), and optionally a visible label, a producer
 * signature in ReservedCode1, an invisible watermark and a signed C2PA manifest. Null optionals are read as empty. Build one with
 * {@link #produced} and the {@code with...} methods.
 *
 * @param label the record to write; checked by the labeller ({@link AigcLabel#requireValid()})
 * @param visible the visible label to draw on an image, or empty
 * @param signingKey the producer's key that signs the record into ReservedCode1, or empty
 * @param watermarkKey the key of the invisible image watermark, or empty for none
 * @param visibleAgain draw the visible label even when the image already shows one of ours (refused by default, so
 *     relabelling never stacks two)
 * @param c2pa the credential that signs a C2PA manifest written beside the record (JPEG, PNG, WebP, MP4/MOV), or empty
 * @param cues where to put the audio rhythm cue ({@link org.aigcmark.audio.RhythmCue}, GB 45438 §5.3) in an audio
 *     file, re-encoding it (needs aigcmark-video); empty for none
 * @param spokenPrompt a recording of a spoken prompt (GB 45438 §5.3's voice label, e.g. "本内容由人工智能生成") put
 *     into the audio in place of the rhythm cue, at the positions of {@code cues} (at the start when there are none);
 *     empty for the rhythm cue
 */
public record LabelRequest(AigcLabel label, Optional<VisibleLabelOptions> visible,
                           Optional<LabelKeys.SigningKey> signingKey, Optional<WatermarkKey> watermarkKey,
                           boolean visibleAgain, Optional<C2paSigning> c2pa, Set<CuePosition> cues,
                           Optional<java.nio.file.Path> spokenPrompt) {

    public LabelRequest {
        visible = visible == null ? Optional.empty() : visible;
        signingKey = signingKey == null ? Optional.empty() : signingKey;
        watermarkKey = watermarkKey == null ? Optional.empty() : watermarkKey;
        c2pa = c2pa == null ? Optional.empty() : c2pa;
        cues = cues == null || cues.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(cues));
        spokenPrompt = spokenPrompt == null ? Optional.empty() : spokenPrompt;
    }

    /** A request without a spoken prompt. */
    public LabelRequest(AigcLabel label, Optional<VisibleLabelOptions> visible,
                        Optional<LabelKeys.SigningKey> signingKey, Optional<WatermarkKey> watermarkKey,
                        boolean visibleAgain, Optional<C2paSigning> c2pa, Set<CuePosition> cues) {
        this(label, visible, signingKey, watermarkKey, visibleAgain, c2pa, cues, Optional.empty());
    }

    /** A request without audio cues. */
    public LabelRequest(AigcLabel label, Optional<VisibleLabelOptions> visible,
                        Optional<LabelKeys.SigningKey> signingKey, Optional<WatermarkKey> watermarkKey,
                        boolean visibleAgain, Optional<C2paSigning> c2pa) {
        this(label, visible, signingKey, watermarkKey, visibleAgain, c2pa, Set.of());
    }

    /** A request without a C2PA manifest. */
    public LabelRequest(AigcLabel label, Optional<VisibleLabelOptions> visible,
                        Optional<LabelKeys.SigningKey> signingKey, Optional<WatermarkKey> watermarkKey,
                        boolean visibleAgain) {
        this(label, visible, signingKey, watermarkKey, visibleAgain, Optional.empty());
    }

    /** A request that does not draw over an existing visible label ({@code visibleAgain} false). */
    public LabelRequest(AigcLabel label, Optional<VisibleLabelOptions> visible,
                        Optional<LabelKeys.SigningKey> signingKey, Optional<WatermarkKey> watermarkKey) {
        this(label, visible, signingKey, watermarkKey, false);
    }

    /** A producer's label: Label "1", propagation fields equal to the production fields. */
    public static LabelRequest produced(String contentProducer, String produceId) {
        return new LabelRequest(AigcLabel.produced(contentProducer, produceId), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * A copy that also draws a visible label with these options (images only; refused when the image already shows one
     * of ours, see {@link #withVisibleAgain()}).
     */
    public LabelRequest withVisible(VisibleLabelOptions v) {
        return new LabelRequest(label, Optional.of(v), signingKey, watermarkKey, visibleAgain, c2pa, cues, spokenPrompt);
    }

    /** A copy that signs the record with this producer key; the signature goes into ReservedCode1. */
    public LabelRequest withSigningKey(LabelKeys.SigningKey k) {
        return new LabelRequest(label, visible, Optional.of(k), watermarkKey, visibleAgain, c2pa, cues, spokenPrompt);
    }

    /**
     * A copy that embeds the invisible image watermark under this key, its payload bound to ContentProducer and
     * ProduceID. An image that already carries our mark under the same key keeps it and is not marked again.
     */
    public LabelRequest withWatermark(WatermarkKey k) {
        return new LabelRequest(label, visible, signingKey, Optional.of(k), visibleAgain, c2pa, cues, spokenPrompt);
    }

    /** Draws the visible label even over an image that already shows one of ours (a second label, stacked). */
    public LabelRequest withVisibleAgain() {
        return new LabelRequest(label, visible, signingKey, watermarkKey, true, c2pa, cues, spokenPrompt);
    }

    /**
     * A copy that also writes a C2PA manifest store signed with this credential: {@code c2pa.actions.v2}
     * ({@code c2pa.created}, trainedAlgorithmicMedia), the GB 45438 record as {@code org.aigcmark.gb45438} and a
     * hard binding over the labelled file, record included ({@code c2pa.hash.data}; {@code c2pa.hash.bmff.v3} for
     * MP4/MOV). JPEG, PNG, WebP and MP4/MOV so far.
     */
    public LabelRequest withC2pa(C2paSigning signing) {
        return new LabelRequest(label, visible, signingKey, watermarkKey, visibleAgain, Optional.of(signing), cues, spokenPrompt);
    }

    /**
     * A copy that also puts the audio rhythm cue at {@code position} (again for each position wanted; a position
     * given twice counts once). The audio is decoded, the cue spliced in at the input's sample rate, and the file
     * re-encoded with the input's codec and bitrate by aigcmark-video (FFmpeg).
     */
    public LabelRequest withCue(CuePosition position) {
        Set<CuePosition> c = EnumSet.of(position);
        c.addAll(cues);
        return new LabelRequest(label, visible, signingKey, watermarkKey, visibleAgain, c2pa, c, spokenPrompt);
    }

    /**
     * A copy that puts this recording (WAV, or any audio FFmpeg reads; at most
     * {@value org.aigcmark.audio.CueInsertion#MAX_PROMPT_SECONDS} s) into the audio as a spoken prompt, in place of
     * the rhythm cue, at the positions given by {@link #withCue} (at the start when none is given). It is resampled to
     * the file's rate and channel layout, spliced in as the cue is (mixed over a video's sound track), and the file
     * re-encoded as for the cue. The detector does not recognise speech: the record remains the label it reads.
     */
    public LabelRequest withSpokenPrompt(java.nio.file.Path recording) {
        return new LabelRequest(label, visible, signingKey, watermarkKey, visibleAgain, c2pa, cues,
                Optional.of(java.util.Objects.requireNonNull(recording, "recording")));
    }

    /** Whether the audio is to change: a rhythm cue or a spoken prompt asked for. */
    public boolean wantsAudioCue() {
        return !cues.isEmpty() || spokenPrompt.isPresent();
    }

    /** This request without the audio cues and spoken prompt: what is left once they are in the audio. */
    public LabelRequest withoutCues() {
        return new LabelRequest(label, visible, signingKey, watermarkKey, visibleAgain, c2pa, Set.of(), Optional.empty());
    }
}
