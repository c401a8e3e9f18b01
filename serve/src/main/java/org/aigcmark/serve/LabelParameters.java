package org.aigcmark.serve;

import java.util.Locale;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.PropagateRequest;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.visible.VisibleLabelOptions;

/**
 * {@code /v1/label}'s query parameters, named like {@code aigcmark label}'s options: {@code producer},
 * {@code produceId} (required), {@code visible}, {@code visibleText}, {@code visiblePosition}, {@code visibleHeight}
 * (percent), {@code visibleAgain}, {@code watermark}, {@code watermarkKey} (a loaded key's fingerprint; optional when
 * the server has one), {@code signKey} (a loaded signing key's id) and {@code cue} (audio: the rhythm cue at
 * {@code start}, {@code end} and/or {@code middle}, comma-separated, as the CLI's repeated {@code --cue}). Keys never
 * travel: a client names one.
 */
final class LabelParameters {
    private LabelParameters() {}

    static LabelRequest request(AigcmarkServer.Query q, ServiceChecks checks) {
        String producer = required(q, "producer");
        String produceId = required(q, "produceId");
        LabelRequest req = new LabelRequest(AigcLabel.produced(producer, produceId).requireValid(), null, null, null);
        String text = q.value("visibleText");
        String position = q.value("visiblePosition");
        String height = q.value("visibleHeight");
        if (q.flag("visible") || text != null || position != null || height != null) {
            req = req.withVisible(new VisibleLabelOptions(text, position == null ? null : position(position),
                    height == null ? VisibleLabelOptions.DEFAULT_FRACTION : percent(height) / 100.0));
        }
        if (q.flag("visibleAgain")) {
            req = req.withVisibleAgain();
        }
        String signKey = q.value("signKey");
        if (signKey != null) {
            req = req.withSigningKey(signingKey(signKey, checks));
        }
        String markKey = q.value("watermarkKey");
        if (q.flag("watermark") || markKey != null) {
            req = req.withWatermark(watermarkKey(markKey, checks));
        }
        String cues = q.value("cue");
        if (cues != null) {
            for (String where : cues.split(",", 4)) {
                try {
                    req = req.withCue(org.aigcmark.audio.CuePosition.of(where));
                } catch (IllegalArgumentException e) {
                    throw AigcmarkException.invalid("cue must be start, end or middle (comma-separated), got " + cues);
                }
            }
        }
        return req;
    }

    /**
     * {@code /v1/propagate}'s parameters, named like {@code aigcmark propagate}'s options: {@code propagator} and
     * {@code propagateId} (required), {@code label} (2 or 3; required when the file has no record) and
     * {@code signKey} (a loaded signing key's id).
     */
    static PropagateRequest propagate(AigcmarkServer.Query q, ServiceChecks checks) {
        PropagateRequest req = PropagateRequest.of(required(q, "propagator"), required(q, "propagateId"));
        String label = q.value("label");
        if (label != null) {
            if (!label.equals("2") && !label.equals("3")) {
                throw AigcmarkException.invalid("label must be 2 or 3, got " + label);
            }
            req = req.withLabel(label);
        }
        String signKey = q.value("signKey");
        if (signKey != null) {
            req = req.withSigningKey(signingKey(signKey, checks));
        }
        return req;
    }

    private static LabelKeys.SigningKey signingKey(String id, ServiceChecks checks) {
        return checks.signingKeys().stream().filter(k -> LabelKeys.keyId(k.publicKey()).equals(id)).findFirst()
                .orElseThrow(() -> AigcmarkException.invalid("no signing key with id " + id + " on this server (its keys: "
                        + checks.signingKeys().stream().map(k -> LabelKeys.keyId(k.publicKey())).toList() + ")"));
    }

    private static WatermarkKey watermarkKey(String fingerprint, ServiceChecks checks) {
        var keys = checks.watermarkKeys();
        if (fingerprint == null) {
            if (keys.size() != 1) {
                throw AigcmarkException.invalid("watermark needs watermarkKey=FINGERPRINT: this server has " + keys.size()
                        + " watermark keys " + keys.stream().map(WatermarkKey::fingerprint).toList());
            }
            return keys.get(0);
        }
        return keys.stream().filter(k -> k.fingerprint().equals(fingerprint)).findFirst()
                .orElseThrow(() -> AigcmarkException.invalid("no watermark key with fingerprint " + fingerprint + " on this server"));
    }

    private static String required(AigcmarkServer.Query q, String name) {
        String v = q.value(name);
        if (v == null || v.isBlank()) {
            throw AigcmarkException.invalid(name + " is required (as the CLI's --" + switch (name) {
                case "produceId" -> "produce-id";
                case "propagateId" -> "propagate-id";
                default -> name;
            } + ")");
        }
        return v;
    }

    private static VisibleLabelOptions.Position position(String p) {
        try {
            return VisibleLabelOptions.Position.valueOf(p.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AigcmarkException.invalid("visiblePosition must be auto, bottom_right, bottom_left, top_right, top_left, bottom or top, got " + p);
        }
    }

    private static double percent(String h) {
        try {
            return Double.parseDouble(h);
        } catch (NumberFormatException e) {
            throw AigcmarkException.invalid("visibleHeight is a percentage of the shortest side, got " + h);
        }
    }
}
