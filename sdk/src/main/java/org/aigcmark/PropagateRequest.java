package org.aigcmark;

import java.util.Optional;
import org.aigcmark.label.LabelKeys;

/** The platform's propagation fields, an optional new Label value ("2" declared, "3" suspected), an optional key. */
public record PropagateRequest(String propagator, String propagateId, Optional<String> label,
                               Optional<LabelKeys.SigningKey> signingKey) {
    public PropagateRequest {
        label = label == null ? Optional.empty() : label;
        signingKey = signingKey == null ? Optional.empty() : signingKey;
    }

    public static PropagateRequest of(String propagator, String propagateId) {
        return new PropagateRequest(propagator, propagateId, Optional.empty(), Optional.empty());
    }

    public PropagateRequest withLabel(String value) {
        return new PropagateRequest(propagator, propagateId, Optional.of(value), signingKey);
    }

    public PropagateRequest withSigningKey(LabelKeys.SigningKey k) {
        return new PropagateRequest(propagator, propagateId, label, Optional.of(k));
    }
}
