package org.aigcmark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

/** The one hardened XML setup: external entities and DOCTYPEs are refused, plain namespaced XML reads and writes. */
class HardenedXmlTest {
    @Test
    void externalEntityIsRefusedNotFetched(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "SECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><r>&x;</r>";
        assertThrows(SAXParseException.class,
                () -> HardenedXml.newDocumentBuilder().parse(new InputSource(new StringReader(xxe))));
    }

    @Test
    void namespacedXmlRoundTrips() throws Exception {
        String xml = "<a:r xmlns:a=\"urn:x\"><a:c k=\"v\">t</a:c></a:r>";
        Document d = HardenedXml.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        assertEquals("urn:x", d.getDocumentElement().getNamespaceURI());
        var t = HardenedXml.newTransformer();
        t.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
        StringWriter w = new StringWriter();
        t.transform(new DOMSource(d), new StreamResult(w));
        assertEquals(xml, w.toString());
    }
}
