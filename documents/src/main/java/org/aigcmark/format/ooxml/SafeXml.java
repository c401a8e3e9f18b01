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

    /**
     * The markup-free text of an XML fragment in one pass, linear in its length (a {@code <[^>]*>} regex is
     * quadratic on many unmatched {@code <}): every {@code <...>} is dropped, except that {@code </w:p>} becomes a
     * line break and {@code <w:tab/>} a tab; a {@code <} with no {@code >} after it is kept as text.
     */
    static String stripTags(String xml) {
        StringBuilder sb = new StringBuilder(xml.length());
        int i = 0;
        while (i < xml.length()) {
            int open = xml.indexOf('<', i);
            int close = open < 0 ? -1 : xml.indexOf('>', open);
            if (close < 0) {
                sb.append(xml, i, xml.length());
                break;
            }
            sb.append(xml, i, open);
            if (xml.startsWith("</w:p>", open)) {
                sb.append('\n');
            } else if (xml.startsWith("<w:tab/>", open)) {
                sb.append('\t');
            }
            i = close + 1;
        }
        return sb.toString();
    }

    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // The longest entity we read is 10 characters: look no further, or many '&' without ';' cost O(n^2).
            int semi = c == '&' ? s.indexOf(';', i, Math.min(s.length(), i + 12)) : -1;
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
