package org.aigcmark.codec.webp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.webp.Vp8Quality;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;

/**
 * Prints the Markdown table in docs/IMAGE-CODECS.md: for each image fixture, the input's size, our re-encode of the
 * same pixels, our output with a visible label, and ImageMagick re-encoding the same input (command in the doc).
 */
public final class ReencodeSizeTable {
    private ReencodeSizeTable() {}

    public static void main(String[] args) throws Exception {
        Labeler labeler = Labeler.create();
        LabelRequest visible = LabelRequest.produced("001191110102MACQD9K64010000", "size-1").withVisible(VisibleLabelOptions.defaults());
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("png", "jpeg", "webp", "labeled", "photos")) {
            for (Path p : Fixtures.list(folder)) {
                String n = p.getFileName().toString();
                if (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".webp")) {
                    files.add(p);
                }
            }
        }
        Path tmp = Files.createTempDirectory("sizes");
        System.out.println("| fixture | input | same pixels, ours | ratio | visible label, ours | ratio | ImageMagick, same input | ratio | form (ours) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (Path p : files) {
            byte[] in = Files.readAllBytes(p);
            MediaType type = MediaType.sniff(in);
            FormatHandler.PixelCodec codec = FormatRegistry.defaults().handlerFor(type).orElseThrow().pixels().orElseThrow();
            FormatHandler.Encoded same = codec.encode(codec.decode(in, labeler.limits()), in, labeler.limits());
            String labelled;
            try {
                int n = labeler.label(in, p.toString(), visible).bytes().length;
                labelled = String.format(Locale.ROOT, "%,d | %.2f", n, n / (double) in.length);
            } catch (org.aigcmark.AigcmarkException e) {
                labelled = "refused | -"; // e.g. a file that already carries a record
            }
            String ext = p.getFileName().toString().replaceAll(".*\\.", "");
            Path im = tmp.resolve("im." + ext);
            List<String> cmd = new ArrayList<>(List.of("convert", p.toString()));
            switch (type) {
                case PNG -> cmd.addAll(List.of("-quality", "95"));
                case WEBP -> {
                    var q = Vp8Quality.estimate(in);
                    if (q.isPresent()) {
                        cmd.addAll(List.of("-quality", String.valueOf(q.getAsInt())));
                    } else {
                        cmd.addAll(List.of("-define", "webp:lossless=true"));
                    }
                }
                default -> { } // JPEG: ImageMagick keeps the input's estimated quality by itself
            }
            cmd.add(im.toString());
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            proc.getInputStream().readAllBytes();
            proc.waitFor();
            long imSize = Files.size(im);
            Path ours = tmp.resolve("ours." + ext);
            Files.write(ours, same.bytes());
            String form = form(type, ours);
            String rel = Fixtures.root().resolve("fixtures").relativize(p).toString();
            System.out.printf(Locale.ROOT, "| `%s` | %,d | %,d | %.2f | %s | %,d | %.2f | %s |%n", rel, in.length,
                    same.bytes().length, same.bytes().length / (double) in.length, labelled,
                    imSize, imSize / (double) in.length, form);
        }
    }

    private static String form(MediaType type, Path file) throws Exception {
        List<String> cmd = switch (type) {
            case PNG -> List.of("identify", "-format", "type %[png:IHDR.color-type-orig], %[png:IHDR.bit-depth-orig]-bit", file.toString());
            case JPEG -> List.of("identify", "-format", "q %Q, %[jpeg:sampling-factor], %[interlace]", file.toString());
            default -> List.of("webpinfo", file.toString());
        };
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        proc.waitFor();
        if (type == MediaType.WEBP) {
            String q = Vp8Quality.estimate(Files.readAllBytes(file)).stream().mapToObj(v -> "VP8 q " + v).findFirst().orElse("VP8L");
            return q + (out.contains("Chunk ALPH") ? " + ALPH" : "");
        }
        return out.trim().replace("JPEG", "progressive").replace("None", "baseline");
    }
}
