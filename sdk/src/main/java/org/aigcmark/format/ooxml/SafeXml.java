package org.aigcmark.format.ooxml;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.aigcmark.AigcmarkException;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** Namespace-aware DOM parsing with DOCTYPEs refused (no entity expansion, no external fetches). */
final class SafeXml {
    private SafeXml() {}

    static Document parse(String xml, String what) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw AigcmarkException.corrupt(what + " is not well-formed XML: " + e.getMessage());
        }
    }

    static String escapeText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String escapeAttribute(String s) {
        return escapeText(s).replace("\"", "&quot;");
    }

    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i) : -1;
            if (semi < 0 || semi - i > 10) {
                sb.append(c);
                continue;
            }
            String ent = s.substring(i + 1, semi);
            String rep = switch (ent) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> {
                    try {
                        int cp = ent.startsWith("#x") ? Integer.parseInt(ent.substring(2), 16)
                                : ent.startsWith("#") ? Integer.parseInt(ent.substring(1)) : -1;
                        yield cp >= 0 && Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : null;
                    } catch (NumberFormatException e) {
                        yield null;
                    }
                }
            };
            if (rep == null) {
                sb.append(c);
            } else {
                sb.append(rep);
                i = semi;
            }
        }
        return sb.toString();
    }
}
