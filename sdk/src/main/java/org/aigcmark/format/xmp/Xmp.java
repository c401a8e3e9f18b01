package org.aigcmark.format.xmp;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.io.HardenedXml;
import org.aigcmark.label.LabelParser;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The XMP side of the label, shared by every image container: reads {@code TC260:AIGC} (element and attribute
 * forms), other AIGC-named properties, IPTC DigitalSourceType and CreatorTool; and edits a packet so that it holds
 * exactly one {@code TC260:AIGC} property, or none, while keeping everything else in it. Containers edit a packet
 * only through here.
 */
public final class Xmp {
    public static final String TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/";
    public static final String TC260_PREFIX = "TC260";
    public static final String IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
    public static final String TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    static final String RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    static final String X_NS = "adobe:ns:meta/";
    static final String XMP_NS = "http://ns.adobe.com/xap/1.0/";
    /** Largest packet we parse; JPEG caps a standard packet at 65,502 bytes, PNG/WebP packets are rarely larger. */
    public static final int MAX_PACKET = 4 << 20;

    private Xmp() {}

    /** Adds the packet's label slots and hints to the scan. {@code where} names the slot, e.g. {@code xmp}. */
    public static void scan(String packet, String where, ContainerScan scan) {
        if (scanFresh(packet, where, scan)) {
            return;
        }
        domScan(packet, where, scan);
    }

    /** {@link #scan} through the DOM, whatever the packet. */
    static void domScan(String packet, String where, ContainerScan scan) {
        Document doc;
        try {
            doc = parse(packet);
        } catch (AigcmarkException e) {
            scan.notes().add(where + ": XMP packet is not well-formed XML (" + e.getMessage() + ")");
            // A tolerant fallback: regex for the attribute/element forms, so a broken packet still reports a label.
            fallbackScan(packet, where, scan);
            return;
        }
        scan.xmpPackets().add(packet);
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            String ns = e.getNamespaceURI();
            String local = e.getLocalName();
            if (isLabelProperty(ns, local)) {
                scan.addSlot(TC260_NS.equals(ns) ? where : where + "-" + prefixOf(e), propertyText(e));
            } else if (IPTC_EXT_NS.equals(ns) && "DigitalSourceType".equals(local)) {
                String v = propertyText(e);
                if (v.isEmpty()) {
                    v = e.getAttributeNS(RDF_NS, "resource");
                }
                scan.addHint(ContainerScan.HintKind.IPTC_DIGITAL_SOURCE_TYPE, where, v);
            } else if (XMP_NS.equals(ns) && "CreatorTool".equals(local)) {
                scan.addHint(ContainerScan.HintKind.GENERATOR, where + ":CreatorTool", propertyText(e));
            }
            NamedNodeMap attrs = e.getAttributes();
            for (int a = 0; a < attrs.getLength(); a++) {
                Attr at = (Attr) attrs.item(a);
                String ans = at.getNamespaceURI();
                String alocal = at.getLocalName();
                if (alocal == null || XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(ans)) {
                    continue;
                }
                if (isLabelProperty(ans, alocal)) {
                    scan.addSlot(TC260_NS.equals(ans) ? where : where + "-" + at.getPrefix(), at.getValue());
                } else if (IPTC_EXT_NS.equals(ans) && "DigitalSourceType".equals(alocal)) {
                    scan.addHint(ContainerScan.HintKind.IPTC_DIGITAL_SOURCE_TYPE, where, at.getValue());
                } else if (XMP_NS.equals(ans) && "CreatorTool".equals(alocal)) {
                    scan.addHint(ContainerScan.HintKind.GENERATOR, where + ":CreatorTool", at.getValue());
                }
            }
        }
    }

    /**
     * Returns a packet holding exactly one {@code TC260:AIGC} property with {@code bareJson}, every other property of
     * {@code existing} kept, and IPTC DigitalSourceType set to {@link #digitalSourceTypeFor} the record's Label when
     * the packet has none. {@code existing} may be null (a fresh packet is made).
     */
    public static String withLabel(String existing, String bareJson) {
        String label = LabelParser.parse(bareJson).map(p -> p.label().label()).orElse("");
        return withLabel(existing, bareJson, digitalSourceTypeFor(label));
    }

    /**
     * The IPTC DigitalSourceType a record with this Label adds when the file declares none, or null for none.
     * Only Label "1" maps: it is the producer's own statement that its model made the content, which is what
     * {@code trainedAlgorithmicMedia} says. Label "2" (the user declared it, "possibly") and "3" (traces found,
     * "suspected") are a platform's hedged judgements; IPTC has no code for "possibly" or "suspected", and writing
     * "made by AI" would turn them into a fact for every IPTC reader (photo sites show a "Made with AI" badge from
     * it). An existing DigitalSourceType is never touched, whoever wrote it.
     */
    public static String digitalSourceTypeFor(String label) {
        return "1".equals(label) ? TRAINED_ALGORITHMIC_MEDIA : null;
    }

    /** As {@link #withLabel(String, String)}, adding {@code digitalSourceType} (null: none) when the packet has none. */
    public static String withLabel(String existing, String bareJson, String digitalSourceType) {
        if (existing == null) {
            FreshPacket fresh = FreshPacket.of(digitalSourceType);
            if (fresh != null && plainText(bareJson)) {
                return fresh.head() + bareJson + fresh.tail();
            }
        }
        return domWithLabel(existing, bareJson, digitalSourceType);
    }

    /** {@link #withLabel(String, String, String)} through the DOM, whatever the input. */
    static String domWithLabel(String existing, String bareJson, String digitalSourceType) {
        Document doc = existing == null ? parse(EMPTY_PACKET) : parse(existing);
        removeLabelProperties(doc);
        Element rdf = rdfOf(doc);
        Element desc = newDescription(doc, rdf);
        desc.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + TC260_PREFIX, TC260_NS);
        Element prop = doc.createElementNS(TC260_NS, TC260_PREFIX + ":AIGC");
        prop.setTextContent(bareJson);
        desc.appendChild(prop);
        addDigitalSourceType(doc, desc, digitalSourceType);
        rdf.appendChild(desc);
        return serialize(doc);
    }

    /**
     * The packet with no label property, every other property kept: for containers whose record lives in another
     * slot (the PDF Info dictionary, MP4's mdta meta), since a file keeps only one (GB 45438 §6.1 c). The properties
     * removed are those {@link #withLabel} replaces. {@code packet} may be null (a fresh packet is made).
     */
    public static String withoutLabel(String packet) {
        return withoutLabel(packet, null);
    }

    /** As {@link #withoutLabel(String)}, adding {@code digitalSourceType} (null: none) when the packet has none. */
    public static String withoutLabel(String packet, String digitalSourceType) {
        Document doc = packet == null ? parse(EMPTY_PACKET) : parse(packet);
        removeLabelProperties(doc);
        if (digitalSourceType != null && !hasDigitalSourceType(doc)) {
            Element rdf = rdfOf(doc);
            Element desc = newDescription(doc, rdf);
            addDigitalSourceType(doc, desc, digitalSourceType);
            rdf.appendChild(desc);
        }
        return serialize(doc);
    }

    private static Element rdfOf(Document doc) {
        Element rdf = firstElement(doc, RDF_NS, "RDF");
        if (rdf == null) {
            throw AigcmarkException.corrupt("XMP packet has no rdf:RDF element");
        }
        return rdf;
    }

    private static Element newDescription(Document doc, Element rdf) {
        Element desc = doc.createElementNS(RDF_NS, prefixFor(rdf, RDF_NS, "rdf") + ":Description");
        desc.setAttributeNS(RDF_NS, prefixFor(rdf, RDF_NS, "rdf") + ":about", "");
        return desc;
    }

    /** Adds IPTC DigitalSourceType to {@code desc} unless it is null or {@code doc} already declares one. */
    private static void addDigitalSourceType(Document doc, Element desc, String digitalSourceType) {
        if (digitalSourceType != null && !hasDigitalSourceType(doc)) {
            desc.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:Iptc4xmpExt", IPTC_EXT_NS);
            Element dst = doc.createElementNS(IPTC_EXT_NS, "Iptc4xmpExt:DigitalSourceType");
            dst.setTextContent(digitalSourceType);
            desc.appendChild(dst);
        }
    }

    /**
     * The packet {@link #withLabel} writes into a file without XMP (most generated images), split around the record:
     * the DOM path's own output for a record, one per DigitalSourceType choice. A record of {@link #plainText} goes
     * between head and tail as it is, which is what the serialiser writes for it (it escapes only {@code & < >},
     * controls and a few code points that plain text excludes), so the packet is byte-identical without a parse and a
     * serialisation per call; {@link #scan} reads such a packet back without the DOM too. Written out here rather than
     * made by the DOM on first use: that loaded and compiled the JDK's XML parser and serialiser in a process's first
     * label call (about 100 ms of its CPU, docs/BENCHMARKS.md "issue 19, first call"); {@code XmpFreshPacketTest}
     * compares them with the DOM's output.
     */
    record FreshPacket(String digitalSourceType, String head, String tail) {
        private static final String START = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"aigcmark\"><rdf:RDF xmlns:rdf=\"" + RDF_NS + "\">"
                + "<rdf:Description ";
        private static final String END = "</rdf:Description></rdf:RDF></x:xmpmeta>\n" + " ".repeat(256)
                + "\n<?xpacket end=\"w\"?>";
        /** [0]: no DigitalSourceType, [1]: trained algorithmic media. */
        private static final FreshPacket[] MADE = {
            new FreshPacket(null, START + "xmlns:" + TC260_PREFIX + "=\"" + TC260_NS + "\" rdf:about=\"\"><"
                    + TC260_PREFIX + ":AIGC>", "</" + TC260_PREFIX + ":AIGC>" + END),
            new FreshPacket(TRAINED_ALGORITHMIC_MEDIA, START + "xmlns:Iptc4xmpExt=\"" + IPTC_EXT_NS + "\" xmlns:" + TC260_PREFIX
                    + "=\"" + TC260_NS + "\" rdf:about=\"\"><" + TC260_PREFIX + ":AIGC>", "</" + TC260_PREFIX + ":AIGC>"
                    + "<Iptc4xmpExt:DigitalSourceType>" + TRAINED_ALGORITHMIC_MEDIA + "</Iptc4xmpExt:DigitalSourceType>" + END),
        };

        /** The split packet for this choice (null or {@link #TRAINED_ALGORITHMIC_MEDIA}); null for any other. */
        static FreshPacket of(String digitalSourceType) {
            return digitalSourceType == null ? MADE[0] : TRAINED_ALGORITHMIC_MEDIA.equals(digitalSourceType) ? MADE[1] : null;
        }
    }

    /**
     * Text the XML serialiser writes as it is: no {@code & < >}, no C0/C1 controls, no surrogates, no U+2028/2029
     * or non-characters U+FFFE/FFFF (all of which it escapes or refuses), and not empty or padded (the reader strips).
     */
    static boolean plainText(String s) {
        if (s.isEmpty() || s.length() > 65536 || s.strip().length() != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '&' || c == '<' || c == '>' || (c >= 0x7F && c <= 0x9F) || Character.isSurrogate(c)
                    || c == 0x2028 || c == 0x2029 || c >= 0xFFFE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a packet of the {@link FreshPacket} form (ours, as written into a file without XMP) as the DOM scan does:
     * the record's slot, then the DigitalSourceType hint. False, touching nothing, for any other packet.
     */
    private static boolean scanFresh(String packet, String where, ContainerScan scan) {
        for (int i = 0; i < 2; i++) {
            FreshPacket f = FreshPacket.MADE[i];
            if (f == null || packet.length() <= f.head().length() + f.tail().length() || !packet.startsWith(f.head())
                    || !packet.endsWith(f.tail())) {
                continue;
            }
            String record = packet.substring(f.head().length(), packet.length() - f.tail().length());
            if (!plainText(record)) {
                return false;
            }
            scan.xmpPackets().add(packet);
            scan.addSlot(where, record);
            if (f.digitalSourceType() != null) {
                scan.addHint(ContainerScan.HintKind.IPTC_DIGITAL_SOURCE_TYPE, where, f.digitalSourceType());
            }
            return true;
        }
        return false;
    }

    /** Whether a packet holds a label property (used to decide which slots a rewrite must replace). */
    public static boolean hasLabel(String packet) {
        ContainerScan s = new ContainerScan(org.aigcmark.format.MediaType.UNKNOWN);
        scan(packet, "xmp", s);
        return !s.slots().isEmpty();
    }

    /**
     * Whether a rewrite replaces this property: every {@code TC260:AIGC} (even a garbled one: the file must end up
     * with exactly one), and AIGC-named properties of other namespaces only when they hold a readable record.
     */
    private static boolean isReplaced(String ns, String local, String value) {
        if (TC260_NS.equals(ns) && "AIGC".equals(local)) {
            return true;
        }
        return isLabelProperty(ns, local) && LabelParser.parse(value).isPresent();
    }

    static boolean isLabelProperty(String ns, String local) {
        if (local == null) {
            return false;
        }
        if (TC260_NS.equals(ns) && local.equals("AIGC")) {
            return true;
        }
        // Annex E a): the field's name must contain "AIGC"; other namespaces are gated on known keys by the parser.
        return local.toUpperCase(java.util.Locale.ROOT).contains("AIGC") && !RDF_NS.equals(ns);
    }

    private static void removeLabelProperties(Document doc) {
        List<Node> toRemove = new ArrayList<>();
        List<Attr> attrsToRemove = new ArrayList<>();
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (isReplaced(e.getNamespaceURI(), e.getLocalName(), propertyText(e))) {
                toRemove.add(e);
            }
            NamedNodeMap attrs = e.getAttributes();
            for (int a = 0; a < attrs.getLength(); a++) {
                Attr at = (Attr) attrs.item(a);
                if (at.getLocalName() != null && !XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(at.getNamespaceURI())
                        && isReplaced(at.getNamespaceURI(), at.getLocalName(), at.getValue())) {
                    attrsToRemove.add(at);
                }
            }
        }
        for (Attr at : attrsToRemove) {
            at.getOwnerElement().removeAttributeNode(at);
        }
        for (Node n : toRemove) {
            Node parent = n.getParentNode();
            parent.removeChild(n);
        }
        // Drop rdf:Description elements left with no content and no properties.
        NodeList descs = doc.getElementsByTagNameNS(RDF_NS, "Description");
        List<Element> empty = new ArrayList<>();
        for (int i = 0; i < descs.getLength(); i++) {
            Element d = (Element) descs.item(i);
            if (firstChildElement(d) == null && d.getTextContent().isBlank() && onlyBookkeepingAttributes(d)) {
                empty.add(d);
            }
        }
        for (Element d : empty) {
            d.getParentNode().removeChild(d);
        }
    }

    private static boolean onlyBookkeepingAttributes(Element d) {
        NamedNodeMap attrs = d.getAttributes();
        for (int a = 0; a < attrs.getLength(); a++) {
            Attr at = (Attr) attrs.item(a);
            boolean bookkeeping = XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(at.getNamespaceURI())
                    || (RDF_NS.equals(at.getNamespaceURI()) && "about".equals(at.getLocalName()));
            if (!bookkeeping) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasDigitalSourceType(Document doc) {
        if (doc.getElementsByTagNameNS(IPTC_EXT_NS, "DigitalSourceType").getLength() > 0) {
            return true;
        }
        NodeList all = doc.getElementsByTagNameNS(RDF_NS, "Description");
        for (int i = 0; i < all.getLength(); i++) {
            if (((Element) all.item(i)).hasAttributeNS(IPTC_EXT_NS, "DigitalSourceType")) {
                return true;
            }
        }
        return false;
    }

    /** The text of a simple property, or of the first rdf:li of an rdf:Alt/Seq/Bag. */
    static String propertyText(Element e) {
        NodeList lis = e.getElementsByTagNameNS(RDF_NS, "li");
        if (lis.getLength() > 0) {
            return lis.item(0).getTextContent().strip();
        }
        return e.getTextContent().strip();
    }

    private static String prefixOf(Element e) {
        String p = e.getPrefix();
        return p == null ? "default" : p;
    }

    private static String prefixFor(Element context, String ns, String fallback) {
        String p = context.lookupPrefix(ns);
        return p == null ? fallback : p;
    }

    private static Element firstElement(Document doc, String ns, String local) {
        NodeList l = doc.getElementsByTagNameNS(ns, local);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    private static Element firstChildElement(Element e) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                return (Element) n;
            }
        }
        return null;
    }

    private static final String EMPTY_PACKET = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"aigcmark\">"
            + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"></rdf:RDF></x:xmpmeta>";

    /** Parses with DTDs and external entities off: XMP arrives from hostile files. */
    static Document parse(String xml) {
        if (xml.length() > MAX_PACKET) {
            throw AigcmarkException.limit("XMP packet of " + xml.length() + " characters is over the limit of " + MAX_PACKET);
        }
        try {
            DocumentBuilder b = HardenedXml.newDocumentBuilder();
            return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw AigcmarkException.corrupt(String.valueOf(e.getMessage()));
        }
    }

    /** Serialises the root element (x:xmpmeta) inside a fresh xpacket wrapper, UTF-8, with a little padding. */
    static String serialize(Document doc) {
        try {
            Transformer t = HardenedXml.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc.getDocumentElement()), new StreamResult(w));
            return "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n" + w
                    + "\n" + " ".repeat(256) + "\n<?xpacket end=\"w\"?>";
        } catch (Exception e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot serialise XMP: " + e.getMessage(), e);
        }
    }

    /**
     * A hand scan for {@code <p:xAIGCy>text</p:xAIGCy>} elements, then {@code p:xAIGCy = "value"} attributes, finding
     * what the regular expressions {@code <(\\w+):(\\w*AIGC\\w*)>([^<]*)</\\1:\\2>} and
     * {@code (\\w+):(\\w*AIGC\\w*)\\s*=\\s*("[^"]*"|'[^']*')} (case-insensitive) found, in time linear in the
     * packet: those expressions backtracked over long word runs (fuzzing: 65 KB took 98 s).
     */
    private static void fallbackScan(String packet, String where, ContainerScan scan) {
        if (packet.length() > MAX_PACKET) {
            return;
        }
        for (boolean elements : new boolean[] {true, false}) {
            int from = 0;
            int at;
            while ((at = indexOfAigc(packet, from)) >= 0) {
                int localStart = at;
                while (localStart > 0 && isWord(packet.charAt(localStart - 1))) {
                    localStart--;
                }
                int localEnd = at + 4;
                while (localEnd < packet.length() && isWord(packet.charAt(localEnd))) {
                    localEnd++;
                }
                from = localEnd;
                int colon = localStart - 1;
                if (colon < 1 || packet.charAt(colon) != ':' || !isWord(packet.charAt(colon - 1))) {
                    continue;
                }
                int prefixStart = colon - 1;
                while (prefixStart > 0 && isWord(packet.charAt(prefixStart - 1))) {
                    prefixStart--;
                }
                int end = elements ? elementValueEnd(packet, prefixStart, localEnd, scan, where)
                        : attributeValueEnd(packet, localEnd, scan, where);
                if (end > 0) {
                    from = end;
                }
            }
        }
    }

    /** After {@code <p:local} at [prefixStart, localEnd): the end of the element if it is {@code >text</p:local>}, else -1. */
    private static int elementValueEnd(String s, int prefixStart, int localEnd, ContainerScan scan, String where) {
        if (prefixStart == 0 || s.charAt(prefixStart - 1) != '<' || localEnd >= s.length() || s.charAt(localEnd) != '>') {
            return -1;
        }
        int textEnd = s.indexOf('<', localEnd + 1);
        String qname = s.substring(prefixStart, localEnd);
        if (textEnd < 0 || !s.startsWith("/", textEnd + 1)
                || !s.regionMatches(true, textEnd + 2, qname, 0, qname.length())
                || !s.startsWith(">", textEnd + 2 + qname.length())) {
            return -1;
        }
        scan.addSlot(where + "-unparsed", unescape(s.substring(localEnd + 1, textEnd)));
        return textEnd + 3 + qname.length();
    }

    /** After a name ending at {@code localEnd}: the end of {@code \\s*=\\s*"value"} (or single-quoted) if it follows, else -1. */
    private static int attributeValueEnd(String s, int localEnd, ContainerScan scan, String where) {
        int i = skipSpace(s, localEnd);
        if (i >= s.length() || s.charAt(i) != '=') {
            return -1;
        }
        i = skipSpace(s, i + 1);
        if (i >= s.length() || (s.charAt(i) != '"' && s.charAt(i) != '\'')) {
            return -1;
        }
        int close = s.indexOf(s.charAt(i), i + 1);
        if (close < 0) {
            return -1;
        }
        scan.addSlot(where + "-unparsed", unescape(s.substring(i + 1, close)));
        return close + 1;
    }

    private static int indexOfAigc(String s, int from) {
        for (int i = from; i + 4 <= s.length(); i++) {
            if ((s.charAt(i) | 0x20) == 'a' && (s.charAt(i + 1) | 0x20) == 'i' && (s.charAt(i + 2) | 0x20) == 'g'
                    && (s.charAt(i + 3) | 0x20) == 'c') {
                return i;
            }
        }
        return -1;
    }

    /** {@code \\w} as java.util.regex reads it without UNICODE_CHARACTER_CLASS. */
    private static boolean isWord(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    /** {@code \\s} as java.util.regex reads it. */
    private static int skipSpace(String s, int i) {
        while (i < s.length() && " \t\n\u000B\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#34;", "\"").replace("&amp;", "&");
    }
}
