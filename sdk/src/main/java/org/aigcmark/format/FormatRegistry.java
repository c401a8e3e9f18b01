package org.aigcmark.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aigcmark.format.jpeg.JpegHandler;
import org.aigcmark.format.mkv.MkvHandler;
import org.aigcmark.format.mp4.Mp4Handler;
import org.aigcmark.format.png.PngHandler;
import org.aigcmark.format.webp.WebpHandler;
import org.aigcmark.format.tiff.TiffHandler;
import org.aigcmark.format.gif.GifHandler;
import org.aigcmark.format.markdown.MarkdownHandler;
import org.aigcmark.format.markdown.PlainTextHandler;
import org.aigcmark.format.ooxml.OoxmlHandler;
import org.aigcmark.format.pdf.PdfHandler;

/**
 * The format handlers, as an explicit ordered list. Dispatch is by magic bytes ({@link MediaType#sniff}); a
 * caller or a test can build a registry with its own handlers.
 */
public final class FormatRegistry {
    private final List<FormatHandler> handlers;

    private FormatRegistry(List<FormatHandler> handlers) {
        this.handlers = List.copyOf(handlers);
    }

    /** The built-in handlers. */
    public static FormatRegistry defaults() {
        return new FormatRegistry(List.of(new JpegHandler(), new PngHandler(), new WebpHandler(), new TiffHandler(),
                new GifHandler(), new Mp4Handler(), new MkvHandler(), new MarkdownHandler(), new PlainTextHandler(),
                new OoxmlHandler(), new PdfHandler()));
    }

    public static FormatRegistry of(List<FormatHandler> handlers) {
        return new FormatRegistry(handlers);
    }

    /** A registry with {@code extra} handlers after these (a later handler for a type already present is ignored). */
    public FormatRegistry with(FormatHandler... extra) {
        List<FormatHandler> l = new ArrayList<>(handlers);
        l.addAll(List.of(extra));
        return new FormatRegistry(l);
    }

    public Optional<FormatHandler> handlerFor(MediaType type) {
        return handlers.stream().filter(h -> h.handles(type)).findFirst();
    }

    public List<FormatHandler> handlers() {
        return handlers;
    }
}
