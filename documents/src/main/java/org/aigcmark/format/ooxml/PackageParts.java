package org.aigcmark.format.ooxml;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigcmark.AigcmarkException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code _rels/.rels} and {@code [Content_Types].xml}: read with DOM, new entries spliced in before the root's end. */
final class PackageParts {
    static final String RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
    static final String TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types";

    record Relationship(String id, String type, String target, String targetMode) {}

    private PackageParts() {}

    static List<Relationship> relationships(String xml) {
        Document d = SafeXml.parse(xml, "_rels/.rels");
        List<Relationship> out = new ArrayList<>();
        NodeList l = d.getElementsByTagNameNS(RELS_NS, "Relationship");
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            out.add(new Relationship(e.getAttribute("Id"), e.getAttribute("Type"), e.getAttribute("Target"),
                    e.getAttribute("TargetMode")));
        }
        return out;
    }

    /**
     * The content types as sorted lines: {@code Default\t<extension>\t<type>} and {@code Override\t<part>\t<type>},
     * extensions and part names lower-cased (OPC compares them case-insensitively), leaving out the Override of
     * {@code skipPart} (the custom-properties part a label write adds).
     */
    static List<String> contentTypeLines(String xml, String skipPart) {
        Document d = SafeXml.parse(xml, "[Content_Types].xml");
        List<String> out = new ArrayList<>();
        NodeList defaults = d.getElementsByTagNameNS(TYPES_NS, "Default");
        for (int i = 0; i < defaults.getLength(); i++) {
            Element e = (Element) defaults.item(i);
            out.add("Default\t" + e.getAttribute("Extension").toLowerCase(java.util.Locale.ROOT) + "\t" + e.getAttribute("ContentType"));
        }
        NodeList overrides = d.getElementsByTagNameNS(TYPES_NS, "Override");
        for (int i = 0; i < overrides.getLength(); i++) {
            Element e = (Element) overrides.item(i);
            String part = e.getAttribute("PartName").toLowerCase(java.util.Locale.ROOT);
            if (!part.equals(skipPart.toLowerCase(java.util.Locale.ROOT))) {
                out.add("Override\t" + part + "\t" + e.getAttribute("ContentType"));
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    /** The rels part with a custom-properties relationship to {@code partName}; unchanged when one exists. */
    static String withCustomRelationship(String xml, String partName) {
        if (xml == null) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"" + RELS_NS + "\">"
                    + relationship("", "rId1", partName) + "</Relationships>";
        }
        List<Relationship> rels = relationships(xml);
        Set<String> ids = new HashSet<>();
        for (Relationship r : rels) {
            ids.add(r.id());
            if (r.type().equals(OoxmlHandler.CUSTOM_REL_TYPE) || r.type().equals(OoxmlHandler.STRICT_CUSTOM_REL_TYPE)) {
                return xml;
            }
        }
        int n = 1;
        while (ids.contains("rId" + n)) {
            n++;
        }
        String id = "rId" + n;
        return insertBeforeRootEnd(xml, "Relationships", prefix -> relationship(prefix, id, partName));
    }

    /** The content types with an Override for {@code partName}; unchanged when one exists. */
    static String withCustomOverride(String xml, String partName, String contentType) {
        Document d = SafeXml.parse(xml, "[Content_Types].xml");
        NodeList l = d.getElementsByTagNameNS(TYPES_NS, "Override");
        for (int i = 0; i < l.getLength(); i++) {
            if (((Element) l.item(i)).getAttribute("PartName").equalsIgnoreCase(partName)) {
                return xml;
            }
        }
        return insertBeforeRootEnd(xml, "Types", prefix -> "<" + prefix + "Override PartName=\"" + SafeXml.escapeAttribute(partName)
                + "\" ContentType=\"" + contentType + "\"/>");
    }

    private static String relationship(String prefix, String id, String partName) {
        return "<" + prefix + "Relationship Id=\"" + id + "\" Type=\"" + OoxmlHandler.CUSTOM_REL_TYPE + "\" Target=\""
                + SafeXml.escapeAttribute(partName) + "\"/>";
    }

    private static String insertBeforeRootEnd(String xml, String root, java.util.function.Function<String, String> element) {
        Matcher close = Pattern.compile("</((?:[A-Za-z_][\\w.-]*:)?)" + root + "\\s*>\\s*$").matcher(xml);
        if (close.find()) {
            return xml.substring(0, close.start()) + element.apply(close.group(1)) + xml.substring(close.start());
        }
        Matcher open = Pattern.compile("<((?:[A-Za-z_][\\w.-]*:)?)" + root + "\\b[^>]*?/>").matcher(xml);
        if (open.find()) {
            String prefix = open.group(1);
            return xml.substring(0, open.end() - 2) + ">" + element.apply(prefix) + "</" + prefix + root + ">" + xml.substring(open.end());
        }
        throw AigcmarkException.corrupt("package part has no " + root + " root element to extend");
    }
}
