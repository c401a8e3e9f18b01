package org.aigcmark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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
import org.aigcmark.format.PresentationDigest;
import org.aigcmark.format.c2pa.C2paSigner;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.io.AtomicFiles;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelParser;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.visible.VisibleLabelFinder;
import org.aigcmark.visible.VisibleLabelOptions;
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

        /**
         * What this step's own mark already finds in {@code image} (e.g. a watermark payload, hex), or empty. When
         * present the step is skipped: the mark is there, and a second one over it would erase it.
         */
        default Optional<String> existing(BufferedImage image, LabelRequest request) {
            return Optional.empty();
        }
    }

    private Labeler(FormatRegistry registry, Limits limits, List<PixelStep> pixelSteps) {
        this.registry = registry;
        this.limits = limits;
        this.pixelSteps = List.copyOf(pixelSteps);
    }

    /**
     * A labeler with the default formats ({@link FormatRegistry#defaults()}: the sdk's own and those of artifacts on
     * the class path), the default limits and the invisible watermark step (used when a request has a watermark key).
     */
    public static Labeler create() {
        return new Labeler(FormatRegistry.defaults(), Limits.DEFAULT, PixelSteps.defaults());
    }

    /**
     * A labeler that dispatches to {@code registry}'s handlers only and bounds every input by {@code limits}; the
     * watermark step is the default one. Neither argument may be null.
     */
    public static Labeler create(FormatRegistry registry, Limits limits) {
        return new Labeler(registry, limits, PixelSteps.defaults());
    }

    /** The handlers this labeler chooses from. */
    public FormatRegistry registry() {
        return registry;
    }

    /** The size, pixel and nesting bounds every input is read under. */
    public Limits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- inspect

    /**
     * What {@code file} carries: its AIGC records (each with its signature checks against {@code trustedKeys}, which
     * may be empty but not null), label hints, C2PA manifests (validated without trust anchors) and the problems
     * found, which are data in the report, not exceptions. As {@link #inspect(Path, List,
     * org.aigcmark.format.c2pa.C2paValidator)} with {@link org.aigcmark.format.c2pa.C2paValidator#NO_ANCHORS}.
     *
     * @throws AigcmarkException {@code INPUT_UNREADABLE} when the file is missing, a folder or unreadable;
     *     {@code UNSUPPORTED_FORMAT} for a format no handler reads; {@code CORRUPT_INPUT} for an empty file or one
     *     the parser cannot make sense of; {@code LIMIT_EXCEEDED} over {@link Limits#maxFileBytes()}
     */
    public InspectReport inspect(Path file, List<PublicKey> trustedKeys) {
        return inspect(file, trustedKeys, org.aigcmark.format.c2pa.C2paValidator.NO_ANCHORS);
    }

    /**
     * As {@link #inspect(byte[], String, List, org.aigcmark.format.c2pa.C2paValidator)} for a file on disk. Formats
     * that can stream ({@link FormatHandler#streaming()}: MP4/MOV/M4A, MKV/WebM, WAV) are read from disk with bounded
     * memory, whatever their size; others are read whole, under {@link Limits#maxFileBytes()}.
     */
    public InspectReport inspect(Path file, List<PublicKey> trustedKeys, org.aigcmark.format.c2pa.C2paValidator c2pa) {
        return inspect(file, file.toString(), trustedKeys, c2pa);
    }

    /** As {@link #inspect(Path, List, org.aigcmark.format.c2pa.C2paValidator)}; the report calls the file {@code name}. */
    public InspectReport inspect(Path file, String name, List<PublicKey> trustedKeys,
                                 org.aigcmark.format.c2pa.C2paValidator c2pa) {
        Opened opened = open(file, false);
        if (opened.streaming() == null) {
            return inspect(opened.bytes(), name, trustedKeys, c2pa);
        }
        FormatHandler handler = opened.streaming();
        FormatHandler.Streaming streaming = handler.streaming().orElseThrow();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ContainerScan scan = streamedScan(handler, streaming, in, name);
            // A manifest's hard binding covers the whole file: validated when the file fits the in-memory limit.
            byte[] whole = !scan.c2paStores().isEmpty() && in.size() <= limits.maxFileBytes() ? Files.readAllBytes(file) : null;
            if (!scan.c2paStores().isEmpty() && whole == null) {
                scan.notes().add("the C2PA manifest was not validated: the file is over the in-memory limit of "
                        + limits.maxFileBytes() + " bytes");
            }
            return report(name, handler, scan, trustedKeys,
                    (digestName, version) -> streamedDigest(streaming, in, digestName, version),
                    store -> org.aigcmark.format.c2pa.C2paReader.read(store, whole, c2pa));
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * What {@code bytes} carry, as {@link #inspect(Path, List)}; {@code name} is what the report and error messages
     * call the input. Damage found while scanning is a problem in the report; only input that matches no handler,
     * or that trips its parser, throws ({@code UNSUPPORTED_FORMAT}, {@code CORRUPT_INPUT}).
     */
    public InspectReport inspect(byte[] bytes, String name, List<PublicKey> trustedKeys) {
        return inspect(bytes, name, trustedKeys, org.aigcmark.format.c2pa.C2paValidator.NO_ANCHORS);
    }

    /** As {@link #inspect(byte[], String, List)}, validating C2PA manifests against {@code c2pa}'s trust anchors. */
    public InspectReport inspect(byte[] bytes, String name, List<PublicKey> trustedKeys,
                                 org.aigcmark.format.c2pa.C2paValidator c2pa) {
        FormatHandler handler = handlerFor(bytes, name);
        ContainerScan scan = scan(handler, bytes, name);
        ExplicitLabelHints.add(handler, bytes, limits, scan);
        return report(name, handler, scan, trustedKeys,
                (digestName, version) -> contentDigest(handler, bytes, digestName, version),
                store -> org.aigcmark.format.c2pa.C2paReader.read(store, bytes, c2pa));
    }

    /** The report on what {@code scan} found; {@code contentDigest} and {@code c2paRead} reach the file's bytes. */
    private InspectReport report(String name, FormatHandler handler, ContainerScan scan, List<PublicKey> trustedKeys,
                                 LabelSignatures.ContentDigester contentDigest,
                                 java.util.function.Function<byte[], org.aigcmark.format.c2pa.C2paReader.Summary> c2paRead) {
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
        LabelSignatures.ContentDigester digester = (digestName, version) -> {
            if (scan.damaged() || handler.writer().isEmpty()) {
                return null;
            }
            try {
                return contentDigest.digest(digestName, version);
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
                .map(c2paRead).toList();
        return new InspectReport(name, scan.type(), scan.width(), scan.height(), found, scan.hints(),
                scan.c2pa(), manifests, problems, scan.damaged());
    }

    // ---------------------------------------------------------------- label

    /**
     * Labels {@code in} and writes {@code out} atomically; {@code in} is never modified unless it is {@code out}. A
     * metadata-only label of a format that can stream (MP4/MOV/M4A, MKV/WebM, WAV) is done from disk with bounded
     * memory, whatever the file's size, and its result carries no bytes ({@link LabelResult#bytes()} is empty); so is
     * a JPEG's (under {@link Limits#maxFileBytes()}): its head is read, its scan data copied by the OS.
     */
    public LabelResult label(Path in, Path out, LabelRequest request) {
        if (request.visible().isPresent() || request.watermarkKey().isPresent()) {
            refusePixelsOnAudio(readHead(in), in.toString());
        }
        Optional<MediaLabeler> media = wantsPixels(request) ? mediaLabelerFor(MediaType.sniff(readHead(in)), request) : Optional.empty();
        if (media.isPresent()) {
            requireReplaceableRecord(in, request);
            return media.get().label(this, in, out, request);
        }
        // A C2PA manifest's BMFF hash covers the whole output, so an MP4 to sign is read whole (under the limits).
        Opened opened = open(in, wantsPixels(request) || request.c2pa().isPresent(), true);
        if (opened.streaming() != null) {
            return labelStreamed(in, out, request, opened.streaming(), opened.channel());
        }
        LabelResult r = label(opened.bytes(), in.toString(), request);
        AtomicFiles.write(out, r.bytes());
        return r;
    }

    /** As {@link #label(byte[], String, LabelRequest)}, with the input called "input" in messages. */
    public LabelResult label(byte[] input, LabelRequest request) {
        return label(input, "input", request);
    }

    /**
     * Labels bytes: writes the request's record (replacing any earlier one), draws the visible label and embeds the
     * watermark when asked, signs {@code ReservedCode1} when the request has a signing key, then reads the output
     * back to check it holds exactly that record. With {@link LabelRequest#c2pa()} (JPEG, PNG, WebP and MP4/MOV) a signed C2PA manifest
     * store is added after the record is written, so its hard binding covers the record; it is validated on read-back. {@code input} is not modified; {@code name} only appears in error
     * messages. A watermark already present under the same key is kept, not embedded again (noted in the result).
     *
     * <p>A file that already carries a C2PA manifest store keeps it: with {@link LabelRequest#c2pa()} the new manifest
     * names the previous one as its parent ingredient; without, the result's notes say when the record broke that
     * manifest's hard binding.
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} for an invalid label or a second visible label without
     *     {@link LabelRequest#visibleAgain()};
     *     {@code UNSUPPORTED_FORMAT} when the format cannot be written, has no pixels for a visible label or
     *     watermark, or cannot take a C2PA manifest yet; {@code CORRUPT_INPUT} or {@code LIMIT_EXCEEDED} for damaged or
     *     oversized input (nothing is written into a damaged file; a C2PA manifest requested for a file with two
     *     stores or an unreadable one included); {@code INTERNAL} when the read-back fails
     */
    public LabelResult label(byte[] input, String name, LabelRequest request) {
        return label(input, name, request, null);
    }

    /**
     * Loads, once per process, what a first image label call would load lazily (ImageIO's plug-ins and JPEG/PNG codecs,
     * the bundled font and Java2D's rasteriser, the watermark kernels, Ed25519, the XML factories), by labelling small
     * generated JPEG and PNG images in memory with throwaway keys; writes nothing. A provider calls it at start-up so
     * that its first request costs about what later ones do (docs/BENCHMARKS.md, "First call"). Takes about a second
     * in a new process; thread-safe, and harmless to call again.
     */
    public void warmUp() {
        LabelWarmUp.run(this);
    }

    /**
     * As {@link #label(byte[], String, LabelRequest)}, recording into {@code timings} (when not null) how long each
     * stage took, for benchmarks. A video handed to the {@link MediaLabeler} records only the total.
     */
    public LabelResult label(byte[] input, String name, LabelRequest request, LabelTimings timings) {
        final long callStart = LabelTimings.start(timings);
        if (request.visible().isPresent() || request.watermarkKey().isPresent()) {
            refusePixelsOnAudio(input, name);
        }
        Optional<MediaLabeler> media = wantsPixels(request) ? mediaLabelerFor(MediaType.sniff(input), request) : Optional.empty();
        if (media.isPresent()) {
            LabelResult r = labelThroughFiles(media.get(), input, name, request);
            LabelTimings.lap(timings, LabelTimings.Stage.TOTAL, callStart);
            return r;
        }
        if (request.wantsAudioCue()) {
            MediaType type = MediaType.sniff(input);
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, name + ": the audio rhythm cue goes into"
                    + " WAV, MP3, FLAC, Ogg and M4A audio, re-encoded by org.aigcmark:aigcmark-video (FFmpeg), which "
                    + (InstalledMediaLabelers.ALL.isEmpty() ? "is not installed" : "does not take it into a " + type.displayName()));
        }
        Writable w = writable(input, name);
        FormatHandler handler = w.handler();
        FormatHandler.MetadataWriter writer = w.writer();
        ContainerScan scan = w.scan();
        AigcLabel label = request.label().requireValid();
        refuseForeignSignedRecord(records(scan), request, name);
        if (request.c2pa().isPresent()) {
            requireC2paWritable(scan, name);
        }
        List<String> notes = new ArrayList<>(label.warnings());
        byte[] bytes = input;
        Optional<VisibleLabelRenderer.Placement> placement = Optional.empty();
        boolean pixelsChanged = false;
        List<PixelStep> steps = pixelSteps.stream().filter(s -> s.wants(request)).toList();
        Optional<String> existingMark = Optional.empty();
        if (request.visible().isPresent() || !steps.isEmpty()) {
            FormatHandler.PixelCodec codec = handler.pixels().orElseThrow(() -> new AigcmarkException(
                    AigcmarkException.Reason.UNSUPPORTED_FORMAT, noPixels(MediaType.sniff(input), handler.type())));
            long t = LabelTimings.start(timings);
            BufferedImage img = codec.decode(input, limits);
            t = LabelTimings.lap(timings, LabelTimings.Stage.DECODE, t);
            if (request.visible().isPresent() && !request.visibleAgain()) {
                refuseSecondVisibleLabel(img, scan.orientation(), request.visible().get(), name);
            }
            t = LabelTimings.lap(timings, LabelTimings.Stage.VISIBLE, LabelTimings.Stage.VISIBLE_CHECK, t);
            boolean drawn = false;
            for (PixelStep step : steps) {
                Optional<String> already = step.existing(img, request);
                t = LabelTimings.lap(timings, LabelTimings.Stage.WATERMARK, LabelTimings.Stage.WATERMARK_CHECK, t);
                if (already.isPresent()) {
                    existingMark = already;
                    notes.add(alreadyMarked(already.get(), request, label));
                    continue;
                }
                String note = step.apply(img, request, label);
                if (note != null) {
                    notes.add(note);
                }
                drawn = true;
            }
            t = LabelTimings.lap(timings, LabelTimings.Stage.WATERMARK, t);
            if (request.visible().isPresent()) {
                // Drawn after the watermark so the label's plate is crisp; the mark tolerates the occlusion.
                placement = Optional.of(VisibleLabelRenderer.render(img, request.visible().get(), scan.orientation()));
                drawn = true;
            }
            t = LabelTimings.lap(timings, LabelTimings.Stage.VISIBLE, t);
            if (drawn) {
                FormatHandler.Encoded encoded = codec.encode(img, input, limits);
                bytes = encoded.bytes();
                notes.addAll(encoded.notes());
                pixelsChanged = true;
            }
            LabelTimings.lap(timings, LabelTimings.Stage.ENCODE, t);
        }
        long t = LabelTimings.start(timings);
        if (request.signingKey().isPresent()) {
            LabelKeys.SigningKey key = request.signingKey().get();
            label = LabelSignatures.sign(label, LabelSignatures.Field.RESERVED_CODE_1, key,
                    contentDigest(handler, bytes, key.algorithm().digestName()));
        }
        t = LabelTimings.lap(timings, LabelTimings.Stage.SIGN, t);
        // The input was scanned above: its writer need not repeat that scan's checks (re-encoded pixels were not).
        byte[] out = bytes == input ? writer.writeLabel(input, scan, label, limits) : writer.writeLabel(bytes, label, limits);
        readBack(handler, out, label);
        Optional<String> payload = existingMark.isPresent() ? existingMark
                : request.watermarkKey().map(k -> PixelSteps.payloadFor(k, request.label()).hex());
        if (request.c2pa().isPresent()) {
            // After the XMP record, so that the hard binding covers it; our watermark, when there, as a soft binding.
            org.aigcmark.format.c2pa.C2paManifestBuilder manifest = org.aigcmark.format.c2pa.C2paManifestBuilder.forLabel(label);
            if (!scan.c2paStores().isEmpty()) {
                // The file's manifest goes on as the parent ingredient of ours (its store kept), never replaced.
                manifest = manifest.withParent(scan.c2paStores().get(0), input, scan.type().mime(), pixelsChanged);
            }
            if (payload.isPresent()) {
                manifest = manifest.withWatermark(payload.get(), existingMark.isEmpty());
            }
            out = signC2pa(handler, scan, out, label, manifest, request.c2pa().get(), notes);
        } else {
            notes.addAll(brokenC2pa(handler, scan.c2paStores(), input, out));
        }
        LabelTimings.lap(timings, LabelTimings.Stage.METADATA, t);
        LabelTimings.lap(timings, LabelTimings.Stage.TOTAL, callStart);
        return new LabelResult(out, scan.type(), label, pixelsChanged, placement, payload, notes, existingMark);
    }

    /**
     * Refuses, as {@link #label(Path, Path, LabelRequest)} does, to replace a record in {@code file} that its producer
     * signed ({@code ReservedCode1} set) unless the request's signing key made that signature. For labellers that
     * write a new file themselves (a re-encoded video), to call before any work.
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} naming the signer, {@code --sign-key} and propagate
     */
    public void requireReplaceableRecord(Path file, LabelRequest request) {
        refuseForeignSignedRecord(inspect(file, List.of()).labels().stream().map(InspectReport.FoundLabel::label).toList(),
                request, file.toString());
    }

    /** The readable records a scan found, in file order. */
    private static List<AigcLabel> records(ContainerScan scan) {
        List<AigcLabel> out = new ArrayList<>();
        for (ContainerScan.Slot slot : scan.slots()) {
            LabelParser.parse(slot.text()).ifPresent(p -> out.add(p.label()));
        }
        return out;
    }

    /**
     * Refuses to replace a record whose producer signed it ({@code ReservedCode1} set) unless the request's signing
     * key verifies that signature, i.e. the same producer re-labels its own file. Replacing another producer's signed
     * record would silently remove its label (Measures Art. 10); the platform step ({@link #propagate}) adds a
     * platform's fields without touching the producer's. Unsigned records may be replaced, as before.
     */
    private static void refuseForeignSignedRecord(List<AigcLabel> records, LabelRequest request, String name) {
        for (AigcLabel old : records) {
            if (old.reservedCode1().isEmpty() || signedBy(old, request.signingKey())) {
                continue;
            }
            throw AigcmarkException.invalid(name + " already carries a record signed by its producer (Label "
                    + old.label() + ", ContentProducer \"" + old.contentProducer() + "\"" + signerOf(old)
                    + "); replacing it would remove that producer's label (Measures Art. 10). If the file is yours,"
                    + " label it with the signing key that signed it (--sign-key; LabelRequest.signingKey); to add a"
                    + " platform's fields, use propagate, which keeps the producer's record and signature");
        }
    }

    /** Whether {@code key} made the record's {@code ReservedCode1} signature (label fields only, content aside). */
    private static boolean signedBy(AigcLabel record, Optional<LabelKeys.SigningKey> key) {
        if (key.isEmpty()) {
            return false;
        }
        // No content digest is given, so a signature whose fields verify reads UNVERIFIED, one that does not INVALID.
        LabelSignatures.Check c = LabelSignatures.verify(record, LabelSignatures.Field.RESERVED_CODE_1, d -> null,
                List.of(key.get().publicKey()));
        // (Without the algorithm's provider it reads UNVERIFIED too, but then signing with this key fails anyway.)
        return c.status() == LabelSignatures.Status.UNVERIFIED && key.get().keyId().equals(c.keyId());
    }

    private static String signerOf(AigcLabel record) {
        String[] parts = record.reservedCode1().split("\\.", -1);
        return parts.length == 5 && LabelSignatures.versionOf(record.reservedCode1()) > 0 ? ", signed by key " + parts[2]
                : ", ReservedCode1 holds the producer's own signature or hash";
    }

    /** Where C2PA manifests can be written so far, for messages. */
    static final String C2PA_FORMATS = "C2PA manifests are written into JPEG, PNG, WebP and MP4/MOV only so far"
            + " (Matroska/WebM, PDF and others are not implemented yet); label without the C2PA option";

    private static void requireC2paWritable(ContainerScan scan, String name) {
        if (scan.type() != MediaType.JPEG && scan.type() != MediaType.PNG && scan.type() != MediaType.WEBP
                && scan.type() != MediaType.MP4) {
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, name + " is a "
                    + scan.type().displayName() + ": " + C2PA_FORMATS);
        }
        if (scan.c2paStores().size() > 1) {
            throw AigcmarkException.corrupt(name + " carries " + scan.c2paStores().size() + " C2PA manifest stores; a"
                    + " new manifest can continue only one (C2PA allows one store per asset), and dropping one would drop"
                    + " its provenance (a label)");
        }
    }

    /**
     * Adds the signed manifest {@code manifest} to {@code out}: a store the file carried is taken out and its
     * manifests go into the new store before ours (the builder names the previous active one as parent ingredient).
     */
    private byte[] signC2pa(FormatHandler handler, ContainerScan scan, byte[] out, AigcLabel label,
                            org.aigcmark.format.c2pa.C2paManifestBuilder manifest,
                            org.aigcmark.format.c2pa.C2paSigning signing, List<String> notes) {
        C2paSigner.Signed signed = C2paSigner.sign(scan.c2paStores().isEmpty() ? out : C2paSigner.withoutStore(out),
                manifest, signing);
        readBackC2pa(handler, signed.bytes(), label);
        notes.add("C2PA manifest " + signed.manifestLabel() + " signed by "
                + signing.chain().get(0).getSubjectX500Principal().getName()
                + (scan.c2paStores().isEmpty() ? "" : "; the file's previous manifest is kept in the store as its parent"
                + " ingredient (c2pa.opened)"));
        return signed.bytes();
    }

    /** How {@link #brokenC2pa} notes start, so callers and tests can find them. */
    static final String C2PA_BROKEN = "warning: the file's C2PA manifest will no longer validate: ";

    /**
     * A note for each C2PA manifest that was intact in {@code input} (its hard binding matched, trust aside) and is
     * not in {@code out}: the record went into bytes its hard binding covers. Labelling or propagating with C2PA
     * signing instead adds a manifest that names it as its parent, which keeps its provenance verifiable.
     */
    private List<String> brokenC2pa(FormatHandler handler, List<byte[]> stores, byte[] input, byte[] out) {
        if (stores.isEmpty()) {
            return List.of();
        }
        List<byte[]> after = handler.scan(out, limits).c2paStores();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) {
            if (C2paValidator.NO_ANCHORS.validate(stores.get(i), input).status() != C2paValidator.Status.UNTRUSTED) {
                continue; // not intact before (or not checkable): nothing this label broke
            }
            C2paValidator.Result now = i < after.size() ? C2paValidator.NO_ANCHORS.validate(after.get(i), out) : null;
            if (now != null && now.status() == C2paValidator.Status.UNTRUSTED) {
                continue;
            }
            notes.add(C2PA_BROKEN + (now == null ? "the output does not carry its store" : "the record was written into"
                    + " bytes its hard binding covers (" + now.reason() + ")") + ". Label or propagate with C2PA signing"
                    + " (--c2pa; LabelRequest/PropagateRequest.withC2pa) to add a manifest that names it as its parent"
                    + " ingredient, which keeps its provenance verifiable");
        }
        return notes;
    }

    /** The written store must validate against the written file (trust aside) and the record must still read back. */
    private void readBackC2pa(FormatHandler handler, byte[] out, AigcLabel expected) {
        ContainerScan check = handler.scan(out, limits);
        requireRecord(check, expected);
        C2paValidator.Result r = check.c2paStores().size() == 1
                ? C2paValidator.NO_ANCHORS.validate(check.c2paStores().get(0), out) : null;
        if (r == null || r.status() != C2paValidator.Status.UNTRUSTED) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "read-back of the C2PA manifest just written"
                    + " failed: " + (r == null ? check.c2paStores().size() + " stores" : r.status().id() + ", " + r.reason()));
        }
    }

    /**
     * Refuses a second visible label: relabelling replaces the metadata record, but pixels cannot be un-drawn, so a
     * second plate would stack beside (or over) the first. Checked in the pixels ({@link VisibleLabelFinder}).
     */
    private static void refuseSecondVisibleLabel(BufferedImage img, int orientation, VisibleLabelOptions wanted, String name) {
        Optional<VisibleLabelFinder.Found> found = VisibleLabelFinder.find(img, orientation,
                VisibleLabelFinder.templatesFor(wanted));
        if (found.isPresent()) {
            VisibleLabelFinder.Found f = found.get();
            throw AigcmarkException.invalid(name + " already shows a visible label drawn by aigcmark (\"" + f.text() + "\" at "
                    + f.position().name().toLowerCase(java.util.Locale.ROOT) + String.format(java.util.Locale.ROOT,
                    ", correlation %.2f", f.correlation()) + "); a second one would stack two labels. Label without"
                    + " --visible to replace only the metadata record, or add --visible-again (LabelRequest.withVisibleAgain)"
                    + " to draw another anyway");
        }
    }

    private static String alreadyMarked(String payload, LabelRequest request, AigcLabel label) {
        String wanted = request.watermarkKey().map(k -> PixelSteps.payloadFor(k, label).hex()).orElse("");
        return "the input already carries the aigcmark watermark under this key (payload " + payload + "); it is kept and"
                + " no second mark is embedded: under one key a second embed replaces the payload a detector reads,"
                + " which would erase the earlier mark, i.e. remove a label (Measures Art. 10)"
                + (payload.equals(wanted) ? "" : "; it is bound to an earlier record (this record's payload would be "
                + wanted + "), so detect reports that it does not match the label");
    }

    // ---------------------------------------------------------------- propagate

    /**
     * The platform step: one record with the platform's fields, the producer's kept when present. MP4 and Matroska
     * files (and JPEG's scan data) are done from disk with bounded memory, as in {@link #label(Path, Path, LabelRequest)}.
     */
    public LabelResult propagate(Path in, Path out, PropagateRequest request) {
        Opened opened = open(in, request.c2pa().isPresent(), true); // a C2PA hard binding hashes the whole output
        if (opened.streaming() != null) {
            return propagateStreamed(in, out, request, opened.streaming(), opened.channel());
        }
        LabelResult r = propagate(opened.bytes(), in.toString(), request);
        AtomicFiles.write(out, r.bytes());
        return r;
    }

    /** As {@link #propagate(byte[], String, PropagateRequest)}, with the input called "input" in messages. */
    public LabelResult propagate(byte[] input, PropagateRequest request) {
        return propagate(input, "input", request);
    }

    /**
     * The platform step on bytes: keeps the producer's record (of several disagreeing ones, the highest Label),
     * adds the platform's ContentPropagator and PropagateID, optionally changes the Label value (never a producer's
     * Label 1, nor the Label of a record whose producer signed it: that is kept and the result's notes say so), and signs
     * {@code ReservedCode2} when the request has a signing key. A file with no record gets a Label 2 or 3 record
     * with empty producer fields. Pixels are never touched; the output is read back as in {@link #label}. With
     * {@link PropagateRequest#c2pa()} the platform's C2PA manifest is added ({@code c2pa.opened} on the received file,
     * whose manifest, when it has one, stays in the store as the parent ingredient; then {@code c2pa.published}).
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} when the file has no record and the request names no label
     *     or names Label 1, or when the propagator fields are missing; otherwise as {@link #label(byte[], String,
     *     LabelRequest)}
     */
    public LabelResult propagate(byte[] input, String name, PropagateRequest request) {
        Writable w = writable(input, name);
        FormatHandler handler = w.handler();
        FormatHandler.MetadataWriter writer = w.writer();
        ContainerScan scan = w.scan();
        List<String> notes = new ArrayList<>();
        AigcLabel label = propagatedLabel(scan, request, notes);
        requirePropagatable(label);
        if (request.c2pa().isPresent()) {
            requireC2paWritable(scan, name);
        }
        if (request.signingKey().isPresent()) {
            LabelKeys.SigningKey key = request.signingKey().get();
            label = LabelSignatures.sign(label, LabelSignatures.Field.RESERVED_CODE_2, key,
                    contentDigest(handler, input, key.algorithm().digestName()));
        }
        byte[] out = writer.writeLabel(input, scan, label, limits);
        readBack(handler, out, label);
        if (request.c2pa().isPresent()) {
            out = signC2pa(handler, scan, out, label, org.aigcmark.format.c2pa.C2paManifestBuilder.forPropagation(label,
                    scan.c2paStores().isEmpty() ? null : scan.c2paStores().get(0), input, scan.type().mime()),
                    request.c2pa().get(), notes);
        } else {
            notes.addAll(brokenC2pa(handler, scan.c2paStores(), input, out));
        }
        return new LabelResult(out, scan.type(), label, false, Optional.empty(), Optional.empty(), notes);
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

    // ---------------------------------------------------------------- streaming (big files)

    /**
     * The whole file, or empty when its format is labelled and inspected from disk ({@link FormatHandler#streaming()}:
     * MP4/MOV/M4A, MKV/WebM, WAV), which the Path methods never read whole and {@link Limits#maxFileBytes()} does not
     * bound. One open and one read either way: callers that scan many files pay no second read of a file's head.
     */
    public Optional<byte[]> readUnlessStreaming(Path file) {
        return Optional.ofNullable(open(file, false).bytes());
    }

    /**
     * A file opened for the Path methods: its whole bytes, or the handler that streams it from disk (never both); for a
     * label or propagate that streams, also the file still open, which the caller closes (one open per labelled file).
     */
    private record Opened(byte[] bytes, FormatHandler streaming, FileChannel channel) {
        Opened(byte[] bytes, FormatHandler streaming) {
            this(bytes, streaming, null);
        }
    }

    /**
     * Reads {@code file}'s head once to choose: a format that streams (when no pixels are wanted) gives its handler
     * and nothing more is read; any other file is read whole under {@link Limits#maxFileBytes()}, the head reused. A
     * head that matches no handler is read whole too, so the byte[] path reports it as it always has.
     */
    private Opened open(Path file, boolean pixels) {
        return open(file, pixels, false);
    }

    /**
     * As {@link #open(Path, boolean)}; {@code labelling} (a metadata label or propagate, from file to file) also
     * streams the formats that stream only for that ({@link FormatHandler#labelStreaming()}: JPEG), under the same
     * size limit as when they were read whole.
     */
    private Opened open(Path file, boolean pixels, boolean labelling) {
        if (pixels) {
            return new Opened(readInput(file), null);
        }
        java.nio.file.attribute.BasicFileAttributes attrs = requireReadableFile(file);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        boolean handedOver = false;
        try {
            java.io.InputStream in = java.nio.channels.Channels.newInputStream(channel); // Files.newInputStream's own
            byte[] head = in.readNBytes(MediaType.TEXT_SNIFF_BYTES);
            FormatHandler handler;
            try {
                handler = handlerFor(head, file.toString());
            } catch (AigcmarkException e) {
                handler = null;
            }
            // Streaming reads at positions: a pipe or a device (a FIFO, /dev/stdin from a pipe) is read whole, once
            boolean seekable = attrs.isRegularFile();
            if (handler != null && seekable && handler.streaming().isPresent()) {
                handedOver = labelling;
                return new Opened(null, handler, labelling ? channel : null);
            }
            if (handler != null && seekable && labelling && handler.labelStreaming().isPresent()) {
                limits.checkBytes(attrs.size(), file.toString());
                handedOver = true;
                return new Opened(null, handler, channel);
            }
            if (head.length < MediaType.TEXT_SNIFF_BYTES) {
                return new Opened(head, null); // the head is the whole file
            }
            long size = attrs.size(); // read before the head: a file that grew since is read on below
            limits.checkBytes(size, file.toString());
            byte[] whole = java.util.Arrays.copyOf(head, (int) Math.max(size, head.length));
            int n = head.length + in.readNBytes(whole, head.length, whole.length - head.length);
            byte[] grown = in.readAllBytes(); // a file that grew while it was read: as Files.readAllBytes would
            if (grown.length > 0) {
                limits.checkBytes((long) n + grown.length, file.toString());
                whole = java.util.Arrays.copyOf(whole, n + grown.length);
                System.arraycopy(grown, 0, whole, n, grown.length);
                return new Opened(whole, null);
            }
            return new Opened(n == whole.length ? whole : java.util.Arrays.copyOf(whole, n), null);
        } catch (IOException e) {
            throw unreadable(file, e);
        } finally {
            if (!handedOver) {
                try {
                    channel.close();
                } catch (IOException e) {
                    throw unreadable(file, e);
                }
            }
        }
    }

    /** The installed media labellers (video), loaded once. */
    private static final class InstalledMediaLabelers {
        static final List<MediaLabeler> ALL = org.aigcmark.internal.Plugins.load(MediaLabeler.class);
    }

    private static Optional<MediaLabeler> mediaLabelerFor(MediaType type, LabelRequest request) {
        return InstalledMediaLabelers.ALL.stream().filter(m -> m.handles(type, request)).findFirst();
    }

    /** A media labeller works from disk: bytes given in memory go through a temporary folder, the output comes back. */
    private LabelResult labelThroughFiles(MediaLabeler media, byte[] input, String name, LabelRequest request) {
        limits.checkBytes(input.length, name);
        Path dir = null;
        try {
            dir = java.nio.file.Files.createTempDirectory("aigcmark-label-");
            String ext = MediaType.sniff(input).extensions().stream().findFirst().orElse("bin");
            Path in = java.nio.file.Files.write(dir.resolve("in." + ext), input);
            refuseForeignSignedRecord(inspect(in, List.of()).labels().stream().map(InspectReport.FoundLabel::label).toList(),
                    request, name);
            Path out = dir.resolve("out." + ext);
            LabelResult r = media.label(this, in, out, request);
            return new LabelResult(java.nio.file.Files.readAllBytes(out), r.format(), r.label(), r.pixelsChanged(),
                    r.visible(), r.watermarkPayload(), r.notes(), r.existingWatermark());
        } catch (java.io.IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE,
                    "cannot stage " + name + " in a temporary folder for labelling: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException ignored) {
            // a temporary folder left behind is the OS's to clean; the label stands
        }
    }

    private boolean wantsPixels(LabelRequest request) {
        return request.visible().isPresent() || request.wantsAudioCue() || pixelSteps.stream().anyMatch(s -> s.wants(request));
    }

    /** {@link #label(byte[], String, LabelRequest)} for a metadata-only label, from disk to disk. */
    private LabelResult labelStreamed(Path in, Path out, LabelRequest request, FormatHandler handler, FileChannel input) {
        return recordStreamed(in, input, out, handler, LabelSignatures.Field.RESERVED_CODE_1, request.signingKey(), (scan, notes) -> {
            AigcLabel label = request.label().requireValid();
            refuseForeignSignedRecord(records(scan), request, in.toString());
            notes.addAll(label.warnings());
            return label;
        });
    }

    /** {@link #propagate(byte[], String, PropagateRequest)} from disk to disk. */
    private LabelResult propagateStreamed(Path in, Path out, PropagateRequest request, FormatHandler handler,
                                          FileChannel input) {
        return recordStreamed(in, input, out, handler, LabelSignatures.Field.RESERVED_CODE_2, request.signingKey(), (scan, notes) -> {
            AigcLabel label = propagatedLabel(scan, request, notes);
            requirePropagatable(label);
            return label;
        });
    }

    /**
     * The streamed record write that label and propagate share: refuse damage, make the record from what the scan
     * found, sign it into {@code field} over the streamed content digest, write and read back. {@code opened} is
     * {@code in}, opened by {@link #open} (closed here).
     */
    private LabelResult recordStreamed(Path in, FileChannel opened, Path out, FormatHandler handler, LabelSignatures.Field field,
                                       Optional<LabelKeys.SigningKey> signingKey,
                                       java.util.function.BiFunction<ContainerScan, List<String>, AigcLabel> record) {
        FormatHandler.Streaming streaming = handler.labelStreaming().orElseThrow();
        String name = in.toString();
        try (FileChannel input = opened) {
            ContainerScan scan = streamedScan(handler, streaming, input, name);
            refuseDamaged(scan, name);
            List<String> notes = new ArrayList<>();
            AigcLabel label = record.apply(scan, notes);
            if (signingKey.isPresent()) {
                LabelKeys.SigningKey key = signingKey.get();
                label = LabelSignatures.sign(label, field, key, streamedDigest(streaming, input, key.algorithm().digestName()));
            }
            // A C2PA store is checked before and after in memory when the file fits (read now: OUT may be IN).
            byte[] before = !scan.c2paStores().isEmpty() && input.size() <= limits.maxFileBytes() ? Files.readAllBytes(in) : null;
            writeStreamed(handler, streaming, input, label, out);
            if (before != null) {
                notes.addAll(brokenC2pa(handler, scan.c2paStores(), before, Files.readAllBytes(out)));
            } else if (!scan.c2paStores().isEmpty()) {
                notes.add(C2PA_BROKEN + "probably (the file is over the in-memory limit, so it was not checked): the"
                        + " record is written into bytes a C2PA hard binding normally covers. Label or propagate with C2PA"
                        + " signing (--c2pa) to add a manifest that names it as its parent ingredient");
            }
            return new LabelResult(new byte[0], handler.type(), label, false, Optional.empty(), Optional.empty(), notes);
        } catch (IOException e) {
            throw unreadable(in, e);
        }
    }

    /**
     * The record {@code propagate} writes for what {@code scan} found (the same rule as the in-memory propagate):
     * the producer's record with the platform's fields, or a Label 2/3 record when the file carries none.
     */
    private static AigcLabel propagatedLabel(ContainerScan scan, PropagateRequest request, List<String> notes) {
        AigcLabel existing = null;
        String existingSource = null;
        boolean disagree = false;
        for (ContainerScan.Slot slot : scan.slots()) {
            Optional<LabelParser.ParsedLabel> p = LabelParser.parse(slot.text());
            if (p.isPresent()) {
                AigcLabel l = p.get().label();
                disagree |= existing != null && !existing.equals(l);
                // Disagreeing records: the strongest claim is kept, as the detector's verdict does, not the first.
                if (existing == null || l.claimRank() > existing.claimRank()) {
                    existing = l;
                    existingSource = slot.source();
                }
            }
        }
        if (disagree) {
            notes.add("the file held disagreeing records; kept the one with the highest label (Label " + existing.label()
                    + ", " + existingSource + ")");
        }
        if (existing != null) {
            String newValue = request.label().orElse(existing.label());
            if (!newValue.equals(existing.label()) && (existing.label().equals("1") || !existing.reservedCode1().isEmpty())) {
                // The producer's Label is its declaration, and ReservedCode1 signs it: a platform that lowered it would
                // override the producer's label and break its signature. The platform's part is its own fields.
                notes.add("kept Label \"" + existing.label() + "\" from the producer's record"
                        + (existing.reservedCode1().isEmpty() ? "" : " (its ReservedCode1 signature covers Label)")
                        + "; the requested Label \"" + newValue + "\" is not written over it: the platform's part is"
                        + " ContentPropagator, PropagateID and its ReservedCode2 signature");
                newValue = existing.label();
            }
            if (!newValue.equals(existing.label())) {
                notes.add("Label changed from \"" + existing.label() + "\" to \"" + newValue + "\"");
            }
            return existing.propagated(newValue, request.propagator(), request.propagateId());
        }
        String value = request.label().orElseThrow(() -> AigcmarkException.invalid(
                "the file carries no AIGC record: say --label 2 (the user declared it AI-generated) or --label 3 (detected as suspected AI)"));
        if (value.equals("1")) {
            throw AigcmarkException.invalid("Label \"1\" needs the producer's record, and the file carries none; use 2 or 3");
        }
        notes.add("no producer record: ContentProducer and ProduceID left empty");
        return new AigcLabel(value, "", "", "", request.propagator(), request.propagateId(), "");
    }

    /**
     * Writes the labelled copy into a temp file beside {@code out}, reads it back (exactly the record written, no
     * damage) and only then renames it over {@code out}; a failure leaves {@code out} as it was.
     */
    private void writeStreamed(FormatHandler handler, FormatHandler.Streaming streaming, FileChannel input,
                               AigcLabel label, Path out) {
        AtomicFiles.writeChannel(out, written -> {
            streaming.writeLabel(input, label, written, limits);
            requireRecord(streamedScan(handler, streaming, written, out.toString()), label);
        });
    }

    /** A streaming scan, with unexpected parser errors turned into a typed error as in {@link #scan}. */
    private ContainerScan streamedScan(FormatHandler handler, FormatHandler.Streaming streaming, FileChannel in, String name) {
        return guardedScan(handler, name, () -> streaming.scan(in, limits));
    }

    private byte[] streamedDigest(FormatHandler.Streaming streaming, FileChannel in, String digestName) {
        return streamedDigest(streaming, in, digestName, LabelSignatures.CURRENT_VERSION);
    }

    private byte[] streamedDigest(FormatHandler.Streaming streaming, FileChannel in, String digestName, int version) {
        MessageDigest md = LabelSignatures.newDigest(digestName);
        streaming.digestContent(in, md, limits);
        if (version >= 2) {
            PresentationDigest.begin(md);
            streaming.digestPresentation(in, md, limits);
        }
        return md.digest();
    }

    /**
     * The first bytes of a file (enough to sniff its type), with the checks {@link #readInput} makes but no size
     * limit: the caller decides whether the whole file is read.
     */
    public byte[] readHead(Path file) {
        requireReadableFile(file);
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(MediaType.TEXT_SNIFF_BYTES);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * The file's attributes (one stat: whether it is a regular file and its size come with it), after refusing a
     * folder and a missing file.
     */
    private static java.nio.file.attribute.BasicFileAttributes requireReadableFile(Path file) {
        java.nio.file.attribute.BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (IOException e) {
            // as Files.exists: missing, or its existence cannot be determined
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, file + " does not exist");
        }
        if (attrs.isDirectory()) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, file + " is a folder, not a file");
        }
        return attrs;
    }

    private static AigcmarkException unreadable(Path file, IOException e) {
        return new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
    }

    // ---------------------------------------------------------------- helpers

    /** The content digest a new signature binds to ({@link LabelSignatures#CURRENT_VERSION}), raw bytes. */
    public byte[] contentDigest(Path file, String digestName) {
        return contentDigest(file, digestName, LabelSignatures.CURRENT_VERSION);
    }

    /**
     * The content digest under definition {@code version} (1: the coded content only; 2: also what changes what a
     * viewer sees, docs/SIGNATURES.md), raw bytes.
     */
    public byte[] contentDigest(Path file, String digestName, int version) {
        Opened opened = open(file, false);
        if (opened.streaming() != null) {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                return streamedDigest(opened.streaming().streaming().orElseThrow(), in, digestName, version);
            } catch (IOException e) {
                throw unreadable(file, e);
            }
        }
        byte[] b = opened.bytes();
        return contentDigest(handlerFor(b, file.toString()), b, digestName, version);
    }

    private byte[] contentDigest(FormatHandler handler, byte[] bytes, String digestName) {
        return contentDigest(handler, bytes, digestName, LabelSignatures.CURRENT_VERSION);
    }

    private byte[] contentDigest(FormatHandler handler, byte[] bytes, String digestName, int version) {
        MessageDigest md = LabelSignatures.newDigest(digestName);
        FormatHandler.MetadataWriter writer = writerOf(handler);
        writer.digestContent(bytes, md, limits);
        if (version >= 2) {
            PresentationDigest.begin(md);
            writer.digestPresentation(bytes, md, limits);
        }
        return md.digest();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private void readBack(FormatHandler handler, byte[] out, AigcLabel expected) {
        requireRecord(handler.scanWritten(out, limits), expected);
    }

    /** The read-back check: the output holds exactly the record written, and no damage. */
    private static void requireRecord(ContainerScan check, AigcLabel expected) {
        List<AigcLabel> labels = check.slots().stream().map(s -> LabelParser.parse(s.text()))
                .flatMap(Optional::stream).map(LabelParser.ParsedLabel::label).toList();
        // Exactly one (GB 45438 §6.1 c): N copies of the record written would also be a broken promise.
        if (check.damaged() || labels.size() != 1 || !labels.get(0).equals(expected)) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL,
                    "read-back after writing found " + labels.size() + " record(s) where exactly one, the one written, belongs"
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
        return guardedScan(handler, name, () -> handler.scan(bytes, limits));
    }

    /** A handler's scan (in memory or streamed) with an unexpected parser error turned into a typed error. */
    private static ContainerScan guardedScan(FormatHandler handler, String name,
                                             java.util.function.Supplier<ContainerScan> scan) {
        try {
            return scan.get();
        } catch (AigcmarkException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AigcmarkException(AigcmarkException.Reason.CORRUPT_INPUT, name + " is malformed in a way the "
                    + handler.type().id() + " parser did not expect (parser error " + e.getClass().getSimpleName()
                    + "; please report it with the file)", e);
        }
    }

    /** Why --visible/--watermark cannot apply, by the format's own name (a DOCX is not "zip"), and what works instead. */
    static String noPixels(MediaType sniffed, MediaType handled) {
        MediaType t = sniffed == MediaType.UNKNOWN ? handled : sniffed;
        if (t == MediaType.MARKDOWN || t == MediaType.TEXT) {
            return "a visible label on " + t.displayName() + " is a text prompt: add it with `aigcmark text label IN -o OUT`"
                    + " (ExplicitTextLabel in the SDK); the metadata label alone works here (without visible label or watermark)";
        }
        if (isAudio(t)) {
            return AUDIO_NO_PIXELS.formatted(t.displayName());
        }
        if (t == MediaType.HEIF || t == MediaType.AVIF) {
            return HEIF_NO_PIXELS.formatted(t.displayName());
        }
        if (t == MediaType.MP4 || t == MediaType.MKV) {
            return "a visible label or watermark on " + t.displayName() + " re-encodes the frames, which the"
                    + " aigcmark-video artifact does (add org.aigcmark:aigcmark-video; the CLI has it); the metadata label alone"
                    + " works without it";
        }
        if (t == MediaType.AVI || t == MediaType.FLV) {
            return "a visible label or watermark on " + t.displayName() + " would re-encode its frames, which aigcmark-video"
                    + " does for MP4/MOV and MKV/WebM only (remux to one of them first); the metadata label alone works here";
        }
        return "visible labels and watermarks are drawn into pixels, which a " + t.displayName() + " does not have here;"
                + " the metadata label alone works (without visible label or watermark), and a prompt in plain text or"
                + " Markdown is added with `aigcmark text label`";
    }

    /**
     * Why HEIF/AVIF take no pixel work: their images are HEVC/AV1 bitstreams, and no HEVC or AV1 codec that also
     * encodes is kept in pure Java on Maven Central (docs/IMAGE-CODECS.md).
     */
    static final String HEIF_NO_PIXELS = "a visible label or watermark is drawn into pixels, and aigcmark cannot decode and"
            + " re-encode this %s (HEVC/AV1 coded; no such codec in pure Java): the metadata label works (label without"
            + " --visible/--watermark); for pixel work convert it to PNG or JPEG first (e.g. heif-convert IN.heic OUT.png)";

    /** What audio supports instead of a visible label or an image watermark, for the usage error. */
    static final String AUDIO_NO_PIXELS = "a visible label or watermark is drawn into pixels, and %s has none: audio takes"
            + " the metadata record (label without --visible/--watermark; the record goes into the file's own tag) and the"
            + " explicit rhythm cue (--cue)";

    /** The audio containers, which have no pixels: a visible label or watermark there is a usage error. */
    static boolean isAudio(MediaType t) {
        return t == MediaType.WAV || t == MediaType.MP3 || t == MediaType.FLAC || t == MediaType.OGG;
    }

    /** A visible label or watermark asked for audio (M4A included, which the video labeller would take): a usage error. */
    private static void refusePixelsOnAudio(byte[] head, String name) {
        if (MediaType.isAudio(head)) {
            MediaType t = MediaType.sniff(head);
            throw AigcmarkException.invalid(name + ": " + AUDIO_NO_PIXELS.formatted(t == MediaType.MP4 ? "M4A audio" : t.displayName()));
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
                        : handler.type().displayName() + " is not supported for labelling: aigcmark reads its label (inspect,"
                        + " detect) but cannot write one yet; labels are written into " + WRITABLE));
    }

    /** The formats a label can be written into, for messages. */
    static final String WRITABLE = "JPEG, PNG, WebP, HEIF/HEIC/AVIF, MP4/MOV/M4A, MKV/WebM, WAV, MP3, FLAC, Ogg Vorbis/Opus, PDF,"
            + " DOCX/XLSX/PPTX and Markdown";

    /** The handler for these bytes, by magic bytes. */
    public FormatHandler handlerFor(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw AigcmarkException.corrupt(name + " is empty (0 bytes)");
        }
        MediaType type = MediaType.sniff(bytes);
        Optional<FormatHandler> handler = registry.handlerFor(type);
        if (handler.isEmpty() && FormatRegistry.artifactFor(type).isPresent()) {
            String artifact = FormatRegistry.artifactFor(type).get();
            throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, name + ": " + type.displayName()
                    + (type == MediaType.ZIP ? " (an OOXML document whose kind the part names do not tell, or a plain ZIP)" : "")
                    + " is read by the " + artifact + " artifact, which is not on the class path: add org.aigcmark:"
                    + artifact + " (the aigcmark CLI includes it) to label, inspect or detect it");
        }
        return handler.orElseThrow(() -> new AigcmarkException(
                AigcmarkException.Reason.UNSUPPORTED_FORMAT, type == MediaType.UNKNOWN && MediaType.invalidUtf8InText(bytes) >= 0
                        ? name + " looks like text but is not valid UTF-8 (byte offset " + MediaType.invalidUtf8InText(bytes)
                        + "); convert it to UTF-8 first, e.g. iconv -f GB18030 -t UTF-8"
                        : type == MediaType.UNKNOWN
                        ? name + " is not a supported file: its first bytes (" + hex(java.util.Arrays.copyOf(bytes, Math.min(8, bytes.length)))
                        + ") match no known format (JPEG, PNG, WebP, TIFF, GIF, HEIF/HEIC/AVIF, MP4/MOV/M4A, MKV/WebM, WAV, MP3, FLAC, Ogg,"
                        + " PDF, DOCX/XLSX/PPTX,"
                        + " Markdown or UTF-8 text; text must be valid UTF-8 without NUL bytes)"
                        : name + ": " + type.displayName() + " is not supported for labelling or inspection yet; aigcmark reads JPEG, PNG, WebP, TIFF, GIF, HEIF/AVIF,"
                        + " MP4/MOV/M4A, MKV/WebM, WAV, MP3, FLAC, Ogg, PDF, DOCX/XLSX/PPTX, Markdown and UTF-8 text"));
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
