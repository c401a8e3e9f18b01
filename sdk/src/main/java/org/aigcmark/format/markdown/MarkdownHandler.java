package org.aigcmark.format.markdown;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.PresentationDigest;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;

/**
 * Markdown: the record is a YAML front-matter mapping at the head of the file (TC260-PG-20258A, as summarised in
 * docs/DOCUMENTS.md):
 *
 * <pre>
 * ---
 * AIGC:
 *   Label: "1"
 *   ContentProducer: "..."
 *   ...
 * ---
 * </pre>
 *
 * <p>Reading is tolerant: the block mapping above (values quoted or plain) and an inline JSON value
 * ({@code AIGC: {"Label":"1",...}}, also wrapped or quoted) are both slots. Writing replaces every AIGC entry by
 * one block at the place of the first, keeps every other front-matter line byte-identical, and creates the front
 * matter when the file has none. The body after the front matter is never touched and is what the signature digest
 * covers.
 *
 * <p>There is no YAML library here on purpose: the handler only needs top-level keys of the front matter, and a
 * general YAML parser on hostile input (anchors, aliases, tags) is more risk than help.
 */
public final class MarkdownHandler implements FormatHandler, FormatHandler.MetadataWriter {
    /**
     * Front matter must close within this many bytes, the same window {@link MediaType#sniff} looks at (real front
     * matter is a few hundred bytes); a block that does not close is not front matter.
     */
    public static final int MAX_FRONT_MATTER_BYTES = MediaType.TEXT_SNIFF_BYTES;

    private final MediaType type;

    /** The handler for Markdown with front matter (what {@link MediaType#sniff} calls {@code MARKDOWN}). */
    public MarkdownHandler() {
        this(MediaType.MARKDOWN);
    }

    private MarkdownHandler(MediaType type) {
        this.type = type;
    }

    /**
     * A handler registered for {@link MediaType#TEXT} that treats all UTF-8 text as Markdown, creating front matter
     * where there is none. Content cannot tell Markdown without front matter from plain text, so this is opt-in: a
     * caller that knows its text files are Markdown builds a registry with it.
     */
    public static MarkdownHandler treatingPlainTextAsMarkdown() {
        return new MarkdownHandler(MediaType.TEXT);
    }

    @Override
    public MediaType type() {
        return type;
    }

    @Override
    public Optional<MetadataWriter> writer() {
        return Optional.of(this);
    }

    /** The body after the front matter (the front matter is the record, not what a reader sees). */
    @Override
    public Optional<TextContent> text() {
        return Optional.of((b, limits) -> {
            if (firstInvalidUtf8(b) >= 0) {
                return Text.NONE;
            }
            try {
                return body(b, layout(b).bodyStart());
            } catch (AigcmarkException e) {
                return Text.NONE;
            }
        });
    }

    /** A text body searched whole up to this size; a larger one only in its first and last {@link #EDGE} bytes. */
    static final int WHOLE_LIMIT = 4 << 20;
    /** Labels sit at the edges of a text. */
    static final int EDGE = 64 * 1024;

    /** {@code b[from..]}, valid UTF-8, as one passage named {@code text}, or its two edge windows when it is large. */
    static Text body(byte[] b, int from) {
        int len = b.length - from;
        if (len <= WHOLE_LIMIT) {
            return Text.of(Passage.whole("text", new String(b, from, len, StandardCharsets.UTF_8)));
        }
        int headEnd = boundary(b, from + EDGE);
        int tailStart = boundary(b, b.length - EDGE);
        return Text.of(new Passage("text", new String(b, from, headEnd - from, StandardCharsets.UTF_8), Window.HEAD),
                new Passage("text", new String(b, tailStart, b.length - tailStart, StandardCharsets.UTF_8), Window.TAIL));
    }

    /** The nearest offset at or after {@code i} that starts a UTF-8 character. */
    private static int boundary(byte[] b, int i) {
        while (i < b.length && (b[i] & 0xC0) == 0x80) {
            i++;
        }
        return i;
    }

    /** Where the parts of the file are: [0, bodyStart) is BOM + front matter, the rest is the body. */
    record Layout(int bomLength, int frontMatterStart, int frontMatterEnd, String newline) {
        boolean hasFrontMatter() {
            return frontMatterEnd > frontMatterStart;
        }

        int bodyStart() {
            return hasFrontMatter() ? frontMatterEnd : bomLength;
        }
    }

    /** A top-level key of the front matter: its lines [start, end) as byte offsets. */
    record Entry(String key, int start, int end, String valueText) {}

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(type);
        int bad = firstInvalidUtf8(b);
        if (bad >= 0) {
            scan.damage().add("invalid UTF-8 at byte offset " + bad + " (not a UTF-8 text file)");
            return scan;
        }
        Layout layout;
        try {
            layout = layout(b);
        } catch (AigcmarkException e) {
            scan.damage().add(e.getMessage());
            return scan;
        }
        if (!layout.hasFrontMatter()) {
            return scan;
        }
        for (Entry e : entries(b, layout)) {
            if (isAigcKey(e.key())) {
                String json = toJson(e.valueText());
                if (json == null) {
                    scan.notes().add("front matter key '" + e.key() + "' holds no readable AIGC mapping");
                } else {
                    scan.addSlot("front-matter", json);
                }
            }
        }
        return scan;
    }

    @Override
    public byte[] writeLabel(byte[] b, AigcLabel label, Limits limits) {
        int bad = firstInvalidUtf8(b);
        if (bad >= 0) {
            throw AigcmarkException.corrupt("cannot label a text file with invalid UTF-8 at byte offset " + bad);
        }
        Layout layout = layout(b);
        String nl = layout.newline();
        byte[] block = block(label, nl).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + block.length + 16);
        if (!layout.hasFrontMatter()) {
            out.write(b, 0, layout.bomLength());
            out.writeBytes(("---" + nl).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(block);
            out.writeBytes(("---" + nl).getBytes(StandardCharsets.US_ASCII));
            out.write(b, layout.bomLength(), b.length - layout.bomLength());
            return out.toByteArray();
        }
        List<Entry> aigc = entries(b, layout).stream().filter(e -> isAigcKey(e.key())).toList();
        int closing = closingFenceStart(b, layout);
        int p = 0;
        boolean written = false;
        for (Entry e : aigc) {
            out.write(b, p, e.start() - p);
            if (!written) {
                out.writeBytes(block);
                written = true;
            }
            p = e.end();
        }
        out.write(b, p, closing - p);
        if (!written) {
            if (closing > 0 && b[closing - 1] != '\n') {
                out.writeBytes(nl.getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes(block);
        }
        out.write(b, closing, b.length - closing);
        return out.toByteArray();
    }

    /** Digest: the body after the front matter (after the BOM when there is none), exactly as stored. */
    @Override
    public void digestContent(byte[] b, MessageDigest digest, Limits limits) {
        int bad = firstInvalidUtf8(b);
        if (bad >= 0) {
            throw AigcmarkException.corrupt("cannot hash a text file with invalid UTF-8 at byte offset " + bad);
        }
        Layout layout = layout(b);
        digest.update(b, layout.bodyStart(), b.length - layout.bodyStart());
    }

    /**
     * The front matter a renderer shows (a title, a date, a layout): every top-level entry except the AIGC record,
     * byte for byte, in order. A label write replaces or appends only the AIGC entry.
     */
    @Override
    public void digestPresentation(byte[] b, MessageDigest digest, Limits limits) {
        Layout layout = layout(b);
        if (!layout.hasFrontMatter()) {
            return;
        }
        for (Entry e : entries(b, layout)) {
            if (!isAigcKey(e.key())) {
                PresentationDigest.add(digest, "markdown.front-matter", b, e.start(), e.end() - e.start());
            }
        }
    }

    /** The AIGC block in the file's newline style, values double-quoted (Annex E values need no escaping). */
    static String block(AigcLabel label, String nl) {
        StringBuilder sb = new StringBuilder(256).append("AIGC:").append(nl);
        List<String> values = label.values();
        for (int i = 0; i < AigcLabel.KEYS.size(); i++) {
            sb.append("  ").append(AigcLabel.KEYS.get(i)).append(": \"").append(values.get(i)).append('"').append(nl);
        }
        return sb.toString();
    }

    static Layout layout(byte[] b) {
        int bom = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        String nl = newlineOf(b, bom);
        int end = MediaType.frontMatterEnd(b, bom, Math.min(b.length, bom + MAX_FRONT_MATTER_BYTES));
        if (end < 0) {
            // No block, or a "---" line that never closes (a thematic break): either way no front matter.
            return new Layout(bom, bom, bom, nl);
        }
        return new Layout(bom, bom, end, nl);
    }

    private static String newlineOf(byte[] b, int from) {
        int n = Math.min(b.length, from + 4096);
        for (int i = from; i < n; i++) {
            if (b[i] == '\n') {
                return i > from && b[i - 1] == '\r' ? "\r\n" : "\n";
            }
        }
        return "\n";
    }

    /** The offset where the closing fence line starts. */
    private static int closingFenceStart(byte[] b, Layout layout) {
        int end = layout.frontMatterEnd();
        int p = end - 1;
        if (p >= 0 && b[p] == '\n') {
            p--;
        }
        while (p >= layout.frontMatterStart() && b[p] != '\n') {
            p--;
        }
        return p + 1;
    }

    /** Top-level keys of the front matter with the indented (or blank) lines that belong to them. */
    static List<Entry> entries(byte[] b, Layout layout) {
        List<Entry> out = new ArrayList<>();
        int closing = closingFenceStart(b, layout);
        int p = nextLine(b, layout.frontMatterStart(), closing); // skip the opening fence
        String key = null;
        int keyStart = -1;
        int valueStart = -1;
        int lastContentEnd = -1;
        while (p < closing) {
            int e = nextLine(b, p, closing);
            boolean blank = isBlank(b, p, e);
            // Indented lines and top-level sequence items ("- x") continue the current key.
            boolean continuation = b[p] == ' ' || b[p] == '\t' || (b[p] == '-' && (p + 1 == e || b[p + 1] == ' '
                    || b[p + 1] == '\n' || b[p + 1] == '\r'));
            if (!blank && !continuation) {
                if (key != null) {
                    out.add(entry(b, key, keyStart, lastContentEnd, valueStart));
                }
                key = b[p] == '#' ? null : keyOf(b, p, e); // a top-level comment ends the entry and is kept
                keyStart = p;
                valueStart = p;
                lastContentEnd = e;
            } else if (!blank && key != null) {
                lastContentEnd = e;
            }
            p = e;
        }
        if (key != null) {
            out.add(entry(b, key, keyStart, lastContentEnd, valueStart));
        }
        return out;
    }

    private static Entry entry(byte[] b, String key, int start, int end, int valueStart) {
        return new Entry(key, start, end, new String(b, valueStart, end - valueStart, StandardCharsets.UTF_8));
    }

    private static int nextLine(byte[] b, int p, int limit) {
        while (p < limit && b[p] != '\n') {
            p++;
        }
        return Math.min(limit, p + 1);
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The key of a top-level {@code key: value} line, unquoted; null for a line that is not a mapping entry. */
    private static String keyOf(byte[] b, int from, int to) {
        String line = new String(b, from, to - from, StandardCharsets.UTF_8);
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String k = line.substring(0, colon).strip();
        if (k.length() >= 2 && (k.charAt(0) == '"' || k.charAt(0) == '\'') && k.charAt(k.length() - 1) == k.charAt(0)) {
            k = k.substring(1, k.length() - 1);
        }
        return k;
    }

    private static boolean isAigcKey(String key) {
        return key != null && key.toUpperCase(Locale.ROOT).equals("AIGC");
    }

    /**
     * Turns the lines of an AIGC entry into JSON text for {@link org.aigcmark.label.LabelParser}: an inline
     * JSON value (possibly quoted as a YAML string) passes through, an indented block mapping becomes a bare object.
     */
    static String toJson(String entryText) {
        int colon = entryText.indexOf(':');
        String first = entryText.substring(colon + 1);
        int nl = first.indexOf('\n');
        String inline = (nl < 0 ? first : first.substring(0, nl)).strip();
        if (!inline.isEmpty() && !inline.startsWith("#")) {
            String v = entryText.substring(colon + 1).strip();
            if (v.startsWith("'") && v.endsWith("'") && v.length() >= 2) {
                v = v.substring(1, v.length() - 1).replace("''", "'");
            } else if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
                v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            return v.contains("{") ? v : null;
        }
        StringBuilder json = new StringBuilder(256).append('{');
        int fields = 0;
        for (String raw : entryText.substring(colon + 1).split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int c = line.indexOf(':');
            if (c <= 0) {
                return null;
            }
            String k = unquote(line.substring(0, c).strip());
            String v = unquote(stripComment(line.substring(c + 1).strip()));
            if (fields++ > 0) {
                json.append(',');
            }
            json.append('"').append(jsonEscape(k)).append("\":\"").append(jsonEscape(v)).append('"');
        }
        return fields == 0 ? null : json.append('}').toString();
    }

    private static String stripComment(String v) {
        if (v.startsWith("\"") || v.startsWith("'")) {
            char q = v.charAt(0);
            int close = v.indexOf(q, 1);
            return close > 0 ? v.substring(0, close + 1) : v;
        }
        int hash = v.indexOf(" #");
        return hash >= 0 ? v.substring(0, hash).strip() : v;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (v.length() >= 2 && v.charAt(0) == '\'' && v.charAt(v.length() - 1) == '\'') {
            return v.substring(1, v.length() - 1).replace("''", "'");
        }
        if (v.equals("~") || v.equals("null")) {
            return "";
        }
        return v;
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The offset of the first byte that breaks strict UTF-8 (after a BOM) or is a NUL (binary, not text), or -1
     * when the whole file is valid text.
     */
    public static int firstInvalidUtf8(byte[] b) {
        int off = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        int bad = MediaType.firstInvalidUtf8(b, off, b.length, false);
        int limit = bad < 0 ? b.length : bad;
        for (int i = off; i < limit; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return bad;
    }
}
