package org.aigcmark.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.aigcmark.AigcmarkException;

/** SHA-256 as lowercase hex: the model pins, key ids and fingerprints, and cache names all use this one helper. */
public final class Sha256 {
    private Sha256() {}

    /** The 32-byte digest of {@code data}. */
    public static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    /** The digest of {@code data} as 64 lowercase hex digits. */
    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(digest(data));
    }

    /** The digest of a file's bytes as 64 lowercase hex digits, read in chunks (models are large). */
    public static String hex(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = newDigest();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The first 8 bytes of the digest as 16 hex digits: a short public id (key ids, fingerprints, cache names). */
    public static String shortHex(byte[] data) {
        return HexFormat.of().formatHex(digest(data), 0, 8);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "SHA-256 is missing from this JVM", e);
        }
    }
}
