package org.aigcmark.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.aigcmark.codec.webp.LibwebpDecoder;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;

class ServeBenchCorpusTest {
    private static final Path FIXTURES = Fixtures.root().resolve("fixtures");

    @Test
    void nineRealPhotosAt1080pThreeEachAsJpegPngAndWebpTheSameBytesEveryRun() throws IOException {
        List<ServeBenchCorpus.Frame> frames = ServeBenchCorpus.frames(FIXTURES, Set.of("jpeg", "png", "webp"));
        assertEquals(9, frames.size());
        assertEquals(List.of("jpeg", "jpeg", "jpeg", "png", "png", "png", "webp", "webp", "webp"),
                frames.stream().map(ServeBenchCorpus.Frame::kind).toList());
        for (ServeBenchCorpus.Frame f : frames) {
            byte[] b = f.bytes();
            // the format is what the kind says, by its magic bytes (as the service decides)
            switch (f.kind()) {
                case "jpeg" -> assertTrue((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8, f.name());
                case "png" -> assertTrue(b[1] == 'P' && b[2] == 'N' && b[3] == 'G', f.name());
                default -> assertTrue(new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")
                        && new String(b, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("WEBP") && b[15] == ' ', f.name()); // VP8: lossy
            }
            // WebP through libwebp (the reference decoder the detector uses): ImageIO's WebP reader, where one is on the
            // class path, is TwelveMonkeys' VP8 decoder, whose lossy pixels are 3-16 levels off on average
            BufferedImage decoded = f.kind().equals("webp") ? new LibwebpDecoder().decode(b) : ImageIO.read(new ByteArrayInputStream(b));
            assertNotNull(decoded, f.name());
            assertEquals(1920, decoded.getWidth(), f.name());
            assertEquals(1080, decoded.getHeight(), f.name());
            // it is the photo's centre, scaled: its mean colour is the source's centre crop's (lossy coding moves it little)
            String photo = f.name().substring(f.name().indexOf('/') + 1, f.name().lastIndexOf('.'));
            BufferedImage source = ImageIO.read(FIXTURES.resolve("photos").resolve(photo + ".jpg").toFile());
            int cw = Math.min(source.getWidth(), source.getHeight() * 16 / 9);
            int ch = Math.min(source.getHeight(), source.getWidth() * 9 / 16);
            double[] want = mean(source.getSubimage((source.getWidth() - cw) / 2, (source.getHeight() - ch) / 2, cw, ch));
            double[] got = mean(decoded);
            for (int c = 0; c < 3; c++) {
                assertEquals(want[c], got[c], 2.0, f.name() + " channel " + c);
            }
        }
        List<ServeBenchCorpus.Frame> again = ServeBenchCorpus.frames(FIXTURES, Set.of("png", "webp"));
        assertEquals(6, again.size());
        for (int i = 0; i < again.size(); i++) {
            assertArrayEquals(frames.get(3 + i).bytes(), again.get(i).bytes(), again.get(i).name());
        }
    }

    private static double[] mean(BufferedImage image) {
        double[] sum = new double[3];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xFF;
                sum[1] += (rgb >> 8) & 0xFF;
                sum[2] += rgb & 0xFF;
            }
        }
        double n = (double) image.getWidth() * image.getHeight();
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }
}
