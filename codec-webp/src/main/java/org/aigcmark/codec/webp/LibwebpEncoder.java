package org.aigcmark.codec.webp;

import com.luciad.imageio.webp.CompressionType;
import com.luciad.imageio.webp.WebPImageWriterSpi;
import com.luciad.imageio.webp.WebPWriteParam;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.aigcmark.format.webp.WebpEncoder;

/**
 * libwebp through webp-imageio (its native library is unpacked and loaded on first use). The writer is made from its
 * service provider directly rather than looked up in the ImageIO registry, so no other WebP writer can stand in.
 */
public final class LibwebpEncoder implements WebpEncoder {

    @Override
    public byte[] encode(BufferedImage image, boolean lossless, int quality) {
        ImageWriter writer = new WebPImageWriterSpi().createWriterInstance(null);
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            WebPWriteParam p = new WebPWriteParam(Locale.ROOT);
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType(lossless ? CompressionType.Lossless : CompressionType.Lossy);
            // Lossy: cwebp's -q. Lossless: the effort spent looking for a smaller coding.
            p.setCompressionQuality(Math.max(0, Math.min(100, quality)) / 100f);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), p);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    @Override
    public String name() {
        return "libwebp 1.6.0 (webp-imageio 0.11.0)";
    }
}
