package org.aigcmark.testdata;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The image attacks and the distortion measure that the watermark's tests (sdk) and its robustness benchmarks (bench)
 * share, so both attack the same way: a JPEG round trip through ImageIO and PSNR over the three 8-bit channels.
 */
public final class ImageAttacks {
    private ImageAttacks() {}

    /** A TYPE_INT_RGB copy (or {@code src} itself when it is one already). */
    public static BufferedImage toRgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[src.getWidth()];
        for (int y = 0; y < src.getHeight(); y++) {
            src.getRGB(0, y, src.getWidth(), 1, row, 0, src.getWidth());
            out.setRGB(0, y, src.getWidth(), 1, row, 0, src.getWidth());
        }
        return out;
    }

    /** ImageIO baseline JPEG at {@code quality} (1-100), decoded again; for 3-channel images its sampling is 4:2:0. */
    public static BufferedImage jpeg(BufferedImage img, int quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bos)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(img, null, null), p);
            }
            writer.dispose();
            return toRgb(ImageIO.read(new ByteArrayInputStream(bos.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PSNR in dB over R, G and B of two images of the same size; infinite when they are equal. */
    public static double psnr(BufferedImage a, BufferedImage b) {
        int[] pa = a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth());
        int[] pb = b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
        double se = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int sh = 0; sh <= 16; sh += 8) {
                int d = ((pa[i] >> sh) & 0xff) - ((pb[i] >> sh) & 0xff);
                se += d * d;
            }
        }
        double mse = se / (3.0 * pa.length);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255 * 255 / mse);
    }
}
