package org.aigcmark.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.c2pa.C2paReader;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.format.exif.Exif;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.label.LabelParser;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.text.TextChecker;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.SdxlWatermarkDecoder;

/**
 * Targets for the parsers the containers share: the record parser, XMP (read and edit), EXIF, the C2PA JUMBF/CBOR/
 * COSE reader, the image codecs' decoding (PNG, GIF, JPEG, WebP to pixels), every check on a text, and the two
 * watermark decoders (ours, the SDXL mark) on arbitrary pixels; labelling with a visible label.
 */
class ComponentFuzzTest {
    private static final ImageWatermarker WATERMARKER =
            ImageWatermarker.create(WatermarkKey.fromPassphrase("aigcmark fuzz"));
    private static final List<FormatHandler.PixelCodec> IMAGE_CODECS =
            List.of(MediaType.PNG, MediaType.GIF, MediaType.JPEG, MediaType.WEBP).stream()
                    .map(t -> Oracles.handler(t).pixels().orElseThrow()).toList();
    private static final C2paValidator C2PA_TRUST =
            C2paValidator.fromPemFiles(List.of(Fixtures.path("c2pa/test-root-ca.pem")));
    /** An asset for validation: the hard binding fails, the signature and the chain are still checked. */
    private static final byte[] C2PA_ASSET = Fixtures.bytes("c2pa/signed.png");
    /**
     * The watermark decoders' CPU budget while fuzzing (calibrated as detect's is, see docs/FUZZING.md): under the
     * coverage instrumentation the search costs several times what it does uninstrumented, and a flat image of about
     * 131x212 costs it more than a 600x600 one (a campaign's first finding, session 10: 1.2 s of CPU instrumented,
     * 0.14-0.6 s uninstrumented, 120 MiB). So the budget is 3 times the costliest of a few ordinary inputs of the
     * target's range (flat and noisy, small and 600x600), measured in this JVM before fuzzing (each run twice, the
     * cheaper kept), at least the default budget. Not measured in the regression run, which asserts no time.
     */
    private static final class PixelBudget { // a holder: measured when pixelDecoders first runs, not for other targets
        static final long BASELINE = Oracles.FUZZING ? 3 * pixelBaselineMillis() : 0;
    }

    private static long pixelBaselineMillis() {
        long costliest = 0;
        java.util.Random random = new java.util.Random(16);
        for (int[] size : new int[][] {{131, 212}, {256, 256}, {600, 600}}) {
            for (boolean flat : new boolean[] {true, false}) {
                int[] rgb = new int[size[0] * size[1]];
                for (int i = 0; !flat && i < rgb.length; i++) {
                    rgb[i] = 0xff000000 | random.nextInt(1 << 24);
                }
                java.util.function.Supplier<Object> both = () -> {
                    SdxlWatermarkDecoder.detectRgb(rgb, size[0], size[1]);
                    return WATERMARKER.detectRgb(rgb, size[0], size[1]);
                };
                long ms = Math.min(Oracles.cpuMillisOf(both), Oracles.cpuMillisOf(both));
                System.out.println("pixelDecoders baseline: " + size[0] + "x" + size[1] + (flat ? " flat" : " noise") + ": " + ms + " ms");
                costliest = Math.max(costliest, ms);
            }
        }
        return costliest;
    }

    private static final TextChecker TEXT_CHECKER = TextChecker.of(List.of(WatermarkKey.fromPassphrase("aigcmark fuzz")));

    @FuzzTest
    void labelParser(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Oracles.bounded("LabelParser.parse", data.length, () -> LabelParser.parse(text));
    }

    /** XMP read, and an edit that must read back as exactly the record written (other properties kept or not). */
    @FuzzTest
    void xmp(byte[] data) {
        String packet = new String(data, StandardCharsets.UTF_8);
        Oracles.bounded("Xmp.scan", data.length, () -> {
            Xmp.scan(packet, "xmp", new ContainerScan(MediaType.JPEG));
            return null;
        });
        String edited = Oracles.bounded("Xmp.withLabel", data.length,
                () -> Xmp.withLabel(packet, Oracles.REQUEST_LABEL.toBareJson()));
        if (edited != null) {
            ContainerScan back = new ContainerScan(MediaType.JPEG);
            Oracles.bounded("Xmp.scan of the edit", edited.length(), () -> {
                Xmp.scan(edited, "xmp", back);
                return null;
            });
            List<String> records = back.slots().stream().map(s -> LabelParser.parse(s.text()))
                    .flatMap(java.util.Optional::stream).map(p -> p.label().toMap().toString()).toList();
            if (!records.equals(List.of(Oracles.REQUEST_LABEL.toMap().toString()))) {
                throw new AssertionError("Xmp.withLabel wrote a packet that reads back as " + records);
            }
        }
    }

    /** EXIF (a TIFF structure): read, scan and clear, at any offset and length the bytes give. */
    @FuzzTest
    void exif(byte[] data) {
        Oracles.bounded("Exif.read", data.length, () -> Exif.read(data, 0, data.length));
        Oracles.bounded("Exif.scan", data.length, () -> Exif.scan(data, 0, data.length, "exif", new ContainerScan(MediaType.JPEG)));
        Oracles.bounded("Exif.clearLabels", data.length, () -> Exif.clearLabels(data.clone(), 0, data.length));
    }

    /**
     * A C2PA manifest store (JUMBF boxes, CBOR claims and assertions, COSE_Sign1), read, then validated against an
     * asset under the test trust anchor (signature, certificate chain, hard binding, ingredients): the seeds are
     * third-party stores and our writer's (ES256 and Ed25519, data and BMFF hashes, a parentOf ingredient with its
     * parent manifest, a watermark soft binding, an ai-disclosure assertion, a propagation of unknown provenance).
     */
    @FuzzTest
    void c2pa(byte[] data) {
        Oracles.bounded("C2paReader.read", data.length, () -> C2paReader.read(data));
        Oracles.bounded("C2paReader.read with validation", data.length, () -> C2paReader.read(data, C2PA_ASSET, C2PA_TRUST));
    }

    /** Our watermark's and the SDXL mark's decoders on arbitrary pixels of an arbitrary small size. */
    @FuzzTest
    void pixelDecoders(FuzzedDataProvider in) {
        int w = in.consumeInt(1, 600);
        int h = in.consumeInt(1, 600);
        int[] rgb = new int[w * h];
        byte[] noise = in.consumeRemainingAsBytes();
        for (int i = 0; i < rgb.length && noise.length > 0; i++) {
            int j = (3 * i) % noise.length;
            rgb[i] = 0xff000000 | (noise[j] & 0xff) << 16 | (noise[(j + 1) % noise.length] & 0xff) << 8
                    | (noise[(j + 2) % noise.length] & 0xff);
        }
        long budget = Math.max(PixelBudget.BASELINE, Oracles.cpuBudgetMillis(rgb.length * 4));
        Oracles.bounded("SdxlWatermarkDecoder.detectRgb", rgb.length * 4, Oracles.HEAP_BASE, budget,
                () -> SdxlWatermarkDecoder.detectRgb(rgb, w, h));
        Oracles.bounded("ImageWatermarker.detectRgb", rgb.length * 4, Oracles.HEAP_BASE, budget,
                () -> WATERMARKER.detectRgb(rgb, w, h));
    }

    /**
     * Each image codec's decoding on the same bytes (a mutation that breaks one format's magic bytes still reaches
     * the others): the pixels labelling re-encodes ({@code decode}) and those detection analyses
     * ({@code decodeForChecks}), within the heap budget, the same size both times.
     */
    @FuzzTest
    void imageDecoders(byte[] data) {
        for (FormatHandler.PixelCodec codec : IMAGE_CODECS) {
            java.awt.image.BufferedImage whole = Oracles.bounded(codec.getClass().getSimpleName() + ".decode", data.length,
                    () -> codec.decode(data, Oracles.LIMITS));
            java.awt.image.BufferedImage checked = Oracles.bounded(codec.getClass().getSimpleName() + ".decodeForChecks",
                    data.length, () -> codec.decodeForChecks(data, Oracles.LIMITS));
            if (whole != null && checked != null && ((long) checked.getWidth() * checked.getHeight()
                    > (long) whole.getWidth() * whole.getHeight())) {
                throw new AssertionError(codec.getClass().getSimpleName() + ": the checked pixels (" + checked.getWidth()
                        + "x" + checked.getHeight() + ") exceed the decoded image (" + whole.getWidth() + "x"
                        + whole.getHeight() + ")");
            }
        }
    }

    /**
     * Labelling with a visible label, on the same small images as {@link #imageDecoders}: the pixel path end to end
     * (our GIF frame splicing, PNG encoder and WebP/JPEG re-encoding, the record written after it), within the
     * budgets, its output holding exactly the record requested and decoding again.
     */
    @FuzzTest
    void visibleLabel(byte[] data) {
        Oracles.visibleLabelReadsBack(data, "fuzz-visible");
    }

    /**
     * Every check on a text (explicit labels, invisible characters, zero-width marks, the KGW watermark through the
     * o200k tokenizer), twice: the same findings both times.
     */
    @FuzzTest
    void textChecker(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Object first = Oracles.bounded("TextChecker.check", data.length, () -> TEXT_CHECKER.check(text));
        Object second = Oracles.bounded("TextChecker.check again", data.length, () -> TEXT_CHECKER.check(text));
        if (first != null && !first.equals(second)) {
            throw new AssertionError("TextChecker is not deterministic:\n" + first + "\n---\n" + second);
        }
    }
}
