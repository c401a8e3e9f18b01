package org.aigcmark.detect.ocr;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.MediaType;
import org.aigcmark.Limits;

/** Decodes an image file as it is displayed: size checked before decoding, EXIF Orientation applied. */
public final class DisplayImage {
    private DisplayImage() {}

    private static final FormatRegistry REGISTRY = FormatRegistry.defaults();

    /**
     * Decodes {@code file} through ImageIO, its pixel count checked against {@code Limits.DEFAULT} before decoding, and
     * turns it by its EXIF Orientation (read by the sdk's handler; 1 when absent or unreadable).
     *
     * @throws AigcmarkException with {@link Reason#INPUT_UNREADABLE} when it is not a regular file; {@link
     *     Reason#UNSUPPORTED_FORMAT} when no ImageIO reader takes it; {@link Reason#LIMIT_EXCEEDED} for too many
     *     pixels; {@link Reason#CORRUPT_INPUT} when decoding fails
     */
    public static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AigcmarkException(Reason.INPUT_UNREADABLE, file + " is not a readable file");
        }
        BufferedImage stored;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new AigcmarkException(Reason.UNSUPPORTED_FORMAT, file + " is not an image format this JVM decodes");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                Limits.DEFAULT.checkPixels(reader.getWidth(0), reader.getHeight(0), file.toString());
                stored = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException a) {
                throw a;
            }
            throw AigcmarkException.corrupt("cannot decode " + file + ": " + e);
        }
        return orient(stored, orientation(file));
    }

    /**
     * EXIF Orientation 1..8, 1 when absent or unreadable: the SDK's own EXIF reader (the handler's scan), so the
     * detector turns an image exactly as the labeler placed its visible label.
     */
    static int orientation(Path file) {
        try {
            Limits.DEFAULT.checkBytes(Files.size(file), file.toString());
            byte[] bytes = Files.readAllBytes(file);
            MediaType type = MediaType.sniff(bytes);
            Optional<FormatHandler> handler = REGISTRY.handlerFor(type);
            if (handler.isPresent()) {
                int o = handler.get().scan(bytes, Limits.DEFAULT).orientation();
                return o >= 1 && o <= 8 ? o : 1;
            }
        } catch (Exception e) {
            // metadata problems are not decoding problems: show the pixels as stored
        }
        return 1;
    }

    /** The stored pixels turned to display orientation. */
    public static BufferedImage orient(BufferedImage img, int orientation) {
        int w = img.getWidth();
        int h = img.getHeight();
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);
            default -> null;
        };
        if (t == null) {
            return img;
        }
        boolean swap = orientation >= 5;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, t, null);
        g.dispose();
        return out;
    }
}
