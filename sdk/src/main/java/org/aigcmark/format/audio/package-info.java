/**
 * Audio containers: the GB 45438 record in the metadata of WAV ({@link org.aigcmark.format.audio.WavHandler}: a RIFF
 * {@code AIGC} chunk), MP3 ({@link org.aigcmark.format.audio.Mp3Handler}: ID3v2 {@code TXXX:AIGC}), FLAC
 * ({@link org.aigcmark.format.audio.FlacHandler}) and Ogg Vorbis/Opus ({@link org.aigcmark.format.audio.OggHandler}):
 * the Vorbis comment {@code AIGC=}), as TC260-PG-202510A puts it, written by hand-made container surgery that leaves
 * the audio payload byte-identical, with tolerant reads of the variants found in the wild. M4A is the MP4 handler's.
 * The explicit rhythm cue is {@code org.aigcmark.audio}'s. See docs/AUDIO.md, "Metadata labels".
 */
package org.aigcmark.format.audio;
