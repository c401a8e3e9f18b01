package org.aigcmark.format.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
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
import org.aigcmark.format.DecodedPixels;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.internal.Limits;
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
        checkDecodable(file, JpegSegments.parse(file), limits);
        return read(file, false, r -> r.read(0));
    }

    /**
     * For a plain 3-component YCbCr JPEG (JFIF, or no colour marker and no ICC profile: the case where the JDK's
     * reader lets libjpeg convert to RGB), reads the YCbCr raster without the reader's RGB image and converts it
     * with libjpeg's own fixed-point tables ({@link #ycbcrToRgb}): the same RGB values as {@link #decode} + getRGB,
     * about a quarter cheaper, and no image object unless a check asks for one. Everything else goes through
     * {@link #decode}.
     */
    @Override
    public DecodedPixels decodePixels(byte[] file, Limits limits) {
        JpegSegments s = JpegSegments.parse(file);
        checkDecodable(file, s, limits);
        if (!plainYcbcr(file, s)) {
            return DecodedPixels.of(read(file, false, r -> r.read(0)));
        }
        Raster ycc = read(file, true, r -> r.readRaster(0, null));
        if (ycc.getNumBands() != 3 || !(ycc.getDataBuffer() instanceof DataBufferByte db)
                || !(ycc.getSampleModel() instanceof PixelInterleavedSampleModel sm) || sm.getPixelStride() != 3
                || !Arrays.equals(sm.getBandOffsets(), new int[] {0, 1, 2})
                || ycc.getSampleModelTranslateX() != 0 || ycc.getSampleModelTranslateY() != 0) {
            return DecodedPixels.of(read(file, false, r -> r.read(0)));
        }
        int w = ycc.getWidth();
        int h = ycc.getHeight();
        int[] rgb = new int[w * h];
        ycbcrToRgb(db.getData(), db.getOffset(), sm.getScanlineStride(), w, h, rgb);
        return DecodedPixels.ofRgb(rgb, w, h);
    }

    private static void checkDecodable(byte[] file, JpegSegments s, Limits limits) {
        if (!s.damage.isEmpty()) {
            throw AigcmarkException.corrupt("cannot decode a damaged JPEG: " + s.damage.get(0));
        }
        for (JpegSegments.Segment seg : s.segments) {
            if (JpegSegments.isSof(seg.marker())) {
                limits.checkPixels(JpegHandler.u16(file, seg.payloadStart() + 3), JpegHandler.u16(file, seg.payloadStart() + 1), "the JPEG");
                int components = file[seg.payloadStart() + 5] & 0xFF;
                if (components != 1 && components != 3) {
                    throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                            "JPEG with " + components + " colour components (CMYK?) cannot be re-encoded; metadata labels still work");
                }
            }
        }
    }

    @FunctionalInterface
    private interface ReadStep<T> {
        T read(ImageReader r) throws IOException;
    }

    /** The JDK reader over an in-memory stream (ImageIO's default stream would cache to a temp file). */
    private static <T> T read(byte[] file, boolean rasterOnly, ReadStep<T> step) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg");
            if (!it.hasNext()) {
                throw AigcmarkException.corrupt("no JPEG decoder available");
            }
            ImageReader r = it.next();
            try {
                r.setInput(in, true, true);
                T out = step.read(r);
                if (out == null) {
                    throw AigcmarkException.corrupt("cannot decode the JPEG pixels" + (rasterOnly ? " (raster)" : ""));
                }
                return out;
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

    /**
     * True when the JDK reader surely treats the file as YCbCr and lets libjpeg convert it to RGB: 3 components of
     * 8 bits, a JFIF APP0 or an EXIF APP1 (both mean YCbCr; without them the reader guesses from the sampling),
     * no ICC profile (the reader would colour-manage) and no Adobe APP14 (transform flags).
     */
    static boolean plainYcbcr(byte[] file, JpegSegments s) {
        boolean jfifOrExif = false;
        boolean sof = false;
        for (JpegSegments.Segment seg : s.segments) {
            int m = seg.marker();
            int p = seg.payloadStart();
            if ((m == 0xE0 && startsWith(file, p, seg.payloadLength(), "JFIF\0"))
                    || (m == 0xE1 && startsWith(file, p, seg.payloadLength(), "Exif\0"))) {
                jfifOrExif = true;
            } else if (m == 0xE2 && startsWith(file, p, seg.payloadLength(), "ICC_PROFILE\0")) {
                return false;
            } else if (m == 0xEE && startsWith(file, p, seg.payloadLength(), "Adobe")) {
                return false;
            } else if (JpegSegments.isSof(m)) {
                if (seg.payloadLength() < 6 + 3 * 3 || (file[p + 5] & 0xFF) != 3 || (file[p] & 0xFF) != 8) {
                    return false; // not 3 components of 8 bits
                }
                sof = true;
            }
        }
        return sof && jfifOrExif;
    }

    private static boolean startsWith(byte[] file, int at, int length, String ascii) {
        if (length < ascii.length() || at + ascii.length() > file.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (file[at + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** libjpeg 6b's jdcolor.c fixed-point tables (SCALEBITS 16), which the JDK's bundled libjpeg uses. */
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        int half = 1 << 15;
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + half) >> 16;
            CB_B[i] = (fix(1.77200) * x + half) >> 16;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + half;
        }
    }

    private static int fix(double v) {
        return (int) (v * (1 << 16) + 0.5);
    }

    /** Interleaved Y,Cb,Cr bytes to opaque packed RGB, as libjpeg's ycc_rgb_convert. */
    static void ycbcrToRgb(byte[] ycc, int offset, int stride, int w, int h, int[] rgb) {
        for (int y = 0; y < h; y++) {
            int o = offset + y * stride;
            int d = y * w;
            for (int x = 0; x < w; x++, o += 3) {
                int l = ycc[o] & 0xFF;
                int cb = ycc[o + 1] & 0xFF;
                int cr = ycc[o + 2] & 0xFF;
                int r = clamp(l + CR_R[cr]);
                int g = clamp(l + ((CB_G[cb] + CR_G[cr]) >> 16));
                int b = clamp(l + CB_B[cb]);
                rgb[d + x] = 0xFF000000 | r << 16 | g << 8 | b;
            }
        }
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    @Override
    public byte[] encode(BufferedImage image, byte[] original, Limits limits) {
        JpegSegments orig = JpegSegments.parse(original);
        int quality = estimateQuality(original, orig);
        int[] sampling = lumaSampling(original, orig);
        BufferedImage rgb = toRgb(image);
        byte[] fresh;
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bos = new ByteArrayOutputStream(original.length);
             ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
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
        return transplantMetadata(original, orig, fresh);
    }

    /** New file = SOI + the original's APPn/COM segments (not APP14, whose colour-transform flag is the encoder's) + new coding segments. */
    static byte[] transplantMetadata(byte[] original, JpegSegments orig, byte[] fresh) {
        JpegSegments f = JpegSegments.parse(fresh);
        ByteArrayOutputStream out = new ByteArrayOutputStream(fresh.length + 65536);
        out.write(0xFF);
        out.write(0xD8);
        for (JpegSegments.Segment seg : orig.segments) {
            int m = seg.marker();
            if (((m >= 0xE0 && m <= 0xEF) || m == 0xFE) && m != 0xEE) {
                out.write(original, seg.start(), seg.end() - seg.start());
            }
        }
        for (JpegSegments.Segment seg : f.segments) {
            int m = seg.marker();
            if ((m >= 0xE0 && m <= 0xEF) || m == 0xFE) {
                continue;
            }
            if (m == 0xDA) {
                out.write(fresh, f.scanStart, fresh.length - f.scanStart);
                break;
            }
            out.write(fresh, seg.start(), seg.end() - seg.start());
        }
        return out.toByteArray();
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
