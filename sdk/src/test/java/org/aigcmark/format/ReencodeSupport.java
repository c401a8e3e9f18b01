package org.aigcmark.format;

import java.nio.file.Path;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.visible.VisibleLabelOptions;

/** Labels a fixture with a visible label (pixels change, so the pixel codec re-encodes) and hands back the result. */
public final class ReencodeSupport {
    public static final Labeler LABELER = Labeler.create();
    public static final LabelRequest VISIBLE = LabelRequest.produced("001191110102MACQD9K64010000", "reencode-1")
            .withVisible(VisibleLabelOptions.defaults());

    private ReencodeSupport() {}

    public static LabelResult labelVisible(String fixture) {
        return LABELER.label(Fixtures.bytes(fixture), fixture, VISIBLE);
    }

    /** The output written to a temporary file, for the independent tools. */
    public static Path written(String name, LabelResult r) {
        return TestSupport.temp(name, r.bytes());
    }

    /** ImageMagick's reading of a PNG's IHDR: "colour-type bit-depth". */
    public static String pngIhdr(Path png) {
        return TestSupport.run("identify", "-format", "%[png:IHDR.color-type-orig] %[png:IHDR.bit-depth-orig]", png.toString()).trim();
    }

    public static boolean hasNote(LabelResult r, String fragment) {
        return r.notes().stream().anyMatch(n -> n.contains(fragment));
    }
}
