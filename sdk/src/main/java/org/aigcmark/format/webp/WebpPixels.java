package org.aigcmark.format.webp;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.Limits;

/**
 * Decodes WebP (lossy or lossless, through TwelveMonkeys' pure-Java reader) and re-encodes changed pixels the way the
 * input was coded: lossy VP8 at the quality estimated from its frame header ({@link Vp8Quality}), alpha kept in an
 * ALPH chunk, when a {@link WebpEncoder} is on the class path (aigcmark-codec-webp); lossless VP8L otherwise
 * ({@link Vp8lEncoder}), which for a lossy photo costs several times its size, so the result says so. ICC, EXIF, XMP
 * and unknown chunks are carried over in a VP8X container.
 */
final class WebpPixels implements FormatHandler.PixelCodec {
    private static final Set<String> CARRIED = Set.of("ICCP", "EXIF", "XMP ");
    private static final Set<String> IMAGE = Set.of("VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF");
    /** cwebp's default, for a lossy input whose frame header cannot be read. */
    private static final int DEFAULT_QUALITY = 75;
    /** libwebp's lossless effort (its "quality" for VP8L): cwebp's default, a fair size for its time. */
    private static final int LOSSLESS_EFFORT = 75;

    @Override
    public BufferedImage decode(byte[] file, Limits limits) {
        checked(file, limits);
        try {
            BufferedImage img = read(file);
            if (img.getType() != BufferedImage.TYPE_INT_ARGB && img.getType() != BufferedImage.TYPE_INT_RGB) {
                // getRGB/setRGB copy exact colours; drawImage would composite, blackening fully transparent pixels
                // (which then cost the lossy encoder bytes at the alpha edges).
                int w = img.getWidth();
                BufferedImage c = new BufferedImage(w, img.getHeight(),
                        img.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
                int[] row = new int[w];
                for (int y = 0; y < img.getHeight(); y++) {
                    img.getRGB(0, y, w, 1, row, 0, w);
                    c.setRGB(0, y, w, 1, row, 0, w);
                }
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

    /**
     * For detection: with a {@link WebpDecoder} on the class path (aigcmark-codec-webp's bundled libwebp,
     * aigcmark-codec-system's call of the system's libwebp; the first that reads the file), its image: the
     * reference decoder's pixels, in about an eighth of the pure-Java reader's time on a 1080p photo (docs/SERVICE.md);
     * without one (or where it cannot run), the pure-Java reader's image as it comes (3-byte BGR for a lossy WebP
     * without alpha), the same getRGB values as {@link #decode} without its copy into an int image, which the checks
     * (reading packed RGB once) do not need.
     */
    @Override
    public BufferedImage decodeForChecks(byte[] file, Limits limits) {
        checked(file, limits);
        for (WebpDecoder decoder : Decoders.ALL) {
            try {
                BufferedImage img = decoder.decode(file);
                if (img != null && img.getWidth() > 0 && img.getHeight() > 0) {
                    return img;
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                // it could not read this file or cannot run here: the next decoder, at last the pure-Java reader,
                // decides (and refuses with a reason)
            }
        }
        try {
            return read(file);
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException ae) {
                throw ae;
            }
            throw AigcmarkException.corrupt("cannot decode the WebP pixels: " + e.getMessage());
        }
    }

    /** decode's checks: not damaged, not animated, every stated size within the limits. */
    private static void checked(byte[] file, Limits limits) {
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
                // Every chunk that states a size: the canvas (VP8X) and the bitstream's own may disagree.
                limits.checkDecode(wh[0], wh[1], file.length, "the WebP");
            }
        }
    }

    @Override
    public FormatHandler.Encoded encode(BufferedImage image, byte[] original, Limits limits) {
        WebpHandler.Parsed orig = WebpHandler.parse(original);
        boolean lossyInput = orig.chunks().stream().anyMatch(c -> c.id().equals("VP8 "));
        OptionalInt estimated = lossyInput ? Vp8Quality.estimate(original) : OptionalInt.empty();
        int quality = estimated.orElse(DEFAULT_QUALITY);
        List<String> notes = new ArrayList<>();
        if (lossyInput && estimated.isEmpty()) {
            notes.add("the WebP's VP8 frame header could not be read for its quality: re-encoded at quality " + DEFAULT_QUALITY);
        }
        byte[] encoded = null;
        String how = null;
        Optional<WebpEncoder> encoder = Encoders.FIRST;
        if (encoder.isPresent()) {
            try {
                encoded = encoder.get().encode(image, !lossyInput, lossyInput ? quality : LOSSLESS_EFFORT);
                how = (lossyInput ? "lossy VP8 at the input's estimated quality " + quality : "lossless VP8L") + " by " + encoder.get().name();
            } catch (RuntimeException | LinkageError e) {
                notes.add("the WebP encoder " + encoder.get().name() + " cannot run here (" + e + ")");
            }
        }
        if (encoded == null) {
            int w = image.getWidth();
            encoded = Vp8lEncoder.encode(image.getRGB(0, 0, w, image.getHeight(), null, 0, w), w, image.getHeight(),
                    image.getColorModel().hasAlpha());
            how = "lossless VP8L by the sdk's own small encoder, which compresses less than libwebp (aigcmark-codec-webp)";
            if (lossyInput) {
                notes.add("no lossy WebP encoder is available (add the aigcmark-codec-webp module): the lossy input"
                        + (estimated.isPresent() ? " (estimated quality " + quality + ")" : "") + " was re-encoded lossless (VP8L)");
            }
        }
        byte[] out = container(image, original, orig, encoded);
        return FormatHandler.Encoded.of(out, original, "WebP", notes, how
                + (lossyInput && how.startsWith("lossless") ? "; lossless coding of a photo costs far more bytes than lossy"
                        : "; and the new pixels (a visible label's plate and text, watermark noise) cost more to code"));
    }

    /** The encoder's image chunks (ALPH, VP8, VP8L) with the original's metadata chunks around them in a VP8X container. */
    private static byte[] container(BufferedImage image, byte[] original, WebpHandler.Parsed orig, byte[] encoded) {
        boolean carry = orig.chunks().stream().anyMatch(c -> !IMAGE.contains(c.id()));
        if (!carry) {
            return encoded;
        }
        WebpHandler.Parsed fresh = WebpHandler.parse(encoded);
        int w = image.getWidth();
        int h = image.getHeight();
        int flags = image.getColorModel().hasAlpha() ? WebpHandler.FLAG_ALPHA : 0;
        for (WebpHandler.Chunk c : orig.chunks()) {
            flags |= switch (c.id()) {
                case "ICCP" -> WebpHandler.FLAG_ICC;
                case "EXIF" -> WebpHandler.FLAG_EXIF;
                case "XMP " -> WebpHandler.FLAG_XMP;
                default -> 0;
            };
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(encoded.length + original.length);
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        byte[] vp8x = new byte[10];
        vp8x[0] = (byte) flags;
        put24(vp8x, 4, w - 1);
        put24(vp8x, 7, h - 1);
        chunk(body, "VP8X", vp8x, 0, vp8x.length);
        copy(body, original, orig, "ICCP");
        for (WebpHandler.Chunk c : fresh.chunks()) {
            if (c.id().equals("ALPH") || c.id().equals("VP8 ") || c.id().equals("VP8L")) {
                body.write(encoded, c.start(), c.end() - c.start());
            }
        }
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

    /**
     * Every {@link WebpDecoder} on the class path, in class path order, looked up once: a decoder that answers null (the
     * system's libwebp where it is not installed) passes the file to the next. All of them are libwebp, whose pixels
     * do not depend on its version or build (codec-system's SystemWebpDecoderTest), so the order only sets the speed.
     */
    private static final class Decoders {
        static final List<WebpDecoder> ALL = org.aigcmark.internal.Plugins.load(WebpDecoder.class);
    }

    /** The first {@link WebpEncoder} on the class path, looked up once. */

    private static final class Encoders {
        static final Optional<WebpEncoder> FIRST = org.aigcmark.internal.Plugins.load(WebpEncoder.class).stream().findFirst();
    }

    /**
     * TwelveMonkeys' pure-Java reader, chosen by name: aigcmark-codec-webp also brings a libwebp ImageIO reader, which
     * ImageIO may list first; detection asks for libwebp explicitly ({@link WebpDecoder}), labelling decodes with this.
     */
    private static BufferedImage read(byte[] file) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
            ImageReader chosen = null;
            for (Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.hasNext(); ) {
                ImageReader r = it.next();
                if (chosen == null || r.getClass().getName().startsWith("com.twelvemonkeys.")) {
                    if (chosen != null) {
                        chosen.dispose();
                    }
                    chosen = r;
                } else {
                    r.dispose();
                }
            }
            if (chosen == null) {
                throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE, "no WebP decoder on the class path");
            }
            try {
                chosen.setInput(in, true, true);
                return chosen.read(0);
            } finally {
                chosen.dispose();
            }
        }
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
