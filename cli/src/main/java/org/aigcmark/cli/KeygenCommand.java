package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.aigcmark.AigcmarkException;
import org.aigcmark.io.AtomicFiles;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.SignatureAlgorithm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Makes keys: a signing key pair (PREFIX.key private PEM, PREFIX.pub public PEM), a watermark secret"
                + " (PREFIX.key) or a TEST C2PA credential (PREFIX.key P-256 or, with --key-alg ed25519, Ed25519 PKCS#8, PREFIX.pem signer certificate + chain,"
                + " PREFIX-ca.pem the test CA to trust). An existing key file is never replaced without --force.")
public final class KeygenCommand implements Callable<Integer> {
    enum Alg { ed25519, sm2, watermark, c2pa }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    @Spec
    CommandSpec spec;

    @Option(names = "--alg", required = true, description = "The key type: ed25519, sm2 (signing key pairs), watermark (a secret) or c2pa (a test CA and"
            + " a C2PA claim-signing certificate, for local use and tests).")
    Alg alg;

    @Option(names = "--key-alg", paramLabel = "ALG", description = "With --alg c2pa: the signer's key, p256 (ES256, the"
            + " default) or ed25519 (EdDSA); the test CA is always P-256.")
    C2paKeyAlg c2paKeyAlg;

    enum C2paKeyAlg { p256, ed25519 }

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PREFIX",
            description = "The path prefix of the key files (PREFIX.key, and PREFIX.pub for a pair).")
    String prefix;

    @Option(names = "--force", description = "Replace existing key files. A provider that loses its watermark key can never detect"
            + " its own marks again, so keep a copy first.")
    boolean force;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        Path priv = Path.of(prefix + ".key");
        Path pub = Path.of(prefix + ".pub");
        // every file is checked before any is written: never half a pair
        Path chain = Path.of(prefix + ".pem");
        Path ca = Path.of(prefix + "-ca.pem");
        if (c2paKeyAlg != null && alg != Alg.c2pa) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--key-alg applies only with --alg c2pa");
        }
        refuseExisting(alg == Alg.watermark ? List.of(priv) : alg == Alg.c2pa ? List.of(priv, chain, ca) : List.of(priv, pub));
        switch (alg) {
            case c2pa -> {
                boolean ed = c2paKeyAlg == C2paKeyAlg.ed25519;
                var c = org.aigcmark.sm2.C2paTestCredentials.generate("aigcmark", java.time.Duration.ofDays(365),
                        ed ? org.aigcmark.sm2.C2paTestCredentials.SignerKey.ED25519
                                : org.aigcmark.sm2.C2paTestCredentials.SignerKey.P256);
                write(priv, c.keyPem(), OWNER_ONLY);
                write(chain, c.chainPem(), PUBLIC);
                write(ca, c.caPem(), PUBLIC);
                out.println("wrote " + priv + " (C2PA signing key, " + (ed ? "Ed25519" : "P-256") + ", keep it secret), " + chain + " (signer certificate"
                        + " and chain) and " + ca + " (the TEST CA: trust it with --c2pa-trust for local checks only;"
                        + " for publishing, use a certificate from a CA on the C2PA trust list)");
            }
            case watermark -> {
                WatermarkKey k = WatermarkKey.generate();
                write(priv, k.toPem(), OWNER_ONLY);
                out.println("wrote " + priv + " (watermark secret, fingerprint " + k.fingerprint() + "); keep it private");
            }
            default -> {
                var pair = LabelKeys.generate(alg == Alg.sm2 ? SignatureAlgorithm.SM2 : SignatureAlgorithm.ED25519);
                write(priv, LabelKeys.toPem(pair.getPrivate()), OWNER_ONLY);
                write(pub, LabelKeys.toPem(pair.getPublic()), PUBLIC);
                out.println("wrote " + priv + " (private, keep it secret) and " + pub + " (" + alg + ", key id "
                        + LabelKeys.keyId(pair.getPublic()) + ")");
            }
        }
        return ExitCodes.OK;
    }

    private void refuseExisting(List<Path> files) {
        for (Path f : files) {
            if (!force && Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, f + " already exists and"
                        + " keygen does not replace key files; move it away or add --force (a lost watermark key cannot be recovered).");
            }
        }
    }

    /** Atomic, and a secret is owner-only from the moment it appears; without --force a file that appeared meanwhile is kept. */
    private void write(Path file, String pem, Set<PosixFilePermission> permissions) {
        byte[] bytes = pem.getBytes(StandardCharsets.US_ASCII);
        if (force) {
            AtomicFiles.write(file, bytes, permissions);
        } else {
            AtomicFiles.writeNew(file, bytes, permissions);
        }
    }
}
