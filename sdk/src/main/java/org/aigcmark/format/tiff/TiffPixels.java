package org.aigcmark.format.tiff;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Limits;
import org.aigcmark.format.FormatHandler;

/**
 * A one-image TIFF's pixels through the JDK's TIFF plugin ({@code javax.imageio}, JDK 9+). Encoding keeps the
 * byte order and the compression (none, LZW, Deflate, PackBits, JPEG; others become LZW, with a note) and passes
 * the original's image metadata to the writer, which keeps its other tags (resolution, ICC profile, XMP, ...). A
 * multi-page TIFF is refused (its other pages would be re-encoded or lost), as is a BigTIFF, which the plugin
 * does not read: both can take the metadata label.
 */
final class TiffPixels implements FormatHandler.PixelCodec {
    @Override
    public BufferedImage decode(byte[] file, Limits limits) {
        requireOnePage(file, limits);
        try (Reading r = Reading.of(file)) {
            return r.reader.read(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException a) {
                throw a;
            }
            throw AigcmarkException.corrupt("the TIFF cannot be decoded: " + e.getMessage());
        }
    }

    @Override
    public FormatHandler.Encoded encode(BufferedImage image, byte[] original, Limits limits) {
        TiffStructure t = requireOnePage(original, limits);
        TiffStructure.Entry c = t.ifds.get(0).get(259);
        int compression = c == null || c.count() == 0 ? 1 : (int) t.value(c, 0);
        List<String> notes = new ArrayList<>();
        String type = switch (compression) {
            case 1 -> null;
            case 5 -> "LZW";
            case 8 -> "ZLib";
            case 32946 -> "Deflate";
            case 32773 -> "PackBits";
            case 7 -> "JPEG";
            default -> {
                notes.add("the TIFF's compression " + compression + " is not one the JDK writes: the labelled image is LZW");
                yield "LZW";
            }
        };
        try (Reading r = Reading.of(original)) {
            IIOMetadata metadata = r.reader.getImageMetadata(0);
            ImageWriter writer = ImageIO.getImageWriter(r.reader);
            if (writer == null) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "this JDK has no TIFF writer");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(original.length + 4096);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                if (type == null) {
                    param.setCompressionMode(ImageWriteParam.MODE_DISABLED);
                } else {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionType(type);
                }
                // The stream metadata carries the byte order (the writer's default is big-endian).
                writer.write(r.reader.getStreamMetadata(), new IIOImage(image, null, metadata), param);
            } finally {
                writer.dispose();
            }
            return FormatHandler.Encoded.of(bytes.toByteArray(), original, "TIFF", notes,
                    "the JDK's encoder of the same compression, strips laid out its own way");
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException a) {
                throw a;
            }
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the TIFF writer failed: " + e.getMessage(), e);
        }
    }

    private static TiffStructure requireOnePage(byte[] file, Limits limits) {
        TiffStructure t = TiffStructure.parse(file);
        if (t.big) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "a visible label or watermark on a"
                    + " BigTIFF is not supported (the JDK's TIFF plugin does not read BigTIFF); the metadata label works");
        }
        if (t.ifds.size() > 1) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "a visible label or watermark on a"
                    + " multi-page TIFF (" + t.ifds.size() + " IFDs) is not supported: the other pages would be re-encoded;"
                    + " the metadata label works");
        }
        TiffStructure.Entry w = t.ifds.get(0).get(256);
        TiffStructure.Entry h = t.ifds.get(0).get(257);
        if (w == null || h == null || w.count() == 0 || h.count() == 0) {
            throw AigcmarkException.corrupt("IFD0 has no image dimensions");
        }
        limits.checkDecode(t.value(w, 0), t.value(h, 0), file.length, "the TIFF");
        return t;
    }

    /** The JDK TIFF reader over a file, closed with its stream. */
    private record Reading(ImageReader reader, ImageInputStream in) implements AutoCloseable {
        static Reading of(byte[] file) throws IOException {
            ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file));
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("tiff");
            if (!readers.hasNext()) {
                in.close();
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "this JDK has no TIFF reader");
            }
            ImageReader reader = readers.next();
            reader.setInput(in, true, false);
            return new Reading(reader, in);
        }

        @Override
        public void close() throws IOException {
            reader.dispose();
            in.close();
        }
    }
}
