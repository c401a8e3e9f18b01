package org.aigcmark.format;

import java.util.List;

/** The containers the SDK recognises, by magic bytes (never by file extension). */
public enum MediaType {
    JPEG("jpeg", "JPEG image", "image/jpeg", List.of("jpg", "jpeg", "jpe", "jfif")),
    PNG("png", "PNG image", "image/png", List.of("png")),
    WEBP("webp", "WebP image", "image/webp", List.of("webp")),
    GIF("gif", "GIF image", "image/gif", List.of("gif")),
    TIFF("tiff", "TIFF image", "image/tiff", List.of("tif", "tiff")),
    HEIF("heif", "HEIF/HEIC image", "image/heif", List.of("heic", "heif")),
    AVIF("avif", "AVIF image", "image/avif", List.of("avif")),
    BMP("bmp", "BMP image", "image/bmp", List.of("bmp", "dib")),
    MP4("mp4", "MP4/MOV video", "video/mp4", List.of("mp4", "m4v", "mov", "m4a")),
    MKV("mkv", "MKV/WebM video", "video/x-matroska", List.of("mkv", "webm", "mka")),
    AVI("avi", "AVI video", "video/x-msvideo", List.of("avi")),
    FLV("flv", "FLV video", "video/x-flv", List.of("flv")),
    WAV("wav", "WAV audio", "audio/wav", List.of("wav")),
    MP3("mp3", "MP3 audio", "audio/mpeg", List.of("mp3")),
    FLAC("flac", "FLAC audio", "audio/flac", List.of("flac")),
    OGG("ogg", "Ogg media", "audio/ogg", List.of("ogg", "oga", "opus", "ogv")),
    PDF("pdf", "PDF document", "application/pdf", List.of("pdf")),
    DOCX("docx", "DOCX document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", List.of("docx")),
    XLSX("xlsx", "XLSX workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", List.of("xlsx")),
    PPTX("pptx", "PPTX presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation", List.of("pptx")),
    /** A ZIP with an uncompressed {@code mimetype} first entry naming an OpenDocument kind. */
    ODF("odf", "OpenDocument file", "application/vnd.oasis.opendocument", List.of("odt", "ods", "odp", "odg")),
    EPUB("epub", "EPUB e-book", "application/epub+zip", List.of("epub")),
    /** Any other ZIP, including an OOXML package whose kind is not told by its part names. */
    ZIP("zip", "ZIP archive", "application/zip", List.of("zip")),
    /** UTF-8 text that opens with a YAML front-matter block ({@code ---} ... {@code ---}). */
    MARKDOWN("markdown", "Markdown text", "text/markdown", List.of("md", "markdown")),
    /** Other valid UTF-8 text: no metadata slot, so only the explicit label applies. */
    TEXT("text", "plain text", "text/plain", List.of("txt", "text")),
    UNKNOWN("unknown", "unknown data", "application/octet-stream", List.of());

    private final String id;
    private final String displayName;
    private final String mime;
    private final List<String> extensions;

    MediaType(String id, String displayName, String mime, List<String> extensions) {
        this.id = id;
        this.displayName = displayName;
        this.mime = mime;
        this.extensions = extensions;
    }

    /** What a person calls the format, for messages: "AVI video", "DOCX document". */
    public String displayName() {
        return displayName;
    }

    /** The lowercase name used in reports and JSON ({@code jpeg}, {@code png}, ...). */
    public String id() {
        return id;
    }

    /** The MIME type, e.g. {@code image/jpeg}. */
    public String mime() {
        return mime;
    }

    /** The usual file extensions, lowercase without the dot; empty for {@link #UNKNOWN}. */
    public List<String> extensions() {
        return extensions;
    }

    /** Decides the type from the first bytes of a file. */
    public static MediaType sniff(byte[] b) {
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
            return GIF;
        }
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)
                || startsWith(b, 0, 'I', 'I', 43, 0) || startsWith(b, 0, 'M', 'M', 0, 43)) {
            return TIFF; // classic, or BigTIFF (43)
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            String brand = b.length >= 12 ? new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
            return switch (brand) {
                case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1" -> HEIF;
                case "avif", "avis" -> AVIF;
                default -> MP4;
            };
        }
        if (startsWith(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return MKV; // EBML header: Matroska and WebM
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'A', 'V', 'I', ' ')) {
            return AVI;
        }
        if (startsWith(b, 0, 'F', 'L', 'V', 1)) {
            return FLV;
        }
        if ((startsWith(b, 0, 'R', 'I', 'F', 'F') || startsWith(b, 0, 'R', 'F', '6', '4')) && startsWith(b, 8, 'W', 'A', 'V', 'E')) {
            return WAV;
        }
        if (startsWith(b, 0, 'f', 'L', 'a', 'C')) {
            return FLAC;
        }
        if (startsWith(b, 0, 'O', 'g', 'g', 'S', 0)) {
            return OGG;
        }
        if (startsWith(b, 0, 'I', 'D', '3') && b.length >= 10 && (b[3] & 0xFF) >= 2 && (b[3] & 0xFF) <= 4) {
            return MP3; // an ID3v2 tag leads most MP3 files
        }
        if (isMpegAudioFrame(b)) {
            return MP3;
        }
        if (isBmp(b)) {
            return BMP;
        }
        if (startsWith(b, 0, '%', 'P', 'D', 'F', '-')) {
            return PDF;
        }
        if (startsWith(b, 0, 'P', 'K', 3, 4)) {
            return ZipKinds.sniff(b);
        }
        return sniffText(b);
    }

    /** How much of a file the text sniffer looks at: front matter must close, and UTF-8 must be valid, in here. */
    public static final int TEXT_SNIFF_BYTES = 64 * 1024;

    /**
     * Whether these first bytes are audio, which has no pixels: WAV, MP3, FLAC, Ogg (but Theora), or an MP4 whose major brand is an
     * audio one ({@code M4A }, {@code M4B }, {@code M4P }, {@code F4A }, {@code F4B }), i.e. an M4A file.
     */
    public static boolean isAudio(byte[] head) {
        MediaType t = sniff(head);
        if (t == OGG) {
            int body = head.length > 26 ? 27 + (head[26] & 0xFF) : head.length;
            return !(body + 7 <= head.length && (head[body] & 0xFF) == 0x80 && head[body + 1] == 't' && head[body + 2] == 'h'
                    && head[body + 3] == 'e' && head[body + 4] == 'o'); // Ogg Theora is video
        }
        if (t == WAV || t == MP3 || t == FLAC) {
            return true;
        }
        if (t != MP4 || head.length < 12) {
            return false;
        }
        String brand = new String(head, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        return brand.equals("M4A ") || brand.equals("M4B ") || brand.equals("M4P ") || brand.equals("F4A ") || brand.equals("F4B ");
    }

    /**
     * Markdown has no magic number. Content decides what it can: strict UTF-8 with no NUL and few control bytes in
     * the first 64 KiB is text, and text whose first line is {@code ---} and which closes that block with a
     * {@code ---} or {@code ...} line is Markdown with front matter. Markdown without front matter cannot be told
     * from plain text by content, so it is TEXT.
     */
    static MediaType sniffText(byte[] b) {
        int n = Math.min(b.length, TEXT_SNIFF_BYTES);
        int off = startsWith(b, 0, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        if (n <= off) {
            return UNKNOWN;
        }
        int controls = 0;
        for (int i = off; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                return UNKNOWN;
            }
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B) {
                controls++;
            }
        }
        if (controls * 100 > n - off || !validUtf8Prefix(b, off, n, n == b.length)) {
            return UNKNOWN;
        }
        return frontMatterEnd(b, off, n) >= 0 ? MARKDOWN : TEXT;
    }

    /**
     * For data {@link #sniff} called UNKNOWN: the offset of the first byte that breaks UTF-8 when the data otherwise
     * looks like text (no NUL, few control bytes in the first 64 KiB), e.g. GB18030/GBK text; -1 when it does not
     * look like text at all.
     */
    public static int invalidUtf8InText(byte[] b) {
        int n = Math.min(b.length, TEXT_SNIFF_BYTES);
        int controls = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                return -1;
            }
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B) {
                controls++;
            }
        }
        if (n == 0 || controls * 100 > n) {
            return -1;
        }
        int off = startsWith(b, 0, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        return firstInvalidUtf8(b, off, n, n < b.length);
    }

    /**
     * The offset just past the closing line of a front-matter block that starts at {@code off}, or -1 when the
     * text does not open with {@code ---} or the block is not closed before {@code limit}.
     */
    public static int frontMatterEnd(byte[] b, int off, int limit) {
        int first = lineEnd(b, off, limit);
        if (first < 0 || !lineIs(b, off, first, "---")) {
            return -1;
        }
        int p = next(b, first);
        while (p < limit) {
            int e = lineEnd(b, p, limit);
            if (e < 0) {
                // A last line without a newline counts only at the real end of the file.
                return limit == b.length && (lineIs(b, p, limit, "---") || lineIs(b, p, limit, "...")) ? limit : -1;
            }
            if (lineIs(b, p, e, "---") || lineIs(b, p, e, "...")) {
                return next(b, e);
            }
            p = next(b, e);
        }
        return -1;
    }

    private static int lineEnd(byte[] b, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (b[i] == '\n') {
                return i > from && b[i - 1] == '\r' ? i - 1 : i;
            }
        }
        return -1;
    }

    private static int next(byte[] b, int lineEnd) {
        return b[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
    }

    private static boolean lineIs(byte[] b, int from, int to, String s) {
        int end = to;
        while (end > from && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--; // trailing blanks after the fence are allowed
        }
        if (end - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[from + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Strict UTF-8 over [off, n); a sequence cut by the end of the window is fine unless the file ends there. */
    static boolean validUtf8Prefix(byte[] b, int off, int n, boolean wholeFile) {
        return firstInvalidUtf8(b, off, n, !wholeFile) < 0;
    }

    /**
     * The offset of the first byte in [off, n) that starts an invalid UTF-8 sequence, or -1; {@code cutOk} lets a
     * sequence run past {@code n} (a window that ends mid-character).
     */
    public static int firstInvalidUtf8(byte[] b, int off, int n, boolean cutOk) {
        int i = off;
        while (i < n) {
            int c = b[i] & 0xFF;
            int need;
            int min;
            if (c < 0x80) {
                i++;
                continue;
            } else if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + need >= n) {
                if (cutOk && n < b.length) {
                    // check what we have of the cut sequence, then stop
                    for (int k = i + 1; k < n; k++) {
                        if ((b[k] & 0xC0) != 0x80) {
                            return i;
                        }
                    }
                    return -1;
                }
                return i;
            }
            int cp = c & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }

    /** The type an output file name's extension names, or null when the extension is unknown or absent. */
    public static MediaType fromExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String ext = fileName.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        for (MediaType t : values()) {
            if (t.extensions.contains(ext)) {
                return t;
            }
        }
        return null;
    }

    /** An MPEG-1/2 audio layer III frame header at 0: 11 sync bits, a valid version, layer 3, bitrate and rate. */
    private static boolean isMpegAudioFrame(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xE0) != 0xE0) {
            return false;
        }
        int version = (b[1] >> 3) & 3;
        int layer = (b[1] >> 1) & 3;
        int bitrate = (b[2] >> 4) & 0xF;
        int rate = (b[2] >> 2) & 3;
        return version != 1 && layer == 1 && bitrate != 0 && bitrate != 0xF && rate != 3;
    }

    /** "BM", zero reserved words and a known DIB header size: two letters alone would catch text files. */
    private static boolean isBmp(byte[] b) {
        if (b.length < 18 || !startsWith(b, 0, 'B', 'M') || !startsWith(b, 6, 0, 0, 0, 0)) {
            return false;
        }
        int dib = (b[14] & 0xFF) | (b[15] & 0xFF) << 8 | (b[16] & 0xFF) << 16 | (b[17] & 0xFF) << 24;
        return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
    }

    private static boolean startsWith(byte[] b, int off, int... sig) {
        if (b.length < off + sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((b[off + i] & 0xFF) != sig[i]) {
                return false;
            }
        }
        return true;
    }
}
