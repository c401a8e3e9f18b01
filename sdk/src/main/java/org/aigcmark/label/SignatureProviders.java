package org.aigcmark.label;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.aigcmark.AigcmarkException;

/** The {@link SignatureProvider}s on the class path, looked up once: Ed25519 built in, then ServiceLoader's. */
final class SignatureProviders {
    private static final List<SignatureProvider> ALL = load();

    private SignatureProviders() {}

    static List<SignatureProvider> all() {
        return ALL;
    }

    static Optional<SignatureProvider> find(SignatureAlgorithm algorithm) {
        return ALL.stream().filter(p -> p.algorithm() == algorithm).findFirst();
    }

    /** The provider of {@code algorithm}, or a usage error that names the artifact to add. */
    static SignatureProvider require(SignatureAlgorithm algorithm) {
        return find(algorithm).orElseThrow(() -> AigcmarkException.invalid(missing(algorithm)));
    }

    /** Why {@code algorithm} cannot be used here, in words that name the artifact. */
    static String missing(SignatureAlgorithm algorithm) {
        return algorithm.token() + " signatures need the " + algorithm.artifact() + " artifact (org.aigcmark:"
                + algorithm.artifact() + ") on the class path";
    }

    private static List<SignatureProvider> load() {
        List<SignatureProvider> found = new ArrayList<>(List.of(new Ed25519Provider()));
        for (SignatureProvider p : org.aigcmark.internal.Plugins.load(SignatureProvider.class)) {
            if (found.stream().noneMatch(q -> q.algorithm() == p.algorithm())) {
                found.add(p); // the first provider of an algorithm wins
            }
        }
        return List.copyOf(found);
    }
}
