// Checks that the bundled label font loads in Java and really draws CJK glyphs.
// Run: /usr/lib/jvm/temurin-25-jdk-amd64/bin/java testdata/tools/CheckFont.java [font] [preview.png]
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

public class CheckFont {
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path fontPath = Path.of(args.length > 0 ? args[0]
                : "sdk/src/main/resources/org/aigcmark/fonts/NotoSansSC-Bold-subset.ttf");
        Font base;
        try (InputStream in = Files.newInputStream(fontPath)) {
            base = Font.createFont(Font.TRUETYPE_FONT, in);
        }
        Font font = base.deriveFont(Font.PLAIN, 48f);
        System.out.println("family=" + base.getFamily() + " name=" + base.getFontName() + " glyphs=" + base.getNumGlyphs());

        int failures = 0;
        String[] samples = {"AI生成", "人工智能生成", "人工智能合成", "由AI生成", "本内容疑似AI生成", "可能由人工智能生成合成", "标识：AI生成（GB 45438）"};
        for (String s : samples) {
            int cannot = font.canDisplayUpTo(s);
            long ink = inkOf(font, s, null);
            boolean everyGlyphInked = true;
            for (int i = 0; i < s.length(); i++) {
                String ch = s.substring(i, i + 1);
                if (!ch.isBlank() && inkOf(font, ch, null) == 0) {
                    everyGlyphInked = false;
                    System.out.println("  empty glyph for '" + ch + "'");
                }
            }
            boolean ok = cannot == -1 && ink > 0 && everyGlyphInked;
            if (!ok) failures++;
            System.out.printf("%-24s canDisplayUpTo=%d ink=%d perGlyphInk=%b %s%n", s, cannot, ink, everyGlyphInked, ok ? "OK" : "FAIL");
        }
        // A character outside the subset must be reported as not displayable (proves the check can fail).
        System.out.println("outside subset '鑫'(level 2): canDisplayUpTo=" + font.canDisplayUpTo("鑫"));

        if (args.length > 1) {
            BufferedImage img = new BufferedImage(900, 140, BufferedImage.TYPE_INT_RGB);
            inkOf(font, "AI生成 人工智能生成合成", img);
            ImageIO.write(img, "png", new File(args[1]));
        }
        System.out.println(failures == 0 ? "ALL OK" : failures + " FAILED");
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Draws s in black on white and counts dark pixels. */
    static long inkOf(Font font, String s, BufferedImage target) {
        BufferedImage img = target != null ? target : new BufferedImage(64 + 56 * s.length(), 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(font);
        g.drawString(s, 16, 70);
        g.dispose();
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++)
                if ((img.getRGB(x, y) & 0xFF) < 128) ink++;
        return ink;
    }
}
