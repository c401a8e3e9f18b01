package org.aigcmark.format;

import java.util.List;

/** The containers the SDK recognises, by magic bytes (never by file extension). */
public enum MediaType {
    JPEG("jpeg", "image/jpeg", List.of("jpg", "jpeg", "jpe", "jfif")),
    PNG("png", "image/png", List.of("png")),
    WEBP("webp", "image/webp", List.of("webp")),
    GIF("gif", "image/gif", List.of("gif")),
    TIFF("tiff", "image/tiff", List.of("tif", "tiff")),
    HEIF("heif", "image/heif", List.of("heic", "heif", "avif")),
    MP4("mp4", "video/mp4", List.of("mp4", "m4v", "mov", "m4a")),
    MKV("mkv", "video/x-matroska", List.of("mkv", "webm", "mka")),
    PDF("pdf", "application/pdf", List.of("pdf")),
    ZIP("zip", "application/zip", List.of("zip", "docx", "xlsx", "pptx")),
    UNKNOWN("unknown", "application/octet-stream", List.of());

    private final String id;
    private final String mime;
    private final List<String> extensions;

    MediaType(String id, String mime, List<String> extensions) {
        this.id = id;
        this.mime = mime;
        this.extensions = extensions;
    }

    /** The lowercase name used in reports and JSON ({@code jpeg}, {@code png}, ...). */
    public String id() {
        return id;
    }

    public String mime() {
        return mime;
    }

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
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
            return TIFF;
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            String brand = b.length >= 12 ? new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
            return switch (brand) {
                case "heic", "heix", "hevc", "mif1", "msf1", "avif" -> HEIF;
                default -> MP4;
            };
        }
        if (startsWith(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return MKV; // EBML header: Matroska and WebM
        }
        if (startsWith(b, 0, '%', 'P', 'D', 'F', '-')) {
            return PDF;
        }
        if (startsWith(b, 0, 'P', 'K', 3, 4)) {
            return ZIP;
        }
        return UNKNOWN;
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
