package org.aigcmark.format.jpeg;

/** The IJG quality a JPEG was most likely saved at, from its luminance quantisation table. */
public final class JpegQuality {
    private JpegQuality() {}

    /** 10..100; 90 when the file has no readable luminance table. */
    public static int estimate(byte[] jpeg) {
        return JpegPixels.estimateQuality(jpeg, JpegSegments.parse(jpeg));
    }
}
