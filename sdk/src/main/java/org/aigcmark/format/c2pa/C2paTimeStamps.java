package org.aigcmark.format.c2pa;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.AigcmarkException;

/**
 * RFC 3161 time-stamps for C2PA claim signatures, the C2PA 2.x "v2" kind ({@code sigTst2} in the COSE unprotected
 * header): the time-stamp is requested over {@code Sig_structure = ["CounterSignature", protected, h'', bstr
 * signature]} (the signature as a CBOR byte string), so it countersigns the finished signature; the header holds
 * {@code {tstTokens: [{val: TimeStampToken}]}}, the DER {@code TimeStampToken} (a CMS ContentInfo) taken out of the
 * TSA's {@code TimeStampResp}. That is what the specification (15.8, 10.3.2.5) and c2pa-rs ({@code
 * cose_countersign_data}, {@code timestamptoken_from_timestamprsp}) do. The request is built and the token read here
 * (a few DER structures), the HTTP exchange is the JDK's {@link HttpClient}, the signature check the JDK's
 * {@link Signature}; nothing is trusted that the token does not prove.
 */
public final class C2paTimeStamps {
    /** The most a TSA reply may hold: tokens are a few KB with their certificates. */
    static final int MAX_REPLY_BYTES = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String OID_SHA256 = "2.16.840.1.101.3.4.2.1";
    private static final String OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
    private static final String OID_TST_INFO = "1.2.840.113549.1.9.16.1.4";
    private static final String OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";

    private C2paTimeStamps() {}

    /**
     * What a time-stamp token says and whether it holds: {@code problem} is null when the token is well formed, its
     * message imprint matches the data and the TSA's CMS signature verifies with the certificate in the token.
     *
     * @param time the TSA's {@code genTime}, or null when unreadable
     * @param tsa the TSA certificate's subject, or null
     * @param problem why the token does not hold, or null
     */
    public record Token(Instant time, String tsa, String problem) {}

    /** The data a v2 time-stamp covers: the COSE countersignature structure over the signature. */
    static byte[] countersignData(byte[] protectedBytes, byte[] signature) {
        ByteArrayOutputStream bstr = new ByteArrayOutputStream(signature.length + 3);
        C2paValidator.cborHead(bstr, 2, signature.length);
        bstr.writeBytes(signature);
        return C2paValidator.sigStructure("CounterSignature", protectedBytes, bstr.toByteArray());
    }

    /**
     * Asks the TSA at {@code tsa} (HTTP POST, {@code application/timestamp-query}) for a token over SHA-256 of
     * {@code data}, with a random nonce and the TSA's certificate requested, and returns the DER TimeStampToken after
     * checking that it was granted, covers {@code data}, carries the nonce and verifies.
     *
     * @throws AigcmarkException {@code INPUT_UNREADABLE} when the TSA cannot be reached or refuses, or its reply is
     *     not a valid token for this request
     */
    /**
     * A random 8-byte nonce that is a minimal DER INTEGER as it stands: positive (top bit clear) and without a
     * leading zero byte, which strict parsers (BouncyCastle's among them) refuse as malformed; one request in 256
     * used to carry one.
     */
    static byte[] nonce(SecureRandom random) {
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        nonce[0] &= 0x7F;
        if (nonce[0] == 0) {
            nonce[0] = 1;
        }
        return nonce;
    }

    static byte[] request(URI tsa, byte[] data) {
        byte[] imprint = sha256(data);
        byte[] nonce = nonce(new SecureRandom());
        byte[] query = tlv(0x30, concat(
                tlv(0x02, new byte[] {1}),
                tlv(0x30, concat(tlv(0x30, concat(oid(OID_SHA256), new byte[] {5, 0})), tlv(0x04, imprint))),
                tlv(0x02, nonce),
                tlv(0x01, new byte[] {(byte) 0xFF})));
        byte[] reply;
        // HTTP/1.1: RFC 3161 over HTTP is plain request/response, and the JDK client's default HTTP/2 upgrade attempt
        // on http:// URLs is what some servers answer by closing the connection.
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest post = HttpRequest.newBuilder(tsa).timeout(TIMEOUT)
                    .header("Content-Type", "application/timestamp-query")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(query)).build();
            HttpResponse<java.io.InputStream> r;
            try {
                r = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException closedEarly) {
                if (closedEarly instanceof java.net.http.HttpTimeoutException || closedEarly instanceof java.net.ConnectException) {
                    throw closedEarly; // nobody answers: asking again would only wait again
                }
                // A connection closed before any reply (a restarted or busy TSA): asking the same question once more
                // is safe, the nonce and the imprint are the same.
                r = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
            }
            try (java.io.InputStream in = r.body()) {
                reply = in.readNBytes(MAX_REPLY_BYTES + 1);
            }
            if (r.statusCode() != 200) {
                throw tsaProblem(tsa, "HTTP status " + r.statusCode());
            }
        } catch (IOException e) {
            throw tsaProblem(tsa, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw tsaProblem(tsa, "interrupted");
        }
        if (reply.length > MAX_REPLY_BYTES) {
            throw tsaProblem(tsa, "a reply over " + MAX_REPLY_BYTES + " bytes");
        }
        try {
            Der resp = Der.read(reply, 0, reply.length);
            List<Der> parts = resp.children(reply);
            long status = parts.get(0).children(reply).get(0).integer(reply).longValueExact();
            if (status != 0 && status != 1 || parts.size() < 2) {
                throw tsaProblem(tsa, "the request was not granted (PKIStatus " + status + ")");
            }
            byte[] token = Arrays.copyOfRange(reply, parts.get(1).start, parts.get(1).end);
            Parsed p = parse(token);
            if (p.nonce == null || !new BigInteger(p.nonce).equals(new BigInteger(1, nonce))) {
                throw tsaProblem(tsa, "the token does not carry the request's nonce");
            }
            Token t = check(p, data);
            if (t.problem() != null) {
                throw tsaProblem(tsa, t.problem());
            }
            return token;
        } catch (RuntimeException e) {
            if (e instanceof AigcmarkException a) {
                throw a;
            }
            throw tsaProblem(tsa, "an unreadable reply (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads a time-stamp as a {@code tstTokens} entry's {@code val} holds it and checks it against the time-stamped
     * {@code data}; never throws. {@code val} is a DER TimeStampToken (C2PA v2) or a whole TimeStampResp (v1, and
     * what some writers put in v2 too), whose token is then used.
     */
    public static Token read(byte[] val, byte[] data) {
        try {
            byte[] token = val;
            Der outer = Der.read(val, 0, val.length);
            List<Der> parts = outer.children(val);
            if (parts.get(0).tag == 0x30) { // a TimeStampResp: status first, then the token
                if (parts.size() < 2) {
                    return new Token(null, null, "a time-stamp response without a token (not granted)");
                }
                token = Arrays.copyOfRange(val, parts.get(1).start, parts.get(1).end);
            }
            return check(parse(token), data);
        } catch (RuntimeException e) {
            return new Token(null, null, "malformed time-stamp token (" + e.getMessage() + ")");
        }
    }

    private static AigcmarkException tsaProblem(URI tsa, String what) {
        return new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "the time-stamp authority " + tsa
                + " gave no usable time-stamp: " + what);
    }

    /** The pieces of a token that the checks need. */
    private record Parsed(Instant time, String imprintAlg, byte[] imprint, byte[] nonce, byte[] tstInfo,
                          String digestAlg, byte[] signedAttrs, byte[] messageDigest, byte[] signature,
                          X509Certificate cert) {}

    private static Parsed parse(byte[] b) {
        Der contentInfo = Der.read(b, 0, b.length);
        List<Der> ci = contentInfo.children(b);
        if (!OID_SIGNED_DATA.equals(ci.get(0).oid(b))) {
            throw new IllegalArgumentException("not CMS SignedData");
        }
        List<Der> sd = ci.get(1).children(b).get(0).children(b);
        List<Der> encap = sd.get(2).children(b);
        if (!OID_TST_INFO.equals(encap.get(0).oid(b))) {
            throw new IllegalArgumentException("the signed content is not a TSTInfo");
        }
        Der octets = encap.get(1).children(b).get(0);
        byte[] tstInfo = Arrays.copyOfRange(b, octets.valueStart, octets.end);
        X509Certificate cert = null;
        List<X509Certificate> certs = new ArrayList<>();
        Der signerInfos = sd.get(sd.size() - 1);
        for (int i = 3; i < sd.size() - 1; i++) {
            if (sd.get(i).tag == 0xA0) {
                for (Der c : sd.get(i).children(b)) {
                    certs.add(certificate(Arrays.copyOfRange(b, c.start, c.end)));
                }
            }
        }
        List<Der> si = signerInfos.children(b).get(0).children(b);
        Der sid = si.get(1);
        BigInteger serial = sid.tag == 0x30 ? sid.children(b).get(1).integer(b) : null;
        for (X509Certificate c : certs) {
            if (cert == null && (serial == null || c.getSerialNumber().equals(serial))) {
                cert = c;
            }
        }
        String digestAlg = si.get(2).children(b).get(0).oid(b);
        byte[] signedAttrs = null;
        byte[] messageDigest = null;
        int k = 3;
        if (si.get(k).tag == 0xA0) {
            Der attrs = si.get(k);
            signedAttrs = Arrays.copyOfRange(b, attrs.start, attrs.end);
            signedAttrs[0] = 0x31; // signed as a SET OF (RFC 5652 5.4)
            for (Der a : attrs.children(b)) {
                List<Der> av = a.children(b);
                if (OID_MESSAGE_DIGEST.equals(av.get(0).oid(b))) {
                    Der v = av.get(1).children(b).get(0);
                    messageDigest = Arrays.copyOfRange(b, v.valueStart, v.end);
                }
            }
            k++;
        }
        Der sig = si.get(k + 1);
        byte[] signature = Arrays.copyOfRange(b, sig.valueStart, sig.end);

        List<Der> info = Der.read(tstInfo, 0, tstInfo.length).children(tstInfo);
        List<Der> mi = info.get(2).children(tstInfo);
        String imprintAlg = mi.get(0).children(tstInfo).get(0).oid(tstInfo);
        byte[] imprint = Arrays.copyOfRange(tstInfo, mi.get(1).valueStart, mi.get(1).end);
        Der gt = info.get(4);
        if (gt.tag != 0x18) {
            throw new IllegalArgumentException("no GeneralizedTime");
        }
        Instant time = generalizedTime(new String(tstInfo, gt.valueStart, gt.end - gt.valueStart, StandardCharsets.US_ASCII));
        byte[] nonce = null;
        for (int i = 5; i < info.size(); i++) {
            if (info.get(i).tag == 0x02) {
                nonce = Arrays.copyOfRange(tstInfo, info.get(i).valueStart, info.get(i).end);
            }
        }
        return new Parsed(time, imprintAlg, imprint, nonce, tstInfo, digestAlg, signedAttrs, messageDigest, signature, cert);
    }

    private static Token check(Parsed p, byte[] data) {
        String tsa = p.cert == null ? null : p.cert.getSubjectX500Principal().getName();
        String hash = digestName(p.imprintAlg);
        String cmsHash = digestName(p.digestAlg);
        if (hash == null || cmsHash == null) {
            return new Token(p.time, tsa, "unsupported time-stamp hash algorithm " + (hash == null ? p.imprintAlg : p.digestAlg));
        }
        try {
            if (!MessageDigest.isEqual(MessageDigest.getInstance(hash).digest(data), p.imprint)) {
                return new Token(p.time, tsa, "the time-stamp's message imprint does not match the claim signature");
            }
            if (p.cert == null) {
                return new Token(p.time, null, "the time-stamp token carries no TSA certificate to verify it with");
            }
            byte[] signed = p.tstInfo;
            if (p.signedAttrs != null) {
                if (p.messageDigest == null
                        || !MessageDigest.isEqual(MessageDigest.getInstance(cmsHash).digest(p.tstInfo), p.messageDigest)) {
                    return new Token(p.time, tsa, "the time-stamp's signed attributes do not match its TSTInfo");
                }
                signed = p.signedAttrs;
            }
            String key = p.cert.getPublicKey().getAlgorithm();
            String alg = switch (key) {
                case "EC" -> cmsHash.replace("-", "") + "withECDSA";
                case "RSA" -> cmsHash.replace("-", "") + "withRSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> null;
            };
            if (alg == null) {
                return new Token(p.time, tsa, "unsupported TSA key type " + key);
            }
            Signature s = Signature.getInstance(alg);
            s.initVerify(p.cert.getPublicKey());
            s.update(signed);
            if (!s.verify(p.signature)) {
                return new Token(p.time, tsa, "the TSA's signature on the time-stamp does not verify");
            }
            if (p.time.isBefore(p.cert.getNotBefore().toInstant()) || p.time.isAfter(p.cert.getNotAfter().toInstant())) {
                return new Token(p.time, tsa, "the time-stamp lies outside its TSA certificate's validity");
            }
            return new Token(p.time, tsa, null);
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Token(p.time, tsa, "the TSA's signature cannot be checked: " + e.getMessage());
        }
    }

    private static String digestName(String oid) {
        return switch (oid) {
            case OID_SHA256 -> "SHA-256";
            case "2.16.840.1.101.3.4.2.2" -> "SHA-384";
            case "2.16.840.1.101.3.4.2.3" -> "SHA-512";
            default -> null;
        };
    }

    private static Instant generalizedTime(String s) {
        String t = s.endsWith("Z") ? s.substring(0, s.length() - 1) : s;
        String whole = t.contains(".") ? t.substring(0, t.indexOf('.')) : t;
        Instant i = LocalDateTime.parse(whole, DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).toInstant(ZoneOffset.UTC);
        if (t.contains(".")) {
            String frac = (t.substring(t.indexOf('.') + 1) + "000000000").substring(0, 9);
            i = i.plusNanos(Long.parseLong(frac));
        }
        return i;
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("an unreadable TSA certificate", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    // ---------------------------------------------------------------- DER, the little that is needed

    /** One DER element: tag, where it starts, where its value starts, where it ends (exclusive). */
    record Der(int tag, int start, int valueStart, int end) {
        static Der read(byte[] b, int p, int limit) {
            if (p + 2 > limit) {
                throw new IllegalArgumentException("DER cut short");
            }
            int tag = b[p] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("high tag numbers are not used here");
            }
            int len = b[p + 1] & 0xFF;
            int v = p + 2;
            if (len >= 0x80) {
                int n = len & 0x7F;
                if (n == 0 || n > 4 || v + n > limit) {
                    throw new IllegalArgumentException("bad DER length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = len << 8 | (b[v + i] & 0xFF);
                }
                v += n;
            }
            if (len < 0 || v + (long) len > limit) {
                throw new IllegalArgumentException("DER element runs past its container");
            }
            return new Der(tag, p, v, v + len);
        }

        List<Der> children(byte[] b) {
            List<Der> out = new ArrayList<>();
            int p = valueStart;
            while (p < end) {
                if (out.size() > 10_000) {
                    throw new IllegalArgumentException("too many DER elements");
                }
                Der d = read(b, p, end);
                out.add(d);
                p = d.end;
            }
            return out;
        }

        BigInteger integer(byte[] b) {
            if (tag != 0x02) {
                throw new IllegalArgumentException("not an INTEGER");
            }
            return new BigInteger(Arrays.copyOfRange(b, valueStart, end));
        }

        String oid(byte[] b) {
            if (tag != 0x06 || end == valueStart) {
                throw new IllegalArgumentException("not an OBJECT IDENTIFIER");
            }
            StringBuilder s = new StringBuilder();
            long v = 0;
            boolean first = true;
            for (int i = valueStart; i < end; i++) {
                v = v << 7 | (b[i] & 0x7F);
                if ((b[i] & 0x80) == 0) {
                    if (first) {
                        s.append(v < 80 ? v / 40 : 2).append('.').append(v < 80 ? v % 40 : v - 80);
                        first = false;
                    } else {
                        s.append('.').append(v);
                    }
                    v = 0;
                }
            }
            return s.toString();
        }
    }

    private static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            int n = 0;
            byte[] tmp = new byte[10];
            do {
                tmp[n++] = (byte) (v & 0x7F);
                v >>>= 7;
            } while (v > 0);
            for (int j = n - 1; j >= 0; j--) {
                o.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, o.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(value.length + 6);
        o.write(tag);
        int len = value.length;
        if (len < 0x80) {
            o.write(len);
        } else if (len < 0x100) {
            o.write(0x81);
            o.write(len);
        } else {
            o.write(0x82);
            o.write(len >> 8);
            o.write(len);
        }
        o.writeBytes(value);
        return o.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
