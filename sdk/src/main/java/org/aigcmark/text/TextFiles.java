package org.aigcmark.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.AigcmarkException;

/**
 * Reads plain-text input as hostile: bounded size, strict UTF-8 (a leading BOM is dropped), and binary data
 * refused. Plain text has no metadata slot, so the explicit label is its only label.
 */
public final class TextFiles {
    /** Default cap on text input, overridable with {@code -Daigcmark.maxTextBytes}. */
    public static final long DEFAULT_MAX_BYTES = Long.getLong("aigcmark.maxTextBytes", 64L << 20);

    private TextFiles() {}

    /** Reads {@code file} as UTF-8 text, up to {@link #DEFAULT_MAX_BYTES}; see {@link #readUtf8(Path, long)}. */
    public static String readUtf8(Path file) {
        return readUtf8(file, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads {@code file} as strict UTF-8 text, a leading BOM dropped.
     *
     * @param file the file to read
     * @param maxBytes the largest size accepted, in bytes
     * @return the text
     * @throws AigcmarkException with {@link AigcmarkException.Reason#INPUT_UNREADABLE} when the file is missing, not a
     *     regular file or unreadable; {@link AigcmarkException.Reason#LIMIT_EXCEEDED} when it is over {@code maxBytes};
     *     {@link AigcmarkException.Reason#UNSUPPORTED_FORMAT} for UTF-16 or binary data; {@link
     *     AigcmarkException.Reason#CORRUPT_INPUT} for invalid UTF-8
     */
    public static String readUtf8(Path file, long maxBytes) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, file + " is not a readable file");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw AigcmarkException.limit(file + " is " + size + " bytes, over the text limit of " + maxBytes
                        + " (raise -Daigcmark.maxTextBytes if it is genuine)");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            }
            if (bytes.length > maxBytes) {
                throw AigcmarkException.limit(file + " grew past the text limit of " + maxBytes + " bytes while reading");
            }
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return decodeUtf8(bytes, file.toString());
    }

    /** Strict UTF-8 decoding of {@code bytes}; {@code what} names the input in messages. */
    public static String decodeUtf8(byte[] bytes, String what) {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE) || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                    what + " is UTF-16 text; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
        }
        int controls = 0;
        int probe = Math.min(bytes.length, 64 * 1024);
        for (int i = 0; i < probe; i++) {
            int b = bytes[i] & 0xFF;
            if (b == 0) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                        what + " is binary data (a NUL byte at offset " + i + "), not plain text");
            }
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1B) {
                controls++;
            }
        }
        if (probe > 0 && controls * 100 > probe) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                    what + " is binary data (" + controls + " control bytes in the first " + probe + "), not plain text");
        }
        int off = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, off, bytes.length - off);
        try {
            return dec.decode(in).toString();
        } catch (MalformedInputException e) {
            throw AigcmarkException.corrupt(what + " is not valid UTF-8 (bad byte sequence near offset " + in.position()
                    + "); convert it to UTF-8 first");
        } catch (CharacterCodingException e) {
            throw AigcmarkException.corrupt(what + " is not valid UTF-8: " + e);
        }
    }
}
