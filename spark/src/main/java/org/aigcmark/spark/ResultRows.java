package org.aigcmark.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.aigcmark.AigcmarkException;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.report.ReportJson;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The result row of one file, made from its {@code detect --json} report ({@link ReportJson#toNode}) or its error. */
final class ResultRows {
    /** One AIGC record found in the file: the seven Annex E keys, where it was and its signature status. */
    static final StructType RECORD = record();

    /** Our watermark: searched or not, found or not, its payload, score and whether it matches the record. */
    static final StructType WATERMARK = new StructType()
            .add("checked", DataTypes.BooleanType)
            .add("detected", DataTypes.BooleanType)
            .add("payload", DataTypes.StringType)
            .add("score", DataTypes.DoubleType)
            .add("matchesLabel", DataTypes.BooleanType)
            .add("note", DataTypes.StringType);

    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("size", DataTypes.LongType)
            .add("format", DataTypes.StringType)
            .add("label", DataTypes.StringType)
            .add("rule", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("evidenceKinds", DataTypes.createArrayType(DataTypes.StringType, false))
            .add("records", DataTypes.createArrayType(RECORD, false))
            .add("watermark", WATERMARK)
            .add("problems", DataTypes.createArrayType(DataTypes.StringType, false))
            .add("error", DataTypes.StringType)
            .add("errorReason", DataTypes.StringType)
            .add("report", DataTypes.StringType);

    private static final com.fasterxml.jackson.databind.ObjectWriter ONE_LINE =
            ReportJson.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private ResultRows() {}

    private static StructType record() {
        StructType t = new StructType();
        for (String key : AigcLabel.KEYS) {
            t = t.add(key, DataTypes.StringType);
        }
        return t.add("source", DataTypes.StringType).add("signature", DataTypes.StringType);
    }

    /** The row of a file that was checked: every column from its report. */
    static Row of(String path, long size, ObjectNode report, boolean withReport) {
        JsonNode v = report.path("verdict");
        List<String> kinds = new ArrayList<>();
        report.path("evidence").forEach(e -> kinds.add(e.path("kind").asText()));
        List<Row> records = new ArrayList<>();
        for (JsonNode l : report.path("labels")) {
            Object[] fields = new Object[AigcLabel.KEYS.size() + 2];
            for (int i = 0; i < AigcLabel.KEYS.size(); i++) {
                fields[i] = text(l.get(AigcLabel.KEYS.get(i)));
            }
            fields[AigcLabel.KEYS.size()] = text(l.get("source"));
            fields[AigcLabel.KEYS.size() + 1] = text(l.get("signature"));
            records.add(RowFactory.create(fields));
        }
        JsonNode w = report.path("watermark");
        Row watermark = RowFactory.create(bool(w.get("checked")), bool(w.get("detected")), text(w.get("payload")),
                w.hasNonNull("score") ? w.get("score").asDouble() : null, bool(w.get("matchesLabel")), text(w.get("note")));
        List<String> problems = new ArrayList<>();
        report.path("problems").forEach(p -> problems.add(p.asText()));
        return RowFactory.create(path, size, text(report.get("format")), text(v.get("label")), text(v.get("rule")),
                text(v.get("reason")), kinds.toArray(String[]::new), records.toArray(Row[]::new), watermark,
                problems.toArray(String[]::new), null, null, withReport ? oneLine(report) : null);
    }

    /** The row of a file that could not be checked: the message and the reason (as the CLI's scan reports them). */
    static Row error(String path, long size, String message, String reason) {
        return RowFactory.create(path, size, null, null, null, null, new String[0], new Row[0], null, new String[0],
                message, reason, null);
    }

    /** The error row for what a check threw: the tool's reasons as {@code scan} names them, anything else INTERNAL. */
    static Row error(String path, long size, Throwable t) {
        if (t instanceof AigcmarkException e) {
            return error(path, size, e.getMessage(), e.reason().name());
        }
        return error(path, size, "internal error: " + t, "INTERNAL");
    }

    /** {@code label1}, {@code label2}, {@code label3}, {@code none}, {@code unchecked} or {@code error}: scan's summary. */
    static String category(Row r) {
        if (r.getAs("error") != null) {
            return "error";
        }
        String label = r.getAs("label");
        if (label == null) {
            return "unchecked".equals(r.getAs("rule")) ? "unchecked" : "none";
        }
        return "label" + label;
    }

    private static String oneLine(JsonNode n) {
        try {
            return ONE_LINE.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null; // a tree we built ourselves always writes
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Boolean bool(JsonNode n) {
        return n == null || n.isNull() ? null : n.asBoolean();
    }
}
