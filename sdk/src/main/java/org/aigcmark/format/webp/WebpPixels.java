package org.aigcmark.format.webp;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.imageio.ImageIO;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.internal.Limits;

/**
 * Decodes WebP (lossy or lossless, through TwelveMonkeys' pure-Java reader) and re-encodes changed pixels as
 * lossless VP8L ({@link Vp8lEncoder}), carrying ICC, EXIF, XMP and unknown chunks over in a VP8X container.
 * Lossless output is larger than a lossy input; it is written only when pixels changed.
 */
final class WebpPixels implements FormatHandler.PixelCodec {
    private static final Set<String> CARRIED = Set.of("ICCP", "EXIF", "XMP ");
    private static final Set<String> IMAGE = Set.of("VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF");

    @Override
    public BufferedImage decode(byte[] file, Limits limits) {
        WebpHandler.Parsed parsed = WebpHandler.parse(file);
        if (!parsed.damage().isEmpty()) {
            throw AigcmarkException.corrupt("cannot decode a damaged WebP: " + parsed.damage().get(0));
        }
        if (parsed.chunks().stream().anyMatch(c -> c.id().equals("ANIM"))) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                    "animated WebP frames cannot be re-encoded; metadata labels still work");
        }
        for (WebpHandler.Chunk c : parsed.chunks()) {
            int[] wh = WebpHandler.dimensions(file, c);
            if (wh != null) {
                limits.checkPixels(wh[0], wh[1], "the WebP");
                break;
            }
        }
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(file));
            if (img == null) {
                throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE, "no WebP decoder on the class path");
            }
            if (img.getType() != BufferedImage.TYPE_INT_ARGB && img.getType() != BufferedImage.TYPE_INT_RGB) {
                BufferedImage c = new BufferedImage(img.getWidth(), img.getHeight(),
                        img.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
                var g = c.createGraphics();
                g.drawImage(img, 0, 0, null);
                g.dispose();
                return c;
            }
            return img;
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException ae) {
                throw ae;
            }
            throw AigcmarkException.corrupt("cannot decode the WebP pixels: " + e.getMessage());
        }
    }

    @Override
    public byte[] encode(BufferedImage image, byte[] original, Limits limits) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] simple = Vp8lEncoder.encode(argb, w, h, alpha);
        WebpHandler.Parsed orig = WebpHandler.parse(original);
        boolean carry = orig.chunks().stream().anyMatch(c -> !IMAGE.contains(c.id()));
        if (!carry) {
            return simple;
        }
        int flags = (alpha ? WebpHandler.FLAG_ALPHA : 0);
        for (WebpHandler.Chunk c : orig.chunks()) {
            flags |= switch (c.id()) {
                case "ICCP" -> WebpHandler.FLAG_ICC;
                case "EXIF" -> WebpHandler.FLAG_EXIF;
                case "XMP " -> WebpHandler.FLAG_XMP;
                default -> 0;
            };
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(simple.length + original.length);
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        byte[] vp8x = new byte[10];
        vp8x[0] = (byte) flags;
        put24(vp8x, 4, w - 1);
        put24(vp8x, 7, h - 1);
        chunk(body, "VP8X", vp8x, 0, vp8x.length);
        copy(body, original, orig, "ICCP");
        body.write(simple, 12, simple.length - 12); // the VP8L chunk of the simple file, header and padding included
        for (WebpHandler.Chunk c : orig.chunks()) {
            if (!IMAGE.contains(c.id()) && !c.id().equals("ICCP")) {
                body.write(original, c.start(), c.end() - c.start());
            }
        }
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 8);
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        le32(out, b.length);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static void copy(ByteArrayOutputStream body, byte[] original, WebpHandler.Parsed orig, String id) {
        for (WebpHandler.Chunk c : orig.chunks()) {
            if (c.id().equals(id) && CARRIED.contains(id)) {
                body.write(original, c.start(), c.end() - c.start());
            }
        }
    }

    private static void chunk(ByteArrayOutputStream out, String id, byte[] d, int off, int len) {
        out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
        le32(out, len);
        out.write(d, off, len);
        if ((len & 1) == 1) {
            out.write(0);
        }
    }

    private static void put24(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
    }

    private static void le32(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >> 8) & 0xFF);
        out.write((v >> 16) & 0xFF);
        out.write((v >> 24) & 0xFF);
    }
}
