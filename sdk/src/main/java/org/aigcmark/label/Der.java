package org.aigcmark.label;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough DER to look inside key files the JDK's key factories will not parse for us: which algorithm (and
 * curve) a key names, so that an SM2 key without its provider is named as such, and the SubjectPublicKeyInfo of a
 * certificate. Bounded by the input: lengths are checked against the bytes present.
 */
final class Der {
    private static final int SEQUENCE = 0x30;
    private static final int OID = 0x06;
    private static final int CONTEXT_0 = 0xA0;

    /** One element: its tag and where its value lies in the buffer. */
    private record Element(int tag, int start, int valueStart, int end) {}

    private Der() {}

    /**
     * The OIDs a key names: those of its AlgorithmIdentifier (PKCS#8, SubjectPublicKeyInfo) or of its parameters
     * (SEC1 {@code EC PRIVATE KEY}), e.g. {@code [1.2.840.10045.2.1, 1.2.156.10197.1.301]} for an SM2 key.
     */
    static List<String> keyOids(byte[] der) {
        List<String> oids = new ArrayList<>();
        for (Element e : children(der, read(der, 0))) {
            if (e.tag() == SEQUENCE || e.tag() == CONTEXT_0) {
                for (Element inner : children(der, e)) {
                    if (inner.tag() == OID) {
                        oids.add(oid(der, inner));
                    }
                }
                if (!oids.isEmpty()) {
                    break;
                }
            }
        }
        return oids;
    }

    /** The SubjectPublicKeyInfo DER of an X.509 certificate. */
    static byte[] subjectPublicKeyInfo(byte[] certificate) {
        Element tbs = children(certificate, read(certificate, 0)).get(0);
        List<Element> fields = children(certificate, tbs);
        // version [0] (optional), serial, signature, issuer, validity, subject, subjectPublicKeyInfo
        Element spki = fields.get(fields.get(0).tag() == CONTEXT_0 ? 6 : 5);
        return java.util.Arrays.copyOfRange(certificate, spki.start(), spki.end());
    }

    private static List<Element> children(byte[] b, Element parent) {
        List<Element> out = new ArrayList<>();
        for (int at = parent.valueStart(); at < parent.end(); ) {
            Element e = read(b, at);
            if (e.end() > parent.end()) {
                throw new IllegalArgumentException("DER element runs past its parent");
            }
            out.add(e);
            at = e.end();
        }
        return out;
    }

    private static Element read(byte[] b, int at) {
        if (at + 2 > b.length) {
            throw new IllegalArgumentException("DER ends early");
        }
        int tag = b[at] & 0xFF;
        int first = b[at + 1] & 0xFF;
        int valueStart = at + 2;
        long length = first;
        if (first > 0x80) {
            int n = first & 0x7F;
            if (n > 3 || valueStart + n > b.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (b[valueStart + i] & 0xFF);
            }
            valueStart += n;
        } else if (first == 0x80) {
            throw new IllegalArgumentException("indefinite length is not DER");
        }
        if (valueStart + length > b.length) {
            throw new IllegalArgumentException("DER element runs past the end");
        }
        return new Element(tag, at, valueStart, (int) (valueStart + length));
    }

    private static String oid(byte[] b, Element e) {
        StringBuilder s = new StringBuilder();
        long value = 0;
        boolean firstArc = true;
        for (int i = e.valueStart(); i < e.end(); i++) {
            value = (value << 7) | (b[i] & 0x7F);
            if ((b[i] & 0x80) == 0) {
                if (firstArc) {
                    int top = (int) Math.min(2, value / 40);
                    s.append(top).append('.').append(value - 40L * top);
                    firstArc = false;
                } else {
                    s.append('.').append(value);
                }
                value = 0;
            }
        }
        return s.toString();
    }
}
