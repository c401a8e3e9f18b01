package org.aigcmark.format.png;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.internal.Limits;

/**
 * Decodes a PNG and re-encodes changed pixels losslessly, then carries the original's ancillary chunks (text,
 * XMP, EXIF, ICC, gamma, physical size, ...) over, in their original places before or after the image data.
 * Palette images come back as RGB(A): drawing on a palette would quantise the label.
 */
final class PngPixels implements FormatHandler.PixelCodec {
    /** Ancillary chunks that describe the old pixel encoding and must not follow new pixels. */
    private static final Set<String> PIXEL_FORMAT_CHUNKS = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "sBIT",
            "hIST", "bKGD", "sPLT", "acTL", "fcTL", "fdAT");

    @Override
    public BufferedImage decode(byte[] file, Limits limits) {
        PngChunks pc = PngChunks.parse(file);
        if (!pc.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot decode a damaged PNG: " + pc.damage.get(0));
        }
        PngChunks.Chunk ihdr = pc.chunks.get(0);
        limits.checkPixels(PngChunks.u32(file, ihdr.dataStart()), PngChunks.u32(file, ihdr.dataStart() + 4), "the PNG");
        if (pc.chunks.stream().anyMatch(c -> c.type().equals("acTL"))) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                    "animated PNG frames cannot be re-encoded; metadata labels still work");
        }
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(file));
            if (img == null) {
                throw AigcmarkException.corrupt("the PNG decoder returned no image");
            }
            if (img.getType() == BufferedImage.TYPE_BYTE_INDEXED || img.getType() == BufferedImage.TYPE_BYTE_BINARY) {
                BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(),
                        img.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
                var g = rgb.createGraphics();
                g.drawImage(img, 0, 0, null);
                g.dispose();
                return rgb;
            }
            return img;
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException ae) {
                throw ae;
            }
            throw AigcmarkException.corrupt("cannot decode the PNG pixels: " + e.getMessage());
        }
    }

    @Override
    public byte[] encode(BufferedImage image, byte[] original, Limits limits) {
        byte[] fresh;
        try (ByteArrayOutputStream bos = new ByteArrayOutputStream(original.length)) {
            if (!ImageIO.write(image, "png", bos)) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "no PNG encoder for this image type");
            }
            fresh = bos.toByteArray();
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "PNG encoding failed: " + e.getMessage(), e);
        }
        PngChunks orig = PngChunks.parse(original);
        PngChunks neu = PngChunks.parse(fresh);
        ByteArrayOutputStream out = new ByteArrayOutputStream(fresh.length + 65536);
        out.write(PngChunks.SIGNATURE, 0, PngChunks.SIGNATURE.length);
        // New IHDR first, then the original's ancillary chunks that stood before its image data.
        PngChunks.Chunk newIhdr = neu.chunks.get(0);
        out.write(fresh, newIhdr.start(), newIhdr.end() - newIhdr.start());
        boolean wroteData = false;
        for (PngChunks.Chunk c : orig.chunks) {
            if (c.type().equals("IDAT") && !wroteData) {
                // The new image data goes where the original's first IDAT stood.
                for (PngChunks.Chunk n : neu.chunks) {
                    if (!n.type().equals("IHDR") && !n.type().equals("IEND") && PIXEL_FORMAT_CHUNKS.contains(n.type())) {
                        out.write(fresh, n.start(), n.end() - n.start());
                    }
                }
                wroteData = true;
            }
            if (PIXEL_FORMAT_CHUNKS.contains(c.type())) {
                continue;
            }
            out.write(original, c.start(), c.end() - c.start());
        }
        for (PngChunks.Chunk n : neu.chunks) {
            if (n.type().equals("IEND")) {
                out.write(fresh, n.start(), n.end() - n.start());
            }
        }
        return out.toByteArray();
    }
}
