package org.aigcmark.io;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerFactory;

/**
 * The one place the XML parser and serialiser are set up for hostile input: DOCTYPEs refused (so no entity
 * expansion and no external DTD), external entities, XInclude and external schema/DTD access off, secure
 * processing limits on. Every reader of XML from a file (OOXML parts, XMP packets, PDF metadata) builds here.
 */
public final class HardenedXml {
    private HardenedXml() {}

    /** A namespace-aware DOM builder that refuses DOCTYPEs and prints nothing on errors (they become exceptions). */
    public static DocumentBuilder newDocumentBuilder() throws ParserConfigurationException {
        DocumentBuilderFactory f = BUILDER_FACTORY.get();
        if (f == null) {
            f = builderFactory();
            BUILDER_FACTORY.set(f);
        }
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b;
    }

    /*
     * The configured factories, one per thread (factories are not guaranteed thread-safe; finding and configuring
     * one cost more than the parse of a typical XMP packet, issue 19). Each call still gets a new builder/transformer.
     */
    private static final ThreadLocal<DocumentBuilderFactory> BUILDER_FACTORY = new ThreadLocal<>();
    private static final ThreadLocal<TransformerFactory> TRANSFORMER_FACTORY = new ThreadLocal<>();

    private static DocumentBuilderFactory builderFactory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /** An identity transformer (DOM to text) with secure processing on. */
    public static Transformer newTransformer() throws TransformerConfigurationException {
        TransformerFactory tf = TRANSFORMER_FACTORY.get();
        if (tf == null) {
            tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            TRANSFORMER_FACTORY.set(tf);
        }
        return tf.newTransformer();
    }
}
