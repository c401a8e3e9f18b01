package org.aigcmark.serve;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigcmark.AigcmarkException;

/** HTTPS from two PEM files, read by Helidon's own PEM reader: the certificate chain (server first) and its key. */
final class TlsFiles {
    private TlsFiles() {}

    static Tls tls(Path chainPem, Path keyPem) {
        for (Path p : new Path[] {chainPem, keyPem}) {
            if (!Files.isReadable(p)) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + p);
            }
        }
        try {
            Keys keys = Keys.builder().pem(pem -> pem.key(Resource.create(keyPem)).certChain(Resource.create(chainPem))).build();
            if (keys.privateKey().isEmpty() || keys.certChain().isEmpty()) {
                throw AigcmarkException.invalid("--tls-key needs a PEM private key and --tls-cert a PEM certificate chain");
            }
            return Tls.builder().privateKey(keys.privateKey().get()).privateKeyCertChain(keys.certChain()).build();
        } catch (AigcmarkException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AigcmarkException(AigcmarkException.Reason.KEY_INVALID,
                    "cannot use " + keyPem + " and " + chainPem + " for TLS: " + e.getMessage(), e);
        }
    }
}
