package org.aigcmark.format.gif;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Limits;
import org.aigcmark.format.FormatHandler;

/**
 * The first frame of a GIF as pixels, and back. Decoding returns the part of the logical screen the first frame
 * covers (composed onto transparency, clipped to the screen); encoding quantises those labelled pixels with the
 * JDK's GIF writer (its palette builder: at most 256 colours, one of them transparent where the frame is) and puts
 * them in place of the first frame, at the frame's position, keeping its delay and disposal. Every other block (the
 * screen descriptor, later frames, the loop count, comments) stays byte-identical: an animated GIF shows the visible
 * label on its opening frame, as GB 45438 asks of a video's start, and later frames that repaint the label's corner
 * cover it.
 *
 * <p>Why the frame and not the whole screen: on the opening frame nothing outside the first frame is coded (a viewer
 * shows it transparent), so the frame is the picture a viewer sees, and a label belongs on it; the screen may be
 * declared far larger than anything the file holds (fuzzing: 160x65380 around a 160x100 frame, 11 KB), where a label
 * in the screen's corner would sit 65 000 rows below the picture and composing the screen cost 40 MiB and more. So
 * labelling costs what the frame costs, and it analyses and changes exactly the pixels detection checks
 * ({@link #decodeForChecks}). A GIF whose first frame fills its screen, as encoders write them, is labelled as before.
 */
final class GifPixels implements FormatHandler.PixelCodec {
    /**
     * The part of the screen the first frame covers ({@link #decodeForChecks}), after the screen's declared size is
     * checked against the limits (a labelled file keeps that screen, and a viewer allocates it).
     */
    @Override
    public BufferedImage decode(byte[] file, Limits limits) {
        GifBlocks g = GifBlocks.parse(file); // first: it refuses a file too short for a screen descriptor
        int width = u16(file, 6);
        int height = u16(file, 8);
        if (width == 0 || height == 0) {
            throw AigcmarkException.corrupt("the GIF's logical screen is empty (" + width + "x" + height + ")");
        }
        limits.checkDecode(width, height, file.length, "the GIF");
        return frameOnScreen(g, file, limits);
    }

    /**
     * The part of the screen the first frame covers, composed onto transparency and clipped to the screen: outside
     * the frame the screen is transparent and nothing is coded there, so a screen declared far larger than its frame
     * (fuzzing: 160x65380 around a 160x100 frame, 11 KB, cost detection 1 GB of allocations) costs no more than the
     * frame.
     */
    @Override
    public BufferedImage decodeForChecks(byte[] file, Limits limits) {
        return frameOnScreen(GifBlocks.parse(file), file, limits);
    }

    private static BufferedImage frameOnScreen(GifBlocks g, byte[] file, Limits limits) {
        FirstFrame f = firstFrame(g, file, limits);
        Region r = visible(file, f.left(), f.top(), f.pixels().getWidth(), f.pixels().getHeight());
        BufferedImage visible = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D gr = visible.createGraphics();
        gr.drawImage(f.pixels(), 0, 0, null);
        gr.dispose();
        return visible;
    }

    /** Where on the screen the labelled pixels go: the first frame's place, its size clipped to the screen. */
    private record Region(int left, int top, int width, int height) {}

    private static Region visible(byte[] file, int left, int top, int frameW, int frameH) {
        int width = u16(file, 6);
        int height = u16(file, 8);
        int visibleW = Math.min(frameW, width - left);
        int visibleH = Math.min(frameH, height - top);
        if (visibleW <= 0 || visibleH <= 0) {
            throw AigcmarkException.corrupt("the GIF's first frame lies outside its " + width + "x" + height
                    + " logical screen");
        }
        return new Region(left, top, visibleW, visibleH);
    }

    /** The first frame's pixels and its place on the screen. */
    private record FirstFrame(BufferedImage pixels, int left, int top) {}

    /** The first frame, decoded after its size is checked against the limits and GIF's coding ceiling. */
    private static FirstFrame firstFrame(GifBlocks g, byte[] file, Limits limits) {
        int first = g.firstImage();
        if (first < 0) {
            throw AigcmarkException.corrupt("the GIF has no image");
        }
        GifBlocks.Block img = g.blocks.get(first);
        int frameW = u16(file, img.start() + 5);
        int frameH = u16(file, img.start() + 7);
        limits.checkDecode(frameW, frameH, file.length, Limits.GIF_PIXELS_PER_BYTE, "the GIF's first frame");
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
            if (!readers.hasNext()) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "this JDK has no GIF reader");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new FirstFrame(reader.read(0), u16(file, img.start() + 1), u16(file, img.start() + 3));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof AigcmarkException a) {
                throw a;
            }
            throw AigcmarkException.corrupt("the GIF's first frame cannot be decoded: " + e.getMessage());
        }
    }

    @Override
    public FormatHandler.Encoded encode(BufferedImage image, byte[] original, Limits limits) {
        GifBlocks g = GifBlocks.parse(original);
        int first = g.firstImage();
        if (first < 0) {
            throw AigcmarkException.corrupt("the GIF has no image");
        }
        int control = -1;
        for (int i = 0; i < first; i++) {
            if (g.blocks.get(i).label() == GifBlocks.GRAPHIC_CONTROL && g.blocks.get(i).end() - g.blocks.get(i).start() >= 8) {
                control = i;
            }
        }
        GifBlocks.Block img = g.blocks.get(first);
        Region place = visible(original, u16(original, img.start() + 1), u16(original, img.start() + 3),
                u16(original, img.start() + 5), u16(original, img.start() + 7));
        if (image.getWidth() != place.width() || image.getHeight() != place.height()) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the labelled pixels are " + image.getWidth()
                    + "x" + image.getHeight() + ", the GIF's first frame shows " + place.width() + "x" + place.height());
        }
        byte[] single = quantise(image);
        GifBlocks s = GifBlocks.parse(single);
        int sImage = s.firstImage();
        GifBlocks.Block newImage = s.blocks.get(sImage);
        int transparentFlag = 0;
        int transparentIndex = 0;
        for (int i = 0; i < sImage; i++) {
            GifBlocks.Block blk = s.blocks.get(i);
            if (blk.label() == GifBlocks.GRAPHIC_CONTROL) {
                transparentFlag = single[blk.start() + 3] & 0x01;
                transparentIndex = single[blk.start() + 6] & 0xFF;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(original.length + single.length);
        int cutFrom = control >= 0 ? g.blocks.get(control).start() : img.start();
        out.write(original, 0, cutFrom);
        if (control >= 0) {
            GifBlocks.Block c = g.blocks.get(control);
            out.write(original, c.end(), img.start() - c.end()); // blocks between the control and the frame
        }
        if (control >= 0 || transparentFlag != 0) {
            int packed = control >= 0 ? original[g.blocks.get(control).start() + 3] & 0x1E : 0; // disposal, user input
            out.write(0x21);
            out.write(0xF9);
            out.write(4);
            out.write(packed | transparentFlag);
            if (control >= 0) {
                out.write(original, g.blocks.get(control).start() + 4, 2); // the frame's delay
            } else {
                out.write(0);
                out.write(0);
            }
            out.write(transparentIndex);
            out.write(0);
        }
        // The labelled frame takes the first frame's place, with the writer's colour table as its local one.
        out.write(0x2C);
        writeU16(out, place.left());
        writeU16(out, place.top());
        writeU16(out, image.getWidth());
        writeU16(out, image.getHeight());
        int packed = single[newImage.start() + 9] & 0xFF;
        int dataFrom = newImage.start() + 10;
        if ((packed & 0x80) != 0) {
            out.write(packed & 0xC7); // its own local table; interlaced as the writer wrote the rows
            int tableEnd = dataFrom + 3 * (1 << ((packed & 0x07) + 1));
            out.write(single, dataFrom, tableEnd - dataFrom);
            dataFrom = tableEnd;
        } else if ((single[10] & 0x80) != 0) {
            out.write(0x80 | (packed & 0x40) | (single[10] & 0x07));
            out.write(single, 13, s.headerEnd - 13);
        } else {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the GIF writer wrote no colour table");
        }
        out.write(single, dataFrom, newImage.end() - dataFrom);
        out.write(original, img.end(), original.length - img.end());
        List<String> notes = new ArrayList<>();
        notes.add("the GIF's first frame was re-encoded by the JDK's GIF writer (a palette of at most 256 colours;"
                + " an invisible watermark is weakened by it)");
        int frames = g.frames();
        if (frames > 1) {
            notes.add("animated GIF of " + frames + " frames: the visible label is on the first frame; the other "
                    + (frames - 1) + " frames are byte-identical");
        }
        byte[] bytes = out.toByteArray();
        return FormatHandler.Encoded.of(bytes, original, "GIF", notes, "the labelled frame's new palette and LZW data");
    }

    /** A one-frame GIF of {@code image} from the JDK's writer (an image without transparency loses its alpha first). */
    private static byte[] quantise(BufferedImage image) {
        BufferedImage src = image;
        if (opaque(image)) {
            src = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D gr = src.createGraphics();
            gr.drawImage(image, 0, 0, null);
            gr.dispose();
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(src, "gif", out)) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "this JDK has no GIF writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the GIF writer failed: " + e.getMessage(), e);
        }
    }

    private static boolean opaque(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return true;
        }
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) >>> 24) != 0xFF) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static void writeU16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >> 8) & 0xFF);
    }
}
