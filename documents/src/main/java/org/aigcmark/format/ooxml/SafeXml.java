package org.aigcmark.format.ooxml;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilder;
import org.aigcmark.AigcmarkException;
import org.aigcmark.io.HardenedXml;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** Namespace-aware DOM parsing of OOXML parts through {@link HardenedXml}, and the escaping the part rewrites need. */
final class SafeXml {
    private SafeXml() {}

    static Document parse(String xml, String what) {
        try {
            DocumentBuilder b = HardenedXml.newDocumentBuilder();
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
