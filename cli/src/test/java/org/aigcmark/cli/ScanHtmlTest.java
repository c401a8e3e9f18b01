package org.aigcmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan's HTML report shows what an analyst needs per file: the record, its problems, a watermark that contradicts it. */
class ScanHtmlTest {
    @TempDir
    Path tmp;

    @Test
    void forgedRecordAndDuplicateRecordsShowInTheHtml() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("uploads"));
        Path key = tmp.resolve("wm");
        assertEquals(0, CliTest.run("keygen", "--alg", "watermark", "-o", key.toString()).code());
        Path marked = tmp.resolve("marked.jpg");
        CliTest.Run l = CliTest.run("label", Fixtures.path("jpeg/exif-icc-xmp.jpg").toString(), "-o", marked.toString(),
                "--producer", CliTest.CODE, "--produce-id", "real-1", "--watermark", "--key", key + ".key");
        assertEquals(0, l.code(), l.err());
        // Forge the record: same length, so the XMP packet stays well-formed; the watermark still carries real-1's payload.
        byte[] b = Files.readAllBytes(marked);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains("real-1"));
        Files.write(dir.resolve("forged.jpg"), s.replace("real-1", "fake-1").getBytes(StandardCharsets.ISO_8859_1));
        Files.copy(Fixtures.path("conflict/exif3-then-xmp1.jpg"), dir.resolve("two-records.jpg"));
        Files.copy(Fixtures.path("labeled/xmp-element.jpg"), dir.resolve("doubao.jpg"));
        // pixels that cannot be decoded: the row must not read as a clean "no label"
        Files.copy(Fixtures.path("bad/truncated-mid-idat.png"), dir.resolve("cut.png"));
        Path html = tmp.resolve("scan.html");
        CliTest.Run r = CliTest.run("scan", dir.toString(), "--html", html.toString(), "--key", key + ".key", "--no-ocr");
        assertTrue(Files.exists(html), r.err());
        String page = Files.readString(html);
        String forgedRow = row(page, "forged.jpg");
        assertTrue(forgedRow.contains("ProduceID=<code>fake-1</code>"), forgedRow);
        assertTrue(forgedRow.contains("ContentProducer=<code>" + CliTest.CODE + "</code>"), forgedRow);
        assertTrue(forgedRow.contains("does NOT match the label"), forgedRow);
        String twoRow = row(page, "two-records.jpg");
        assertTrue(twoRow.contains("record problem: duplicate"), twoRow);
        assertTrue(twoRow.contains("PropagateID=<code>platform-3-0001</code>"), twoRow);
        assertFalse(twoRow.contains("does NOT match"), twoRow);
        String doubaoRow = row(page, "doubao.jpg");
        assertTrue(doubaoRow.contains("producer listed as Doubao (ByteDance) (public list, not verified)"), doubaoRow);
        assertFalse(page.contains("verified as"), "a listed name is information, never verification");
        String cutRow = row(page, "cut.png");
        assertTrue(cutRow.contains("<span class=\"tag\">not fully checked") && !cutRow.contains("<span class=\"tag\">no label"), cutRow);
    }

    /** The table row of one file. */
    private static String row(String page, String file) {
        int at = page.indexOf(file + "</code>");
        assertTrue(at > 0, file + " in " + page.length() + " chars");
        int start = page.lastIndexOf("<tr", at);
        return page.substring(start, page.indexOf("</tr>", at));
    }
}
