/**
 * The SDK's front door. {@link org.aigcmark.Labeler} labels a file (the GB 45438 metadata record, and on request a
 * visible label, a signature and the invisible image watermark), propagates a platform's fields into an existing
 * record, and inspects what a file carries. Its inputs and outputs are the records here: {@link
 * org.aigcmark.LabelRequest}, {@link org.aigcmark.PropagateRequest}, {@link org.aigcmark.LabelResult} and {@link
 * org.aigcmark.InspectReport}. Every failure is an {@link org.aigcmark.AigcmarkException} whose {@link
 * org.aigcmark.AigcmarkException.Reason} says what went wrong; problems that do not stop the work are data in the
 * report. No operation removes a label (CAC Measures Art. 10).
 */
package org.aigcmark;
