/**
 * The explicit audio label of GB 45438 §5.3: the rhythm cue "短长短短" (Morse "AI", · − · ·). {@link
 * org.aigcmark.audio.RhythmCue} synthesises it at any sample rate, {@link org.aigcmark.audio.CueInsertion} puts it
 * at the start, end or middle of decoded PCM, and {@link org.aigcmark.audio.RhythmCueDetector} finds it in mono PCM
 * with its position and the measured evidence. Pure Java over float samples: decoding and encoding compressed
 * audio is the video module's (FFmpeg). See docs/AUDIO.md, "Rhythm cue".
 */
package org.aigcmark.audio;
