/**
 * ONNX Runtime checks for the sdk's {@code Detector}, plugged in through its {@code EvidenceCheck} SPI. {@link
 * org.aigcmark.detect.VisibleLabelCheck} reports visible AI labels read by OCR as TRACE evidence; {@link
 * org.aigcmark.detect.ModelScoreCheck} reports an image classifier's score (per face for face-swap models) as WEAK
 * evidence, never proof; {@link org.aigcmark.detect.SessionGuard} lets many threads share the native sessions and
 * closes them once. Each check owns its sessions: close it when done. See docs/DETECT-OCR.md and
 * docs/DETECT-MODELS.md.
 */
package org.aigcmark.detect;
