/**
 * Video labelling and detection on FFmpeg (through JavaCPP). {@link org.aigcmark.video.VideoLabeler} re-encodes a
 * file with the visible start label and/or the keyed watermark asked for, copies the audio packets, and writes the
 * record into the container through the sdk's {@code Labeler}, giving a {@link org.aigcmark.video.VideoLabelResult};
 * {@link org.aigcmark.video.VideoOptions} picks the encoder and rate control. {@link
 * org.aigcmark.video.FrameLabeler} does the per-frame part for a generator that hands over YUV 4:2:0 planes itself.
 * {@link org.aigcmark.video.VideoDetector} finds the watermark, a visible label like ours and the sdk's {@code
 * EvidenceCheck}s in the frames, giving a {@link org.aigcmark.video.VideoDetection}. See docs/VIDEO.md.
 */
package org.aigcmark.video;
