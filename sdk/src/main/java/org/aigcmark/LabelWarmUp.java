package org.aigcmark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.SignatureAlgorithm;
import org.aigcmark.visible.VisibleLabelOptions;

/**
 * What {@link Labeler#warmUp()} runs: small generated JPEG and PNG images labelled in memory (metadata only, then
 * visible label + watermark + Ed25519 signature), so that the process-wide, lazily loaded parts are loaded before a
 * provider's first request: ImageIO's plug-in registry and its JPEG/PNG codecs, Java2D with the bundled font and its
 * rasteriser, the watermark's kernels (and the start of their Vector API warm-up), the JDK's Ed25519 and SHA-256, the
 * XML factories and the label templates, and the classes of every step.
 */
final class LabelWarmUp {
    private static final int SIDE = 512;

    private LabelWarmUp() {}

    static void run(Labeler labeler) {
        // a process that calls this labels many images: their vector kernels are worth compiling from now on
        org.aigcmark.watermark.ImageWatermarker.startKernelWarmUp();
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_3BYTE_BGR);
        java.util.SplittableRandom random = new java.util.SplittableRandom(19);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int v = (x + y) / 4 + random.nextInt(32);
                img.setRGB(x, y, v << 16 | (255 - v) << 8 | (v * 3 & 0xFF));
            }
        }
        var pair = LabelKeys.generate(SignatureAlgorithm.ED25519);
        LabelRequest metadata = LabelRequest.produced("aigcmark-warm-up", "warm-up");
        LabelRequest full = metadata.withVisible(VisibleLabelOptions.defaults())
                .withWatermark(WatermarkKey.generate())
                .withSigningKey(new LabelKeys.SigningKey(SignatureAlgorithm.ED25519, pair.getPrivate(), pair.getPublic()));
        for (String format : new String[] {"jpeg", "png"}) {
            byte[] input = encode(img, format);
            byte[] labelled = labeler.label(input, "warm-up." + format, metadata).bytes();
            // again on its own output: a file that has XMP goes through the XML parser and serialiser (a file without
            // takes a written-out packet), which a provider's inputs may well have
            labeler.label(labelled, "warm-up." + format, metadata);
            labeler.label(input, "warm-up." + format, full);
        }
    }

    private static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
