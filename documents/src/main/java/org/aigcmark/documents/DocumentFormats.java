package org.aigcmark.documents;

import java.util.List;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.FormatHandlerProvider;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.ooxml.OoxmlHandler;
import org.aigcmark.format.pdf.PdfHandler;

/** Puts the OOXML and PDF handlers into the sdk's {@link FormatRegistry#defaults()} (found by ServiceLoader). */
public final class DocumentFormats implements FormatHandlerProvider {
    @Override
    public String artifact() {
        return FormatRegistry.DOCUMENTS;
    }

    @Override
    public List<FormatHandler> handlers() {
        return List.of(new OoxmlHandler(), new PdfHandler());
    }
}
