package org.aigcmark.detect.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels drawn by ImageMagick ({@code convert -annotate}), as a platform meets them, scanned with the finder's default
 * options: in the middle of the picture, tilted, too small, and a caption that is not a label. The ground truth is
 * ImageMagick's own ink box of the same text drawn alone on black ({@code -format %@}).
 */
class LabelsDrawnByOthersTest {
    static final String NOTO_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    private static VisibleLabelFinder finder;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        finder = VisibleLabelFinder.open(TestModels.require());
    }

    @AfterAll
    static void close() {
        if (finder != null) {
            finder.close();
        }
    }

    /** A fixture photo scaled and cropped to 1280x720 by ImageMagick. */
    private Path base(String photo) {
        Path out = dir.resolve("base-" + photo + ".png");
        TestSupport.run("convert", Fixtures.path("photos/" + photo).toString(), "-resize", "1280x720^", "-gravity", "center",
                "-extent", "1280x720", "+repage", out.toString());
        return out;
    }

    /**
     * Draws {@code text} on {@code base} with {@code -gravity g -annotate geometry} in white with a black outline and
     * writes a JPEG; returns the ink box of the text alone, drawn the same way on black.
     */
    private Rectangle draw(Path base, Path out, String text, int pointsize, String gravity, String geometry) {
        assertTrue(Files.isRegularFile(Path.of(NOTO_SANS)) || System.getenv("CI") == null, "CI needs fonts-noto-cjk");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(Path.of(NOTO_SANS)), "fonts-noto-cjk not installed");
        TestSupport.run("convert", base.toString(), "-font", NOTO_SANS, "-pointsize", String.valueOf(pointsize), "-fill", "white",
                "-stroke", "black", "-strokewidth", "2", "-gravity", gravity, "-annotate", geometry, text, "-quality", "90",
                out.toString());
        String box = TestSupport.run("convert", "-size", "1280x720", "xc:black", "-font", NOTO_SANS, "-pointsize",
                String.valueOf(pointsize), "-fill", "white", "-stroke", "white", "-strokewidth", "2", "-gravity", gravity,
                "-annotate", geometry, text, "-format", "%@", "info:").strip();
        Matcher m = Pattern.compile("(\\d+)x(\\d+)\\+(\\d+)\\+(\\d+)").matcher(box);
        assertTrue(m.matches(), "ImageMagick's trim box: " + box);
        return new Rectangle(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)));
    }

    private static List<LabelFinding> labelsOver(VisibleLabelScan scan, Rectangle truth) {
        List<LabelFinding> out = new ArrayList<>();
        for (LabelFinding f : scan.labels()) {
            if (f.box().intersects(truth)) {
                out.add(f);
            }
        }
        return out;
    }

    private static BufferedImage read(Path p) throws IOException {
        return ImageIO.read(p.toFile());
    }

    @Test
    void aLabelInTheCentreIsFoundButIsNotCompliant() throws IOException {
        Path img = dir.resolve("centre.jpg");
        Rectangle truth = draw(base("13-sunset-hilltop.jpg"), img, "AI生成", 64, "center", "+0+0");
        VisibleLabelScan scan = finder.scan(read(img));
        List<LabelFinding> found = labelsOver(scan, truth);
        assertEquals(1, found.size(), "the whole image is searched by default: " + scan.lines());
        assertEquals(LabelPosition.INTERIOR, found.get(0).position());
        assertFalse(found.get(0).compliant(), "GB 45438 puts the label on an edge or in a corner");
    }

    /**
     * A see-through serif "人工智能生成" over rocks, cut from a tuning image of {@code bench ocr}
     * (testdata/SOURCES-ocr-eval.md): DB boxes only "智能生成" and the widened re-read loses the thin "工", so the
     * label is only found by reading the unsure widened line once more with a wider margin ("人智能生成") and
     * restoring the "工".
     */
    @Test
    void aSeeThroughSerifLabelWhoseThinStrokesDetectionMissedIsFound() throws IOException {
        Rectangle truth = new Rectangle(138, 411, 989, 184);
        VisibleLabelScan scan = finder.scan(read(Fixtures.path("ocr-eval/see-through-serif-on-rocks.jpg")));
        List<LabelFinding> found = labelsOver(scan, truth);
        assertEquals(1, found.size(), "every line read: " + scan.lines());
        LabelFinding f = found.get(0);
        assertEquals("人工智能生成", f.matchedPhrase(), f.toString());
        assertTrue(f.box().x <= truth.x + truth.height, "the widened line holds the first character: " + f);
        // the set's truth.tsv: glyph height 14.26% of 1080 (the ink box above is the tilted line's bounding box)
        assertEquals(0.1426, f.heightRatio(), 0.15 * 0.1426, f.toString());
    }

    @Test
    void aLabelRotatedByTenDegreesIsFoundAndMeasuredAcrossTheLine() throws IOException {
        Path img = dir.resolve("rotated.jpg");
        Path base = base("22-red-flower-garden.jpg");
        Rectangle truth = draw(base, img, "人工智能生成", 56, "southwest", "10x10+40+90");
        Rectangle level = draw(base, dir.resolve("level.jpg"), "人工智能生成", 56, "southwest", "+40+90");
        double drawn = level.height / 720.0;
        VisibleLabelScan scan = finder.scan(read(img));
        List<LabelFinding> found = labelsOver(scan, truth);
        assertEquals(1, found.size(), "read as one tilted line: " + scan.lines());
        LabelFinding f = found.get(0);
        assertEquals(10, f.angle(), 3, f.toString());
        assertEquals(LabelPosition.BOTTOM_LEFT, f.position(), f.toString());
        assertEquals(drawn, f.heightRatio(), drawn * 0.2, "the glyph height across the line, not the tilted box: " + f);
        assertTrue(f.compliant(), f.toString());
    }

    @Test
    void aCaptionThatOnlyMentionsAiIsReadButIsNotALabel() throws IOException {
        Path img = dir.resolve("caption.jpg");
        Rectangle truth = draw(base("14-evening-boats-lake.jpg"), img, "摄影 张伟 2024-05-01 AI摄影", 44, "south", "+0+30");
        VisibleLabelScan scan = finder.scan(read(img));
        assertTrue(scan.lines().stream().anyMatch(l -> l.box().intersects(truth)), "the caption was read: " + scan.lines());
        assertEquals(List.of(), scan.labels(), "AI without a generation element is not a label");
    }

    @Test
    void aLabelThreePercentHighIsFoundAndReportedNonCompliant() throws IOException {
        Path img = dir.resolve("small.jpg");
        Rectangle truth = draw(base("05-dusk-calm-lake.jpg"), img, "AI生成", 20, "northeast", "+20+20");
        double drawn = truth.height / 720.0;
        assertEquals(0.03, drawn, 0.005, "drawn at about 3% of the short side: " + truth);
        VisibleLabelScan scan = finder.scan(read(img));
        List<LabelFinding> found = labelsOver(scan, truth);
        assertEquals(1, found.size(), scan.lines().toString());
        LabelFinding f = found.get(0);
        assertEquals(LabelPosition.TOP_RIGHT, f.position());
        assertEquals(drawn, f.heightRatio(), drawn * 0.25, f.toString());
        assertFalse(f.compliant(), "under 5% of the short side: " + f);
        assertTrue(scan.compliant().isEmpty());
    }
}
