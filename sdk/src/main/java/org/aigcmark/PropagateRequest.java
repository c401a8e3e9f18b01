package org.aigcmark;

import java.util.Optional;
import org.aigcmark.format.c2pa.C2paSigning;
import org.aigcmark.label.LabelKeys;

/**
 * What a platform writes when it passes content on ({@link Labeler#propagate}): its propagation fields, an optional
 * new Label value ("2" declared, "3" suspected) and an optional key. Null optionals are read as empty.
 *
 * @param propagator ContentPropagator, the platform's name
 * @param propagateId PropagateID, the platform's identifier for this copy
 * @param label the new Label value, or empty to keep the record's
 * @param signingKey the platform's key that signs the record into ReservedCode2, or empty
 * @param c2pa the credential that signs the platform's C2PA manifest, or empty
 */
public record PropagateRequest(String propagator, String propagateId, Optional<String> label,
                               Optional<LabelKeys.SigningKey> signingKey, Optional<C2paSigning> c2pa) {
    public PropagateRequest {
        label = label == null ? Optional.empty() : label;
        signingKey = signingKey == null ? Optional.empty() : signingKey;
        c2pa = c2pa == null ? Optional.empty() : c2pa;
    }

    /** A request without C2PA signing (see the canonical constructor for the fields). */
    public PropagateRequest(String propagator, String propagateId, Optional<String> label,
                            Optional<LabelKeys.SigningKey> signingKey) {
        this(propagator, propagateId, label, signingKey, Optional.empty());
    }

    /**
     * A copy that also signs a C2PA manifest for the platform (JPEG, PNG, WebP, MP4/MOV): {@code c2pa.opened} on the
     * received file, its previous manifest (when it carried one) as the parentOf ingredient and kept in the store,
     * then {@code c2pa.published}; the hard binding covers the record with the platform's fields.
     */
    public PropagateRequest withC2pa(C2paSigning signing) {
        return new PropagateRequest(propagator, propagateId, label, signingKey, Optional.of(signing));
    }

    /**
     * A request that keeps the record's Label and signs nothing.
     *
     * @param propagator the platform's name for ContentPropagator
     * @param propagateId the platform's identifier for this copy (PropagateID)
     * @return the request
     */
    public static PropagateRequest of(String propagator, String propagateId) {
        return new PropagateRequest(propagator, propagateId, Optional.empty(), Optional.empty());
    }

    /**
     * A copy that sets the record's Label to {@code value}. The labeller checks it: "1" only where the file already
     * carries a producer's record, and a file without a record needs one of "2" or "3" (else {@link
     * AigcmarkException.Reason#INVALID_ARGUMENT}).
     */
    public PropagateRequest withLabel(String value) {
        return new PropagateRequest(propagator, propagateId, Optional.of(value), signingKey, c2pa);
    }

    /** A copy that signs the propagated record with the platform's key; the signature goes into ReservedCode2. */
    public PropagateRequest withSigningKey(LabelKeys.SigningKey k) {
        return new PropagateRequest(propagator, propagateId, label, Optional.of(k), c2pa);
    }
}
