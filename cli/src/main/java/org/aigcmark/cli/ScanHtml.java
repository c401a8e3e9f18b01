package org.aigcmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.aigcmark.report.ReportHtml;

/**
 * The scan's HTML report: one self-contained file (inline CSS, thumbnails as data URIs, no script, no network),
 * so it opens offline and can be archived as evidence. Every value from a file is HTML-escaped.
 */
final class ScanHtml {
    private ScanHtml() {}

    static final int THUMB = ReportHtml.THUMB;

    static String render(Path root, JsonNode results, Map<String, Integer> counts, Map<String, String> thumbs) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>aigcmark scan of ").append(esc(root.toString())).append("</title>")
                .append("<style>").append(ReportHtml.STYLE).append("</style></head><body>\n");
        sb.append("<h1>aigcmark scan</h1><p>Folder <code>").append(esc(root.toString())).append("</code>: ")
                .append(results.size()).append(" files. ");
        counts.forEach((k, v) -> sb.append("<span class=\"tag ").append(cls(k)).append("\">").append(esc(title(k)))
                .append(": ").append(v).append("</span> "));
        sb.append("</p>\n<table><colgroup><col style=\"width:").append(THUMB + 20).append("px\"><col style=\"width:22%\">")
                .append("<col style=\"width:30%\"><col></colgroup>")
                .append("<tr><th>preview</th><th>file</th><th>verdict</th><th>evidence and problems</th></tr>\n");
        for (JsonNode n : results) {
            String cat = ScanCommand.category(n);
            sb.append("<tr class=\"").append(cls(cat)).append("\"><td>");
            String thumb = n.path("thumbnail").asText(thumbs.getOrDefault(n.path("file").asText(), ""));
            if (!thumb.isEmpty()) {
                sb.append("<img alt=\"preview\" src=\"data:image/jpeg;base64,").append(thumb).append("\">");
            }
            sb.append("</td><td><code>").append(esc(n.path("file").asText())).append("</code><br>")
                    .append(esc(n.path("format").asText(""))).append("</td><td>");
            if (n.has("error")) {
                sb.append("<b>error</b> (").append(esc(n.path("reason").asText())).append(")<br>").append(esc(n.path("error").asText()));
            } else {
                sb.append("<span class=\"tag\">").append(esc(title(cat))).append("</span><br>")
                        .append(esc(n.path("verdict").path("reason").asText()));
            }
            sb.append("</td><td><ul>");
            records(sb, n);
            watermark(sb, n.path("watermark"));
            for (JsonNode e : n.path("evidence")) {
                sb.append("<li>[").append(esc(e.path("strength").asText())).append("] <code>").append(esc(e.path("source").asText()))
                        .append("</code> ").append(esc(e.path("summary").asText())).append("</li>");
            }
            for (JsonNode p : n.path("problems")) {
                sb.append("<li>problem: ").append(esc(p.asText())).append("</li>");
            }
            sb.append("</ul></td></tr>\n");
        }
        sb.append("</table><p>Made by aigcmark. Model scores and traces are evidence, not proof; a verified AIGC record or ")
                .append("watermark is an implicit label in the sense of GB 45438-2025.</p></body></html>\n");
        return sb.toString();
    }

    /** The fields of the record, in the standard's order (ReservedCode1/2 are the signature's business). */
    private static final String[] RECORD_FIELDS = {"Label", "ContentProducer", "ProduceID", "ContentPropagator", "PropagateID"};

    /** Each AIGC record's fields and its own problems (an illegal character, a duplicate): what an analyst checks first. */
    private static void records(StringBuilder sb, JsonNode n) {
        for (JsonNode l : n.path("labels")) {
            sb.append("<li>record <code>").append(esc(l.path("source").asText("?"))).append("</code>");
            String sig = l.path("signature").asText("");
            if (!sig.isEmpty() && !sig.equals("absent")) {
                sb.append(" (signature ").append(esc(sig)).append(')');
            }
            sb.append(':');
            for (String f : RECORD_FIELDS) {
                sb.append(' ').append(f).append("=<code>").append(esc(l.path(f).asText(""))).append("</code>");
            }
            String listed = l.path("producerCode").path("listedAs").asText("");
            if (!listed.isEmpty()) {
                sb.append("; producer listed as ").append(esc(listed)).append(" (public list, not verified)");
            }
            sb.append("</li>");
            for (JsonNode p : l.path("problems")) {
                sb.append("<li class=\"bad\">record problem: ").append(esc(p.asText())).append("</li>");
            }
        }
    }

    /** A found watermark, its segments in a video, and whether its payload fits the label (a mismatch is flagged). */
    private static void watermark(StringBuilder sb, JsonNode w) {
        if (!w.path("detected").asBoolean(false)) {
            return;
        }
        sb.append("<li>watermark found");
        if (w.hasNonNull("payload")) {
            sb.append(", payload <code>").append(esc(w.path("payload").asText())).append("</code>");
        }
        if (w.hasNonNull("segments")) {
            sb.append(", in ").append(esc(w.path("segments").asText())).append(" video segments");
        }
        if (w.has("matchesLabel")) {
            sb.append(w.path("matchesLabel").asBoolean() ? "; matches the label"
                    : "; <span class=\"bad\">does NOT match the label</span> (the record may be forged or swapped)");
        }
        sb.append("</li>");
    }

    /** Boxes of visible labels found by OCR, in image pixels. */
    static java.util.List<java.awt.Rectangle> boxes(org.aigcmark.detection.DetectionReport r) {
        java.util.List<java.awt.Rectangle> out = new java.util.ArrayList<>();
        for (var e : r.evidence()) {
            if (e.details().get("box") instanceof java.util.List<?> b && b.size() == 4) {
                out.add(new java.awt.Rectangle(((Number) b.get(0)).intValue(), ((Number) b.get(1)).intValue(),
                        ((Number) b.get(2)).intValue(), ((Number) b.get(3)).intValue()));
            }
        }
        return out;
    }

    /** A JPEG thumbnail (longest side 200 px) as base64, with found label boxes drawn in red. */
    static String thumbnail(BufferedImage img, java.util.List<java.awt.Rectangle> boxes) {
        double s = Math.min(1.0, THUMB / (double) Math.max(img.getWidth(), img.getHeight()));
        int w = Math.max(1, (int) Math.round(img.getWidth() * s));
        int h = Math.max(1, (int) Math.round(img.getHeight() * s));
        BufferedImage t = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = t.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.drawImage(img, 0, 0, w, h, null);
        g.setColor(Color.RED);
        g.setStroke(new java.awt.BasicStroke(2f));
        for (java.awt.Rectangle b : boxes) {
            g.drawRect((int) (b.x * s), (int) (b.y * s), Math.max(2, (int) (b.width * s)), Math.max(2, (int) (b.height * s)));
        }
        g.dispose();
        // In memory: ImageIO.write to a plain OutputStream would go through a temp file for every thumbnail.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream ios = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            ImageIO.write(t, "jpeg", ios);
        } catch (IOException e) {
            return "";
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    static String esc(String s) {
        return ReportHtml.escape(s);
    }

    private static String cls(String cat) {
        return ReportHtml.cssClass(cat);
    }

    private static String title(String cat) {
        return ReportHtml.title(cat);
    }
}
