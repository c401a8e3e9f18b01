package org.aigcmark.format;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.Optional;
import org.aigcmark.Limits;
import org.aigcmark.label.AigcLabel;

/**
 * One container format. A handler knows only its container: where label text sits and how to put it back
 * losslessly. It never decodes the label JSON (that is {@link org.aigcmark.label.LabelParser}'s job), so a record
 * is parsed the same way whichever container it came from.
 */
public interface FormatHandler {
    /** The format this handler reads; the registry's key for it. */
    MediaType type();

    /** Whether this handler reads files of {@code type} ({@link #type()} by default; OOXML takes each kind). */
    default boolean handles(MediaType type) {
        return type == type();
    }

    /** Finds every label slot and hint. Damage is recorded in the scan, not thrown. */
    ContainerScan scan(byte[] file, Limits limits);

    /**
     * The read-back check's scan of {@code written}, which this handler's {@link MetadataWriter} has just written:
     * as {@link #scan}, except that it may leave out checks of the bytes the writer copied unchanged from a scanned
     * input (PNG: the image data's CRCs, a pass over the whole file). What the writer made is checked as by scan.
     */
    default ContainerScan scanWritten(byte[] written, Limits limits) {
        return scan(written, limits);
    }

    /** Optional capability: writing the metadata label. */
    default Optional<MetadataWriter> writer() {
        return Optional.empty();
    }

    /** Optional capability: decoding and re-encoding pixels (visible labels, watermarks). */
    default Optional<PixelCodec> pixels() {
        return Optional.empty();
    }

    /**
     * Optional capability: labelling and inspecting a file on disk without reading it into memory (large videos).
     * Only the metadata is read; the media is copied by range. Outputs and digests equal the in-memory
     * {@link MetadataWriter}'s for the same file.
     */
    default Optional<Streaming> streaming() {
        return Optional.empty();
    }

    /**
     * Optional capability: a metadata-only label or propagate from file to file ({@link org.aigcmark.Labeler}'s Path
     * methods) that reads only the metadata and copies the rest by range, for a format whose files inspection and
     * pixel work still read whole (JPEG). {@link #streaming()} by default. The Labeler takes one for each call and
     * uses it for that call's input and output only, so it may keep what it read of them.
     */
    default Optional<Streaming> labelStreaming() {
        return streaming();
    }

    /**
     * Optional capability: the text a reader sees (a document's pages, a text's body), where an explicit label such
     * as "AI生成" is printed. The sdk searches it for explicit labels the same way for every format that has it.
     */
    default Optional<TextContent> text() {
        return Optional.empty();
    }

    /** Writes the label record into the container without touching the content. */
    interface MetadataWriter {
        /**
         * Returns a copy of {@code file} holding exactly one AIGC record, {@code label}: any record already present
         * in any slot is replaced. The content (compressed image data) stays byte-identical.
         */
        byte[] writeLabel(byte[] file, AigcLabel label, Limits limits);

        /**
         * As {@link #writeLabel(byte[], AigcLabel, Limits)}, for a {@code file} that {@code scan}, this handler's
         * {@link FormatHandler#scan} of these very bytes, found undamaged: the checks that scan made (PNG's chunk
         * CRCs) are not made again. {@link org.aigcmark.Labeler} calls this one for its scanned input.
         */
        default byte[] writeLabel(byte[] file, ContainerScan scan, AigcLabel label, Limits limits) {
            return writeLabel(file, label, limits);
        }

        /**
         * Feeds the digest with the bytes that writing a label never changes (for the signature's content hash).
         */
        void digestContent(byte[] file, MessageDigest digest, Limits limits);

        /**
         * Feeds the digest with what changes what a viewer sees or hears but {@link #digestContent} leaves out
         * (orientation, colour transforms and profiles, presentation boxes, the document's part graph), as
         * {@link PresentationDigest} records, excluding anything a label write changes. Used by version 2 signatures
         * (docs/SIGNATURES.md); a format with nothing of the kind adds nothing.
         */
        default void digestPresentation(byte[] file, MessageDigest digest, Limits limits) {
        }
    }

    /**
     * The {@link MetadataWriter} and {@link #scan} of a container, over a channel: memory stays bounded by the
     * metadata (capped by {@link Limits#maxSegmentBytes()}), whatever the file's size. Read failures and damage
     * that stops the work are {@link org.aigcmark.AigcmarkException}s; damage found by {@code scan} is data.
     */
    interface Streaming {
        /** As {@link FormatHandler#scan}, reading only the metadata of {@code in}. */
        ContainerScan scan(SeekableByteChannel in, Limits limits);

        /**
         * Writes to {@code out} (at its current position, which should be 0) what {@link MetadataWriter#writeLabel}
         * would return for the bytes of {@code in}. {@code out}'s I/O errors are thrown as they come.
         */
        void writeLabel(SeekableByteChannel in, AigcLabel label, WritableByteChannel out, Limits limits) throws IOException;

        /** As {@link MetadataWriter#digestContent}. */
        void digestContent(SeekableByteChannel in, MessageDigest digest, Limits limits);

        /** As {@link MetadataWriter#digestPresentation}. */
        default void digestPresentation(SeekableByteChannel in, MessageDigest digest, Limits limits) {
        }
    }

    /** Reads a bounded part of a file's visible text. */
    interface TextContent {
        /**
         * The passages to search for explicit labels, in the order reports list them. Bounded (as the format says:
         * the first and last pages of a PDF, a DOCX's main part under the inflate limit, the first and last 64 KiB of
         * a large text). Best effort: text that cannot be read gives no passage, with a note when the reader should
         * know why; damage is never thrown.
         */
        Text extractText(byte[] file, Limits limits);
    }

    /** A file's text as named passages, and notes on what of it was not read. */
    record Text(java.util.List<Passage> passages, java.util.List<String> notes) {
        public static final Text NONE = new Text(java.util.List.of(), java.util.List.of());

        public Text {
            passages = java.util.List.copyOf(passages);
            notes = java.util.List.copyOf(notes);
        }

        /** The given passages, in order, with no notes. */
        public static Text of(Passage... passages) {
            return new Text(java.util.List.of(passages), java.util.List.of());
        }
    }

    /**
     * One passage of text. {@code source} names it in reports ({@code pdf-text:page-1}, {@code docx-text},
     * {@code text}; a finding adds {@code :start}, {@code :end} or {@code :body}).
     */
    record Passage(String source, String text, Window window) {
        /** A passage that is the whole of a text ({@link Window#WHOLE}). */
        public static Passage whole(String source, String text) {
            return new Passage(source, text, Window.WHOLE);
        }
    }

    /**
     * Which part of a text a passage is: all of it, or the head or tail window of a text too large to search whole,
     * where only a label at the window's outer edge is at the text's edge.
     */
    enum Window { WHOLE, HEAD, TAIL }

    /** Decodes pixels and re-encodes them keeping the container's other metadata. */
    interface PixelCodec {
        /**
         * The pixels of {@code file}, in the orientation they are stored (EXIF orientation is not applied).
         *
         * @throws org.aigcmark.AigcmarkException {@code CORRUPT_INPUT} for a damaged file, {@code LIMIT_EXCEEDED}
         *     when its dimensions are over {@link Limits#maxPixels()}, {@code UNSUPPORTED_FORMAT} for an encoding the
         *     decoder does not read
         */
        java.awt.image.BufferedImage decode(byte[] file, Limits limits);

        /**
         * The pixels detection's content checks (watermarks, OCR, forensics) analyse: by default {@link #decode}. A
         * format whose canvas can be far larger than what its file codes (a GIF's logical screen around a small
         * frame, transparent outside it) returns only the coded part, so the checks cost what the file holds, not
         * what it declares (issue 16); a format whose {@link #decode} converts its decoder's image for the encoder's
         * sake (WebP: into an int image) returns the decoder's image as it is. Either way the checks see the same
         * getRGB values as {@link #decode} gives (for the coded part), except a WebP read by a plugged-in reference
         * decoder ({@link org.aigcmark.format.webp.WebpDecoder}: libwebp's pixels, which the pure-Java reader's differ from).
         *
         * @throws org.aigcmark.AigcmarkException as {@link #decode}
         */
        default java.awt.image.BufferedImage decodeForChecks(byte[] file, Limits limits) {
            return decode(file, limits);
        }

        /**
         * Encodes {@code image} in this format the way {@code original} was encoded (lossy stays lossy at the
         * estimated quality, colour type and bit depth kept where the pixels allow), carrying over its metadata.
         * Whatever could not be kept, and a file more than {@link Encoded#GROWTH_NOTE_RATIO} times the input's
         * size, is said in {@link Encoded#notes()}.
         */
        Encoded encode(java.awt.image.BufferedImage image, byte[] original, Limits limits);
    }

    /** A re-encoded file and what the caller should know about it (a changed encoding, a larger file). */
    record Encoded(byte[] bytes, java.util.List<String> notes) {
        /** Output over this many times the input's size gets a note saying by how much and why. */
        public static final double GROWTH_NOTE_RATIO = 1.10;

        public Encoded {
            notes = java.util.List.copyOf(notes);
        }

        /**
         * {@code bytes} with {@code notes}, plus a size note when the output grew past {@link #GROWTH_NOTE_RATIO}:
         * {@code why} says what in this encoding costs the bytes.
         */
        public static Encoded of(byte[] bytes, byte[] original, String format, java.util.List<String> notes, String why) {
            java.util.List<String> all = new java.util.ArrayList<>(notes);
            if (bytes.length > original.length * GROWTH_NOTE_RATIO) {
                long percent = Math.round(100.0 * (bytes.length - original.length) / Math.max(1, original.length));
                all.add(String.format(java.util.Locale.ROOT, "the re-encoded %s is %d%% larger than the input (%,d -> %,d bytes): %s",
                        format, percent, original.length, bytes.length, why));
            }
            return new Encoded(bytes, all);
        }
    }
}
