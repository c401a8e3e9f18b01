/**
 * Detection: what a file carries and which label a platform gives it (CAC Measures Art. 6, GB 45438 §5). One call
 * of {@link org.aigcmark.detection.Detector#detect(java.nio.file.Path, boolean)} gives one
 * {@link org.aigcmark.detection.DetectionReport} per file, the same for an image, a video, a document or a text and
 * whoever asks (SDK, CLI, service): the container's records and signatures, our keyed watermark, third-party marks,
 * hints, C2PA, text checks, and the {@link org.aigcmark.detection.Evidence} and problems of every check, with one
 * {@link org.aigcmark.detection.Verdict}.
 *
 * <p>The verdict's rules, first match wins ({@link org.aigcmark.detection.Verdict.Rule}): a record with Label 1, 2
 * or 3 gives that label (of several, a validly signed one first, else the highest); our watermark gives Label 1; the
 * uploader's declaration gives Label 2; any generation trace gives Label 3; else no label, "none", or "unchecked"
 * when a damaged file could not be fully checked.
 *
 * <p>Two SPIs let other modules add checks without the sdk knowing them:
 * {@link org.aigcmark.detection.EvidenceCheck} looks at decoded pixels (OCR, ONNX models, the forensic signals of
 * {@code org.aigcmark.detection.forensic}) and is handed to the detector, which owns and closes it;
 * {@link org.aigcmark.detection.MediaCheck} reads the content of formats the sdk cannot decode (video frames) and is
 * found by {@link java.util.ServiceLoader}. Their findings are folded into the same report and verdict.
 * {@link org.aigcmark.detection.DetectionTimings} measures the stages for benchmarks.
 */
package org.aigcmark.detection;
