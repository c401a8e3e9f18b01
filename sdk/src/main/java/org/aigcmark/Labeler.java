package org.aigcmark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.MediaType;
import org.aigcmark.internal.AtomicFiles;
import org.aigcmark.internal.Limits;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelParser;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.visible.VisibleLabelRenderer;

/**
 * The front door: label a file (metadata record, optional visible label, signature, watermark), propagate a
 * platform's fields, inspect what a file carries. Immutable and thread-safe; reuse one instance.
 *
 * <p>Formats are chosen by magic bytes through a {@link FormatRegistry}; the per-format handlers are public and can
 * be used directly. There is deliberately no operation that removes a label (CAC Measures Art. 10).
 */
public final class Labeler {
    private final FormatRegistry registry;
    private final Limits limits;
    private final List<PixelStep> pixelSteps;

    /** A transformation of decoded pixels done while labelling (the invisible watermark plugs in here). */
    public interface PixelStep {
        /** Applies the step in place; returns a note for the result, or null. */
        String apply(BufferedImage image, LabelRequest request, AigcLabel label);

        /** Whether this step has work for the request. */
        boolean wants(LabelRequest request);
    }

    private Labeler(FormatRegistry registry, Limits limits, List<PixelStep> pixelSteps) {
        this.registry = registry;
        this.limits = limits;
        this.pixelSteps = List.copyOf(pixelSteps);
    }

    public static Labeler create() {
        return new Labeler(FormatRegistry.defaults(), Limits.DEFAULT, PixelSteps.defaults());
    }

    public static Labeler create(FormatRegistry registry, Limits limits) {
        return new Labeler(registry, limits, PixelSteps.defaults());
    }

    public FormatRegistry registry() {
        return registry;
    }

    public Limits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- inspect

    public InspectReport inspect(Path file, List<PublicKey> trustedKeys) {
        return inspect(readInput(file), file.toString(), trustedKeys);
    }

    public InspectReport inspect(byte[] bytes, String name, List<PublicKey> trustedKeys) {
        return inspect(bytes, name, trustedKeys, org.aigcmark.format.c2pa.C2paValidator.NO_ANCHORS);
    }

    /** As {@link #inspect(byte[], String, List)}, validating C2PA manifests against {@code c2pa}'s trust anchors. */
    public InspectReport inspect(byte[] bytes, String name, List<PublicKey> trustedKeys,
                                 org.aigcmark.format.c2pa.C2paValidator c2pa) {
        FormatHandler handler = handlerFor(bytes, name);
        ContainerScan scan = scan(handler, bytes, name);
        List<String> problems = new ArrayList<>(scan.damage());
        problems.addAll(scan.notes());
        List<LabelParser.ParsedLabel> parsed = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (ContainerScan.Slot slot : scan.slots()) {
            Optional<LabelParser.ParsedLabel> p = LabelParser.parse(slot.text());
            if (p.isPresent()) {
                parsed.add(p.get());
                sources.add(slot.source());
            } else {
                problems.add(slot.source() + ": an AIGC field whose value is not a readable label record");
            }
        }
        Set<String> distinct = new LinkedHashSet<>();
        parsed.forEach(p -> distinct.add(p.label().toBareJson()));
        if (parsed.size() > 1) {
            problems.add(parsed.size() + " AIGC records in one file (GB 45438 §6.1 c: a file keeps only one)"
                    + (distinct.size() > 1 ? "; they disagree" : "; they agree"));
        }
        java.util.function.Function<String, byte[]> digester = digestName -> {
            if (scan.damaged() || handler.writer().isEmpty()) {
                return null;
            }
            try {
                return contentDigest(handler, bytes, digestName);
            } catch (AigcmarkException e) {
                return null;
            }
        };
        List<InspectReport.FoundLabel> found = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            LabelParser.ParsedLabel p = parsed.get(i);
            List<String> lp = new ArrayList<>(p.problems());
            lp.addAll(p.label().warnings());
            if (parsed.size() > 1) {
                lp.add("duplicate: one of " + parsed.size() + " AIGC records in this file");
            }
            List<LabelSignatures.Check> checks = List.of(
                    LabelSignatures.verify(p.label(), LabelSignatures.Field.RESERVED_CODE_1, digester, trustedKeys),
                    LabelSignatures.verify(p.label(), LabelSignatures.Field.RESERVED_CODE_2, digester, trustedKeys));
            found.add(new InspectReport.FoundLabel(p.label(), sources.get(i), p.form(), lp,
                    LabelSignatures.overall(checks), checks));
        }
        List<org.aigcmark.format.c2pa.C2paReader.Summary> manifests = scan.c2paStores().stream()
                .map(store -> org.aigcmark.format.c2pa.C2paReader.read(store, bytes, c2pa)).toList();
        return new InspectReport(name, scan.type().id(), scan.width(), scan.height(), found, scan.hints(),
                scan.c2pa(), manifests, problems, scan.damaged());
    }

    // ---------------------------------------------------------------- label

    /** Labels {@code in} and writes {@code out} atomically; {@code in} is never modified unless it is {@code out}. */
    public LabelResult label(Path in, Path out, LabelRequest request) {
        LabelResult r = label(readInput(in), in.toString(), request);
        AtomicFiles.write(out, r.bytes());
        return r;
    }

    public LabelResult label(byte[] input, LabelRequest request) {
        return label(input, "input", request);
    }

    /** Labels bytes; {@code name} only appears in error messages. */
    public LabelResult label(byte[] input, String name, LabelRequest request) {
        Writable w = writable(input, name);
        FormatHandler handler = w.handler();
        FormatHandler.MetadataWriter writer = w.writer();
        ContainerScan scan = w.scan();
        AigcLabel label = request.label().requireValid();
        List<String> notes = new ArrayList<>(label.warnings());
        byte[] bytes = input;
        Optional<VisibleLabelRenderer.Placement> placement = Optional.empty();
        boolean pixelsChanged = false;
        List<PixelStep> steps = pixelSteps.stream().filter(s -> s.wants(request)).toList();
        if (request.visible().isPresent() || !steps.isEmpty()) {
            FormatHandler.PixelCodec codec = handler.pixels().orElseThrow(() -> new AigcmarkException(
                    AigcmarkException.Reason.UNSUPPORTED_FORMAT, "visible labels and watermarks need pixel re-encoding, which "
                    + handler.type().id() + " does not support yet; the metadata label alone works"));
            BufferedImage img = codec.decode(input, limits);
            for (PixelStep step : steps) {
                String note = step.apply(img, request, label);
                if (note != null) {
                    notes.add(note);
                }
            }
            if (request.visible().isPresent()) {
                // Drawn after the watermark so the label's plate is crisp; the mark tolerates the occlusion.
                placement = Optional.of(VisibleLabelRenderer.render(img, request.visible().get(), scan.orientation()));
            }
            FormatHandler.Encoded encoded = codec.encode(img, input, limits);
            bytes = encoded.bytes();
            notes.addAll(encoded.notes());
            pixelsChanged = true;
        }
        if (request.signingKey().isPresent()) {
            LabelKeys.SigningKey key = request.signingKey().get();
            label = LabelSignatures.sign(label, LabelSignatures.Field.RESERVED_CODE_1, key,
                    contentDigest(handler, bytes, key.algorithm().digestName()));
        }
        byte[] out = writer.writeLabel(bytes, label, limits);
        readBack(handler, out, label);
        Optional<String> payload = request.watermarkKey().map(k -> PixelSteps.payloadFor(k, request.label()).hex());
        return new LabelResult(out, handler.type().id(), label, pixelsChanged, placement, payload, notes);
    }

    // ---------------------------------------------------------------- propagate

    /** The platform step: one record with the platform's fields, the producer's kept when present. */
    public LabelResult propagate(Path in, Path out, PropagateRequest request) {
        LabelResult r = propagate(readInput(in), in.toString(), request);
        AtomicFiles.write(out, r.bytes());
        return r;
    }

    public LabelResult propagate(byte[] input, PropagateRequest request) {
        return propagate(input, "input", request);
    }

    public LabelResult propagate(byte[] input, String name, PropagateRequest request) {
        Writable w = writable(input, name);
        FormatHandler handler = w.handler();
        FormatHandler.MetadataWriter writer = w.writer();
        ContainerScan scan = w.scan();
        List<String> notes = new ArrayList<>();
        AigcLabel existing = null;
        for (ContainerScan.Slot slot : scan.slots()) {
            Optional<LabelParser.ParsedLabel> p = LabelParser.parse(slot.text());
            if (p.isPresent()) {
                if (existing == null) {
                    existing = p.get().label();
                } else if (!existing.equals(p.get().label())) {
                    notes.add("the file held disagreeing records; kept the producer fields of the first (" + scan.slots().get(0).source() + ")");
                }
            }
        }
        AigcLabel label;
        if (existing != null) {
            String newValue = request.label().orElse(existing.label());
            if (!newValue.equals(existing.label())) {
                notes.add("Label changed from \"" + existing.label() + "\" to \"" + newValue + "\"");
            }
            label = existing.propagated(newValue, request.propagator(), request.propagateId());
        } else {
            String value = request.label().orElseThrow(() -> AigcmarkException.invalid(
                    "the file carries no AIGC record: say --label 2 (the user declared it AI-generated) or --label 3 (detected as suspected AI)"));
            if (value.equals("1")) {
                throw AigcmarkException.invalid("Label \"1\" needs the producer's record, and the file carries none; use 2 or 3");
            }
            label = new AigcLabel(value, "", "", "", request.propagator(), request.propagateId(), "");
            notes.add("no producer record: ContentProducer and ProduceID left empty");
        }
        requirePropagatable(label);
        if (request.signingKey().isPresent()) {
            LabelKeys.SigningKey key = request.signingKey().get();
            label = LabelSignatures.sign(label, LabelSignatures.Field.RESERVED_CODE_2, key,
                    contentDigest(handler, input, key.algorithm().digestName()));
        }
        byte[] out = writer.writeLabel(input, label, limits);
        readBack(handler, out, label);
        return new LabelResult(out, handler.type().id(), label, false, Optional.empty(), Optional.empty(), notes);
    }

    private static void requirePropagatable(AigcLabel label) {
        List<String> p = new ArrayList<>(label.problems());
        // Producer fields may be empty when no producer record existed (user-declared or suspected content).
        p.removeIf(s -> s.startsWith("ContentProducer is required") || s.startsWith("ProduceID is required"));
        if (label.contentPropagator().isEmpty()) {
            p.add("ContentPropagator is required");
        }
        if (label.propagateId().isEmpty()) {
            p.add("PropagateID is required");
        }
        if (!p.isEmpty()) {
            throw AigcmarkException.invalid("invalid AIGC label: " + p.get(0));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The content digest a signature binds to, hex-free raw bytes. */
    public byte[] contentDigest(Path file, String digestName) {
        byte[] b = readInput(file);
        return contentDigest(handlerFor(b, file.toString()), b, digestName);
    }

    private byte[] contentDigest(FormatHandler handler, byte[] bytes, String digestName) {
        MessageDigest md = LabelSignatures.newDigest(digestName);
        writerOf(handler).digestContent(bytes, md, limits);
        return md.digest();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private void readBack(FormatHandler handler, byte[] out, AigcLabel expected) {
        ContainerScan check = handler.scan(out, limits);
        List<AigcLabel> labels = check.slots().stream().map(s -> LabelParser.parse(s.text()))
                .flatMap(Optional::stream).map(LabelParser.ParsedLabel::label).toList();
        if (check.damaged() || labels.isEmpty() || !labels.stream().allMatch(expected::equals)) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL,
                    "read-back after writing found " + labels.size() + " record(s) that do not match what was written"
                            + (check.damaged() ? " and damage: " + check.damage().get(0) : ""));
        }
    }

    /** A file that a label can be written into: its handler, the handler's writer, and a clean scan. */
    private record Writable(FormatHandler handler, FormatHandler.MetadataWriter writer, ContainerScan scan) {}

    private Writable writable(byte[] input, String name) {
        FormatHandler handler = handlerFor(input, name);
        FormatHandler.MetadataWriter writer = writerOf(handler);
        ContainerScan scan = scan(handler, input, name);
        refuseDamaged(scan, name);
        return new Writable(handler, writer, scan);
    }

    /**
     * Runs a handler's scan. Handlers record damage as data; should one still trip over input it did not
     * anticipate, the host gets a typed error instead of a crash.
     */
    private ContainerScan scan(FormatHandler handler, byte[] bytes, String name) {
        try {
            return handler.scan(bytes, limits);
        } catch (AigcmarkException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, name + " is malformed in a way the "
                    + handler.type().id() + " parser did not expect (parser error " + e.getClass().getSimpleName()
                    + "; please report it with the file)", e);
        }
    }

    private static void refuseDamaged(ContainerScan scan, String name) {
        if (scan.damaged()) {
            boolean limit = scan.damage().stream().anyMatch(d -> d.contains("over the limit"));
            throw new AigcmarkException(limit ? AigcmarkException.Reason.LIMIT_EXCEEDED : AigcmarkException.Reason.CORRUPT_INPUT,
                    "refusing to label " + name + ", a damaged " + scan.type().id() + ": " + scan.damage().get(0));
        }
    }

    private FormatHandler.MetadataWriter writerOf(FormatHandler handler) {
        return handler.writer().orElseThrow(() -> new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT,
                handler.type() == MediaType.TEXT ? org.aigcmark.format.markdown.PlainTextHandler.NO_SLOT
                        : "writing labels into " + handler.type().id() + " files is not supported"));
    }

    /** The handler for these bytes, by magic bytes. */
    public FormatHandler handlerFor(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw AigcmarkException.corrupt(name + " is empty (0 bytes)");
        }
        MediaType type = MediaType.sniff(bytes);
        return registry.handlerFor(type).orElseThrow(() -> new AigcmarkException(
                AigcmarkException.Reason.UNSUPPORTED_FORMAT, type == MediaType.UNKNOWN && MediaType.invalidUtf8InText(bytes) >= 0
                        ? name + " looks like text but is not valid UTF-8 (byte offset " + MediaType.invalidUtf8InText(bytes)
                        + "); convert it to UTF-8 first, e.g. iconv -f GB18030 -t UTF-8"
                        : type == MediaType.UNKNOWN
                        ? name + " is not a supported file: its first bytes (" + hex(java.util.Arrays.copyOf(bytes, Math.min(8, bytes.length)))
                        + ") match no known format (JPEG, PNG, WebP, TIFF, GIF, MP4/MOV/M4A, MKV/WebM, PDF, DOCX/XLSX/PPTX,"
                        + " Markdown or UTF-8 text; text must be valid UTF-8 without NUL bytes)"
                        : name + " is " + type.id() + ", which this build does not handle yet"));
    }

    /** Reads a whole input with the size limit checked first. */
    public byte[] readInput(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, file + " is a folder, not a file");
            }
            if (!Files.exists(file)) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, file + " does not exist");
            }
            long size = Files.size(file);
            limits.checkBytes(size, file.toString());
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
