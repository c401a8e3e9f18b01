package org.aigcmark.serve;

import java.security.PublicKey;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.text.TextChecker;

/**
 * What the service checks and labels with, built once for the process (models load once): the detector behind
 * {@code /v1/detect} (the service owns it from now on and closes it on shutdown), the labeler, keys and C2PA anchors
 * behind {@code /v1/inspect}, the text checker behind {@code /v1/text/detect}, and the keys {@code /v1/label} may
 * sign and watermark with (clients choose one by its id, {@link LabelKeys#keyId} or {@link WatermarkKey#fingerprint()},
 * and never send a key).
 */
public record ServiceChecks(Detector detector, Labeler labeler, List<PublicKey> publicKeys, C2paValidator c2pa, TextChecker text,
                            List<LabelKeys.SigningKey> signingKeys, List<WatermarkKey> watermarkKeys) {
    public ServiceChecks {
        publicKeys = List.copyOf(publicKeys);
        signingKeys = List.copyOf(signingKeys);
        watermarkKeys = List.copyOf(watermarkKeys);
    }

    /** Checks only: {@code /v1/label} then has no keys to sign or watermark with. */
    public ServiceChecks(Detector detector, Labeler labeler, List<PublicKey> publicKeys, C2paValidator c2pa, TextChecker text) {
        this(detector, labeler, publicKeys, c2pa, text, List.of(), List.of());
    }
}
