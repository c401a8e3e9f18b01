package org.aigcmark.format.jpeg;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.Limits;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Decodes a JPEG to pixels and re-encodes it at the quality estimated from the original's quantisation table
 * and with the original's chroma subsampling, then carries every original APPn/COM segment (EXIF, XMP, ICC, ...)
 * over to the new file.
 */
final class JpegPixels implements FormatHandler.PixelCodec {

    @Override
    public BufferedImage decode(byte[] file, Limits limits) {
        checked(file, limits);
        return readWithImageIo(file);
    }

    /**
     * For detection: with a {@link JpegDecoder} on the class path (aigcmark-codec-system: libjpeg-turbo) and a file it
     * decodes as ImageIO does (see {@link #sameAsImageIo}), its {@code TYPE_INT_RGB} image: the same getRGB values as
     * {@link #decode} (libjpeg-turbo's accurate integer IDCT, fancy upsampling and colour conversion are libjpeg 6b's,
     * which ImageIO bundles), in about a third of the time; otherwise, or when it declines or cannot run, {@link #decode}.
     */
    @Override
    public BufferedImage decodeForChecks(byte[] file, Limits limits) {
        JpegSegments s = checked(file, limits);
        if (Decoders.FIRST.isPresent() && sameAsImageIo(file, s)) {
            try {
                BufferedImage img = Decoders.FIRST.get().decode(file);
                if (img != null && img.getWidth() > 0 && img.getHeight() > 0) {
                    return img;
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                // it could not read this file or cannot run here: ImageIO decides (and refuses with a reason)
            }
        }
        return readWithImageIo(file);
    }

    private static final class Decoders {
        static final java.util.Optional<JpegDecoder> FIRST = org.aigcmark.internal.Plugins.load(JpegDecoder.class).stream().findFirst();
    }

    /**
     * Whether a libjpeg-based decoder gives ImageIO's pixels for this file: 8-bit Huffman coding (SOF0, SOF1, SOF2;
     * ImageIO's libjpeg 6b reads no arithmetic coding), three components, no Adobe APP14 (ImageIO reads its transform
     * flag its own way), no ICC profile in APP2 (ImageIO then converts from the profile to sRGB through the colour
     * management module), and YCbCr beyond doubt: a JFIF APP0 or the component ids 1, 2, 3 (without either, readers
     * guess the colour space from the ids and the sampling, each its own way).
     */
    static boolean sameAsImageIo(byte[] file, JpegSegments s) {
        boolean sof = false;
        boolean ycc = false;
        for (JpegSegments.Segment seg : s.segments) {
            int m = seg.marker();
            if (JpegSegments.isSof(m)) {
                int p = seg.payloadStart();
                if (m > 0xC2 || sof || seg.payloadLength() < 15 || (file[p] & 0xFF) != 8 || (file[p + 5] & 0xFF) != 3) {
                    return false;
                }
                sof = true;
                ycc |= file[p + 6] == 1 && file[p + 9] == 2 && file[p + 12] == 3;
            } else if (m == 0xE0 && seg.payloadLength() >= 5
                    && new String(file, seg.payloadStart(), 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("JFIF\0")) {
                ycc = true;
            } else if (m == 0xEE) {
                return false;
            } else if (m == 0xE2 && seg.payloadLength() >= 12
                    && new String(file, seg.payloadStart(), 11, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ICC_PROFILE")) {
                return false;
            }
        }
        return sof && ycc;
    }

    /** decode's checks: not damaged, its scans within bounds, its sizes within the limits, one or three components. */
    private static JpegSegments checked(byte[] file, Limits limits) {
        JpegSegments s = JpegSegments.parse(file);
        if (!s.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot decode a damaged JPEG: " + s.damage.get(0));
        }
        JpegHandler.checkScans(file);
        for (JpegSegments.Segment seg : s.segments) {
            if (JpegSegments.isSof(seg.marker())) {
                int width = JpegHandler.u16(file, seg.payloadStart() + 3);
                int height = JpegHandler.u16(file, seg.payloadStart() + 1);
                if (seg.marker() < 0xC8) { // Huffman coding (SOF0-7); arithmetic coding has no per-block floor
                    limits.checkDecode(width, height, file.length, Limits.JPEG_PIXELS_PER_BYTE, "the JPEG");
                } else {
                    limits.checkDecode(width, height, file.length, "the JPEG");
                }
                int components = file[seg.payloadStart() + 5] & 0xFF;
                if (components != 1 && components != 3) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                            "JPEG with " + components + " colour components (CMYK?) cannot be re-encoded; metadata labels still work");
                }
            }
        }
        return s;
    }

    private static BufferedImage readWithImageIo(byte[] file) {
        // An in-memory stream: ImageIO.createImageInputStream would first copy the bytes to a temp file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> it = ImageIO.getImageReaders(in);
            if (!it.hasNext()) {
                throw AigcmarkException.corrupt("no JPEG decoder available");
            }
            ImageReader r = it.next();
            try {
                r.setInput(in, true, true);
                return r.read(0);
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException ae) {
                throw ae;
            }
            throw AigcmarkException.corrupt("cannot decode the JPEG pixels: " + e.getMessage());
        }
    }

    @Override
    public FormatHandler.Encoded encode(BufferedImage image, byte[] original, Limits limits) {
        JpegSegments orig = JpegSegments.parse(original);
        int quality = estimateQuality(original, orig);
        int[] sampling = lumaSampling(original, orig);
        boolean progressive = isProgressive(orig);
        BufferedImage rgb = toRgb(image);
        byte[] fresh;
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bos = new ByteArrayOutputStream(original.length);
             ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            if (p instanceof javax.imageio.plugins.jpeg.JPEGImageWriteParam jp) {
                // Tables built for this image (libjpeg's optimize_coding, ImageMagick's default): the standard
                // tables cost 5-25% on high-quality photos.
                jp.setOptimizeHuffmanTables(true);
            }
            if (progressive) {
                // libjpeg's default progressive scan script; ImageIO then also optimises the Huffman tables.
                p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(rgb), p);
            setSampling(meta, sampling);
            w.setOutput(out);
            w.write(null, new IIOImage(rgb, null, meta), p);
            out.flush();
            fresh = bos.toByteArray();
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "JPEG encoding failed: " + e.getMessage(), e);
        } finally {
            w.dispose();
        }
        byte[] out = transplantMetadata(original, orig, fresh);
        return FormatHandler.Encoded.of(out, original, "JPEG", java.util.List.of(), String.format(java.util.Locale.ROOT,
                "re-encoded at the input's estimated quality %d, %s, with %dx%d luma sampling; the new pixels cost more to code",
                quality, progressive ? "progressive" : "baseline", sampling[0], sampling[1]));
    }

    /** SOF2 (progressive DCT, Huffman): the only progressive form ImageIO writes and the common one. */
    static boolean isProgressive(JpegSegments s) {
        return s.segments.stream().anyMatch(seg -> seg.marker() == 0xC2 || seg.marker() == 0xC6 || seg.marker() == 0xCA || seg.marker() == 0xCE);
    }

    /** New file = SOI + the original's APPn/COM segments (not APP14, whose colour-transform flag is the encoder's) + new coding segments. */
    static byte[] transplantMetadata(byte[] original, JpegSegments orig, byte[] fresh) {
        JpegSegments f = JpegSegments.parse(fresh);
        // Sized first, then filled: one output array, no growing stream and no copy out of it.
        long size = 2;
        for (int pass = 0; pass < 2; pass++) {
            byte[] out = pass == 0 ? null : new byte[(int) size];
            int p = 2;
            if (out != null) {
                out[0] = (byte) 0xFF;
                out[1] = (byte) 0xD8;
            }
            for (JpegSegments.Segment seg : orig.segments) {
                int m = seg.marker();
                if (((m >= 0xE0 && m <= 0xEF) || m == 0xFE) && m != 0xEE) {
                    p = put(out, p, original, seg.start(), seg.end() - seg.start());
                }
            }
            for (JpegSegments.Segment seg : f.segments) {
                int m = seg.marker();
                if ((m >= 0xE0 && m <= 0xEF) || m == 0xFE) {
                    continue;
                }
                if (m == 0xDA) {
                    p = put(out, p, fresh, f.scanStart, fresh.length - f.scanStart);
                    break;
                }
                p = put(out, p, fresh, seg.start(), seg.end() - seg.start());
            }
            if (out != null) {
                return out;
            }
            size = p;
        }
        throw new IllegalStateException("unreachable");
    }

    /** Copies {@code len} bytes to {@code out} at {@code p} (only counts when {@code out} is null); returns the end. */
    private static int put(byte[] out, int p, byte[] from, int start, int len) {
        if (out != null) {
            System.arraycopy(from, start, out, p, len);
        }
        return p + len;
    }

    /** IJG-style quality estimate from the first luminance quantisation table. */
    static int estimateQuality(byte[] b, JpegSegments s) {
        for (JpegSegments.Segment seg : s.segments) {
            if (seg.marker() != 0xDB || seg.payloadLength() < 65) {
                continue;
            }
            int pq = (b[seg.payloadStart()] & 0xF0) >> 4;
            int tq = b[seg.payloadStart()] & 0x0F;
            if (tq != 0) {
                continue;
            }
            double sum = 0;
            for (int i = 0; i < 64; i++) {
                int q = pq == 0 ? b[seg.payloadStart() + 1 + i] & 0xFF
                        : pq == 1 && seg.payloadLength() >= 129 ? JpegHandler.u16(b, seg.payloadStart() + 1 + 2 * i) : 0;
                sum += q * 100.0 / STD_LUMA_ZIGZAG[i];
            }
            double scale = sum / 64;
            int quality = scale <= 100 ? (int) Math.round((200 - scale) / 2) : (int) Math.round(5000 / scale);
            return Math.max(10, Math.min(100, quality));
        }
        return 90;
    }

    /** The luma component's sampling factors {h, v}, or {2, 2} when unknown. */
    static int[] lumaSampling(byte[] b, JpegSegments s) {
        for (JpegSegments.Segment seg : s.segments) {
            if (JpegSegments.isSof(seg.marker()) && seg.payloadLength() >= 9) {
                int hv = b[seg.payloadStart() + 7] & 0xFF;
                int comps = b[seg.payloadStart() + 5] & 0xFF;
                if (comps == 1) {
                    return new int[] {1, 1};
                }
                return new int[] {Math.max(1, hv >> 4), Math.max(1, hv & 0x0F)};
            }
        }
        return new int[] {2, 2};
    }

    private static void setSampling(IIOMetadata meta, int[] hv) {
        try {
            String fmt = "javax_imageio_jpeg_image_1.0";
            Element root = (Element) meta.getAsTree(fmt);
            NodeList specs = root.getElementsByTagName("componentSpec");
            if (specs.getLength() > 0) {
                Element luma = (Element) specs.item(0);
                luma.setAttribute("HsamplingFactor", String.valueOf(Math.min(hv[0], 4)));
                luma.setAttribute("VsamplingFactor", String.valueOf(Math.min(hv[1], 4)));
                meta.setFromTree(fmt, root);
            }
        } catch (Exception e) {
            // Keep the encoder's default (4:2:0) when its metadata tree cannot be changed.
        }
    }

    private static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_3BYTE_BGR
                || img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /** The standard IJG luminance table in zig-zag order (DQT tables are stored in zig-zag order). */
    private static final int[] STD_LUMA_ZIGZAG = {
        16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
        26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
        56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
        95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99
    };
}
