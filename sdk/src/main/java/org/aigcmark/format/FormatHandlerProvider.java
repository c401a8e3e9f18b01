package org.aigcmark.format;

import java.util.List;

/**
 * Format handlers that live in another artifact, found through {@link java.util.ServiceLoader} (as
 * {@link org.aigcmark.format.webp.WebpEncoder} finds aigcmark-codec-webp): aigcmark-documents provides the PDF and
 * OOXML handlers, so a provider that labels only text or images does not pull PDFBox and commons-compress.
 *
 * <p>{@link FormatRegistry#defaults()} does not append what it finds: it places each provider's handlers at the
 * slot reserved for its {@link #artifact()}, so the list keeps the order it has when every artifact is present.
 */
public interface FormatHandlerProvider {
    /** The artifact this provider ships in, e.g. {@code aigcmark-documents}: names its slot in the default list. */
    String artifact();

    /** Its handlers, in the order they take in the list. */
    List<FormatHandler> handlers();
}
