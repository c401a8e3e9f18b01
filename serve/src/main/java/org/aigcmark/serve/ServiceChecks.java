package org.aigcmark.serve;

import java.security.PublicKey;
import java.util.List;
import org.aigcmark.Labeler;
import org.aigcmark.detection.Detector;
import org.aigcmark.format.c2pa.C2paValidator;
import org.aigcmark.text.TextChecker;

/**
 * What the service checks with, built once for the process (models load once): the detector behind
 * {@code /v1/detect} (the service owns it from now on and closes it on shutdown), the labeler, keys and C2PA anchors
 * behind {@code /v1/inspect}, and the text checker behind {@code /v1/text/detect}.
 */
public record ServiceChecks(Detector detector, Labeler labeler, List<PublicKey> publicKeys, C2paValidator c2pa, TextChecker text) {
    public ServiceChecks {
        publicKeys = List.copyOf(publicKeys);
    }
}
