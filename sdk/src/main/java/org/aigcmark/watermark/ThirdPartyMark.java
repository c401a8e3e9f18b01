package org.aigcmark.watermark;

/**
 * A watermark made by someone else's (public, unkeyed) scheme, reported for information: it proves nothing about
 * who made the image, since anyone can write it.
 *
 * @param scheme                   e.g. {@code "stable-diffusion-xl/imwatermark-dwtDct"}
 * @param detected                 whether the known message was found
 * @param matchingBits             how many of the known message's bits the decoder read back
 * @param totalBits                the message length
 * @param falsePositiveProbability binomial tail P(at least matchingBits of totalBits agree by chance)
 * @param note                     details (e.g. which channel order matched)
 */
public record ThirdPartyMark(String scheme, boolean detected, int matchingBits, int totalBits,
        double falsePositiveProbability, String note) {}
