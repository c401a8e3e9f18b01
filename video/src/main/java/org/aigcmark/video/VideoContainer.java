package org.aigcmark.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongToIntFunction;
import org.aigcmark.AigcmarkException;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.mkv.Ebml;
import org.aigcmark.video.VideoOptions.Encoder;

/**
 * The container a labelled video is written in: always the input's (decided by magic bytes, and for Matroska by
 * the EBML DocType, never by the file name), with the video codecs it may hold and the encoders AUTO tries for it.
 * WebM is the Matroska subset that browsers play: VP8/VP9/AV1 video and Opus/Vorbis audio only.
 */
enum VideoContainer {
    MP4("mp4", "MP4", List.of(Encoder.X264, Encoder.OPENH264), Set.of(Encoder.X264, Encoder.OPENH264)),
    MOV("mov", "MOV", List.of(Encoder.X264, Encoder.OPENH264), Set.of(Encoder.X264, Encoder.OPENH264)),
    // Matroska holds any of them; H.264 stays the default, it plays in the most places
    MATROSKA("matroska", "Matroska", List.of(Encoder.X264, Encoder.OPENH264),
            Set.of(Encoder.X264, Encoder.OPENH264, Encoder.VP9, Encoder.VP8, Encoder.AV1)),
    WEBM("webm", "WebM", List.of(Encoder.VP9, Encoder.VP8, Encoder.AV1), Set.of(Encoder.VP9, Encoder.VP8, Encoder.AV1));

    /** How far into the file the EBML header (and its DocType) must end. */
    private static final int HEAD_BYTES = 4096;

    /** FFmpeg's muxer name. */
    final String muxer;
    final String displayName;
    /** What {@link Encoder#AUTO} tries, in order. */
    final List<Encoder> autoEncoders;
    final Set<Encoder> allowed;

    VideoContainer(String muxer, String displayName, List<Encoder> autoEncoders, Set<Encoder> allowed) {
        this.muxer = muxer;
        this.displayName = displayName;
        this.autoEncoders = autoEncoders;
        this.allowed = allowed;
    }

    /** The input's container, from its first bytes. */
    static VideoContainer of(Path in) {
        byte[] head = new byte[HEAD_BYTES];
        int n;
        try (var s = Files.newInputStream(in)) {
            n = s.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + in + ": " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, in.getFileName() + " is empty");
        }
        MediaType type = MediaType.sniff(Arrays.copyOf(head, n));
        return switch (type) {
            case MP4 -> n >= 12 && new String(head, 8, 4, StandardCharsets.ISO_8859_1).equals("qt  ") ? MOV : MP4;
            case MKV -> "webm".equals(ebmlDocType(head, n)) ? WEBM : MATROSKA;
            default -> throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in.getFileName()
                    + " is not an MP4, MOV, Matroska or WebM video (detected: " + type.id() + ")");
        };
    }

    /**
     * Refuses an output name whose extension names another container (as the CLI does for images): .mp4/.m4v/.mov
     * for ISO BMFF inputs (the output keeps the input's MP4 or MOV flavour), .mkv for Matroska, .webm for WebM.
     * Names without a known media extension are left alone.
     */
    void checkOutputName(Path out) {
        String name = out.getFileName().toString();
        MediaType named = MediaType.fromExtension(name);
        if (named == null) {
            return;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        boolean fits = switch (this) {
            case MP4, MOV -> Set.of("mp4", "m4v", "mov").contains(ext);
            case MATROSKA -> ext.equals("mkv");
            case WEBM -> ext.equals("webm");
        };
        if (!fits) {
            throw AigcmarkException.invalid("output " + out.getFileName() + " names another container than the input's ("
                    + displayName + "); labelling keeps the input's container: name it ." + extension());
        }
    }

    String extension() {
        return switch (this) {
            case MP4 -> "mp4";
            case MOV -> "mov";
            case MATROSKA -> "mkv";
            case WEBM -> "webm";
        };
    }

    /**
     * The encoder to use: the requested one if this container may hold its codec and the FFmpeg build has it,
     * else the first AUTO candidate the build has. Refuses up front, saying what is missing.
     */
    Encoder chooseEncoder(Encoder requested, java.util.function.Predicate<String> buildHas) {
        if (requested != Encoder.AUTO) {
            if (!allowed.contains(requested)) {
                throw AigcmarkException.invalid(displayName + " holds " + codecs(allowed) + " video, not " + requested.codec
                        + " (encoder " + requested.ffmpegName + "): choose " + names(allowed) + " or auto");
            }
            if (!buildHas.test(requested.ffmpegName)) {
                throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE, requested.ffmpegName + " is not in this FFmpeg build"
                        + (requested == Encoder.X264 ? ": it is only in the GPL build (build the video module with"
                        + " -Dffmpeg.classifier=linux-x86_64-gpl)" : ""));
            }
            return requested;
        }
        for (Encoder e : autoEncoders) {
            if (buildHas.test(e.ffmpegName)) {
                return e;
            }
        }
        throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, "cannot write " + displayName
                + ": this FFmpeg build has none of its video encoders ("
                + String.join(", ", autoEncoders.stream().map(e -> e.ffmpegName).toList()) + ")");
    }

    private static String codecs(Set<Encoder> encoders) {
        return String.join("/", encoders.stream().map(e -> e.codec).distinct().sorted().toList());
    }

    private static String names(Set<Encoder> encoders) {
        return String.join(", ", encoders.stream().map(e -> e.name().toLowerCase(Locale.ROOT)).sorted().toList());
    }

    /** The DocType string of the EBML header at the start of {@code b}, or null when it is not in the first bytes. */
    static String ebmlDocType(byte[] b, int n) {
        int p = 4; // the EBML element id 1A 45 DF A3
        long[] size = vint(b, p, n);
        if (size == null) {
            return null;
        }
        p += (int) size[1];
        long end = Math.min(n, p + size[0]);
        while (p < end) {
            long[] id = vint(b, p, n);
            if (id == null) {
                return null;
            }
            int idStart = p;
            p += (int) id[1];
            long[] len = vint(b, p, n);
            if (len == null) {
                return null;
            }
            p += (int) len[1];
            if (len[0] < 0 || p + len[0] > end) {
                return null;
            }
            if (id[1] == 2 && (b[idStart] & 0xFF) == 0x42 && (b[idStart + 1] & 0xFF) == 0x82) {
                String s = new String(b, p, (int) len[0], StandardCharsets.US_ASCII);
                int nul = s.indexOf('\0');
                return nul >= 0 ? s.substring(0, nul) : s;
            }
            p += (int) len[0];
        }
        return null;
    }

    /** An EBML variable-length integer at {@code p}: {value without the marker bit, length in bytes}, or null. */
    private static long[] vint(byte[] b, int p, int n) {
        LongToIntFunction byteAt = i -> b[(int) i] & 0xFF;
        int len = Ebml.vintLength(byteAt, p, n);
        return len == 0 ? null : new long[] {Ebml.vintValue(byteAt, p, len), len};
    }
}
