package org.aigcmark.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.c2pa.C2paReader;
import org.aigcmark.format.exif.Exif;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelParser;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.SdxlWatermarkDecoder;

/**
 * Targets for the parsers the containers share: the record parser, XMP (read and edit), EXIF, the C2PA JUMBF/CBOR/
 * COSE reader, and the two pixel decoders (our watermark, the SDXL mark) on arbitrary pixels.
 */
class ComponentFuzzTest {
    private static final ImageWatermarker WATERMARKER =
            ImageWatermarker.create(WatermarkKey.fromPassphrase("aigcmark fuzz"));

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

    /** A C2PA manifest store (JUMBF boxes, CBOR claims and assertions, COSE_Sign1), read and validated. */
    @FuzzTest
    void c2pa(byte[] data) {
        Oracles.bounded("C2paReader.read", data.length, () -> C2paReader.read(data));
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
        Oracles.bounded("SdxlWatermarkDecoder.detectRgb", rgb.length * 4, () -> SdxlWatermarkDecoder.detectRgb(rgb, w, h));
        Oracles.bounded("ImageWatermarker.detectRgb", rgb.length * 4, () -> WATERMARKER.detectRgb(rgb, w, h));
    }
}
