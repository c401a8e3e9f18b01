package org.aigcmark.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.aigcmark.format.audio.FlacHandler;
import org.aigcmark.format.audio.Mp3Handler;
import org.aigcmark.format.audio.OggHandler;
import org.aigcmark.format.audio.WavHandler;
import org.aigcmark.format.avi.AviHandler;
import org.aigcmark.format.flv.FlvHandler;
import org.aigcmark.format.jpeg.JpegHandler;
import org.aigcmark.format.mkv.MkvHandler;
import org.aigcmark.format.mp4.HeifHandler;
import org.aigcmark.format.mp4.Mp4Handler;
import org.aigcmark.format.png.PngHandler;
import org.aigcmark.format.webp.WebpHandler;
import org.aigcmark.format.tiff.TiffHandler;
import org.aigcmark.format.gif.GifHandler;
import org.aigcmark.format.markdown.MarkdownHandler;
import org.aigcmark.format.markdown.PlainTextHandler;

/**
 * The format handlers, as an explicit ordered list. Dispatch is by magic bytes ({@link MediaType#sniff}); a
 * caller or a test can build a registry with its own handlers.
 */
public final class FormatRegistry {
    private final List<FormatHandler> handlers;

    private FormatRegistry(List<FormatHandler> handlers) {
        this.handlers = List.copyOf(handlers);
    }

    /** The artifact that reads PDF and OOXML (DOCX/XLSX/PPTX) documents: PDFBox and commons-compress live there. */
    public static final String DOCUMENTS = "aigcmark-documents";

    /**
     * The built-in handlers, and those of the artifacts found on the class path ({@link FormatHandlerProvider}).
     * A plugged-in artifact's handlers take the place reserved for it here, whatever order {@code ServiceLoader}
     * meets the providers in, so the list is the same explicit order as when the sdk held them all.
     */
    public static FormatRegistry defaults() {
        List<FormatHandler> l = new ArrayList<>(List.of(new JpegHandler(), new PngHandler(), new WebpHandler(),
                new TiffHandler(), new GifHandler(), new HeifHandler(), new Mp4Handler(), new MkvHandler(),
                new AviHandler(), new FlvHandler(), new WavHandler(), new Mp3Handler(),
                new FlacHandler(), new OggHandler(), new MarkdownHandler(), new PlainTextHandler()));
        l.addAll(Plugged.handlersOf(DOCUMENTS)); // OOXML, then PDF
        return new FormatRegistry(l);
    }

    /**
     * The artifact to add for files of {@code type} when no handler here reads them; empty for the sdk's own formats
     * and for formats no artifact reads. Messages name it, so a missing jar is not mistaken for an unknown format.
     */
    public static Optional<String> artifactFor(MediaType type) {
        return switch (type) {
            case PDF, DOCX, XLSX, PPTX, ZIP -> Optional.of(DOCUMENTS);
            default -> Optional.empty();
        };
    }

    /**
     * A registry of exactly {@code handlers}, in that order (copied; no default handler is added). For a file's
     * type the first handler that {@link FormatHandler#handles handles} it is used.
     */
    public static FormatRegistry of(List<FormatHandler> handlers) {
        return new FormatRegistry(handlers);
    }

    /** A registry with {@code extra} handlers after these (a later handler for a type already present is ignored). */
    public FormatRegistry with(FormatHandler... extra) {
        List<FormatHandler> l = new ArrayList<>(handlers);
        l.addAll(List.of(extra));
        return new FormatRegistry(l);
    }

    /** The first handler that reads {@code type}, or empty when none does (e.g. a PDF without aigcmark-documents). */
    public Optional<FormatHandler> handlerFor(MediaType type) {
        return handlers.stream().filter(h -> h.handles(type)).findFirst();
    }

    /** The handlers in dispatch order; unmodifiable. */
    public List<FormatHandler> handlers() {
        return handlers;
    }

    /** The {@link FormatHandlerProvider}s on the class path, looked up once. */
    private static final class Plugged {
        // a broken provider: its formats are reported as needing the artifact, as with none
        static final List<FormatHandlerProvider> PROVIDERS = org.aigcmark.internal.Plugins.load(FormatHandlerProvider.class);

        static List<FormatHandler> handlersOf(String artifact) {
            return PROVIDERS.stream().filter(p -> p.artifact().equals(artifact)).findFirst()
                    .map(FormatHandlerProvider::handlers).orElse(List.of());
        }

    }
}
