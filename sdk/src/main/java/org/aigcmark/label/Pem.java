package org.aigcmark.label;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM armour (RFC 7468): a type label around base64 DER. The JDK reads and writes the DER of Ed25519 keys itself. */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Base64.Encoder LINES = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    /** One PEM block: its label ({@code PRIVATE KEY}, {@code PUBLIC KEY}, ...) and its decoded body. */
    record Block(String type, byte[] der) {}

    private Pem() {}

    /** The first block of {@code text}; null when it has none. Legacy headers (encrypted keys) are refused. */
    static Block first(String text) {
        Matcher m = BLOCK.matcher(text);
        if (!m.find()) {
            return null;
        }
        String body = m.group(2);
        if (body.contains(":")) {
            throw new IllegalArgumentException("encrypted or header-carrying PEM blocks are not supported");
        }
        return new Block(m.group(1), Base64.getMimeDecoder().decode(body));
    }

    /** 64-character lines, LF line ends: what OpenSSL and BouncyCastle write. */
    static String write(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + LINES.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
