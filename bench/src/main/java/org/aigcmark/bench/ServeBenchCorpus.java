package org.aigcmark.bench;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.codec.webp.LibwebpEncoder;

/**
 * The 1080p images {@code bench serve} sends for the "1080p JPEG/PNG/WebP": nine of the real photos of
 * {@code testdata/fixtures/photos} (2560 px wide, 2560×1440 to 2560×1920), each centre-cropped to 16:9 and scaled
 * to a 1920×1080 frame (area averaging), then encoded three each as JPEG (ImageIO, quality 90, 4:2:0), PNG (ImageIO,
 * 8-bit RGB) and lossy WebP (libwebp, quality 75, cwebp's default). Made at each run, in memory, from the fixtures
 * (the same bytes every run: the encoders are deterministic), so the repository carries no 30 MB of derived files.
 */
final class ServeBenchCorpus {
    /** The frame every image is scaled to. */
    static final int WIDTH = 1920;
    static final int HEIGHT = 1080;

    /** The photos and the format each is sent in: the first three are the photos of the older, larger mix. */
    static final List<String[]> PHOTOS = List.of(
            new String[] {"01-sky-bridge-cables", "jpeg"}, new String[] {"13-sunset-hilltop", "jpeg"}, new String[] {"18-mountain-trail-peaks", "jpeg"},
            new String[] {"15-dandelions-backlit", "png"}, new String[] {"22-red-flower-garden", "png"}, new String[] {"31-colorful-cups", "png"},
            new String[] {"14-evening-boats-lake", "webp"}, new String[] {"17-leaves-blue-sky", "webp"}, new String[] {"29-forest-path", "webp"});

    private ServeBenchCorpus() {}

    /** One image of the corpus: its name (photo, size, format), bytes and kind ({@code jpeg}, {@code png} or {@code webp}). */
    record Frame(String name, byte[] bytes, String kind) {}

    /**
     * The corpus images of the given kinds, in {@link #PHOTOS}' order.
     *
     * @param fixtures the fixtures folder (holding {@code photos/})
     * @param kinds which of jpeg, png, webp to make
     * @return the encoded 1080p images
     * @throws IOException when a photo cannot be read
     */
    static List<Frame> frames(Path fixtures, java.util.Set<String> kinds) throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (String[] photo : PHOTOS) {
            String kind = photo[1];
            if (!kinds.contains(kind)) {
                continue;
            }
            BufferedImage source = ImageIO.read(fixtures.resolve("photos").resolve(photo[0] + ".jpg").toFile());
            if (source == null) {
                throw AigcmarkException.invalid("not a readable photo: " + photo[0]);
            }
            BufferedImage frame = frame1080p(source);
            byte[] bytes = switch (kind) {
                case "jpeg" -> jpeg(frame, 0.90f);
                case "png" -> png(frame);
                default -> new LibwebpEncoder().encode(frame, false, 75);
            };
            String ext = kind.equals("jpeg") ? "jpg" : kind;
            frames.add(new Frame(String.format(Locale.ROOT, "photos-1080p/%s.%s", photo[0], ext), bytes, kind));
        }
        return frames;
    }

    /** The largest centred 16:9 region, scaled to 1920×1080 by area averaging (no aliasing when shrinking). */
    static BufferedImage frame1080p(BufferedImage source) {
        int w = source.getWidth();
        int h = source.getHeight();
        int cw = Math.min(w, h * WIDTH / HEIGHT);
        int ch = Math.min(h, w * HEIGHT / WIDTH);
        BufferedImage crop = source.getSubimage((w - cw) / 2, (h - ch) / 2, cw, ch);
        Image scaled = crop.getScaledInstance(WIDTH, HEIGHT, Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        try {
            g.drawImage(scaled, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), p);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer");
        }
        return bytes.toByteArray();
    }
}
