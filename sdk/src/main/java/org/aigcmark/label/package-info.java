/**
 * The implicit label itself, independent of any container. {@link org.aigcmark.label.AigcLabel} is the GB 45438
 * Annex E record (seven keys, restricted charset, byte-exact JSON); {@link org.aigcmark.label.LabelParser} reads
 * the forms found in the wild, turning deviations into problems; {@link org.aigcmark.label.LabelSignatures} and
 * {@link org.aigcmark.label.LabelKeys} sign and verify records with Ed25519 or SM2 in ReservedCode1/2
 * (docs/SIGNATURES.md); {@link org.aigcmark.label.ExplicitLabelText} holds the AI + generation element rule that
 * every explicit label must meet.
 */
package org.aigcmark.label;
