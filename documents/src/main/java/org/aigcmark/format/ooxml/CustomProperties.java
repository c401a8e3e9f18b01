package org.aigcmark.format.ooxml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigcmark.AigcmarkException;
import org.aigcmark.label.LabelParser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** {@code docProps/custom.xml}: read with a DOM parser, edited by splicing so other properties stay byte-identical. */
final class CustomProperties {
    static final String NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
    static final String VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
    /** The format id every user-defined custom property uses. */
    static final String FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";

    record Property(String name, int pid, String value) {}

    record Parsed(List<Property> properties) {}

    private static final Pattern PROPERTY = Pattern.compile(
            "<(?:[A-Za-z_][\\w.-]*:)?property\\b[^>]*?(?:/>|>.*?</(?:[A-Za-z_][\\w.-]*:)?property\\s*>)", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("\\sname\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");
    private static final Pattern PID = Pattern.compile("\\spid\\s*=\\s*(?:\"\\s*(\\d{1,9})\\s*\"|'\\s*(\\d{1,9})\\s*')");
    private static final Pattern CLOSE_ROOT = Pattern.compile("</((?:[A-Za-z_][\\w.-]*:)?)Properties\\s*>\\s*$");
    private static final Pattern OPEN_ROOT = Pattern.compile("<((?:[A-Za-z_][\\w.-]*:)?)Properties\\b[^>]*?(/?)>");
    private static final Pattern VT_PREFIX = Pattern.compile("xmlns:([A-Za-z_][\\w.-]*)\\s*=\\s*[\"']" + Pattern.quote(VT_NS) + "[\"']");

    private CustomProperties() {}

    static Parsed parse(String xml) {
        Document d = SafeXml.parse(xml, "docProps/custom.xml");
        List<Property> out = new ArrayList<>();
        // Any namespace: Strict OOXML files use purl.oclc.org namespaces for the same elements.
        NodeList list = d.getElementsByTagNameNS("*", "property");
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            int pid;
            try {
                pid = Integer.parseInt(e.getAttribute("pid").strip());
            } catch (NumberFormatException ex) {
                pid = -1;
            }
            String value = "";
            for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element v) {
                    value = v.getTextContent();
                    break;
                }
            }
            out.add(new Property(e.getAttribute("name"), pid, value));
        }
        return new Parsed(out);
    }

    /** A fresh part holding only the label. */
    static String fresh(String bareJson) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                + "<Properties xmlns=\"" + NS + "\" xmlns:vt=\"" + VT_NS + "\">"
                + property("", "vt", false, 2, bareJson) + "</Properties>";
    }

    /**
     * {@code xml} with every AIGC property removed and one AIGC property holding {@code bareJson} appended; every
     * other byte of the part is kept. A null {@code xml} gives a fresh part.
     */
    static String withLabel(String xml, String bareJson) {
        if (xml == null) {
            return fresh(bareJson);
        }
        parse(xml); // refuse a part that is not well-formed before editing it as text
        StringBuilder kept = new StringBuilder(xml.length() + 512);
        Matcher m = PROPERTY.matcher(xml);
        int p = 0;
        int maxPid = 1;
        while (m.find()) {
            String element = m.group();
            String tag = element.substring(0, element.indexOf('>') + 1);
            Matcher n = NAME.matcher(tag);
            String name = n.find() ? SafeXml.unescape(n.group(1) != null ? n.group(1) : n.group(2)) : "";
            if (isLabelProperty(name, element)) {
                kept.append(xml, p, m.start());
                p = m.end();
                continue;
            }
            Matcher pid = PID.matcher(tag);
            if (pid.find()) {
                maxPid = Math.max(maxPid, Integer.parseInt(pid.group(1) != null ? pid.group(1) : pid.group(2)));
            }
        }
        kept.append(xml, p, xml.length());
        String s = kept.toString();
        Matcher open = OPEN_ROOT.matcher(s);
        if (!open.find()) {
            throw AigcmarkException.corrupt("docProps/custom.xml has no Properties root element");
        }
        String prefix = open.group(1);
        Matcher vt = VT_PREFIX.matcher(s);
        String vtPrefix = vt.find() ? vt.group(1) : "vt";
        boolean declareVt = !vt.find(0);
        String prop = property(prefix, vtPrefix, declareVt, maxPid + 1, bareJson);
        if (open.group(2).equals("/")) {
            // <Properties .../> : open it up.
            return s.substring(0, open.end() - 2) + ">" + prop + "</" + prefix + "Properties>" + s.substring(open.end());
        }
        Matcher close = CLOSE_ROOT.matcher(s);
        if (!close.find()) {
            throw AigcmarkException.corrupt("docProps/custom.xml does not end with the Properties closing tag");
        }
        return s.substring(0, close.start()) + prop + s.substring(close.start());
    }

    private static boolean isLabelProperty(String name, String element) {
        if (name.equalsIgnoreCase("AIGC")) {
            return true;
        }
        if (!name.toUpperCase(Locale.ROOT).contains("AIGC")) {
            return false;
        }
        String text = SafeXml.unescape(SafeXml.stripTags(element));
        return LabelParser.parse(text).isPresent();
    }

    private static String property(String prefix, String vtPrefix, boolean declareVt, int pid, String bareJson) {
        return "<" + prefix + "property fmtid=\"" + FMTID + "\" pid=\"" + pid + "\" name=\"AIGC\">"
                + "<" + vtPrefix + ":lpwstr" + (declareVt ? " xmlns:" + vtPrefix + "=\"" + VT_NS + "\"" : "") + ">"
                + SafeXml.escapeText(bareJson) + "</" + vtPrefix + ":lpwstr></" + prefix + "property>";
    }
}
