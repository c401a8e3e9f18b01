package org.aigcmark.jmh;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.testdata.Fixtures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Metadata-only labelling of a 12-MP JPEG (4000x3000, a real photo upscaled): the full {@code label} call (scan,
 * XMP edit, splice, read-back) against {@code copyBytes}, the floor of producing an output of the same size.
 * The difference is what labelling costs beyond reading and writing the bytes (target: at most 2 ms).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class LabelBenchmark {
    byte[] jpeg12mp;
    byte[] labelled;
    final Labeler labeler = Labeler.create();
    final LabelRequest request = LabelRequest.produced("001191110102MACQD9K64010000", "bench-0001");

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Path photo = Fixtures.list("photos").get(0);
        BufferedImage src = ImageIO.read(photo.toFile());
        BufferedImage big = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
        var g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, 4000, 3000, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(big, "jpeg", out);
        jpeg12mp = out.toByteArray();
        labelled = labeler.label(jpeg12mp, request).bytes();
    }

    @Benchmark
    public byte[] copyBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg12mp.length + 4096);
        out.write(jpeg12mp, 0, jpeg12mp.length);
        return out.toByteArray();
    }

    @Benchmark
    public byte[] labelMetadata() {
        return labeler.label(jpeg12mp, request).bytes();
    }

    @Benchmark
    public Object inspect() {
        return labeler.inspect(labelled, "bench", List.of());
    }
}
