package org.aigcmark.serve;

import java.util.Locale;
import org.aigcmark.AigcmarkException;
import org.aigcmark.text.ExplicitTextLabel;
import org.aigcmark.text.LabelPosition;
import org.aigcmark.text.StreamingLabeler;
import org.aigcmark.text.TextLanguage;

/**
 * {@code /v1/text/label}'s query parameters, named like {@code aigcmark text label}'s options: {@code position}
 * (start, end, both; default both), {@code lang} (zh, en, auto; default auto: from the first chunk, since a stream
 * cannot wait for its end) and {@code text} (a custom label). {@code middle} needs the whole text, so a stream
 * refuses it (400).
 */
record TextLabelParameters(ExplicitTextLabel custom, String lang, LabelPosition position) {
    static TextLabelParameters of(AigcmarkServer.Query q) {
        if (q.value("middle") != null) {
            throw AigcmarkException.invalid("middle needs the whole text; a stream is labelled at its start and end (use text label on the file)");
        }
        String text = q.value("text");
        ExplicitTextLabel custom = text == null ? null : ExplicitTextLabel.custom(text);
        String lang = q.value("lang") == null ? "auto" : q.value("lang").toLowerCase(Locale.ROOT);
        if (!lang.equals("zh") && !lang.equals("en") && !lang.equals("auto")) {
            throw AigcmarkException.invalid("lang must be zh, en or auto, got " + q.value("lang"));
        }
        String position = q.value("position") == null ? "both" : q.value("position").toLowerCase(Locale.ROOT);
        LabelPosition p = switch (position) {
            case "start" -> LabelPosition.START;
            case "end" -> LabelPosition.END;
            case "both" -> LabelPosition.BOTH;
            default -> throw AigcmarkException.invalid("position must be start, end or both, got " + q.value("position"));
        };
        return new TextLabelParameters(custom, lang, p);
    }

    /** The labeler for one stream; {@code firstChunk} decides the language when it is auto. */
    StreamingLabeler labeler(String firstChunk) {
        ExplicitTextLabel label = custom != null ? custom : switch (lang) {
            case "zh" -> ExplicitTextLabel.defaults(TextLanguage.ZH);
            case "en" -> ExplicitTextLabel.defaults(TextLanguage.EN);
            default -> ExplicitTextLabel.forText(firstChunk);
        };
        return new StreamingLabeler(label, position);
    }
}
