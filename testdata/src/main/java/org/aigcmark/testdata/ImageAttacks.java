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

    /**
     * A TYPE_INT_RGB copy (or {@code src} itself when it is one already). A greyscale image (8-bit grey PNG or JPEG)
     * has its raster samples copied to R, G and B: ImageIO gives it Java's linear grey colour space, so getRGB would
     * convert each sample as if it were linear light (26, the ink of a scanned page, becomes 90), and the image the
     * tests and benches marked and measured would not be the file's.
     */
    public static BufferedImage toRgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        return copyRgb(src);
    }

    /** Always a new TYPE_INT_RGB image with {@code src}'s pixels (grey samples replicated, as {@link #toRgb}). */
    public static BufferedImage copyRgb(BufferedImage src) {
        int w = src.getWidth();
        BufferedImage out = new BufferedImage(w, src.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        java.awt.image.ColorModel cm = src.getColorModel();
        boolean grey = cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && !(cm instanceof java.awt.image.IndexColorModel);
        int bits = grey ? cm.getComponentSize(0) : 8;
        for (int y = 0; y < src.getHeight(); y++) {
            if (grey) {
                src.getRaster().getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = bits == 8 ? row[x] : (int) Math.round(row[x] * 255.0 / ((1 << bits) - 1));
                    row[x] = v << 16 | v << 8 | v;
                }
            } else {
                src.getRGB(0, y, w, 1, row, 0, w);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
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
