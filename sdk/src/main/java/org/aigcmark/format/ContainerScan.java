package org.aigcmark.format;

import java.util.ArrayList;
import java.util.List;

/**
 * What a format handler found in a file, before any label text is decoded: the raw label slots, provenance
 * hints, C2PA presence, and damage. A handler fills it and never throws for damage found after the header:
 * damage is data here, so {@code inspect} can still print what it read. Mutable and not thread-safe: one handler
 * fills it on one thread, and the list getters return the live lists.
 */
public final class ContainerScan {
    /**
     * Label text found in one slot.
     *
     * @param source names the slot, e.g. {@code xmp}, {@code png-text}
     * @param text the label text as stored, not yet parsed
     */
    public record Slot(String source, String text) {}

    /**
     * A provenance hint that is not an AIGC record (IPTC DigitalSourceType, generator metadata, ...).
     *
     * @param kind what the hint is
     * @param source where it was found
     * @param value its value as stored
     */
    public record Hint(HintKind kind, String source, String value) {}

    /** What a hint is; {@link #id()} is its name in reports. */
    public enum HintKind {
        /** A remark on the container itself (encrypted, no metadata slot, not the package it claims to be). */
        CONTAINER("container"),
        /** An explicit label prompt in the content's text. */
        EXPLICIT_LABEL("explicit-label"),
        /** The software that made or wrote the file (EXIF Software, XMP CreatorTool, PDF Producer, SD parameters). */
        GENERATOR("generator"),
        /** IPTC DigitalSourceType. */
        IPTC_DIGITAL_SOURCE_TYPE("iptc-digital-source-type"),
        /** Other free text found in a metadata slot (a PNG text chunk). */
        TEXT("text");

        private final String id;

        HintKind(String id) {
            this.id = id;
        }

        /** The kind's name in reports, e.g. {@code "generator"}. */
        public String id() {
            return id;
        }
    }

    private MediaType type;
    private int width = -1;
    private int height = -1;
    private int orientation = 1;
    private final List<Slot> slots = new ArrayList<>();
    private final List<Hint> hints = new ArrayList<>();
    private final List<String> c2pa = new ArrayList<>();
    private final List<String> damage = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> xmpPackets = new ArrayList<>();
    private final List<byte[]> c2paStores = new ArrayList<>();

    /** An empty scan of a file sniffed as {@code type}: no slots, no damage, dimensions unknown (-1), orientation 1. */
    public ContainerScan(MediaType type) {
        this.type = type;
    }

    /** The file's type: the sniffed one, or what the handler refined it to. */
    public MediaType type() {
        return type;
    }

    /** For a handler that learns the exact kind only by reading the container (a ZIP that is a DOCX). */
    public void refineType(MediaType exact) {
        this.type = exact;
    }

    /** The image or video width in pixels, -1 when the handler did not read it. */
    public int width() {
        return width;
    }

    /** The image or video height in pixels, -1 when the handler did not read it. */
    public int height() {
        return height;
    }

    /** Records the width and height in pixels, as the container declares them. */
    public void dimensions(int w, int h) {
        this.width = w;
        this.height = h;
    }

    /** EXIF orientation (1..8), 1 when absent. */
    public int orientation() {
        return orientation;
    }

    /** Records the EXIF orientation (1..8). */
    public void orientation(int o) {
        this.orientation = o;
    }

    /** The label text found, one slot per place, in the order the handler met them; the live list. */
    public List<Slot> slots() {
        return slots;
    }

    /** The provenance hints found; the live list. */
    public List<Hint> hints() {
        return hints;
    }

    /** Where a C2PA manifest store was seen (e.g. {@code jpeg-app11}); empty when none. */
    public List<String> c2pa() {
        return c2pa;
    }

    /** Damage that makes the file unsafe to relabel (truncation, bad CRC, limits). */
    public List<String> damage() {
        return damage;
    }

    /** Non-fatal remarks about the container. */
    public List<String> notes() {
        return notes;
    }

    /** Raw C2PA manifest stores (JUMBF), one per location in {@link #c2pa()}. */
    public List<byte[]> c2paStores() {
        return c2paStores;
    }

    /** Records a C2PA manifest store found at {@code where}. */
    public void addC2pa(String where, byte[] jumbf) {
        c2pa.add(where);
        c2paStores.add(jumbf);
    }

    /** XMP packets found, as text (standard packet first). */
    public List<String> xmpPackets() {
        return xmpPackets;
    }

    /** Records label text found in the slot named {@code source}; the text is decoded later by {@code LabelParser}. */
    public void addSlot(String source, String text) {
        slots.add(new Slot(source, text));
    }

    /** Records a provenance hint of {@code kind} found in {@code source}. */
    public void addHint(HintKind kind, String source, String value) {
        hints.add(new Hint(kind, source, value));
    }

    /** Whether any damage was recorded, which makes the file unsafe to relabel. */
    public boolean damaged() {
        return !damage.isEmpty();
    }
}
