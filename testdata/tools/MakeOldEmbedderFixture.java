import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkPayload;

/**
 * Makes testdata/fixtures/watermark/old-embedder-*.jpg: a real photo of fixtures/photos scaled to 256 px high (bilinear),
 * marked by the sdk classes on the classpath (the embedder before keyed cell variation, main at d2eba6e) under
 * fixtures/keys/test-watermark.key with payload 0123456789abcdef, written as JPEG quality 90 by ImageIO.
 * Run from testdata/: java -cp OLD_SDK_CLASSES:DEPS tools/MakeOldEmbedderFixture.java PHOTO OUT
 */
public class MakeOldEmbedderFixture {
    public static void main(String[] a) throws Exception {
        BufferedImage src = ImageIO.read(new File(a[0]));
        int h = 256; // the smallest embeddable size, where the old period (96 px) differs from the new one (128 px)
        int w = (int) Math.round(src.getWidth() * 256.0 / src.getHeight());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        WatermarkKey key = WatermarkKey.read(Path.of("fixtures/keys/test-watermark.key"));
        ImageWatermarker.create(key).embed(img, WatermarkPayload.ofHex("0123456789abcdef"));
        ImageWriter wr = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = wr.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.90f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(new File(a[1]))) {
            wr.setOutput(out);
            wr.write(null, new IIOImage(img, null, null), p);
        }
        wr.dispose();
    }
}
