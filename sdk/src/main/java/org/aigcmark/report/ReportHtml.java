package org.aigcmark.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The look of a detection report in HTML, shared by {@code aigcmark scan --html} (rendered on the server) and the
 * service's web page (rendered in the browser from {@code /v1/detect}'s JSON): one stylesheet, one way to name and
 * colour a verdict, one escaping rule.
 */
public final class ReportHtml {
    private ReportHtml() {}

    /** The widest preview image, in CSS pixels. */
    public static final int THUMB = 200;

    /**
     * The stylesheet: a verdict row's colour by its class ({@code v1}, {@code v2}, {@code v3}, {@code none},
     * {@code error}), {@code tag} for a verdict badge, {@code bad} for a problem an analyst must see.
     */
    public static final String STYLE = "body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
            + "table{border-collapse:collapse;width:100%;table-layout:fixed}"
            + "td,th{border-bottom:1px solid #ddd;padding:6px 8px;vertical-align:top;text-align:left;overflow-wrap:anywhere}"
            + ".v1{background:#fde2e1}.v2{background:#fff3cd}.v3{background:#fff7e6}.none{background:#eef7ee}.error{background:#eee}"
            + ".tag{display:inline-block;padding:2px 6px;border-radius:4px;font-weight:600}"
            + "img{max-width:" + THUMB + "px;border:1px solid #ccc}ul{margin:0;padding-left:18px}"
            + "code{font-size:12px}.bad{color:#a00;font-weight:600}";

    /**
     * A report's category ({@link ReportJson}'s form, or a scan's error entry): {@code label1}, {@code label2},
     * {@code label3}, {@code none}, {@code unchecked} (a damaged file whose pixels did not decode, never counted as
     * a clean none) or {@code error}.
     */
    public static String category(JsonNode report) {
        if (report.has("error")) {
            return "error";
        }
        JsonNode l = report.path("verdict").path("label");
        if (l.isNull() || l.isMissingNode()) {
            return report.path("verdict").path("rule").asText().equals("unchecked") ? "unchecked" : "none";
        }
        return "label" + l.asText();
    }

    /** The CSS class of a category's row. */
    public static String cssClass(String category) {
        return switch (category) {
            case "label1" -> "v1";
            case "label2" -> "v2";
            case "label3" -> "v3";
            case "error", "unchecked" -> "error";
            default -> "none";
        };
    }

    /** The words a moderator reads for a category. */
    public static String title(String category) {
        return switch (category) {
            case "label1" -> "Label 1: AI-generated";
            case "label2" -> "Label 2: possibly (declared)";
            case "label3" -> "Label 3: suspected";
            case "error" -> "unreadable";
            case "unchecked" -> "not fully checked (pixels unreadable)";
            default -> "no label";
        };
    }

    /** {@code s} safe in HTML text and in a quoted attribute. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
