package org.aigcmark.serve;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.AigcmarkException;

/**
 * {@code /v1/text/label}'s incoming stream cut into text chunks as the bytes arrive: strict UTF-8 decoded
 * incrementally (a character split across reads is held until its last byte comes, as {@code TextFiles} refuses
 * what it refuses: UTF-16, NUL bytes, malformed UTF-8), and for {@code text/event-stream} the {@code data} of each
 * event (an event whose data is {@code [DONE]} ends the stream, as chat services send it). Not thread-safe.
 */
final class TextStream {
    /** The end-of-stream marker chat services send as an event's data. */
    static final String DONE = "[DONE]";

    private final boolean events;
    private final String name;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] carry = new byte[0];
    private long offset;
    private final StringBuilder line = new StringBuilder();
    private StringBuilder data;
    private boolean done;

    TextStream(boolean events, String name) {
        this.events = events;
        this.name = name;
    }

    /** Whether an event said {@code [DONE]} (what follows is ignored). */
    boolean done() {
        return done;
    }

    /** The text chunks in these bytes (none while a character or an event is incomplete). */
    List<String> feed(byte[] bytes, int n) {
        if (done) {
            return List.of();
        }
        int from = 0;
        if (offset == 0 && carry.length == 0) {
            if (n >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE) || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                        name + " is UTF-16 text; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
            }
            if (n >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
                from = 3; // the byte order mark is not text, as for text label
            }
        }
        for (int i = from; i < n; i++) {
            if (bytes[i] == 0) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                        name + " is binary data (a NUL byte at offset " + (offset + i) + "), not plain text");
            }
        }
        ByteBuffer in = ByteBuffer.allocate(carry.length + n - from).put(carry).put(bytes, from, n - from).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        CoderResult r = decoder.decode(in, out, false);
        if (r.isError()) {
            throw notUtf8(offset + in.position() - carry.length);
        }
        offset += n;
        carry = new byte[in.remaining()];
        in.get(carry);
        String text = out.flip().toString();
        return events ? events(text) : text.isEmpty() ? List.of() : List.of(text);
    }

    /** The last chunks once the body has ended; refuses a character cut off at the end. */
    List<String> finish() {
        if (carry.length > 0 && !done) {
            throw notUtf8(offset - carry.length);
        }
        if (events && !done && data != null) {
            List<String> last = new ArrayList<>();
            dispatch(last); // an event not closed by a blank line still counts
            return last;
        }
        return List.of();
    }

    private AigcmarkException notUtf8(long at) {
        return new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT,
                name + " is not valid UTF-8 (at byte " + Math.max(0, at) + "); only UTF-8 text can be labelled");
    }

    /** Server-sent events: {@code data:} lines joined by line breaks, an event per blank line; other fields ignored. */
    private List<String> events(String text) {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < text.length() && !done; i++) {
            char c = text.charAt(i);
            if (c != '\n') {
                line.append(c);
                continue;
            }
            int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
            String l = line.substring(0, end);
            line.setLength(0);
            if (l.isEmpty()) {
                dispatch(chunks);
            } else if (l.startsWith("data:")) {
                String value = l.substring(l.startsWith("data: ") ? 6 : 5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return chunks;
    }

    private void dispatch(List<String> chunks) {
        if (data == null) {
            return;
        }
        String d = data.toString();
        data = null;
        if (d.equals(DONE)) {
            done = true;
        } else if (!d.isEmpty()) {
            chunks.add(d);
        }
    }

    /** One labelled chunk as a server-sent event (each line a {@code data:} line, so line breaks survive). */
    static String event(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (String l : text.split("\n", -1)) {
            sb.append("data: ").append(l).append('\n');
        }
        return sb.append('\n').toString();
    }
}
