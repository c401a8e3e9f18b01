/**
 * Weight-free forensic signals, pure Java and no model. {@link
 * org.aigcmark.detection.forensic.ForensicSignalCheck} is an {@code EvidenceCheck} that reports the resampling trace
 * measured by {@link org.aigcmark.detection.forensic.UpsamplingPeaks} as WEAK evidence only, quiet below a threshold
 * calibrated on the project's real photos; a resized real photo can trip it too, so it never decides a verdict.
 */
package org.aigcmark.detection.forensic;
